"""The official Python `symbl` SDK as an app that hard-codes api.symbl.ai: no host, URL or TLS setting changed.

Run by namespace_inside.py inside a private network and mount namespace where api.symbl.ai and
api-labs.symbl.ai resolve to the mock and the machine's CA bundles also hold the mock's CA. Prints one JSON
report. Nothing here knows where the mock is: that is the point of transparent mode.
"""

from __future__ import annotations

import json
import math
import os
import struct
import sys
import time
from typing import Any

import requests
import symbl
import symbl_rest

CREDS = {"app_id": "transparent", "app_secret": "mode"}
TEXT = {
    "name": "Transparent mode",
    "messages": [
        {"payload": {"content": line}, "from": {"userId": user, "name": user.split("@")[0].title()}}
        for user, line in (
            ("anna@example.com", "Hi Ben, can you send me the revised budget by Friday?"),
            ("ben@example.com", "Sure. I will send the revised budget to finance and to you by Friday."),
            ("anna@example.com", "Great. What do we do about the delayed supplier contract?"),
            ("ben@example.com", "We should call the supplier tomorrow and ask for a new delivery date."),
        )
    ],
}


def pcm(seconds: float, rate: int = 16000) -> bytes:
    return b"".join(
        struct.pack("<h", int(6000 * math.sin(2 * math.pi * 440 * i / rate)))
        for i in range(int(seconds * rate))
    )


def wait_for(predicate: Any, timeout: float = 20.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def text() -> dict[str, Any]:
    conversation = symbl.Text.process(payload=TEXT, credentials=CREDS, wait=False)
    jobs = symbl_rest.JobsApi()
    statuses = []
    while True:  # the loop Symbl's samples use: wait while in_progress, then read
        status = jobs.get_job_status(conversation.get_job_id()).status
        statuses.append(status)
        if status != "in_progress":
            break
        time.sleep(0.1)
    messages = conversation.get_messages()
    questions = conversation.get_questions()
    found = conversation.get_conversation()
    return {
        "conversationId": conversation.get_conversation_id(),
        "statuses": statuses,
        "messages": [m.text for m in messages.messages],
        "questions": [q.text for q in questions.questions],
        "name": found.name,
    }


def streaming() -> dict[str, Any]:
    events: list[dict[str, Any]] = []
    connection = symbl.Streaming.start_connection(
        credentials=CREDS,
        insight_types=["question", "action_item"],
        speaker={"name": "Jane", "userId": "jane@example.com"},
        config={"meetingTitle": "Transparent stream", "speechRecognition": {"sampleRateHertz": 16000}},
    )
    connection.subscribe(dict.fromkeys(("message", "message_response"), events.append))
    audio = pcm(6)
    for i in range(0, len(audio), 8192):
        connection.send_audio(audio[i : i + 8192])
    wait_for(lambda: any(e["type"] == "recognition_result" for e in events))
    connection.stop()
    wait_for(lambda: any(e.get("message", {}).get("type") == "recognition_stopped" for e in events))
    return {
        "url": connection.url,
        "conversationId": connection.conversation.get_conversation_id(),
        "types": [e["message"]["type"] if e["type"] == "message" else e["type"] for e in events],
    }


def labs(conversation_id: str) -> dict[str, Any]:
    token = requests.post(
        "https://api.symbl.ai/oauth2/token:generate",
        json={"type": "application", "appId": CREDS["app_id"], "appSecret": CREDS["app_secret"]},
        timeout=10,
    ).json()["accessToken"]
    headers = {"Authorization": f"Bearer {token}"}
    path = f"/v1/conversations/{conversation_id}/abstract-topics"
    on_labs = requests.get("https://api-labs.symbl.ai" + path, headers=headers, timeout=10)
    on_main = requests.get("https://api.symbl.ai" + path, headers=headers, timeout=10)
    return {"labsStatus": on_labs.status_code, "labsBody": on_labs.json(), "mainStatus": on_main.status_code}


if __name__ == "__main__":
    report: dict[str, Any] = {"text": text()}
    report["labs"] = labs(report["text"]["conversationId"])
    report["streaming"] = streaming()
    sys.stdout.write(json.dumps(report, default=str) + "\n")
    sys.stdout.flush()
    os._exit(0)  # the SDK leaves non-daemon threads behind (its job monitor, websocket-client)
