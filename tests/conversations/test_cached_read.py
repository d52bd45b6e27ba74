"""The cached plain transcript read answered before the routing (cached_read.py) equals the route's answer."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from mock_symbl.conversations import router as messages_router
from tests.helpers import auth_headers, submit_text


@pytest.fixture
def conversation(client: TestClient, headers: dict[str, str]) -> str:
    return submit_text(client, headers)["conversationId"]


def _route_disabled(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any request that reaches the messages route now fails: an answer can only come from the fast path."""

    def unreachable(*_: Any, **__: Any) -> Any:
        raise AssertionError("the messages route ran")

    monkeypatch.setattr(messages_router, "messages_key", unreachable)


def test_the_fast_path_serves_the_plain_path_bytes(
    client: TestClient, headers: dict[str, str], conversation: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = f"/v1/conversations/{conversation}/messages"
    answers = client.app.state.services.answers  # type: ignore[attr-defined]
    answers.enabled = False
    plain = client.get(path, headers=headers)  # rendered by the route from the response model, not cached
    answers.enabled = True
    assert client.get(path, headers=headers).content == plain.content  # the route renders and caches it
    _route_disabled(monkeypatch)
    fast = client.get(path, headers=headers)
    assert fast.status_code == 200
    assert fast.content == plain.content
    assert fast.headers["content-type"] == plain.headers["content-type"] == "application/json"
    assert fast.headers["content-length"] == plain.headers["content-length"]


def test_the_journal_records_a_fast_read_like_a_routed_one(
    client: TestClient, headers: dict[str, str], conversation: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = f"/v1/conversations/{conversation}/messages"
    client.get(path, headers={**headers, "X-Mock-Namespace": "ns-a"})  # nothing there: 404, routed
    client.get(path, headers=headers)
    _route_disabled(monkeypatch)
    assert client.get(path, headers=headers).status_code == 200
    entries = client.get("/__admin/requests", params={"path": path}).json()["requests"]
    served = [entry for entry in entries if entry["status"] == 200]
    assert len(served) == 2  # the routed read and the fast one, recorded alike
    for entry in served:
        assert entry["matched"] is True
        assert entry["account"] == "app-one" and entry["namespace"] == ""
        assert entry["response_body"].startswith('{"messages":[')


def test_other_callers_never_get_a_cached_answer(
    client: TestClient, headers: dict[str, str], conversation: str
) -> None:
    path = f"/v1/conversations/{conversation}/messages"
    assert client.get(path, headers=headers).status_code == 200  # cached for app-one, namespace ""
    assert client.get(path).status_code == 401
    assert client.get(path, headers={"x-api-key": "not-a-token"}).status_code == 401
    assert client.get(path, headers=auth_headers(client, "app-two")).status_code == 404
    assert client.get(path, headers={**headers, "X-Mock-Namespace": "other"}).status_code == 404


def test_faults_and_parameters_still_apply(
    client: TestClient, headers: dict[str, str], conversation: str
) -> None:
    path = f"/v1/conversations/{conversation}/messages"
    plain = client.get(path, headers=headers).json()["messages"]
    assert client.get(path, headers={**headers, "X-Mock-Fault": "503"}).status_code == 503
    verbose = client.get(path + "?verbose=true", headers=headers).json()["messages"]
    assert "words" in verbose[0] and "words" not in plain[0]


def test_a_write_retires_the_fast_answer(
    client: TestClient, headers: dict[str, str], conversation: str
) -> None:
    path = f"/v1/conversations/{conversation}/messages"
    before = client.get(path, headers=headers).json()["messages"]
    assert client.get(path, headers=headers).json()["messages"] == before
    more = [{"payload": {"content": "One more thing to add."}, "from": {"name": "Alice"}}]
    response = client.put(f"/v1/process/text/{conversation}", headers=headers, json={"messages": more})
    assert response.status_code in (200, 201), response.text
    after = client.get(path, headers=headers).json()["messages"]
    assert len(after) == len(before) + 1
