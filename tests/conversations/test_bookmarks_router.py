"""Bookmarks (rest.md §5.23): window and message-ref bookmarks, bulk, summaries, 204 delete, isolation."""

from __future__ import annotations

import math
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.helpers import auth_headers, submit_text, wait_job

MESSAGES = [
    {
        "payload": {"content": "Good morning everyone."},
        "from": {"name": "Alice", "userId": "alice@example.com"},
    },
    {
        "payload": {"content": "Let us review the pricing proposal for the Acme account today."},
        "from": {"name": "Bob"},
    },
    {"payload": {"content": "I will send the updated contract by Friday."}, "from": {"name": "Alice"}},
    {"payload": {"content": "Great, then we can close the deal next week."}, "from": {"name": "Bob"}},
]
USER = {"name": "Jane", "userId": "jane@example.com", "email": "jane@example.com"}


@pytest.fixture
def conversation(client: TestClient, headers: dict[str, str]) -> tuple[str, list[dict[str, Any]]]:
    submitted = submit_text(client, headers, MESSAGES)
    assert wait_job(client, headers, submitted["jobId"]) == "completed"
    cid = submitted["conversationId"]
    messages = client.get(f"/v1/conversations/{cid}/messages", headers=headers).json()["messages"]
    return cid, messages


def _post(client: TestClient, headers: dict[str, str], cid: str, body: dict[str, Any]) -> Any:
    return client.post(f"/v1/conversations/{cid}/bookmarks", headers=headers, json=body)


def test_window_bookmark_crud(
    client: TestClient, headers: dict[str, str], conversation: tuple[str, list[dict[str, Any]]]
) -> None:
    cid, messages = conversation
    second = messages[1]
    body = {
        "label": "Pricing",
        "description": "Pricing discussion",
        "user": USER,
        "beginTimeOffset": second["timeOffset"],
        "duration": second["duration"],
    }
    created = _post(client, headers, cid, body)
    assert created.status_code == 200, created.text
    bookmark = created.json()
    assert bookmark["id"].isdigit()
    assert {k: bookmark[k] for k in ("label", "description", "user")} == {
        "label": "Pricing",
        "description": "Pricing discussion",
        "user": USER,
    }
    assert [ref["id"] for ref in bookmark["messageRefs"]] == [second["id"]]
    assert bookmark["messageRefs"][0]["text"] == second["text"]

    got = client.get(f"/v1/conversations/{cid}/bookmarks/{bookmark['id']}", headers=headers).json()
    assert {k: v for k, v in got.items() if k != "bookmarks"} == bookmark
    assert got["bookmarks"] == [bookmark]  # the Go SDK reads {bookmarks: [...]}
    assert client.get(f"/v1/conversations/{cid}/bookmarks", headers=headers).json() == {
        "bookmarks": [bookmark]
    }

    # PUT is a full replace: the label is dropped when omitted
    replaced = client.put(
        f"/v1/conversations/{cid}/bookmarks/{bookmark['id']}",
        headers=headers,
        json={"description": "Whole call", "beginTimeOffset": 0, "duration": 3600},
    ).json()
    assert "label" not in replaced and replaced["user"] == {}
    with_id = client.put(
        f"/v1/conversations/{cid}/bookmarks/{bookmark['id']}",
        headers=headers,
        json={"description": "d", "beginTimeOffset": 0, "duration": 1, "user": {"id": "u1", "name": "U"}},
    ).json()
    assert with_id["user"] == {"userId": "u1", "name": "U"}  # the update guide's user.id
    assert [ref["id"] for ref in replaced["messageRefs"]] == [m["id"] for m in messages]

    deleted = client.delete(f"/v1/conversations/{cid}/bookmarks/{bookmark['id']}", headers=headers)
    assert deleted.status_code == 204
    assert deleted.content == b""
    assert (
        client.get(f"/v1/conversations/{cid}/bookmarks/{bookmark['id']}", headers=headers).status_code == 404
    )
    assert (
        client.delete(f"/v1/conversations/{cid}/bookmarks/{bookmark['id']}", headers=headers).status_code
        == 404
    )


def test_message_ref_bookmark(
    client: TestClient, headers: dict[str, str], conversation: tuple[str, list[dict[str, Any]]]
) -> None:
    cid, messages = conversation
    refs = [{"id": messages[2]["id"]}, {"id": messages[1]["id"]}]
    bookmark = _post(client, headers, cid, {"label": "l", "description": "d", "messageRefs": refs}).json()
    assert [r["id"] for r in bookmark["messageRefs"]] == [messages[1]["id"], messages[2]["id"]]
    # whole seconds (the Go SDK's integers), the messages' window rounded outwards
    begin = math.floor(messages[1]["timeOffset"])
    end = messages[2]["timeOffset"] + messages[2]["duration"]
    assert bookmark["beginTimeOffset"] == begin and isinstance(bookmark["beginTimeOffset"], int)
    assert bookmark["duration"] == math.ceil(end) - begin and isinstance(bookmark["duration"], int)


