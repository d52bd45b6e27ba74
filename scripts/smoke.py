"""Smoke test of a running mock-symbl (used by scripts/docker-check.sh against the container).

    python scripts/smoke.py --base-url http://127.0.0.1:8080 [--labs-url http://127.0.0.1:8081]

REST: token -> POST /v1/process/text -> poll GET /v1/job/{id} to completed -> GET .../messages (+ questions,
action items, topics). WebSocket: one streaming session (start_request, LINEAR16 audio, stop_request) that must
answer conversation_created ... conversation_completed. Exits 1 on the first failure, printing why.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import struct
import sys
import time
import uuid
from typing import Any

import httpx
import websockets

MESSAGES = [
    ("Maria Lopez", "maria@example.com", "Hi James, thanks for joining. Can you hear me okay?"),
    ("James Carter", "james@example.com", "Yes, loud and clear. Let's review the renewal today."),
    ("Maria Lopez", "maria@example.com", "I will send you the revised proposal by Friday."),
    ("James Carter", "james@example.com", "Great. Can we schedule a follow-up call next Tuesday?"),
]


class SmokeFailure(Exception):
    pass


def step(text: str) -> None:
    print(f"[smoke] {text}", flush=True)


def expect(condition: bool, message: str) -> None:
    if not condition:
        raise SmokeFailure(message)


def expect_status(response: httpx.Response, status: int = 200) -> Any:
    expect(
        response.status_code == status,
        f"{response.request.method} {response.request.url.path}: HTTP {response.status_code} "
        f"(wanted {status}): {response.text[:300]}",
    )
    return response.json() if response.content else None


def text_request() -> dict[str, Any]:
    start = 1_700_000_000.0
    messages = []
    for i, (name, email, text) in enumerate(MESSAGES):
        begin, end = start + 6 * i, start + 6 * i + 5
        messages.append(
            {
                "payload": {"content": text, "contentType": "text/plain"},
                "from": {"name": name, "userId": email},
                "duration": {"startTime": iso(begin), "endTime": iso(end)},
            }
        )
    return {"name": "Smoke test", "messages": messages, "confidenceThreshold": 0.6}


def iso(epoch: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(epoch)) + ".000Z"


def rest_flow(client: httpx.Client, timeout: float) -> str:
    """Token, text job to completion, transcript and insights; returns the access token."""
    token = expect_status(
        client.post(
            "/oauth2/token:generate",
            json={"type": "application", "appId": "smoke", "appSecret": "smoke-secret"},
        )
    )
    expect(
        isinstance(token.get("accessToken"), str) and token["accessToken"].count(".") == 2, f"no JWT: {token}"
    )
    client.headers["Authorization"] = f"Bearer {token['accessToken']}"
    step(f"token ok (expiresIn {token.get('expiresIn')})")

    submitted = expect_status(client.post("/v1/process/text", json=text_request()))
    conversation_id, job_id = submitted.get("conversationId"), submitted.get("jobId")
    expect(bool(conversation_id) and bool(job_id), f"process/text answered {submitted}")
    step(f"POST /v1/process/text -> conversation {conversation_id}, job {job_id}")

    deadline, statuses = time.monotonic() + timeout, []
    while True:
        job = expect_status(client.get(f"/v1/job/{job_id}"))
        if not statuses or statuses[-1] != job.get("status"):
            statuses.append(job.get("status"))
        if job.get("status") in ("completed", "failed"):
            break
        expect(time.monotonic() < deadline, f"job still {job.get('status')} after {timeout:.0f} s")
        time.sleep(0.2)
    expect(statuses[-1] == "completed", f"job ended {statuses[-1]}: {job}")
    step(f"GET /v1/job polled: {' -> '.join(statuses)}")

    messages = expect_status(client.get(f"/v1/conversations/{conversation_id}/messages"))["messages"]
    texts = " ".join(m["text"] for m in messages)
    expect(
        all(text in texts for _, _, text in MESSAGES), f"messages do not hold what was sent: {texts[:300]}"
    )
    speakers = {m["from"]["name"] for m in messages}
    expect(speakers == {"Maria Lopez", "James Carter"}, f"speakers: {speakers}")
    step(f"GET .../messages: {len(messages)} messages from {sorted(speakers)}")
    for kind, key in (("questions", "questions"), ("action-items", "actionItems"), ("topics", "topics")):
        body = expect_status(client.get(f"/v1/conversations/{conversation_id}/{kind}"))
        expect(isinstance(body.get(key), list), f"{kind}: no '{key}' list in {body}")
        step(f"GET .../{kind}: {len(body[key])}")
    return str(token["accessToken"])


def linear16_tone(seconds: float, rate: int = 16000) -> bytes:
    """A quiet 220 Hz tone: signed 16-bit little-endian mono, what LINEAR16 means."""
    count = int(seconds * rate)
    return struct.pack(
        f"<{count}h", *(int(3000 * math.sin(2 * math.pi * 220 * i / rate)) for i in range(count))
    )


async def websocket_flow(ws_base: str, token: str, timeout: float) -> None:
    """One streaming session; the server must create and then complete a conversation."""
    url = f"{ws_base}/v1/streaming/smoke-{uuid.uuid4().hex[:12]}?access_token={token}"
    start = {
        "type": "start_request",
        "insightTypes": ["question", "action_item", "follow_up"],
        "config": {
            "confidenceThreshold": 0.5,
            "languageCode": "en-US",
            "meetingTitle": "Smoke stream",
            "speechRecognition": {"encoding": "LINEAR16", "sampleRateHertz": 16000},
        },
        "speaker": {"userId": "smoke@example.com", "name": "Smoke"},
    }
    events: list[str] = []
    conversation_id = None
    async with asyncio.timeout(timeout):
        async with websockets.connect(url, max_size=None) as ws:
            await ws.send(json.dumps(start))
            while "recognition_started" not in events:
                event = _event(json.loads(await ws.recv()))
                events.append(event["type"])
                if event["type"] == "conversation_created":
                    conversation_id = event["data"]["conversationId"]
                expect(event["type"] != "error", f"start_request refused: {event}")
            audio = linear16_tone(3.0)
            for offset in range(0, len(audio), 8192):
                await ws.send(audio[offset : offset + 8192])
            await ws.send(json.dumps({"type": "stop_request"}))
            completed = None
            async for frame in ws:  # until the server closes after stop_request
                if isinstance(frame, bytes):
                    continue
                event = _event(json.loads(frame))
                events.append(event["type"])
                if event["type"] == "conversation_completed":
                    completed = event
    expect(conversation_id is not None, f"no conversation_created; events: {events}")
    expect(completed is not None, f"no conversation_completed; events: {events}")
    got = completed.get("conversationId") or completed.get("data", {}).get("conversationId")
    expect(got == conversation_id, f"conversation_completed for {got}, created {conversation_id}")
    shown = list(dict.fromkeys(events))
    step(f"WebSocket session: conversation {conversation_id}; events {', '.join(shown)}")


def _event(frame: dict[str, Any]) -> dict[str, Any]:
    """Platform events are wrapped as {"type": "message", "message": {...}}; results are top level."""
    if frame.get("type") == "message" and isinstance(frame.get("message"), dict):
        return frame["message"]
    return frame


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--labs-url")
    parser.add_argument("--timeout", type=float, default=30.0)
    args = parser.parse_args()
    base = args.base_url.rstrip("/")
    started = time.monotonic()
    try:
        with httpx.Client(base_url=base, timeout=10) as client:
            ready = expect_status(client.get("/__admin/ready"))
            step(f"ready: {ready}")
            token = rest_flow(client, args.timeout)
        if args.labs_url:
            with httpx.Client(base_url=args.labs_url.rstrip("/"), timeout=10) as labs:
                expect_status(labs.get("/__admin/health"))
            step(f"Labs port answers: {args.labs_url}")
        ws_base = "ws" + base[len("http") :]
        asyncio.run(websocket_flow(ws_base, token, args.timeout))
    except SmokeFailure as exc:
        print(f"[smoke] FAILED: {exc}", file=sys.stderr)
        return 1
    except (httpx.HTTPError, OSError, TimeoutError, websockets.WebSocketException) as exc:
        print(f"[smoke] FAILED: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    step(f"all good in {time.monotonic() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
