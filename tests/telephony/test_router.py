"""Telephony API: endpoint:connect start/stop variants, live events on /session/subscribe, speaker events."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from mock_symbl.app import create_app
from mock_symbl.auth.service import issue_token
from mock_symbl.settings import Settings
from mock_symbl.telephony import service

PSTN = {"operation": "start", "endpoint": {"type": "pstn", "phoneNumber": "14155550100", "dtmf": ",,123#"}}


@pytest.fixture
def client() -> Iterator[TestClient]:
    settings = Settings(
        database=":memory:", telephony_speed=40, streaming_insights_seconds=0, max_concurrent_streams=3
    )
    with TestClient(create_app(settings)) as test_client:
        yield test_client


@pytest.fixture
def headers(client: TestClient) -> dict[str, str]:
    return {"x-api-key": issue_token(client.app.state.services, "acct")[0]}  # type: ignore[attr-defined]


def connect(client: TestClient, headers: dict[str, str], body: dict[str, Any]) -> Any:
    return client.post("/v1/endpoint:connect", json=body, headers=headers)


@pytest.mark.parametrize(
    "body",
    [
        # JS SDK
        {
            **PSTN,
            "actions": [
                {"invokeOn": "stop", "name": "sendSummaryEmail", "parameters": {"emails": ["a@example.com"]}}
            ],
            "languages": [{"code": "en-US"}],
            "data": {"session": {"name": "Probe call", "location": {"timeZone": {"name": "Asia/Tokyo"}}}},
        },
        # Python SDK
        {
            **PSTN,
            "actions": {},
            "data": {},
            "pushSpeakerEvents": True,
            "languages": ["en-US"],
            "timezone": "Asia/Tokyo",
        },
        # SIP with the JS defaults and Python's string sampleSize
        {
            "operation": "start",
            "endpoint": {
                "type": "sip",
                "uri": "sip:8021@sip.example.com",
                "providerName": "AnyMeeting",
                "audioConfig": {"sampleRate": 16000, "sampleSize": "16"},
            },
            "intents": [{"intent": "interested"}],
            "unknownField": 1,
        },
        {"operation": "START", "endpoint": {"type": "PSTN", "phoneNumber": 14155550100}},
    ],
)
def test_start_variants(client: TestClient, headers: dict[str, str], body: dict[str, Any]) -> None:
    response = connect(client, headers, body)
    assert response.status_code == 201, response.text
    data = response.json()
    cid = data["connectionId"]
    assert data["eventUrl"] == f"http://testserver/v1/event/{cid}"
    assert data["resultWebSocketUrl"] == f"ws://testserver/events/{cid}"
    assert data["conversationId"].isdigit()
    stopped = connect(client, headers, {"operation": "stop", "connectionId": cid})
    assert stopped.status_code == 200


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ({"operation": "start"}, "endpoint"),
        ({"operation": "start", "endpoint": {"type": "pstn"}}, "phoneNumber"),
        ({"operation": "start", "endpoint": {"type": "pstn", "phoneNumber": "call-me"}}, "phoneNumber"),
        ({"operation": "start", "endpoint": {"type": "sip", "uri": "8021@sip.example"}}, "uri"),
        ({"operation": "start", "endpoint": {"type": "fax"}}, "type"),
        ({"operation": "dial", "endpoint": {"type": "pstn", "phoneNumber": "1415"}}, "operation"),
        ({"endpoint": {"type": "pstn", "phoneNumber": "14155550100"}}, "operation"),
        ({**PSTN, "actions": [{"name": "sendSummaryEmail"}]}, "invokeOn"),
        ({"operation": "stop"}, "connectionId"),
    ],
)
def test_bad_requests_are_400(
    client: TestClient, headers: dict[str, str], body: dict[str, Any], fragment: str
) -> None:
    response = connect(client, headers, body)
    assert response.status_code == 400
    assert fragment in response.json()["message"]


def test_malformed_json_and_no_token(client: TestClient, headers: dict[str, str]) -> None:
    bad = client.post(
        "/v1/endpoint:connect", content=b"{oops", headers={**headers, "content-type": "application/json"}
    )
    assert bad.status_code == 400
    assert bad.json()["message"]
    assert client.post("/v1/endpoint:connect", json=PSTN).status_code == 401


def test_unknown_and_stopped_connection_is_404(client: TestClient, headers: dict[str, str]) -> None:
    unknown = connect(client, headers, {"operation": "stop", "connectionId": "nope"})
    assert unknown.status_code == 404
    assert "nope" in unknown.json()["message"]
    cid = connect(client, headers, PSTN).json()["connectionId"]
    assert connect(client, headers, {"operation": "stop", "connectionId": cid}).status_code == 200
    assert connect(client, headers, {"operation": "stop", "connectionId": cid}).status_code == 404
    event = {"topic": "speaker", "type": "started_speaking", "user": {"userId": "a@b.c", "name": "A"}}
    assert client.post(f"/v1/event/{cid}", json=event, headers=headers).status_code == 404
    other = {"x-api-key": issue_token(client.app.state.services, "other")[0]}  # type: ignore[attr-defined]
    live = connect(client, headers, PSTN).json()["connectionId"]
    assert connect(client, other, {"operation": "stop", "connectionId": live}).status_code == 404


def collect(ws: Any, until: str, limit: int = 2000) -> list[dict[str, Any]]:
    out = []
    for _ in range(limit):
        message = json.loads(ws.receive_text())
        out.append(message)
        kind = message["message"]["type"] if message.get("type") == "message" else message["type"]
        if kind == until:
            return out
    raise AssertionError(f"no {until}")


def test_live_events_speaker_attribution_summary_and_storage(
    client: TestClient, headers: dict[str, str]
) -> None:
    body = {
        **PSTN,
        "actions": [
            {"invokeOn": "stop", "name": "sendSummaryEmail", "parameters": {"emails": ["boss@example.com"]}}
        ],
        "data": {"session": {"name": "Weekly call"}},
    }
    started = connect(client, headers, body).json()
    cid, conversation_id = started["connectionId"], started["conversationId"]
    token = headers["x-api-key"]
    with client.websocket_connect(f"/session/subscribe/{cid}", headers={"x-api-key": token}) as ws:
        first = json.loads(ws.receive_text())
        assert first["message"]["data"]["conversationId"] == conversation_id
        collect(ws, "message_response")
        event = {
            "topic": "speaker",
            "type": "started_speaking",
            "user": {"userId": "jane@example.com", "name": "Jane"},
        }
        assert client.post(f"/v1/event/{cid}", json=event, headers=headers).status_code == 200
        events = collect(ws, "message_response")
        events += collect(ws, "message_response")
        transcripts = [e for e in events if e["type"] == "transcript_response"]
        assert transcripts
        assert {"isFinal", "payload", "user"} <= set(transcripts[0])
        assert transcripts[0]["payload"]["contentType"] == "text/plain"
        assert events[-1]["messages"][0]["from"]["name"] == "Jane"
        stopped = connect(client, headers, {"operation": "stop", "connectionId": cid})
        closing = collect(ws, "recognition_stopped")
        with pytest.raises(WebSocketDisconnect):
            ws.receive_text()
    assert any(m.get("message", {}).get("type") == "conversation_completed" for m in closing)
    summary = stopped.json()["summaryInfo"]
    assert summary[0]["user"]["userId"] == "boss@example.com"
    assert summary[0]["user"]["name"]
    assert summary[0]["url"].endswith(f"/v1/conversations/{conversation_id}/summary")
    recorded = service.recorded_actions(client.app.state.services, service.Tenant("acct"))  # type: ignore[attr-defined]
    assert recorded[0]["actions"][0]["parameters"]["emails"] == ["boss@example.com"]
    assert recorded[0]["actions"][0]["delivered"] is False
    conv = client.get(f"/v1/conversations/{conversation_id}", headers=headers).json()
    assert conv["name"] == "Weekly call"
    messages = client.get(f"/v1/conversations/{conversation_id}/messages", headers=headers).json()["messages"]
    assert len(messages) >= 3
    assert "Jane" in {m["from"].get("name") for m in messages}


def test_events_socket_attributes_speech(client: TestClient, headers: dict[str, str]) -> None:
    started = connect(client, headers, PSTN).json()
    cid = started["connectionId"]
    token = headers["x-api-key"]
    with (
        client.websocket_connect(f"/session/subscribe/{cid}", subprotocols=[token]) as sub,
        client.websocket_connect(f"/events/{cid}", headers={"x-api-key": token}) as events,
    ):
        events.send_text(
            json.dumps({"topic": "speaker", "type": "joined", "user": {"userId": "bo@x.io", "name": "Bo"}})
        )
        events.send_text("not json")
        assert json.loads(events.receive_text())["message"]["type"] == "error"
        received = collect(sub, "message_response")
        received += collect(sub, "message_response")
        assert received[-1]["messages"][0]["from"]["name"] == "Bo"
    connect(client, headers, {"operation": "stop", "connectionId": cid})


def test_concurrent_call_limit(client: TestClient, headers: dict[str, str]) -> None:
    for _ in range(3):
        assert connect(client, headers, PSTN).status_code == 201
    over = connect(client, headers, PSTN)
    assert over.status_code == 429
    assert "concurrent" in over.json()["message"]


def test_event_body_is_validated(client: TestClient, headers: dict[str, str]) -> None:
    cid = connect(client, headers, PSTN).json()["connectionId"]
    bad = client.post(f"/v1/event/{cid}", json={"topic": "speaker"}, headers=headers)
    assert bad.status_code == 400
    assert "type" in bad.json()["message"]
    stopped = {"topic": "speaker", "type": "stopped", "timestamp": "2024-01-01T00:00:00.000Z"}
    assert client.post(f"/v1/event/{cid}", json=stopped, headers=headers).status_code == 200
    connect(client, headers, {"operation": "stop", "connectionId": cid})


def test_a_call_from_an_earlier_run_can_still_be_stopped(client: TestClient, headers: dict[str, str]) -> None:
    started = connect(
        client,
        headers,
        {**PSTN, "data": {"session": {"users": [{"user": {"name": "Ann", "userId": "ann@x.io"}}]}}},
    )
    cid = started.json()["connectionId"]
    live = service.calls(client.app.state.services).pop(cid)  # type: ignore[attr-defined]
    assert live.task is not None
    live.task.cancel()  # as if the server had restarted: the call is in the database only
    stopped = connect(client, headers, {"operation": "stop", "connectionId": cid})
    assert stopped.status_code == 200
    assert stopped.json()["summaryInfo"][0]["user"] == {
        "id": stopped.json()["summaryInfo"][0]["user"]["id"],
        "userId": "ann@x.io",
        "name": "Ann",
        "role": "organizer",
    }
    conversation = client.get(f"/v1/conversations/{started.json()['conversationId']}", headers=headers)
    assert conversation.status_code == 200
