"""Insights are English only: other languages keep their transcript and get no insights (rest.md §11)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.helpers import wait_job


def test_non_english_media_has_messages_but_no_insights(client: TestClient, headers: dict[str, str]) -> None:
    ids = {}
    for code in ("en-US", "es-ES"):
        response = client.post(
            "/v1/process/audio/url",
            headers=headers,
            json={"url": "https://example.com/calls/weekly.mp3", "languageCode": code},
        )
        assert response.status_code == 200, response.text
        assert wait_job(client, headers, response.json()["jobId"]) == "completed"
        ids[code] = response.json()["conversationId"]
    base = "/v1/conversations/{}/{}"
    for code, conversation in ids.items():
        messages = client.get(base.format(conversation, "messages?sentiment=true"), headers=headers).json()[
            "messages"
        ]
        questions = client.get(base.format(conversation, "questions"), headers=headers).json()["questions"]
        assert messages, code
        assert bool(questions) is (code == "en-US")
