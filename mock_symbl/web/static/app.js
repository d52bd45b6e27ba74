// mock-symbl UI behaviour: table filters, transcript search and filters, media seeking, local edits.
(function () {
  "use strict";
  const $ = (sel, root) => (root || document).querySelector(sel);
  const $$ = (sel, root) => Array.from((root || document).querySelectorAll(sel));

  // Table filters: <input data-filter="#table-id"> hides rows not containing the text.
  $$("input[data-filter]").forEach((input) => {
    const table = $(input.dataset.filter);
    if (!table) return;
    input.addEventListener("input", () => {
      const q = input.value.trim().toLowerCase();
      $$("tbody tr", table).forEach((tr) => { tr.hidden = q !== "" && !tr.textContent.toLowerCase().includes(q); });
    });
  });

  // Dashboard auto-refresh (kept across reloads in this browser).
  const auto = $("#auto-refresh");
  if (auto) {
    const key = "mock-symbl:auto-refresh";
    try { auto.checked = localStorage.getItem(key) === "1"; } catch (e) { /* storage disabled */ }
    let timer = null;
    const arm = () => {
      if (timer) clearTimeout(timer);
      timer = auto.checked ? setTimeout(() => window.location.reload(), 3000) : null;
    };
    auto.addEventListener("change", () => {
      try { localStorage.setItem(key, auto.checked ? "1" : "0"); } catch (e) { /* storage disabled */ }
      arm();
    });
    arm();
  }

  const list = $("#transcript-list");
  const player = $("#player");
  const messages = list ? $$(".msg", list) : [];

  // Seeking: timestamps, insight links and timeline blocks jump the player and the transcript.
  function focusMessage(el) {
    if (!el) return;
    el.scrollIntoView({ block: "center", behavior: "smooth" });
    el.classList.remove("flash");
    void el.offsetWidth;
    el.classList.add("flash");
  }
  function messageAt(seconds) {
    let found = null;
    for (const m of messages) {
      if (parseFloat(m.dataset.start) <= seconds + 0.01) found = m; else break;
    }
    return found;
  }
  document.addEventListener("click", (event) => {
    const target = event.target.closest(".seek[data-start]");
    if (!target) return;
    const start = parseFloat(target.dataset.start);
    if (player && !Number.isNaN(start)) {
      try { player.currentTime = start; player.play().catch(() => {}); } catch (e) { /* media not loaded */ }
    }
    const id = target.dataset.message;
    const el = id ? document.getElementById("m-" + id) : messageAt(start);
    if (el && !target.closest(".msg")) focusMessage(el);
  });

  // Follow playback: highlight the message being spoken.
  if (player && messages.length) {
    let current = null;
    player.addEventListener("timeupdate", () => {
      const el = messageAt(player.currentTime);
      if (el === current) return;
      if (current) current.classList.remove("active");
      current = el;
      if (el) el.classList.add("active");
    });
  }

  // Transcript filters: one topic or one insight kind at a time, plus free-text search.
  const filterBox = $("#active-filter");
  const filterText = $("#active-filter-text");
  const search = $("#transcript-search");
  let filter = null; // {attr, value, label}
  function apply() {
    const q = search ? search.value.trim().toLowerCase() : "";
    let shown = 0;
    messages.forEach((m) => {
      let ok = true;
      if (filter) ok = (m.dataset[filter.attr] || "").split(" ").includes(filter.value);
      if (ok && q) ok = m.textContent.toLowerCase().includes(q);
      m.classList.toggle("hidden", !ok);
      if (ok) shown += 1;
    });
    if (filterBox) {
      filterBox.hidden = !filter;
      if (filter && filterText) filterText.textContent = filter.label + " · " + shown + " message" + (shown === 1 ? "" : "s");
    }
    $$(".chip.topic").forEach((c) => c.classList.toggle("selected", !!filter && filter.attr === "topics" && c.dataset.topic === filter.value));
    $$(".chip.insight-filter").forEach((c) => c.classList.toggle("selected", !!filter && filter.attr === "kinds" && c.dataset.kind === filter.value));
    $$(".insight-group").forEach((g) => g.classList.toggle("dim", !!filter && filter.attr === "kinds" && g.dataset.kind !== filter.value));
  }
  function toggle(next) {
    filter = filter && filter.attr === next.attr && filter.value === next.value ? null : next;
    apply();
    if (filter && list) { const first = messages.find((m) => !m.classList.contains("hidden")); if (first) focusMessage(first); }
  }
  $$(".chip.topic").forEach((chip) => chip.addEventListener("click", () => toggle({ attr: "topics", value: chip.dataset.topic, label: "Topic “" + chip.dataset.label + "”" })));
  $$(".chip.insight-filter").forEach((chip) => chip.addEventListener("click", () => toggle({ attr: "kinds", value: chip.dataset.kind, label: chip.textContent.replace(/\s+\d+$/, "").trim() })));
  const clear = $("#clear-filter");
  if (clear) clear.addEventListener("click", () => { filter = null; apply(); });
  if (search) search.addEventListener("input", apply);

  // Editable pages (readOnly: false): title and speaker names, kept in this browser only.
  const cid = document.body.dataset.conversationId;
  if (cid && document.body.dataset.readonly === "false") {
    const key = "mock-symbl:" + cid;
    let saved = {};
    try { saved = JSON.parse(localStorage.getItem(key) || "{}"); } catch (e) { saved = {}; }
    $$("[data-edit-key]").forEach((el) => {
      const k = el.dataset.editKey;
      if (saved[k]) el.textContent = saved[k];
      el.addEventListener("blur", () => {
        saved[k] = el.textContent.trim();
        $$('[data-edit-key="' + k + '"]').forEach((other) => { if (other !== el) other.textContent = saved[k]; });
        try { localStorage.setItem(key, JSON.stringify(saved)); } catch (e) { /* storage disabled */ }
      });
    });
  }
})();
