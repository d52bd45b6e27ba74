"""Each fault effect as the official clients see it, against a real server on a free port."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import httpx
import pytest
import symbl_rest
import websocket

from mock_symbl.server import MockServer
from tests.conftest import make_settings

pytestmark = pytest.mark.sdk


@pytest.fixture(scope="module")
def server() -> Iterator[MockServer]:
    live = MockServer(make_settings(log_level="critical", streaming_playback="instant")).start()
    yield live
    live.stop()


@pytest.fixture
def api(server: MockServer) -> object:
    httpx.post(f"{server.base_url}/__admin/reset", headers={"X-Mock-Admin": "1"})
    cfg = symbl_rest.Configuration()
    cfg.host = server.base_url
    client = symbl_rest.ApiClient(cfg)
    token = symbl_rest.AuthenticationApi(client).generate_token(
        {"type": "application", "appId": "sdk-faults", "appSecret": "s"}
    )
    cfg.api_key["x-api-key"] = token.access_token
    return client


@pytest.fixture
def conversation(server: MockServer, api: object) -> str:
    created = symbl_rest.AsyncApi(api).add_text(
        body={"messages": [{"payload": {"content": "Hello from the SDK."}, "from": {"name": "Ann"}}]}
    )
    return str(created.conversation_id)


def _fault(server: MockServer, **rule: object) -> None:
    assert httpx.post(f"{server.base_url}/__admin/faults", json=rule).status_code == 201


def test_429_surfaces_as_api_exception(server: MockServer, api: object, conversation: str) -> None:
    _fault(server, path="/v1/conversations/*/messages", method="GET", status=429, count=1)
    conversations = symbl_rest.ConversationsApi(api)
    with pytest.raises(symbl_rest.rest.ApiException) as caught:
        conversations.get_messages_by_conversation_id(conversation)
    assert caught.value.status == 429
    assert json.loads(caught.value.body)["statusCode"] == 429
    messages = conversations.get_messages_by_conversation_id(
        conversation
    ).messages  # count=1: next call works
    assert [m.text for m in messages] == ["Hello from the SDK."]


@pytest.mark.parametrize("status", [500, 401])
def test_error_statuses_surface_with_symbls_body(server: MockServer, api: object, status: int) -> None:
    _fault(server, path="/v1/job/*", status=status)
    with pytest.raises(symbl_rest.rest.ApiException) as caught:
        symbl_rest.JobsApi(api).get_job_status("any-job")
    assert caught.value.status == status
    assert set(json.loads(caught.value.body)) == {"message"}


def test_latency_is_felt_by_the_client(server: MockServer, api: object, conversation: str) -> None:
    _fault(server, path="/v1/conversations/*", latency_ms=300, count=1)
    started = time.monotonic()
    symbl_rest.ConversationsApi(api).get_conversation_by_conversation_id(conversation)
    assert time.monotonic() - started >= 0.3


def test_dropped_connection(server: MockServer, api: object, conversation: str) -> None:
    """One drop is absorbed by urllib3's retry; drops on every attempt break the call."""
    conversations = symbl_rest.ConversationsApi(api)
    path = f"/v1/conversations/{conversation}"
    _fault(server, path=path, drop=True, count=1)
    assert conversations.get_conversation_by_conversation_id(conversation).id == conversation
    journal = httpx.get(f"{server.base_url}/__admin/requests", params={"path": path}).json()["requests"]
    assert [(e["fault"], e["status"]) for e in journal] == [("drop", 0), (None, 200)]

    _fault(server, path=path, drop=True)
    with pytest.raises(Exception) as caught:  # urllib3 gives up: MaxRetryError / ProtocolError
        conversations.get_conversation_by_conversation_id(conversation)
    assert not isinstance(caught.value, symbl_rest.rest.ApiException)
    assert "IncompleteRead" in repr(caught.value) or "Connection broken" in repr(caught.value)


def test_websocket_closed_mid_stream_with_the_code(server: MockServer, api: object) -> None:
    _fault(server, path="/v1/streaming/*", ws_close=1011, after_messages=2, count=1)
    token = httpx.post(
        f"{server.base_url}/oauth2/token:generate",
        json={"type": "application", "appId": "ws", "appSecret": "s"},
    ).json()["accessToken"]
    ws_url = server.base_url.replace("http://", "ws://") + f"/v1/streaming/c-1?access_token={token}"
    ws = websocket.create_connection(ws_url, timeout=10)
    ws.send(
        json.dumps(
            {
                "type": "start_request",
                "config": {"speechRecognition": {"encoding": "LINEAR16", "sampleRateHertz": 16000}},
                "speaker": {"name": "Jane"},
            }
        )
    )
    received = []
    code = None
    while True:
        opcode, data = ws.recv_data()
        if opcode == websocket.ABNF.OPCODE_CLOSE:
            code = int.from_bytes(data[:2], "big")
            break
        received.append(json.loads(data))
    ws.close()
    assert code == 1011
    assert len(received) == 2
    entry = httpx.get(f"{server.base_url}/__admin/requests", params={"path": "/v1/streaming/c-1"}).json()[
        "requests"
    ][-1]
    assert entry["websocket"] is True and entry["fault"] == "ws_close=1011" and entry["account"] == "ws"
