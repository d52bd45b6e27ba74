// Drives @symblai/symbl-web-sdk 1.0.10 under jsdom against a mock-symbl server; prints one JSON report.
// Usage: node web_sdk.js <baseUrl> [audioSeconds]
"use strict";
const { JSDOM } = require("jsdom");

const [BASE, secondsArg] = process.argv.slice(2);
const SECONDS = Number(secondsArg || 8);
const RATE = 16000;

// Browser globals the SDK bundle expects (realtime-and-sdks.md §3.5).
const { window } = new JSDOM("<!doctype html><html><body></body></html>", { url: BASE + "/", pretendToBeVisual: true });
window.setImmediate = setImmediate; // the bundled polyfill never fires without it
for (const key of ["window", "self", "document", "navigator"]) {
  Object.defineProperty(globalThis, key, { value: key === "window" || key === "self" ? window : window[key], configurable: true, writable: true });
}
for (const key of ["WebSocket", "XMLHttpRequest", "CustomEvent", "Event", "EventTarget"]) {
  globalThis[key] = window[key];
}

const { Symbl } = require("@symblai/symbl-web-sdk");

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

const fakeStream = {
  type: "LINEAR16",
  deviceProcessing: false,
  on() {},
  attachAudioCallback() {},
  getSampleRate: () => RATE,
  resumeAudioContext: async () => {},
  suspendAudioContext: async () => {},
  detachAudioSourceElement() {},
};

async function main() {
  const symbl = new Symbl({ appId: "a".repeat(64), appSecret: "b".repeat(128), basePath: BASE, logLevel: "error" });
  await symbl.init();
  const connection = await symbl.createConnection(undefined, fakeStream);
  const events = [];
  for (const name of ["conversation_created", "processing_started", "processing_stopped", "speech_recognition", "message", "topic", "tracker", "question", "action_item", "follow_up", "conversation_completed", "started_listening", "session_modified"]) {
    connection.on(name, () => events.push(name));
  }
  await connection.startProcessing({
    insightTypes: ["question", "action_item"],
    config: { encoding: "LINEAR16", sampleRateHertz: RATE, meetingTitle: "Web SDK" },
    speaker: { userId: "web@example.com", name: "Web User" },
  });
  const samples = Math.round(SECONDS * RATE);
  const chunk = 4096;
  for (let i = 0; i < samples; i += chunk) {
    const n = Math.min(chunk, samples - i);
    connection.sendAudio(new Int16Array(n).fill(1000).buffer);
  }
  connection.modifySampleRate(8000);
  await sleep(800);
  await connection.stopProcessing();
  const conversationId = connection.getConversationId();
  await sleep(200);
  await connection.disconnect();
  return { conversationId, events };
}

main().then(
  (report) => {
    process.stdout.write(JSON.stringify(report) + "\n");
    process.exit(0);
  },
  (error) => {
    process.stdout.write(JSON.stringify({ error: String((error && error.message) || error) }) + "\n");
    process.exit(1);
  },
);
setTimeout(() => {
  process.stdout.write(JSON.stringify({ error: "timeout" }) + "\n");
  process.exit(1);
}, 30000);
