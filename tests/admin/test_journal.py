"""The request journal: entries, filters, counts, near misses, bounded bodies and size."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

from mock_symbl.admin.journal import nearest_route
from tests.helpers import auth_headers, submit_text


def test_entries_record_the_request(client: TestClient, headers: dict[str, str]) -> None:
    ids = submit_text(client, {**headers, "X-Mock-Namespace": "ns1"}, name="Journal test")
    client.get("/v1/conversations", headers=headers, params={"limit": 5})
    entries = client.get("/__admin/requests").json()["requests"]
    post = next(e for e in entries if e["path"] == "/v1/process/text")
    assert post["method"] == "POST" and post["status"] == 200
    assert post["account"] == "app-one" and post["namespace"] == "ns1"
    assert '"Journal test"' in post["request_body"] and ids["jobId"] in post["response_body"]
    assert post["latency_ms"] > 0 and post["matched"] is True
    assert post["request_headers"]["x-api-key"] == "***"  # credentials never kept
    listing = next(e for e in entries if e["path"] == "/v1/conversations")
    assert listing["query"] == "limit=5" and listing["namespace"] == ""
    assert not any(e["path"].startswith("/__admin") for e in entries)


def test_filters_and_count(client: TestClient, headers: dict[str, str]) -> None:
    submit_text(client, headers)
    client.get("/v1/conversations", headers=headers)
    client.get("/v1/conversations")  # 401
    assert client.get("/__admin/requests/count", params={"method": "GET"}).json()["count"] == 2
    assert client.get("/__admin/requests/count", params={"status": 401}).json()["count"] == 1
    assert client.get("/__admin/requests/count", params={"path": "/v1/*"}).json()["count"] == 3
    assert client.get("/__admin/requests/count", params={"path": "re:text$"}).json()["count"] == 1
    assert client.get("/__admin/requests/count", params={"account": "app-one"}).json()["count"] == 2
    newest = client.get("/__admin/requests", params={"limit": 1}).json()["requests"]
    assert newest[0]["status"] == 401
    since = client.get("/__admin/requests", params={"since": newest[0]["id"] - 1}).json()["requests"]
    assert [e["id"] for e in since] == [newest[0]["id"]]
    assert client.delete("/__admin/requests").json()["removed"] >= 4  # includes the token request
    assert client.get("/__admin/requests/count").json()["count"] == 0


def test_unmatched_route_gets_symbl_404_and_a_near_miss(client: TestClient, headers: dict[str, str]) -> None:
    missed = client.get("/v1/conversation/123/mesages", headers=headers)
    assert missed.status_code == 404 and set(missed.json()) == {"message"}
    near = client.get("/__admin/requests/unmatched").json()["requests"]
    assert near == [
        {
            "id": near[0]["id"],
            "method": "GET",
            "path": "/v1/conversation/123/mesages",
            "status": 404,
            "nearestRoute": "GET /v1/conversations/{conversationId}/messages",
        }
    ]
    assert (
        client.get("/__admin/requests", params={"unmatched": "false"}).json()["count"] == 1
    )  # the token call


def test_nearest_route_prefers_the_method() -> None:
    routes = [
        ("/v1/process/text", frozenset({"POST"})),
        ("/v1/process/text/{conversationId}", frozenset({"PUT"})),
    ]
    assert nearest_route("POST", "/v1/proces/text", routes) == "POST /v1/process/text"
    assert nearest_route("PUT", "/v1/process/txt/42", routes) == "PUT /v1/process/text/{conversationId}"
    assert nearest_route("GET", "/completely/else/entirely", routes) is None


def test_bodies_are_bounded_and_big_uploads_counted(app_factory: Callable[..., TestClient]) -> None:
    client = app_factory(journal_body_bytes=64)
    headers = auth_headers(client)
    big = b"\x00" * 300_000
    client.post("/v1/process/audio", headers={**headers, "content-type": "audio/wav"}, content=big)
    entry = client.get("/__admin/requests", params={"path": "/v1/process/audio"}).json()["requests"][0]
    assert entry["request_bytes"] == 300_000
    assert entry["request_body_truncated"] is True
    assert len(entry["request_body"].encode()) <= 64 * 3  # at most 64 bytes, replacement chars aside
    assert len(entry["response_body"]) <= 64


def test_journal_is_a_ring_buffer(app_factory: Callable[..., TestClient]) -> None:
    client = app_factory(journal_size=3)
    for _ in range(5):
        client.get("/v1/conversations")
    entries = client.get("/__admin/requests").json()["requests"]
    assert len(entries) == 3
    assert [e["id"] for e in entries] == [3, 4, 5]


def test_a_websocket_with_its_token_as_subprotocol_is_journalled_with_its_account(client: TestClient) -> None:
    token = auth_headers(client, "web-sdk-app")["x-api-key"]
    with client.websocket_connect("/v1/streaming/journal-ws", subprotocols=[token]) as ws:
        ws.send_text('{"type":"start_request","mockTranscript":"support-call"}')
        ws.receive_text()
    entries = client.get("/__admin/requests", params={"path": "/v1/streaming/*"}).json()["requests"]
    assert entries and entries[-1]["account"] == "web-sdk-app"
