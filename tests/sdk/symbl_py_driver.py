"""Drives the official Python `symbl` 2.0.6 SDK against a mock-symbl server; prints one JSON report.

Run as a subprocess by test_symbl_python.py: the SDK keeps module-level hosts (patched below, the smallest
redirect of realtime-and-sdks.md §3.1) and non-daemon websocket threads, so it gets a process of its own.
Usage: python symbl_py_driver.py <streaming|telephony> <baseUrl>
"""

from __future__ import annotations

import json
import math
import os
import struct
import sys
import threading
import time
from typing import Any

import symbl_rest

SCENARIO, BASE = sys.argv[1], sys.argv[2].rstrip("/")
WS = "ws" + BASE[4:]
config = symbl_rest.Configuration()
config.host = BASE
symbl_rest.Configuration.set_default(config)  # before `import symbl`: its APIs copy the default at import

import symbl  # noqa: E402

sys.modules["symbl.streaming_api.StreamingApi"].SYMBL_STREAMING_API_FORMAT = (
    WS + "/v1/realtime/insights/{}?source=python_sdk"
)  # type: ignore[attr-defined]
sys.modules["symbl.Connection"].SYMBL_WEBSOCKET_BASE_PATH = WS + "/session/subscribe/"  # type: ignore[attr-defined]
CREDS = {"app_id": "a" * 64, "app_secret": "b" * 128}


def pcm(seconds: float, rate: int = 16000) -> bytes:
    return b"".join(
        struct.pack("<h", int(6000 * math.sin(2 * math.pi * 440 * i / rate)))
        for i in range(int(seconds * rate))
    )


def wait_for(predicate: Any, timeout: float = 15.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def streaming() -> dict[str, Any]:
    events: list[dict[str, Any]] = []
    connection = symbl.Streaming.start_connection(
        credentials=CREDS,
        insight_types=["question", "action_item"],
        speaker={"name": "Jane", "userId": "jane@example.com"},
        config={"meetingTitle": "Python SDK", "speechRecognition": {"sampleRateHertz": 16000}},
    )
    connection.subscribe(
        dict.fromkeys(
            ("message", "message_response", "insight_response", "topic_response", "tracker_response"),
            events.append,
        )
    )
    audio = pcm(8)
    for i in range(0, len(audio), 8192):
        connection.send_audio(audio[i : i + 8192])
    wait_for(lambda: any(e["type"] == "message_response" for e in events))
    connection.stop()  # sends "{'type': 'stop_request'}" (Python repr, not JSON)
    wait_for(lambda: any(e.get("message", {}).get("type") == "recognition_stopped" for e in events))
    conversation_id = connection.conversation.get_conversation_id()
    messages = connection.conversation.get_messages()
    return {
        "conversationId": conversation_id,
        "types": [e["message"]["type"] if e["type"] == "message" else e["type"] for e in events],
        "streamed": [
            m["payload"]["content"] for e in events if e["type"] == "message_response" for m in e["messages"]
        ],
        "stored": [m.text for m in messages.messages] if hasattr(messages, "messages") else messages,
    }


def telephony() -> dict[str, Any]:
    received: list[dict[str, Any]] = []
    connection = symbl.Telephony.start_pstn(
        phone_number="14155550100",
        dtmf=",,123#",
        credentials=CREDS,
        actions=[
            {"invokeOn": "stop", "name": "sendSummaryEmail", "parameters": {"emails": ["py@example.com"]}}
        ],
        data={"session": {"name": "Python call"}},
        languages=["en-US"],
        timezone="Asia/Tokyo",
    )

    def collect(raw: str) -> None:  # telephony callbacks get the raw string
        received.append(json.loads(raw))

    listener = threading.Thread(
        target=connection.subscribe,
        args=({"transcript_response": collect, "message_response": collect},),
        daemon=True,
    )
    listener.start()
    wait_for(lambda: sum(1 for r in received if r["type"] == "message_response") >= 2)
    stopped = symbl.Telephony.stop(connection.connectionId)
    listener.join(timeout=10)
    return {
        "connectionId": connection.connectionId,
        "conversationId": connection.conversation.get_conversation_id(),
        "types": [r["type"] for r in received],
        "subscriberClosed": not listener.is_alive(),
        "summaryInfo": [
            {"name": s.user.name, "userId": s.user.user_id, "url": s.url} for s in stopped.summary_info or []
        ],
        "stoppedConversationId": stopped.conversation_id,
    }


if __name__ == "__main__":
    report = {"streaming": streaming, "telephony": telephony}[SCENARIO]()
    sys.stdout.write(json.dumps(report, default=str) + "\n")
    sys.stdout.flush()
    os._exit(0)  # the SDK leaves non-daemon websocket threads behind
