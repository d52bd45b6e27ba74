// Live demo console (1/3): the renderer shared by the speaker console and the subscriber view. It turns Symbl's
// real-time messages (recognition_result, message_response, insight/topic/tracker_response) into the page.
(function () {
  "use strict";
  const $ = (sel) => document.querySelector(sel);
  const body = document.body;
  const mode = body.dataset.mode;
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

  window.mockSymblLive = { $, el, clock, notice, setState, view, INSIGHT_TYPES };
})();
