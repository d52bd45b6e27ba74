// AudioWorklet of the live demo: audio at the context's rate -> LINEAR16 (signed 16-bit little-endian mono PCM)
// at the sample rate declared in start_request, posted to the page in small frames (frameMs each).
// A 4th-order Butterworth low-pass below the target Nyquist keeps downsampling free of aliasing; output samples
// are interpolated at exact fractional positions, so N input samples give N * target / sampleRate output samples.
"use strict";

function biquadLowpass(rate, cutoff, q) {
  const w0 = (2 * Math.PI * cutoff) / rate;
  const cos = Math.cos(w0);
  const alpha = Math.sin(w0) / (2 * q);
  const a0 = 1 + alpha;
  return {
    b0: (1 - cos) / 2 / a0, b1: (1 - cos) / a0, b2: (1 - cos) / 2 / a0,
    a1: (-2 * cos) / a0, a2: (1 - alpha) / a0,
    x1: 0, x2: 0, y1: 0, y2: 0,
  };
}

class PcmDownsampler extends AudioWorkletProcessor {
  constructor(options) {
    super();
    const opts = (options && options.processorOptions) || {};
    this.target = opts.targetRate || 16000;
    this.step = sampleRate / this.target; // input samples per output sample
    this.frameSamples = Math.max(1, Math.round((this.target * (opts.frameMs || 50)) / 1000));
    this.enabled = false;
    this.levelEvery = Math.round(sampleRate / 10);
    this.levelSum = 0;
    this.levelCount = 0;
    this.reset();
    this.port.onmessage = (event) => {
      const data = event.data || {};
      if (data.enable) { this.reset(); this.enabled = true; }
      if (data.flush) {
        if (this.enabled && this.filled > 0) this.post(this.filled);
        this.enabled = false;
        this.port.postMessage({ flushed: true, inputSamples: this.inputSamples, outputSamples: this.outputSamples });
      }
    };
  }

  reset() {
    // Butterworth Q values of the two sections of a 4th-order low-pass; no filter when not downsampling.
    const cutoff = 0.45 * this.target;
    this.filters = this.step > 1 ? [biquadLowpass(sampleRate, cutoff, 0.5412), biquadLowpass(sampleRate, cutoff, 1.3066)] : [];
    this.t = 0; // position of the next output sample, in input samples from the start of the current block
    this.last = 0; // filtered input sample at position -1
    this.inputSamples = 0;
    this.outputSamples = 0;
    this.newFrame();
  }

  newFrame() {
    this.buffer = new ArrayBuffer(this.frameSamples * 2);
    this.view = new DataView(this.buffer);
    this.filled = 0;
  }

  post(samples) {
    const frame = samples === this.frameSamples ? this.buffer : this.buffer.slice(0, samples * 2);
    this.port.postMessage(frame, [frame]);
    this.newFrame();
  }

  emit(value) {
    const clamped = Math.max(-1, Math.min(1, value));
    this.view.setInt16(this.filled * 2, clamped < 0 ? clamped * 0x8000 : clamped * 0x7fff, true);
    this.filled += 1;
    this.outputSamples += 1;
    if (this.filled === this.frameSamples) this.post(this.frameSamples);
  }

  filter(x) {
    let y = x;
    for (const f of this.filters) {
      const out = f.b0 * y + f.b1 * f.x1 + f.b2 * f.x2 - f.a1 * f.y1 - f.a2 * f.y2;
      f.x2 = f.x1; f.x1 = y; f.y2 = f.y1; f.y1 = out;
      y = out;
    }
    return y;
  }

  process(inputs) {
    const channels = inputs[0];
    if (!channels || channels.length === 0) return true; // a finished source gives no channels: no audio
    const n = channels[0].length;
    for (let j = 0; j < n; j += 1) {
      let x = 0;
      for (let c = 0; c < channels.length; c += 1) x += channels[c][j];
      x /= channels.length;
      this.levelSum += x * x;
      this.levelCount += 1;
      if (!this.enabled) continue;
      const y = this.filter(x);
      while (this.t <= j) {
        this.emit(this.last + (y - this.last) * (this.t - (j - 1)));
        this.t += this.step;
      }
      this.last = y;
    }
    if (this.enabled) { this.t -= n; this.inputSamples += n; }
    if (this.levelCount >= this.levelEvery) {
      this.port.postMessage({ level: Math.sqrt(this.levelSum / this.levelCount) });
      this.levelSum = 0;
      this.levelCount = 0;
    }
    return true;
  }
}

registerProcessor("pcm-downsampler", PcmDownsampler);
