"""Async text routes (rest.md §3.1–3.2)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from mock_symbl.store.tables import Conversation
from tests.helpers import SAMPLE_MESSAGES, auth_headers, submit_text, wait_job

UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


class TestPostText:
    def test_returns_ids_of_the_documented_shape(self, client: TestClient, headers: dict[str, str]) -> None:
        body = submit_text(client, headers)
        assert set(body) == {"conversationId", "jobId"}
        assert re.fullmatch(r"\d{16}", body["conversationId"])
        assert UUID.match(body["jobId"])

    def test_job_completes_and_messages_are_sentences(
        self, client: TestClient, headers: dict[str, str]
    ) -> None:
        body = submit_text(client, headers)
        assert wait_job(client, headers, body["jobId"]) == "completed"
        messages = client.get(f"/v1/conversations/{body['conversationId']}/messages", headers=headers).json()[
            "messages"
        ]
        assert [m["text"] for m in messages] == [
            "Hi everyone.",
            "Can you send me the pricing proposal by Friday?",
            "Sure, I will send it to you by Friday.",
            "Let's schedule a call next week.",
        ]
        assert messages[0]["from"]["name"] == "Alice"
        assert messages[2]["from"]["userId"] == "bob@example.com"

    def test_name_and_metadata(self, client: TestClient, headers: dict[str, str]) -> None:
        body = submit_text(client, headers, name="Weekly sync", metadata={"team": "sales"})
        conv = client.get(f"/v1/conversations/{body['conversationId']}", headers=headers).json()
        assert conv["name"] == "Weekly sync" and conv["metadata"] == {"team": "sales"}

    def test_name_defaults_to_conversation_id(self, client: TestClient, headers: dict[str, str]) -> None:
        body = submit_text(client, headers)
        conv = client.get(f"/v1/conversations/{body['conversationId']}", headers=headers).json()
        assert conv["name"] == body["conversationId"]

    def test_parameters_in_query_are_accepted(self, client: TestClient, headers: dict[str, str]) -> None:
        response = client.post(
            "/v1/process/text?enableSummary=true&name=FromQuery&webhookUrl=http://127.0.0.1:9/hook",
            headers=headers,
            json={"messages": SAMPLE_MESSAGES},
        )
        assert response.status_code == 200
        conv = client.get(f"/v1/conversations/{response.json()['conversationId']}", headers=headers).json()
        assert conv["name"] == "FromQuery"

    def test_explicit_durations_are_kept(self, client: TestClient, headers: dict[str, str]) -> None:
        messages = [
            {
                "payload": {"content": "One two three. Four five six seven eight nine."},
                "from": {"name": "A"},
                "duration": {"startTime": "2021-07-23T16:31:29.000Z", "endTime": "2021-07-23T16:31:38.000Z"},
            }
        ]
        body = submit_text(client, headers, messages)
        out = client.get(f"/v1/conversations/{body['conversationId']}/messages", headers=headers).json()[
            "messages"
        ]
        assert out[0]["startTime"] == "2021-07-23T16:31:29.000Z"
        assert out[1]["endTime"] == "2021-07-23T16:31:38.000Z"
        # split by word count: 3 of 9 words -> 3 s
        assert out[0]["duration"] == 3.0 and out[1]["timeOffset"] == 3.0
        conv = client.get(f"/v1/conversations/{body['conversationId']}", headers=headers).json()
        assert conv["startTime"] == "2021-07-23T16:31:29.000Z"


BAD_BODIES: list[tuple[Any, str]] = [
    ({}, '"messages" is required'),
    ({"messages": []}, '"messages" must contain at least 1 items'),
    ({"messages": "hello"}, '"messages" is invalid'),
    ({"messages": [{}]}, '"messages[0].payload" is required'),
    ({"messages": [{"payload": {}}]}, '"messages[0].payload.content" is required'),
    ({"messages": [{"payload": {"content": ""}}]}, '"messages[0].payload.content" is invalid'),
    ({"messages": [{"payload": {"content": 5}}]}, '"messages[0].payload.content" is invalid'),
    ({"messages": SAMPLE_MESSAGES, "confidenceThreshold": 2}, '"confidenceThreshold" is invalid'),
    ({"messages": SAMPLE_MESSAGES, "confidenceThreshold": "high"}, '"confidenceThreshold" is invalid'),
    ({"messages": SAMPLE_MESSAGES, "detectPhrases": "maybe"}, '"detectPhrases" is invalid'),
    ({"messages": SAMPLE_MESSAGES, "webhookUrl": "file:///etc/passwd"}, '"webhookUrl" is invalid'),
    ({"messages": SAMPLE_MESSAGES, "trackers": [{"vocabulary": ["x"]}]}, '"trackers[0].name" is required'),
    ([1, 2], "The request body must be a JSON object."),
    (
        {
            "messages": [
                {"payload": {"content": "x"}, "duration": {"startTime": "yesterday", "endTime": "now"}}
            ]
        },
        '"messages[0].duration.startTime" must be a valid ISO 8601 date',
    ),
    (
        {
            "messages": [
                {
                    "payload": {"content": "x"},
                    "duration": {"startTime": "2021-01-01T00:00:10Z", "endTime": "2021-01-01T00:00:00Z"},
                }
            ]
        },
        '"messages[0].duration.endTime" must not be before startTime',
    ),
]


@pytest.mark.parametrize(("body", "message"), BAD_BODIES)
def test_bad_input_is_a_clear_400(
    client: TestClient, headers: dict[str, str], body: Any, message: str
) -> None:
    response = client.post("/v1/process/text", headers=headers, json=body)
    assert response.status_code == 400, response.text
    assert message in response.json()["message"]
    # nothing half-written
    with client.app.state.services.db.session() as session:
        assert session.exec(select(Conversation)).all() == []


def test_malformed_json(client: TestClient, headers: dict[str, str]) -> None:
    response = client.post(
        "/v1/process/text", headers={**headers, "content-type": "application/json"}, content=b'{"messages": ['
    )
    assert response.status_code == 400
    assert response.json() == {"message": "Malformed JSON in request body."}


def test_bad_query_value(client: TestClient, headers: dict[str, str]) -> None:
    response = client.post(
        "/v1/process/text?confidenceThreshold=7", headers=headers, json={"messages": SAMPLE_MESSAGES}
    )
    assert response.status_code == 400 and "confidenceThreshold" in response.json()["message"]


def test_unknown_fields_are_ignored(client: TestClient, headers: dict[str, str]) -> None:
    messages = [
        {
            "payload": {"content": "Hello.", "contentType": "text/plain", "extra": 1},
            "from": {"name": "A", "x": 2},
        }
    ]
    assert (
        client.post(
            "/v1/process/text", headers=headers, json={"messages": messages, "future": True}
        ).status_code
        == 200
    )


class TestPutText:
    def test_appends_in_request_order_continuing_the_timeline(
        self, app_factory: Callable[..., TestClient]
    ) -> None:
        client = app_factory(job_progression="time", job_step_seconds=0.05)
        headers = auth_headers(client)
        first = submit_text(
            client, headers, [{"payload": {"content": "First message."}, "from": {"name": "A"}}]
        )
        jobs = [first["jobId"]]
        for i in range(3):
            response = client.put(
                f"/v1/process/text/{first['conversationId']}",
                headers=headers,
                json={"messages": [{"payload": {"content": f"Append number {i}."}, "from": {"name": "B"}}]},
            )
            assert response.status_code == 200
            assert response.json()["conversationId"] == first["conversationId"]
            jobs.append(response.json()["jobId"])
        assert len(set(jobs)) == 4
        for job in reversed(jobs):  # polling the last one first must not let it overtake the others
            assert wait_job(client, headers, job) == "completed"
        messages = client.get(
            f"/v1/conversations/{first['conversationId']}/messages", headers=headers
        ).json()["messages"]
        assert [m["text"] for m in messages] == [
            "First message.",
            "Append number 0.",
            "Append number 1.",
            "Append number 2.",
        ]
        for before, after in zip(messages, messages[1:], strict=False):
            assert after["timeOffset"] >= before["timeOffset"] + before["duration"] - 0.01
        members = client.get(f"/v1/conversations/{first['conversationId']}/members", headers=headers).json()[
            "members"
        ]
        assert [m["name"] for m in members] == ["A", "B"]

    def test_unknown_conversation_is_404(self, client: TestClient, headers: dict[str, str]) -> None:
        response = client.put(
            "/v1/process/text/1234567890123456", headers=headers, json={"messages": SAMPLE_MESSAGES}
        )
        assert response.status_code == 404 and "message" in response.json()

    def test_other_accounts_conversation_is_404(self, client: TestClient, headers: dict[str, str]) -> None:
        body = submit_text(client, headers)
        other = auth_headers(client, "app-two")
        response = client.put(
            f"/v1/process/text/{body['conversationId']}", headers=other, json={"messages": SAMPLE_MESSAGES}
        )
        assert response.status_code == 404


def test_concurrency_limit_is_429(app_factory: Callable[..., TestClient]) -> None:
    client = app_factory(job_progression="manual", max_concurrent_jobs=2, max_queued_jobs=0)
    headers = auth_headers(client)
    submit_text(client, headers)
    submit_text(client, headers)
    response = client.post("/v1/process/text", headers=headers, json={"messages": SAMPLE_MESSAGES})
    assert response.status_code == 429
    body = response.json()
    assert body["statusCode"] == 429 and "maximum of `2` number of concurrent jobs" in body["message"]
    # another account has its own budget
    assert (
        client.post(
            "/v1/process/text", headers=auth_headers(client, "app-two"), json={"messages": SAMPLE_MESSAGES}
        ).status_code
        == 200
    )


def test_progression_header(client: TestClient, headers: dict[str, str]) -> None:
    response = client.post(
        "/v1/process/text",
        headers={**headers, "X-Mock-Job-Progression": "manual"},
        json={"messages": SAMPLE_MESSAGES},
    )
    assert client.get(f"/v1/job/{response.json()['jobId']}", headers=headers).json()["status"] == "scheduled"
    bad = client.post(
        "/v1/process/text",
        headers={**headers, "X-Mock-Job-Progression": "warp"},
        json={"messages": SAMPLE_MESSAGES},
    )
    assert bad.status_code == 400 and "X-Mock-Job-Progression" in bad.json()["message"]
