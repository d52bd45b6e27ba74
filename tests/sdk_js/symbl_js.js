// Drives @symblai/symbl-js 1.4.10 against a mock-symbl server; prints one JSON report on stdout.
// Usage: node symbl_js.js <legacy|stream|telephony> <baseUrl> [audioSeconds]
"use strict";
const { sdk, SpeakerEvent } = require("@symblai/symbl-js");
const crypto = require("crypto");

const [scenario, BASE, secondsArg] = process.argv.slice(2);
const SECONDS = Number(secondsArg || 8);
const RATE = 16000;

function pcm(seconds) {
  const samples = Math.round(seconds * RATE);
  const buf = Buffer.alloc(samples * 2);
  for (let i = 0; i < samples; i += 1) {
    buf.writeInt16LE(Math.round(6000 * Math.sin((2 * Math.PI * 440 * i) / RATE)), i * 2);
  }
  return buf;
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function done(report) {
  process.stdout.write(JSON.stringify(report) + "\n");
  process.exit(0); // the SDK's token-refresh timer would keep Node alive
}

function fail(error) {
  process.stdout.write(JSON.stringify({ error: String((error && error.message) || error) }) + "\n");
  process.exit(1);
}

async function init() {
  sdk.oauth2.setBasePath(BASE); // auth otherwise always goes to https://api.symbl.ai
  await sdk.init({ appId: "a".repeat(64), appSecret: "b".repeat(128), basePath: BASE, logLevel: "error" });
}

function recorder() {
  const events = [];
  return {
    events,
    handlers: {
      onSpeechDetected: (d) => events.push({ kind: "speech", isFinal: !!d.isFinal, text: d.punctuated && d.punctuated.transcript }),
      onMessageResponse: (m) => events.push({ kind: "messages", texts: m.map((x) => x.payload.content), ids: m.map((x) => x.id), from: m.map((x) => x.from && x.from.name) }),
      onInsightResponse: (i) => events.push({ kind: "insights", types: i.map((x) => x.type) }),
      onTopicResponse: (t) => events.push({ kind: "topics", phrases: t.map((x) => x.phrases) }),
      onTrackerResponse: (t) => events.push({ kind: "trackers", names: (t.trackers || []).map((x) => x.name) }),
    },
  };
}

async function sendAudio(connection) {
  const audio = pcm(SECONDS);
  for (let i = 0; i < audio.length; i += 8192) {
    connection.sendAudio(audio.subarray(i, i + 8192));
  }
  await sleep(500); // let the last results arrive
}

async function subscribe(id) {
  const received = [];
  const sub = await sdk.subscribeToStream(id, { handlers: { onMessage: (d) => received.push(d) } });
  return { received, sub };
}

function summarise(received) {
  return received.map((d) => (d.type === "message" ? `message:${d.message && d.message.type}` : d.type));
}

async function legacy() {
  const t0 = Date.now();
  const marks = {};
  const id = crypto.randomUUID();
  const rec = recorder();
  const connection = await sdk.startRealtimeRequest({
    id,
    insightTypes: ["question", "action_item"],
    config: { meetingTitle: "JS legacy", confidenceThreshold: 0.7, languageCode: "en-US", sampleRateHertz: RATE },
    speaker: { userId: "jane@example.com", name: "Jane" },
    handlers: rec.handlers,
  });
  marks.started = Date.now() - t0;
  const subscriber = await subscribe(id);
  marks.subscribed = Date.now() - t0;
  await sendAudio(connection);
  marks.sent = Date.now() - t0;
  const stopped = await connection.stop();
  marks.stopped = Date.now() - t0;
  await sleep(200);
  subscriber.sub.close();
  return { id, marks, conversationId: connection.conversationId, stopped, events: rec.events, subscriber: summarise(subscriber.received) };
}

async function stream() {
  const id = crypto.randomUUID();
  const rec = recorder();
  const lifecycle = [];
  const connection = await sdk.createStream({
    id,
    insightTypes: ["question", "action_item", "follow_up"],
    config: { meetingTitle: "JS stream", languageCode: "en-US", sampleRateHertz: RATE },
    speaker: { userId: "john@example.com", name: "John" },
    handlers: {
      ...rec.handlers,
      onStartedListening: () => lifecycle.push("started_listening"),
      onConversationCompleted: () => lifecycle.push("conversation_completed"),
      onRequestStop: () => lifecycle.push("request_stop"),
    },
  });
  await connection.start();
  const conversationId = await connection.conversationId;
  await sendAudio(connection);
  await connection.stop();
  await sleep(300);
  return { id, conversationId, events: rec.events, lifecycle };
}

async function telephony() {
  const connection = await sdk.startEndpoint({
    endpoint: { type: "pstn", phoneNumber: "14155550100", dtmf: ",,123#" },
    pushSpeakerEvents: true,
    actions: [{ invokeOn: "stop", name: "sendSummaryEmail", parameters: { emails: ["jane@example.com"] } }],
    data: { session: { name: "JS call" } },
    languages: ["en-US"],
    timezone: "Asia/Tokyo",
  });
  const received = [];
  await sdk.subscribeToConnection(connection.connectionId, (d) => received.push(d));
  const event = new SpeakerEvent({ type: SpeakerEvent.types.startedSpeaking, user: { userId: "jane@example.com", name: "Jane" } });
  sdk.pushEventOnConnection(connection.connectionId, event.toJSON()); // never resolves on success (SDK bug)
  const deadline = Date.now() + 10000;
  while (Date.now() < deadline && received.filter((d) => d.type === "message_response").length < 2) {
    await sleep(50);
  }
  const stopped = await sdk.stopEndpoint({ connectionId: connection.connectionId });
  await sleep(200);
  const messages = received.filter((d) => d.type === "message_response").flatMap((d) => d.messages);
  return {
    connectionId: connection.connectionId,
    conversationId: connection.conversationId,
    resultWebSocketUrl: connection.resultWebSocketUrl,
    stopped: { connectionId: stopped.connectionId, conversationId: stopped.conversationId, summaryInfo: stopped.summaryInfo },
    types: summarise(received),
    speakers: messages.map((m) => m.from && m.from.name),
  };
}

const scenarios = { legacy, stream, telephony };
if (!scenarios[scenario]) fail(`unknown scenario ${scenario}`);
init()
  .then(() => scenarios[scenario]())
  .then(done, fail);
setTimeout(() => fail("timeout"), 30000);
