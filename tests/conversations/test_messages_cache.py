"""GET .../messages is served from the answer cache: every write that changes the answer must show at once."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.helpers import auth_headers, submit_text


@pytest.fixture
def conversation(client: TestClient, headers: dict[str, str]) -> str:
    return submit_text(client, headers)["conversationId"]


def _messages(client: TestClient, headers: dict[str, str], cid: str, query: str = "") -> list[dict[str, Any]]:
    response = client.get(f"/v1/conversations/{cid}/messages{query}", headers=headers)
    assert response.status_code == 200, response.text
    messages: list[dict[str, Any]] = response.json()["messages"]
    return messages


def test_repeated_reads_are_identical_and_hit_the_cache(
    client: TestClient, headers: dict[str, str], conversation: str
) -> None:
    answers = client.app.state.services.answers  # type: ignore[attr-defined]
    first = client.get(f"/v1/conversations/{conversation}/messages", headers=headers)
    hits = answers.stats()["hits"]
    second = client.get(f"/v1/conversations/{conversation}/messages", headers=headers)
    assert second.content == first.content
    assert second.headers["content-type"] == "application/json"
    assert answers.stats()["hits"] == hits + 1


def test_parameters_are_part_of_the_key(
    client: TestClient, headers: dict[str, str], conversation: str
) -> None:
    plain = _messages(client, headers, conversation)
    verbose = _messages(client, headers, conversation, "?verbose=true")
    assert "words" not in plain[0] and "words" in verbose[0]
    scored = _messages(client, headers, conversation, "?sentiment=true")
    assert "sentiment" in scored[0] and "sentiment" not in _messages(client, headers, conversation)[0]


def test_an_append_shows_at_once(client: TestClient, headers: dict[str, str], conversation: str) -> None:
    before = _messages(client, headers, conversation)
    more = [{"payload": {"content": "One more thing to add."}, "from": {"name": "Alice"}}]
    response = client.put(f"/v1/process/text/{conversation}", headers=headers, json={"messages": more})
    assert response.status_code in (200, 201), response.text
    after = _messages(client, headers, conversation)
    assert len(after) == len(before) + 1 and after[-1]["text"] == "One more thing to add."


def test_a_member_rename_shows_at_once(
    client: TestClient, headers: dict[str, str], conversation: str
) -> None:
    first = _messages(client, headers, conversation)[0]
    member = first["from"]
    body = {"id": member["id"], "name": "Alicia Keyes", "email": "alicia@example.com"}
    response = client.put(
        f"/v1/conversations/{conversation}/members/{member['id']}", headers=headers, json=body
    )
    assert response.status_code == 200, response.text
    assert _messages(client, headers, conversation)[0]["from"]["name"] == "Alicia Keyes"


def test_account_redaction_settings_show_at_once(
    client: TestClient, headers: dict[str, str], conversation: str
) -> None:
    plain = " ".join(m["text"] for m in _messages(client, headers, conversation))
    patch = [{"op": "add", "path": "/redaction", "value": {"default": True}}]
    assert client.patch("/v1/manage/settings", headers=headers, json=patch).status_code == 200
    redacted = " ".join(m["text"] for m in _messages(client, headers, conversation))
    assert redacted != plain and "Friday" not in redacted


def test_delete_and_reset_show_at_once(
    client: TestClient, headers: dict[str, str], conversation: str
) -> None:
    _messages(client, headers, conversation)
    assert client.delete(f"/v1/conversations/{conversation}", headers=headers).status_code == 200
    assert client.get(f"/v1/conversations/{conversation}/messages", headers=headers).status_code == 404
    other = submit_text(client, headers)["conversationId"]
    _messages(client, headers, other)
    assert client.post("/__admin/reset").status_code in (200, 204)
    fresh = auth_headers(client)
    assert client.get(f"/v1/conversations/{other}/messages", headers=fresh).status_code == 404


def test_another_account_or_namespace_never_gets_a_cached_answer(
    client: TestClient, headers: dict[str, str], conversation: str
) -> None:
    _messages(client, headers, conversation)
    stranger = auth_headers(client, "app-two")
    assert client.get(f"/v1/conversations/{conversation}/messages", headers=stranger).status_code == 404
    namespaced = {**headers, "X-Mock-Namespace": "worker-2"}
    assert client.get(f"/v1/conversations/{conversation}/messages", headers=namespaced).status_code == 404


def test_the_cache_can_be_turned_off(app_factory: Callable[..., TestClient]) -> None:
    client = app_factory(answer_cache=False)
    headers = auth_headers(client)
    cid = submit_text(client, headers)["conversationId"]
    first = _messages(client, headers, cid)
    assert _messages(client, headers, cid) == first
    stats = client.app.state.services.answers.stats()  # type: ignore[attr-defined]
    assert stats["hits"] == 0 and stats["entries"] == 0


@pytest.mark.parametrize("query", ["", "?verbose=true&sentiment=true"])
def test_cached_bytes_are_the_plain_model_paths(
    client: TestClient, headers: dict[str, str], query: str
) -> None:
    """The cache serves bytes rendered from MessagesResponse: byte for byte what FastAPI's own response_model
    path (validate, dump, JSONResponse) makes of the service's messages, on a miss and on a hit."""
    from fastapi.responses import JSONResponse
    from fastapi.routing import APIRoute, serialize_response

    from mock_symbl.conversations import service
    from mock_symbl.media.synth import make_wav
    from mock_symbl.routes import iter_routes
    from mock_symbl.tenancy import Tenant

    upload = client.post(
        "/v1/process/audio", headers={**headers, "content-type": "audio/wav"}, content=make_wav(3)
    )
    services = client.app.state.services  # type: ignore[attr-defined]
    route = next(
        r.route
        for r in iter_routes(client.app)
        if isinstance(r.route, APIRoute) and r.path == "/v1/conversations/{conversationId}/messages"
    )
    for cid in (submit_text(client, headers)["conversationId"], upload.json()["conversationId"]):
        verbose = "verbose" in query
        messages = service.messages(
            services, Tenant("app-one", ""), cid, verbose=verbose, sentiment=verbose, redact=None, exclude=[]
        )
        content = asyncio.run(
            serialize_response(
                field=route.response_field,
                response_content={"messages": messages},
                exclude_unset=True,
                is_coroutine=False,
            )
        )
        plain = JSONResponse(content).body
        miss = client.get(f"/v1/conversations/{cid}/messages{query}", headers=headers)
        hit = client.get(f"/v1/conversations/{cid}/messages{query}", headers=headers)
        assert miss.content == plain == hit.content