def test_validation(
    client: TestClient, headers: dict[str, str], conversation: tuple[str, list[dict[str, Any]]]
) -> None:
    cid, messages = conversation
    cases: list[tuple[dict[str, Any], str]] = [
        (
            {"label": "l", "description": "", "beginTimeOffset": 0, "duration": 5},
            '"description" is not allowed to be empty',
        ),
        ({"label": "l", "beginTimeOffset": 0, "duration": 5}, '"description" is required'),
        ({"label": "l", "description": "d"}, "Either"),
        ({"description": "d", "beginTimeOffset": 0}, '"duration" is required'),
        ({"description": "d", "beginTimeOffset": -1, "duration": 5}, "beginTimeOffset"),
        ({"description": "d", "beginTimeOffset": 0, "duration": 0}, '"duration" must be greater than 0'),
        ({"description": "d", "beginTimeOffset": "0", "duration": 5}, "must be a number"),
        ({"description": "d", "messageRefs": [{"id": "nope"}]}, "not a message of this conversation"),
        (
            {"description": "d", "messageRefs": [{"id": messages[0]["id"]}, {"id": messages[2]["id"]}]},
            "sequential",
        ),
        ({"description": "d", "messageRefs": [{}]}, "messageRefs[0].id"),
        ({"description": "d", "beginTimeOffset": 0, "duration": 5, "colour": "red"}, "not allowed"),
        ({"description": "d", "beginTimeOffset": 0, "duration": 5, "user": {"age": "3"}}, "user.age"),
    ]
    for body, fragment in cases:
        response = _post(client, headers, cid, body)
        assert response.status_code == 400, body
        assert fragment in response.json()["message"], body
    assert client.get(f"/v1/conversations/{cid}/bookmarks", headers=headers).json() == {"bookmarks": []}
    assert _post(client, headers, cid, [{"description": "d"}]).status_code == 400  # arrays go to /bulk
    # the Go SDK drops a zero beginTimeOffset (omitempty): duration alone starts at 0
    go_style = _post(client, headers, cid, {"label": "l", "description": "d", "duration": 1}).json()
    assert go_style["beginTimeOffset"] == 0 and [r["id"] for r in go_style["messageRefs"]] == [
        messages[0]["id"]
    ]


def test_bulk_all_or_nothing(
    client: TestClient, headers: dict[str, str], conversation: tuple[str, list[dict[str, Any]]]
) -> None:
    cid, _ = conversation
    path = f"/v1/conversations/{cid}/bookmarks/bulk"
    good = [{"label": f"b{i}", "description": "d", "beginTimeOffset": i, "duration": 2} for i in range(3)]
    response = client.post(path, headers=headers, json=good)
    assert [b["label"] for b in response.json()["bookmarks"]] == ["b0", "b1", "b2"]
    broken = [*good, {"label": "bad", "description": ""}]
    assert client.post(path, headers=headers, json=broken).status_code == 400
    assert len(client.get(f"/v1/conversations/{cid}/bookmarks", headers=headers).json()["bookmarks"]) == 3
    assert client.post(path, headers=headers, json=good[0]).status_code == 400


def test_summaries(
    client: TestClient, headers: dict[str, str], conversation: tuple[str, list[dict[str, Any]]]
) -> None:
    cid, messages = conversation
    first = _post(
        client, headers, cid, {"description": "d", "messageRefs": [{"id": messages[1]["id"]}]}
    ).json()
    empty = _post(
        client, headers, cid, {"description": "nothing", "beginTimeOffset": 9999, "duration": 5}
    ).json()
    summary = client.get(f"/v1/conversations/{cid}/bookmarks/{first['id']}/summary", headers=headers).json()
    (item,) = summary["summary"]
    assert item["text"] == messages[1]["text"]
    assert item["messageRefs"] == [{"id": messages[1]["id"]}]
    assert item["bookmarkReference"] == {"id": first["id"]}
    again = client.get(f"/v1/conversations/{cid}/bookmarks/{first['id']}/summary", headers=headers).json()
    assert again == summary  # deterministic
    assert client.get(f"/v1/conversations/{cid}/bookmarks/{empty['id']}/summary", headers=headers).json() == {
        "summary": []
    }

    every = client.get(f"/v1/conversations/{cid}/bookmarks-summary", headers=headers).json()[
        "bookmarksSummary"
    ]
    assert [(s["bookmarkId"], len(s["summary"])) for s in every] == [(first["id"], 1), (empty["id"], 0)]
    only = client.get(
        f"/v1/conversations/{cid}/bookmarks-summary", headers=headers, params={"bookmarkIds": empty["id"]}
    )
    assert [s["bookmarkId"] for s in only.json()["bookmarksSummary"]] == [empty["id"]]


def test_unknown_conversation_and_isolation(
    client: TestClient, headers: dict[str, str], conversation: tuple[str, list[dict[str, Any]]]
) -> None:
    cid, _ = conversation
    bookmark = _post(client, headers, cid, {"description": "d", "beginTimeOffset": 0, "duration": 5}).json()
    body = {"description": "d", "beginTimeOffset": 0, "duration": 5}
    missing = client.post("/v1/conversations/1234567890123456/bookmarks", headers=headers, json=body)
    assert missing.status_code == 404
    other = auth_headers(client, "app-two")
    for method, path in (
        ("GET", f"/v1/conversations/{cid}/bookmarks"),
        ("GET", f"/v1/conversations/{cid}/bookmarks/{bookmark['id']}"),
        ("GET", f"/v1/conversations/{cid}/bookmarks/{bookmark['id']}/summary"),
        ("GET", f"/v1/conversations/{cid}/bookmarks-summary"),
        ("DELETE", f"/v1/conversations/{cid}/bookmarks/{bookmark['id']}"),
    ):
        assert client.request(method, path, headers=other).status_code == 404, (method, path)
    assert client.post(f"/v1/conversations/{cid}/bookmarks", headers=other, json=body).status_code == 404
    assert (
        client.put(
            f"/v1/conversations/{cid}/bookmarks/{bookmark['id']}", headers=other, json=body
        ).status_code
        == 404
    )
    # a bookmark id under another of my conversations is 404 too
    second = submit_text(client, headers)
    wait_job(client, headers, second["jobId"])
    assert (
        client.get(
            f"/v1/conversations/{second['conversationId']}/bookmarks/{bookmark['id']}", headers=headers
        ).status_code
        == 404
    )
    assert client.get(f"/v1/conversations/{cid}/bookmarks").status_code == 401
