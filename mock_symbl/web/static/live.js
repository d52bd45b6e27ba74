// Live demo console: speaks Symbl's real-time protocol from the browser, like the Web SDK (token as the
// WebSocket subprotocol), and renders what comes back. The subscriber view shares the renderer.
(function () {
  "use strict";
  const $ = (sel) => document.querySelector(sel);
  const $$ = (sel) => Array.from(document.querySelectorAll(sel));
  const body = document.body;
  const mode = body.dataset.mode;
  const params = new URLSearchParams(window.location.search);
  const WS_BASE = (window.location.protocol === "https:" ? "wss://" : "ws://") + window.location.host;
  const PALETTE = ["#4f6bed", "#e8716d", "#2fb08a", "#f2a33a", "#9b6ae0", "#2aa5c9", "#d65c9e", "#7b8a99"];
  const INSIGHT_TYPES = ["question", "action_item", "follow_up"];
  const STATES = {
    idle: "Idle", authorizing: "Getting a token", preparing: "Preparing audio", connecting: "Connecting",
    listening: "Listening", live: "Live", stopping: "Stopping", completed: "Completed", closed: "Disconnected",
    error: "Error", waiting: "Waiting for the speaker", ended: "Stream ended",
  };

  function el(tag, cls, text) {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }
  function clock(seconds) {
    const total = Math.max(0, Math.floor(seconds || 0));
    const m = Math.floor(total / 60);
    const s = total % 60;
    return m + ":" + (s < 10 ? "0" : "") + s;
  }
  function wordSeconds(t) {
    return t ? Number(t.seconds || 0) + Number(t.nanos || 0) / 1e9 : 0;
  }
  function notice(text) {
    const box = $("#notice");
    box.textContent = text || "";
    box.hidden = !text;
  }
  function setState(name, detail) {
    const pill = $("#state");
    pill.className = "state state-" + name;
    pill.textContent = STATES[name] + (detail ? " · " + detail : "");
    body.dataset.state = name;
  }

  // ------------------------------------------------------------------ the view (speaker and subscriber)
  const view = {
    colors: new Map(),
    current: null, // the line being heard (interim results)
    unnamed: [], // settled lines waiting for their message id (message_response)
    finals: 0,
    seenInsights: new Set(),
    topics: new Map(),
    trackers: new Map(),
    conversationId: null,

    reset() {
      $("#live-transcript").replaceChildren();
      $("#transcript-empty").hidden = false;
      INSIGHT_TYPES.forEach((k) => { $("#list-" + k).replaceChildren(); $("#count-" + k).textContent = "0"; });
      $("#topics-list").replaceChildren();
      $("#topics-empty").hidden = false;
      $("#trackers-list").replaceChildren();
      $("#trackers-empty").hidden = false;
      $("#conversation-link").hidden = true;
      $("#conversation-id").textContent = "none yet";
      $("#line-count").textContent = "";
      this.current = null;
      this.unnamed = [];
      this.finals = 0;
      this.seenInsights.clear();
      this.topics.clear();
      this.trackers.clear();
      this.conversationId = null;
    },

    color(name) {
      if (!this.colors.has(name)) this.colors.set(name, PALETTE[this.colors.size % PALETTE.length]);
      return this.colors.get(name);
    },

    setConversation(id) {
      if (!id || id === this.conversationId) return;
      this.conversationId = id;
      $("#conversation-id").textContent = id;
    },

    completed(id) {
      this.setConversation(id);
      const link = $("#conversation-link");
      link.href = "/__admin/ui/conversations/" + encodeURIComponent(this.conversationId || id);
      link.hidden = false;
    },

    follow(list) {
      // Keep the newest line in view unless the reader scrolled up.
      const near = list.scrollHeight - list.scrollTop - list.clientHeight < 160;
      return () => { if (near) list.scrollTop = list.scrollHeight; };
    },

    newLine(user, start) {
      const list = $("#live-transcript");
      const name = (user && (user.name || user.userId)) || "Speaker";
      const li = el("li", "msg line interim");
      const avatar = el("span", "avatar", name.slice(0, 1).toUpperCase());
      avatar.style.background = this.color(name);
      const main = el("div", "msg-body");
      const head = el("div", "msg-head");
      head.append(el("span", "who", name), el("span", "ts", clock(start)), el("span", "heard", "hearing…"));
      const text = el("p", "msg-text");
      main.append(head, text);
      li.append(avatar, main);
      li.dataset.start = String(start);
      const scroll = this.follow(list);
      list.append(li);
      $("#transcript-empty").hidden = true;
      scroll();
      return { li, text, ts: head.querySelector(".ts"), heard: head.querySelector(".heard") };
    },

    recognition(message) {
      const alt = (((message.payload || {}).raw || {}).alternatives || [])[0] || {};
      const words = alt.words || [];
      const text = (message.punctuated && message.punctuated.transcript) || alt.transcript || words.map((w) => w.word).join(" ");
      if (!text) return;
      const start = words.length ? wordSeconds(words[0].startTime) : 0;
      const end = words.length ? wordSeconds(words[words.length - 1].endTime) : start;
      if (mode === "subscriber") $("#clock").textContent = clock(end); // the speaker's clock counts bytes sent
      if (!this.current) this.current = this.newLine(message.user, start);
      const line = this.current;
      line.text.textContent = text;
      if (message.isFinal) {
        line.li.classList.remove("interim");
        line.li.classList.add("final");
        line.ts.textContent = clock(start) + "–" + clock(end);
        line.heard.remove();
        this.unnamed.push(line.li);
        this.current = null;
        this.finals += 1;
        $("#line-count").textContent = this.finals + " line" + (this.finals === 1 ? "" : "s");
      }
      const list = $("#live-transcript");
      if (list.scrollHeight - list.scrollTop - list.clientHeight < 240) list.scrollTop = list.scrollHeight;
    },

    messages(items) {
      // message_response follows the finals in order: the stored ids let insights point at their line.
      (items || []).forEach((m) => {
        const li = this.unnamed.shift();
        if (li && m.id) { li.id = "m-" + m.id; li.dataset.messageId = m.id; }
      });
    },

    insights(items) {
      (items || []).forEach((insight) => {
        const kind = insight.type;
        if (!INSIGHT_TYPES.includes(kind) || this.seenInsights.has(insight.id)) return;
        this.seenInsights.add(insight.id);
        const li = el("li", "insight live-insight");
        li.dataset.kind = kind;
        li.append(el("p", null, (insight.payload && insight.payload.content) || insight.text || ""));
        const meta = el("div", "insight-meta");
        const who = (insight.assignee && insight.assignee.name) || (insight.from && insight.from.name);
        if (who) meta.append(el("span", "meta-item", (kind === "question" ? "asked by " : "") + who));
        if (insight.dueBy && insight.dueBy.value) meta.append(el("span", "meta-item", "due " + String(insight.dueBy.value).slice(0, 10)));
        const ref = insight.messageReference && insight.messageReference.id;
        const line = ref ? document.getElementById("m-" + ref) : null;
        if (line) {
          const jump = el("button", "ts", line.querySelector(".ts").textContent.split("–")[0]);
          jump.type = "button";
          jump.addEventListener("click", () => {
            line.scrollIntoView({ block: "center", behavior: "smooth" });
            line.classList.remove("flash");
            void line.offsetWidth;
            line.classList.add("flash");
          });
          meta.append(jump);
          const tag = el("span", "kind kind-" + kind, kind.replace("_", " "));
          line.querySelector(".msg-head").append(tag);
        }
        li.append(meta);
        const list = $("#list-" + kind);
        list.prepend(li);
        li.classList.add("fresh");
        $("#count-" + kind).textContent = String(list.children.length);
      });
    },

    topicsArrived(items) {
      (items || []).forEach((topic) => {
        const label = String(topic.phrases || topic.text || "").trim();
        if (!label) return;
        const key = label.toLowerCase();
        let chip = this.topics.get(key);
        if (!chip) {
          chip = el("span", "chip topic live-topic", label);
          this.topics.set(key, chip);
          $("#topics-list").append(chip);
          $("#topics-empty").hidden = true;
        }
        const score = Number(topic.score || 0);
        chip.title = "score " + score.toFixed(2);
        chip.classList.toggle("strong", score >= 0.6);
      });
    },

    trackersArrived(items) {
      (items || []).forEach((tracker) => {
        const name = tracker.name || "Tracker";
        let entry = this.trackers.get(name);
        if (!entry) {
          const li = el("li");
          const head = el("div", "tracker-head");
          const count = el("span", "count");
          head.append(el("span", "who", name), count);
          const chips = el("div", "chips");
          li.append(head, chips);
          $("#trackers-list").append(li);
          $("#trackers-empty").hidden = true;
          entry = { li, count, chips, values: new Map(), hits: new Set() };
          this.trackers.set(name, entry);
        }
        (tracker.matches || []).forEach((match) => {
          const value = String(match.value || "");
          (match.messageRefs || []).forEach((ref) => entry.hits.add(value + "|" + ref.id + "|" + (ref.offset || 0)));
          if (!entry.values.has(value)) {
            const chip = el("span", "chip small", value);
            entry.values.set(value, chip);
            entry.chips.append(chip);
          }
        });
        entry.count.textContent = entry.hits.size + " hit" + (entry.hits.size === 1 ? "" : "s");
      });
    },

    // One JSON frame from the server; returns the platform event type (or the result type).
    handle(data) {
      if (data.type === "message") {
        const m = data.message || {};
        const cid = (m.data && m.data.conversationId) || m.conversationId;
        if (m.type === "conversation_created") this.setConversation(cid);
        else if (m.type === "recognition_result") this.recognition(m);
        else if (m.type === "conversation_completed") this.completed(cid);
        else if (m.type === "error") notice("Server error: " + (m.message || m.details || "unknown"));
        return m.type;
      }
      if (data.type === "message_response") this.messages(data.messages);
      else if (data.type === "insight_response") this.insights(data.insights);
      else if (data.type === "topic_response") this.topicsArrived(data.topics);
      else if (data.type === "tracker_response") this.trackersArrived(data.trackers);
      else if (data.type === "error") notice("Server error: " + (data.message || data.details || "unknown"));
      return data.type;
    },
  };

  async function getToken(appId, appSecret) {
    const response = await fetch("/oauth2/token:generate", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ type: "application", appId, appSecret }),
    });
    const data = await response.json().catch(() => ({}));
    if (!response.ok || !data.accessToken) throw new Error("No token for app id “" + appId + "”: " + (data.message || response.status));
    return data.accessToken;
  }

  function closeReason(event) {
    if (event.code === 1008) return "the server refused the connection (code 1008): check the app id; the connection id may belong to another account or be in use";
    if (event.code === 1006) return "the connection was lost (code 1006)";
    return "closed with code " + event.code + (event.reason ? " (" + event.reason + ")" : "");
  }

  // ------------------------------------------------------------------ audio capture
  // Mono PCM from the microphone or a decoded recording -> the worklet -> LINEAR16 frames at `rate`.
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

  // ------------------------------------------------------------------ speaker console
  function speakerConsole() {
    const form = $("#live-form");
    const toggle = $("#toggle");
    const stats = { sentBytes: 0, frames: 0, maxFrame: 0, declaredRate: 0, contextRate: 0, inputSamples: 0, outputSamples: 0, conversationId: null, connectionId: null };
    window.liveStats = stats; // read by the browser tests and handy in the console
    let session = null; // {ws, audio, phase}

    const newId = () => (window.crypto && crypto.randomUUID ? crypto.randomUUID() : "live-" + Date.now().toString(36) + Math.random().toString(36).slice(2, 10));
    const idInput = $("#connection-id");
    const sourceValue = () => (form.querySelector('input[name="source"]:checked') || {}).value || "mic";
    function syncForm() {
      const source = sourceValue();
      $$("[data-for]").forEach((f) => { f.hidden = f.dataset.for !== source; });
      const link = $("#subscriber-link");
      const query = new URLSearchParams({ appId: $("#app-id").value.trim() });
      link.href = "/__admin/ui/live/" + encodeURIComponent(idInput.value.trim()) + "?" + query.toString();
      link.textContent = link.href;
    }

    // URL parameters preset the form (kiosk: ?source=demo&fixture=<name>&autostart=1).
    const preset = { source: params.get("source"), fixture: params.get("fixture"), speaker: params.get("speaker"), appId: params.get("appId"), rate: params.get("rate"), script: params.get("script"), connectionId: params.get("connectionId") };
    if (preset.source === "mic" || preset.source === "demo") form.querySelector('input[name="source"][value="' + preset.source + '"]').checked = true;
    if (preset.fixture) {
      const option = Array.from($("#fixture").options).find((o) => o.value === preset.fixture);
      if (option) $("#fixture").value = preset.fixture;
      else notice("Unknown demo recording “" + preset.fixture + "”. Known: " + Array.from($("#fixture").options).map((o) => o.value).join(", ") + ".");
    }
    if (preset.speaker) $("#speaker").value = preset.speaker;
    if (preset.appId) $("#app-id").value = preset.appId;
    if (preset.rate && Array.from($("#rate").options).some((o) => o.value === preset.rate)) $("#rate").value = preset.rate;
    if (preset.script) $("#script").value = preset.script;
    idInput.value = preset.connectionId || newId();
    $("#new-id").addEventListener("click", () => { idInput.value = newId(); syncForm(); });
    form.addEventListener("input", syncForm);
    form.addEventListener("change", syncForm);
    form.addEventListener("submit", (e) => { e.preventDefault(); });
    syncForm();

    function trackerSpecs() {
      return $("#trackers").value.split(";").map((part) => {
        const [name, vocab] = part.split(":");
        const vocabulary = (vocab || "").split(",").map((v) => v.trim()).filter(Boolean);
        return { name: (name || "").trim(), vocabulary };
      }).filter((t) => t.name && t.vocabulary.length);
    }

    function showStats() {
      const seconds = stats.declaredRate ? stats.sentBytes / (2 * stats.declaredRate) : 0;
      $("#clock").textContent = clock(seconds);
      let text = stats.frames ? stats.frames + " frames · " + Math.round(stats.sentBytes / 1024) + " KiB LINEAR16 @ " + stats.declaredRate + " Hz" : "";
      const audio = session && session.audio;
      if (text && audio && audio.duration) text += " · recording " + clock(audio.position()) + " / " + clock(audio.duration);
      $("#stream-stats").textContent = text;
    }

    async function start() {
      if (session) return;
      notice("");
      const source = sourceValue();
      const appId = $("#app-id").value.trim();
      const rate = Number($("#rate").value);
      const connectionId = idInput.value.trim();
      if (!appId) { notice("Enter an app id: it picks the account the conversation is stored in."); return; }
      if (!/^[A-Za-z0-9._~=+-]{1,128}$/.test(connectionId)) { notice("The connection id may only hold letters, digits and . _ ~ = + -"); return; }
      const option = $("#fixture").selectedOptions[0];
      if (source === "demo" && !option) { notice("No demo recording is installed (fixtures/audio)."); return; }
      Object.assign(stats, { sentBytes: 0, frames: 0, maxFrame: 0, declaredRate: rate, inputSamples: 0, outputSamples: 0, conversationId: null, connectionId });
      session = { phase: "starting", ws: null, audio: null };
      const current = session;
      toggle.textContent = "Stop";
      toggle.classList.add("stop");
      form.querySelectorAll("input, select, button").forEach((c) => { c.disabled = true; });
      view.reset();
      try {
        setState("authorizing");
        const token = await getToken(appId, $("#app-secret").value);
        setState("preparing");
        const audio = await openAudio(source, { rate, url: option && option.dataset.url }, (frame) => {
          const ws = current.ws;
          // Audio flows from recognition_started until stop_request (the flushed tail arrives while stopping).
          if ((current.phase !== "live" && current.phase !== "stopping") || !ws || ws.readyState !== WebSocket.OPEN) return;
          ws.send(frame);
          stats.sentBytes += frame.byteLength;
          stats.frames += 1;
          stats.maxFrame = Math.max(stats.maxFrame, frame.byteLength);
          showStats();
        }, (level) => { $("#level").style.width = Math.min(100, Math.round(level * 300)) + "%"; });
        current.audio = audio;
        stats.contextRate = audio.contextRate;
        if (current !== session) { audio.close(); return; }
        audio.onended = () => stop();
        const request = {
          type: "start_request",
          insightTypes: INSIGHT_TYPES,
          config: {
            confidenceThreshold: 0.5,
            languageCode: "en-US",
            meetingTitle: source === "demo" ? option.dataset.title : "Live demo",
            timezoneOffset: -new Date().getTimezoneOffset(),
            speechRecognition: { encoding: "LINEAR16", sampleRateHertz: rate },
            trackers: { interimResults: true, enableAllTrackers: true },
          },
          trackers: trackerSpecs(),
        };
        const speaker = $("#speaker").value.trim();
        if (speaker) request.speaker = { userId: speaker.includes("@") ? speaker : speaker.toLowerCase().replace(/\s+/g, ".") + "@example.com", name: speaker.includes("@") ? speaker.split("@")[0] : speaker };
        // Mock extension: which fixture transcript the mock plays (the recording's own, or the chosen script).
        const script = source === "demo" ? option.dataset.transcript : $("#script").value;
        if (script) request.mockTranscript = script;
        setState("connecting");
        const ws = new WebSocket(WS_BASE + "/v1/streaming/" + encodeURIComponent(connectionId), [token]);
        current.ws = ws;
        ws.onopen = () => ws.send(JSON.stringify(request));
        ws.onmessage = (event) => {
          let data;
          try { data = JSON.parse(event.data); } catch (e) { return; } // __PONG__
          const kind = view.handle(data);
          if (kind === "started_listening") setState("listening");
          else if (kind === "conversation_created") stats.conversationId = view.conversationId;
          else if (kind === "recognition_started" && current.phase === "starting") {
            current.phase = "live";
            setState("live", source === "demo" ? option.dataset.title : "microphone");
            audio.begin();
          } else if (kind === "conversation_completed") setState("completed");
          else if (kind === "error" && current.phase === "starting") setState("error");
        };
        ws.onclose = (event) => {
          const done = current.phase === "stopping" && view.conversationId && !$("#conversation-link").hidden;
          if (!done) { setState(event.code === 1000 ? "closed" : "error", event.code === 1000 ? "" : "code " + event.code); notice("Streaming ended: " + closeReason(event) + "."); }
          finish(current);
        };
      } catch (error) {
        setState("error");
        notice(error && error.message ? error.message : String(error));
        finish(current);
      }
    }

    async function stop() {
      const current = session;
      if (!current) return;
      if (current.phase !== "live") { // nothing streamed yet: just hang up
        if (current.ws) current.ws.close(1000);
        finish(current);
        setState("idle");
        return;
      }
      current.phase = "stopping";
      setState("stopping");
      toggle.disabled = true;
      current.audio.halt();
      const tail = await current.audio.flush(); // the last partial frame is sent before stop_request
      stats.inputSamples = tail.inputSamples;
      stats.outputSamples = tail.outputSamples;
      if (current.ws && current.ws.readyState === WebSocket.OPEN) current.ws.send(JSON.stringify({ type: "stop_request" }));
    }

    function finish(current) {
      if (current.audio) current.audio.close();
      if (session !== current) return;
      session = null;
      toggle.textContent = "Start";
      toggle.classList.remove("stop");
      toggle.disabled = false;
      form.querySelectorAll("input, select, button").forEach((c) => { c.disabled = false; });
      $("#level").style.width = "0";
      syncForm();
      if (params.get("loop") === "1" && body.dataset.state === "completed") setTimeout(start, 8000);
    }

    toggle.addEventListener("click", () => (session ? stop() : start()));
    if (params.get("autostart") === "1") {
      body.classList.add("kiosk");
      start();
    }
  }

  // ------------------------------------------------------------------ subscriber view
  function subscriberView() {
    const connectionId = body.dataset.connectionId;
    const form = $("#live-form");
    if (params.get("appId")) $("#app-id").value = params.get("appId");
    let ws = null;
    let retry = null;
    let generation = 0;

    async function connect() {
      clearTimeout(retry);
      generation += 1;
      const mine = generation;
      if (ws) { ws.onclose = null; ws.close(1000); ws = null; }
      notice("");
      try {
        setState("authorizing");
        const token = await getToken($("#app-id").value.trim(), $("#app-secret").value);
        if (mine !== generation) return;
        setState("connecting");
        ws = new WebSocket(WS_BASE + "/v1/subscribe/" + encodeURIComponent(connectionId), [token]);
      } catch (error) {
        setState("error");
        notice(error.message || String(error));
        return;
      }
      const socket = ws;
      let live = false;
      socket.onopen = () => setState("waiting");
      socket.onmessage = (event) => {
        let data;
        try { data = JSON.parse(event.data); } catch (e) { return; }
        if (data.type === "message" && data.message && data.message.type === "conversation_created") {
          const cid = data.message.data && data.message.data.conversationId;
          if (view.conversationId && cid !== view.conversationId) view.reset(); // the next stream on this id
        }
        const kind = view.handle(data);
        if (!live && kind !== "conversation_completed" && kind !== "recognition_stopped") { live = true; setState("live"); }
        if (kind === "conversation_completed") setState("completed");
      };
      socket.onclose = (event) => {
        if (socket !== ws) return;
        if (event.code === 1008) {
          setState("error");
          notice("Not allowed to listen: " + closeReason(event) + ".");
          return;
        }
        setState(view.conversationId && !$("#conversation-link").hidden ? "ended" : "closed");
        // Keep listening: the speaker may start again on the same connection id (a projected demo).
        retry = setTimeout(connect, 2000);
      };
    }
    form.addEventListener("submit", (event) => { event.preventDefault(); view.reset(); connect(); });
    connect();
  }

  view.reset();
  setState("idle");
  if (mode === "subscriber") subscriberView();
  else speakerConsole();
})();
