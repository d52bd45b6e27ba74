"""The edge (mock_symbl/edge.py): lone surrogates refused on every route that stores text, authentication
before the body, size limits with 413. Each test sends the attack first and checks that nothing was stored."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from mock_symbl.app import create_app
from tests.conftest import make_settings
from tests.helpers import auth_headers, submit_text

SURROGATE = "\\ud800"  # as it travels in JSON: the escape of a lone high surrogate
JSON = {"content-type": "application/json"}


@pytest.fixture
def client() -> Iterator[TestClient]:
    with TestClient(create_app(make_settings(max_json_body_bytes=64 * 1024))) as c:
        yield c


def _post_raw(client: TestClient, method: str, url: str, raw: str, headers: dict[str, str]) -> int:
    response = client.request(method, url, content=raw.encode(), headers={**JSON, **headers})
    return response.status_code


def _unicode_error(client: TestClient, method: str, url: str, raw: str, headers: dict[str, str]) -> None:
    response = client.request(method, url, content=raw.encode(), headers={**JSON, **headers})
    assert response.status_code == 400, response.text
    assert "not valid Unicode" in response.json()["message"]


def test_conversation_metadata_with_a_lone_surrogate_is_refused_and_not_stored(client: TestClient) -> None:
    headers = auth_headers(client)
    conversation_id = submit_text(client, headers, name="clean")["conversationId"]
    raw = '{"metadata": {"k": "' + SURROGATE + '"}}'
    _unicode_error(client, "PUT", f"/v1/conversations/{conversation_id}", raw, headers)
    # The attack's aftermath was a 500 on the conversation and the whole list, even after a restart.
    one = client.get(f"/v1/conversations/{conversation_id}", headers=headers)
    assert one.status_code == 200 and "k" not in (one.json().get("metadata") or {})
    assert client.get("/v1/conversations", headers=headers).status_code == 200


def test_text_job_name_with_a_lone_surrogate_creates_nothing(client: TestClient) -> None:
    headers = auth_headers(client)
    before = client.get("/v1/conversations", headers=headers).json()["conversations"]
    raw = json.dumps({"name": "x", "messages": [{"payload": {"content": "Hello there."}}]})
    raw = raw.replace('"x"', '"' + SURROGATE + '"')
    _unicode_error(client, "POST", "/v1/process/text", raw, headers)
    # Also deep inside the messages, and as a key.
    deep = '{"messages": [{"payload": {"content": "a"}, "from": {"name": "\\udfff"}}]}'
    _unicode_error(client, "POST", "/v1/process/text", deep, headers)
    _unicode_error(client, "POST", "/v1/process/text", '{"\\ud800": 1, "messages": []}', headers)
    assert client.get("/v1/conversations", headers=headers).json()["conversations"] == before


def test_app_id_with_a_lone_surrogate_gets_no_token_and_the_journal_still_answers(client: TestClient) -> None:
    raw = '{"type": "application", "appId": "' + SURROGATE + '", "appSecret": "s"}'
    _unicode_error(client, "POST", "/oauth2/token:generate", raw, {})
    journal = client.get("/__admin/requests")
    assert journal.status_code == 200
    assert all(
        entry["account"] is None or entry["account"].isprintable() for entry in journal.json()["requests"]
    )


def test_fault_rule_with_a_lone_surrogate_is_refused_and_not_added(client: TestClient) -> None:
    raw = '{"path": "/v1/' + SURROGATE + '", "status": 418}'
    _unicode_error(client, "POST", "/__admin/faults", raw, {})
    assert client.get("/__admin/faults").json()["faults"] == []
    assert client.get("/v1/conversations", headers=auth_headers(client)).status_code == 200


def test_a_surrogate_pair_and_an_escaped_backslash_are_ordinary_text(client: TestClient) -> None:
    headers = auth_headers(client)
    for name in ("\\ud83d\\ude00", "\\\\ud800"):  # an emoji; the six characters \ud800
        raw = '{"name": "' + name + '", "messages": [{"payload": {"content": "Hello there."}}]}'
        assert _post_raw(client, "POST", "/v1/process/text", raw, headers) == 200


def test_the_body_is_not_read_before_the_token_is_checked(client: TestClient) -> None:
    """No token: 401 whatever the body, even one past every limit (it is never read)."""
    too_big = b"x" * (65 * 1024)
    response = client.post("/v1/process/text", content=too_big, headers=JSON)
    assert response.status_code == 401
    assert response.json() == {"message": "Token validation failed for provided token."}
    bad = client.post("/v1/process/text", content=too_big, headers={**JSON, "x-api-key": "forged"})
    assert bad.status_code == 401
    # A route that does not exist is still a 404 (with the journal's nearest-route hint), not a 401.
    assert client.post("/v1/proces/text", content=b"{}", headers=JSON).status_code == 404


def test_bodies_over_the_limit_get_413(client: TestClient) -> None:
    headers = {**auth_headers(client), **JSON}
    body = json.dumps({"messages": [{"payload": {"content": "word " * 20_000}}]}).encode()
    assert len(body) > 64 * 1024
    response = client.post("/v1/process/text", content=body, headers=headers)
    assert response.status_code == 413
    assert "64" in response.json()["message"] or str(64 * 1024) in response.json()["message"]

    def chunked() -> Iterator[bytes]:  # no Content-Length: refused once past the limit
        yield body[:40_000]
        yield body[40_000:]

    assert client.post("/v1/process/text", content=chunked(), headers=headers).status_code == 413
    # Under the limit the same route works.
    small = json.dumps({"messages": [{"payload": {"content": "Hello there."}}]}).encode()
    assert client.post("/v1/process/text", content=small, headers=headers).status_code == 200


def test_admin_bodies_have_their_own_limit() -> None:
    with TestClient(create_app(make_settings(max_admin_body_bytes=4096))) as client:
        big = json.dumps({"path": "/v1/x", "status": 418, "body": {"pad": "p" * 5000}})
        response = client.post("/__admin/faults", content=big, headers=JSON)
        assert response.status_code == 413 and response.json()["message"]
        assert client.get("/__admin/faults").json()["faults"] == []


def test_a_large_body_is_checked_off_the_event_loop() -> None:
    """Past OFF_LOOP_BYTES the surrogate check runs in a worker thread; same answers."""
    with TestClient(create_app(make_settings(max_json_body_bytes=4 * 1024 * 1024))) as big_client:
        headers = auth_headers(big_client)
        filler = "word " * 80_000  # ~400 KB
        raw = json.dumps({"name": "x", "messages": [{"payload": {"content": filler}}]})
        _unicode_error(
            big_client, "POST", "/v1/process/text", raw.replace('"x"', '"' + SURROGATE + '"'), headers
        )
        assert _post_raw(big_client, "POST", "/v1/process/text", raw, headers) == 200
