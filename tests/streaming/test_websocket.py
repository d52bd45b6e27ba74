"""The streaming WebSocket end to end through the app's test client."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from tests.streaming.conftest import is_kind, kind, pcm, receive_until, start_frame, token_for


def test_full_session_order_and_storage(client: TestClient, token: str) -> None:
    with client.websocket_connect(f"/v1/streaming/conn-1?access_token={token}") as ws:
        ws.send_text(start_frame())
        opening = [kind(json.loads(ws.receive_text())) for _ in range(3)]
        assert opening == [
            "message:started_listening",
            "message:conversation_created",
            "message:recognition_started",
        ]
        for _ in range(30):
            ws.send_bytes(pcm(0.5))
        ws.send_text(json.dumps({"type": "stop_request"}))
        events = receive_until(ws, is_kind("message:recognition_stopped"))
        with pytest.raises(WebSocketDisconnect) as closed:
            ws.receive_text()
        assert closed.value.code == 1000
    kinds = [kind(e) for e in events]
    assert "message:recognition_result" in kinds
    assert "message_response" in kinds
    assert kinds[-2:] == ["message:conversation_completed", "message:recognition_stopped"]
    completed = events[-2]["message"]
    conversation_id = completed["conversationId"]
    assert completed["data"]["conversationId"] == conversation_id
    assert completed["summaryUrl"].endswith(f"/v1/conversations/{conversation_id}/summary")
    finals = [e for e in events if kind(e) == "message:recognition_result" and e["message"]["isFinal"]]
    streamed = [m for e in events if e["type"] == "message_response" for m in e["messages"]]
    assert [m["payload"]["content"] for m in streamed] == [
        f["message"]["punctuated"]["transcript"] for f in finals
    ]
    assert {m["from"]["name"] for m in streamed} == {"Jane"}
    rest = client.get(f"/v1/conversations/{conversation_id}/messages", headers={"x-api-key": token})
    assert rest.status_code == 200
    stored = rest.json()["messages"]
    assert [m["id"] for m in stored] == [m["id"] for m in streamed]
    assert [m["text"] for m in stored] == [m["payload"]["content"] for m in streamed]
