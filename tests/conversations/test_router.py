"""Conversation core routes (rest.md §5.2–5.6)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from tests.helpers import auth_headers, submit_text


@pytest.fixture
def conversation(client: TestClient, headers: dict[str, str]) -> str:
    return submit_text(client, headers, name="Demo", metadata={"label": "Business"})["conversationId"]


def test_get_conversation_shape(client: TestClient, headers: dict[str, str], conversation: str) -> None:
    body = client.get(f"/v1/conversations/{conversation}", headers=headers).json()
    assert set(body) == {"id", "type", "name", "startTime", "endTime", "members", "metadata"}
    assert body["id"] == conversation and body["type"] == "meeting" and body["name"] == "Demo"
    assert body["metadata"] == {"label": "Business"}
    assert [m["name"] for m in body["members"]] == ["Alice", "Bob"]
    assert body["members"][0]["email"] == "alice@example.com"
    assert body["startTime"].endswith("Z") and len(body["startTime"]) == 24
    assert body["endTime"] > body["startTime"]


def test_update_metadata_merges(client: TestClient, headers: dict[str, str], conversation: str) -> None:
    response = client.put(
        f"/v1/conversations/{conversation}", headers=headers, json={"metadata": {"agentId": "johndoe"}}
    )
    assert response.status_code == 200
    assert response.json()["metadata"] == {"label": "Business", "agentId": "johndoe"}
    assert (
        client.get(f"/v1/conversations/{conversation}", headers=headers).json()["metadata"]["agentId"]
        == "johndoe"
    )


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ({"metadata": {"n": 5}}, '"metadata.n" must be a string'),
        ({"metadata": {"long": "x" * 129}}, "less than or equal to 128"),
        ({"metadata": {}, "type": "call"}, '"type" is invalid'),
        ({}, '"metadata" is required'),
        ({"metadata": "text"}, '"metadata" is invalid'),
    ],
)
def test_update_metadata_rules(
    client: TestClient, headers: dict[str, str], conversation: str, body: dict[str, object], fragment: str
) -> None:
    response = client.put(f"/v1/conversations/{conversation}", headers=headers, json=body)
    assert response.status_code == 400 and fragment in response.json()["message"]


def test_delete(client: TestClient, headers: dict[str, str], conversation: str) -> None:
    response = client.delete(f"/v1/conversations/{conversation}", headers=headers)
    assert response.status_code == 200
    assert response.json() == {"message": "successfully deleted the conversation"}
    assert client.get(f"/v1/conversations/{conversation}", headers=headers).status_code == 404
    assert client.get(f"/v1/conversations/{conversation}/messages", headers=headers).status_code == 404
    again = client.delete(f"/v1/conversations/{conversation}", headers=headers)
    assert again.status_code == 404
    assert again.json() == {"message": "The conversationId is either invalid or does not exist."}


def test_messages_fields(client: TestClient, headers: dict[str, str], conversation: str) -> None:
    messages = client.get(f"/v1/conversations/{conversation}/messages", headers=headers).json()["messages"]
    assert len(messages) == 4
    first = messages[0]
    for key in ("id", "text", "from", "startTime", "endTime", "timeOffset", "duration", "conversationId"):
        assert key in first
    assert first["conversationId"] == conversation
    assert first["timeOffset"] == 0
    assert isinstance(first["duration"], float | int) and first["duration"] > 0
    assert len({m["id"] for m in messages}) == 4
    assert all(m["id"].isdigit() and len(m["id"]) == 16 for m in messages)


def test_messages_verbose_has_words(client: TestClient, headers: dict[str, str], conversation: str) -> None:
    messages = client.get(f"/v1/conversations/{conversation}/messages?verbose=true", headers=headers).json()[
        "messages"
    ]
    words = messages[1]["words"]
    assert [w["word"] for w in words][:3] == ["Can", "you", "send"]
    assert all(w["startTime"] <= w["endTime"] for w in words)


def test_messages_bad_query_is_400(client: TestClient, headers: dict[str, str], conversation: str) -> None:
    response = client.get(f"/v1/conversations/{conversation}/messages?verbose=perhaps", headers=headers)
    assert response.status_code == 400 and "verbose" in response.json()["message"]


def test_members(client: TestClient, headers: dict[str, str], conversation: str) -> None:
    members = client.get(f"/v1/conversations/{conversation}/members", headers=headers).json()["members"]
    assert [(m["name"], m.get("email")) for m in members] == [
        ("Alice", "alice@example.com"),
        ("Bob", "bob@example.com"),
    ]
    assert all(len(m["id"]) == 36 for m in members)


def test_message_ids_are_stable_for_same_input(app_factory: Callable[..., TestClient]) -> None:
    runs = []
    for _ in range(2):
        client = app_factory(seed=42)
        headers = auth_headers(client)
        conv = submit_text(client, headers)["conversationId"]
        runs.append(
            (
                conv,
                [
                    m["id"]
                    for m in client.get(f"/v1/conversations/{conv}/messages", headers=headers).json()[
                        "messages"
                    ]
                ],
            )
        )
    assert runs[0] == runs[1]


def test_tenant_isolation(client: TestClient, headers: dict[str, str], conversation: str) -> None:
    other = auth_headers(client, "app-two")
    for method, path in (
        ("GET", ""),
        ("GET", "/messages"),
        ("GET", "/members"),
        ("DELETE", ""),
    ):
        assert (
            client.request(method, f"/v1/conversations/{conversation}{path}", headers=other).status_code
            == 404
        )
    assert (
        client.put(
            f"/v1/conversations/{conversation}", headers=other, json={"metadata": {"a": "b"}}
        ).status_code
        == 404
    )
    assert client.get(f"/v1/conversations/{conversation}", headers=headers).status_code == 200


def test_reading_before_the_job_completes(app_factory: Callable[..., TestClient]) -> None:
    client = app_factory(job_progression="manual")
    headers = auth_headers(client)
    conv = submit_text(client, headers)["conversationId"]
    body = client.get(f"/v1/conversations/{conv}", headers=headers).json()
    assert body["id"] == conv and body["members"] == []  # the conversation itself answers; its insights
    # answer 404 until the job completes (tests/conversations/test_in_progress.py)


def test_unknown_route_is_symbl_404(client: TestClient, headers: dict[str, str]) -> None:
    response = client.get("/v1/conversationz/1", headers=headers)
    assert response.status_code == 404 and set(response.json()) == {"message"}


def test_account_redaction_settings_apply_to_messages(client: TestClient, headers: dict[str, str]) -> None:
    messages = [{"payload": {"content": "Call me at (415) 555-0123 tomorrow."}, "from": {"name": "Ann"}}]
    conv = submit_text(client, headers, messages)["conversationId"]
    url = f"/v1/conversations/{conv}/messages"

    def text(query: str = "") -> str:
        body: str = client.get(url + query, headers=headers).json()["messages"][0]["text"]
        return body

    assert "555-0123" in text()
    patch = [{"op": "add", "path": "/redaction", "value": {"default": True}}]
    assert client.patch("/v1/manage/settings", headers=headers, json=patch).status_code == 200
    assert "555-0123" not in text() and "[PHONE_NUMBER]" in text()  # the account default applies
    assert "555-0123" in text("?redact=false")  # an explicit query wins
    keep = [{"op": "add", "path": "/redaction/exclude", "value": ["PHONE_NUMBER"]}]
    assert client.patch("/v1/manage/settings", headers=headers, json=keep).status_code == 200
    assert "555-0123" in text()  # excluded types are kept
    other = auth_headers(client, "app-two")
    conv2 = submit_text(client, other, messages)["conversationId"]
    assert (
        "555-0123"
        in client.get(f"/v1/conversations/{conv2}/messages", headers=other).json()["messages"][0]["text"]
    )
