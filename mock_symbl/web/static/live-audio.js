// Live demo console (2/3): audio capture. Mono PCM from the microphone or a decoded recording goes through the
// pcm-downsampler worklet, which posts LINEAR16 frames at the declared rate.
(function () {
  "use strict";
  const { el } = window.mockSymblLive;

  async function openAudio(kind, options, onFrame, onLevel) {
    if (!window.isSecureContext || !window.AudioWorkletNode) {
      throw new Error("Audio capture needs a secure context: open this page on http://127.0.0.1 or http://localhost, or over HTTPS.");
    }
    const ctx = new AudioContext({ latencyHint: "interactive" });
    await ctx.audioWorklet.addModule("/__admin/ui/static/pcm-worklet.js");
    const node = new AudioWorkletNode(ctx, "pcm-downsampler", {
      numberOfInputs: 1, numberOfOutputs: 1, outputChannelCount: [1],
      processorOptions: { targetRate: options.rate, frameMs: 50 },
    });
    const mute = ctx.createGain();
    mute.gain.value = 0; // keeps the worklet pulled by the graph without echoing the microphone
    node.connect(mute).connect(ctx.destination);
    let flushed = null;
    node.port.onmessage = (event) => {
      const data = event.data;
      if (data instanceof ArrayBuffer) onFrame(data);
      else if (data && data.level !== undefined) onLevel(data.level);
      else if (data && data.flushed && flushed) { flushed(data); flushed = null; }
    };
    const audio = {
      ctx, contextRate: ctx.sampleRate, duration: null, onended: null, stream: null, source: null, buffer: null,
      async begin() {
        node.port.postMessage({ enable: true });
        if (this.buffer) {
          const source = ctx.createBufferSource();
          source.buffer = this.buffer;
          source.connect(node);
          source.connect(ctx.destination); // the recording is played aloud while it streams
          source.onended = () => { if (this.onended) this.onended(); };
          this.source = source;
          this.startedAt = ctx.currentTime;
          source.start();
        }
      },
      position() {
        return this.buffer && this.startedAt !== undefined ? ctx.currentTime - this.startedAt : null;
      },
      flush() {
        return new Promise((resolve) => { flushed = resolve; node.port.postMessage({ flush: true }); });
      },
      halt() {
        if (this.source) { this.source.onended = null; try { this.source.stop(); } catch (e) { /* not started */ } }
        if (this.stream) this.stream.getTracks().forEach((t) => t.stop());
      },
      async close() {
        this.halt();
        try { await ctx.close(); } catch (e) { /* already closed */ }
      },
    };
    if (kind === "mic") {
      if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) throw new Error("This browser has no microphone access (getUserMedia).");
      // Raw audio: the mock paces the transcript by it, and processing would only distort it.
      audio.stream = await navigator.mediaDevices.getUserMedia({
        audio: { channelCount: 1, echoCancellation: false, noiseSuppression: false, autoGainControl: false },
      });
      ctx.createMediaStreamSource(audio.stream).connect(node);
    } else {
      const response = await fetch(options.url);
      if (!response.ok) throw new Error("Could not load the recording " + options.url + " (" + response.status + ").");
      audio.buffer = await ctx.decodeAudioData(await response.arrayBuffer());
      audio.duration = audio.buffer.duration;
    }
    if (ctx.state !== "running") {
      await Promise.race([ctx.resume(), new Promise((r) => setTimeout(r, 400))]);
    }
    if (ctx.state !== "running") await needGesture(ctx);
    return audio;
  }

  function needGesture(ctx) {
    // Browsers start audio only after a user gesture unless told otherwise (kiosk: --autoplay-policy).
    return new Promise((resolve) => {
      const overlay = el("button", "gesture-overlay", "Click to start the audio");
      overlay.type = "button";
      overlay.addEventListener("click", async () => { await ctx.resume(); overlay.remove(); resolve(); });
      document.body.append(overlay);
    });
  }

  window.mockSymblLive.openAudio = openAudio;
})();
