// Live demo console (3/3): speaks Symbl's real-time protocol from the browser, like the Web SDK (token as the
// WebSocket subprotocol): the speaker console streams, the subscriber view listens on /v1/subscribe.
(function () {
  "use strict";
  const { $, clock, notice, setState, view, INSIGHT_TYPES, openAudio } = window.mockSymblLive;
  const $$ = (sel) => Array.from(document.querySelectorAll(sel));
  const body = document.body;
  const mode = body.dataset.mode;
  const params = new URLSearchParams(window.location.search);
  const WS_BASE = (window.location.protocol === "https:" ? "wss://" : "ws://") + window.location.host;

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
    let presetOk = true;
    if (preset.fixture) {
      const option = Array.from($("#fixture").options).find((o) => o.value === preset.fixture);
      if (option) $("#fixture").value = preset.fixture;
      else presetOk = false;
      if (!option) notice("Unknown demo recording “" + preset.fixture + "”. Known: " + Array.from($("#fixture").options).map((o) => o.value).join(", ") + ".");
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
            timezoneOffset: new Date().getTimezoneOffset(), // minutes, as the docs' example (480 = PST)
            speechRecognition: { encoding: "LINEAR16", sampleRateHertz: rate },
            trackers: { interimResults: true, enableAllTrackers: true },
          },
          trackers: trackerSpecs(),
        };
        const speaker = $("#speaker").value.trim();
        // An e-mail address becomes the userId (as the SDK examples do); a plain name stays a name.
        if (speaker) request.speaker = speaker.includes("@") ? { userId: speaker, name: speaker.split("@")[0] } : { name: speaker };
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
    if (params.get("autostart") === "1" && presetOk) {
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
