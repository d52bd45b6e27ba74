"""enableAllTrackers on a stream applies the account's managed trackers (issue 6)."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient

from tests.streaming.conftest import is_kind, pcm, receive_until, start_frame


def _stream(client: TestClient, token: str, connection: str, **extra: object) -> str:
    with client.websocket_connect(f"/v1/streaming/{connection}?access_token={token}") as ws:
        ws.send_text(start_frame(**extra))
        receive_until(ws, is_kind("message:recognition_started"))
        for _ in range(40):
            ws.send_bytes(pcm(0.5))
        ws.send_text(json.dumps({"type": "stop_request"}))
        events = receive_until(ws, is_kind("message:recognition_stopped"))
    conversation_id: str = events[-2]["message"]["conversationId"]
    return conversation_id


def test_account_trackers_feed_streams_only_with_enable_all_trackers(client: TestClient, token: str) -> None:
    headers = {"x-api-key": token}
    created = client.post(
        "/v1/manage/tracker", headers=headers, json={"name": "Invoices", "vocabulary": ["invoice exports"]}
    )
    assert created.status_code in (200, 201), created.text
    with_all = _stream(client, token, "acct-trackers-1", config={
        "speechRecognition": {"encoding": "LINEAR16", "sampleRateHertz": 16000},
        "trackers": {"enableAllTrackers": True},
    })  # fmt: skip
    without = _stream(client, token, "acct-trackers-2")
    found = client.get(f"/v1/conversations/{with_all}/trackers", headers=headers).json()
    assert [t["name"] for t in found] == ["Invoices"]
    assert found[0]["matches"][0]["messageRefs"]
    assert client.get(f"/v1/conversations/{without}/trackers", headers=headers).json() == []
