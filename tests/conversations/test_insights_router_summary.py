"""POST /summary: the refresh alias, and the Go SDK's Experience API alias; the 50-word minimums."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from mock_symbl.web import tokens
from tests.helpers import auth_headers, submit_text, wait_job

LINES = [
    "Thanks for joining, today we review the migration plan for the billing service.",
    "The billing service migration needs a new database schema first.",
    "What is the timeline for the database schema change?",
    "The schema change takes two weeks and blocks the billing migration.",
    "I will write the migration runbook for the billing service by Friday.",
    "Our main challenge is the downtime during the billing cutover.",
]  # 65 words in 6 sentences
SHORT = ["Hi Bob, can you hear me?", "Yes, loud and clear.", "Great, let's start the call now."]  # 16 words


def conversation(client: TestClient, headers: dict[str, str], lines: list[str]) -> str:
    messages = [
        {"payload": {"content": text}, "from": {"name": name, "userId": f"{name.lower()}@example.com"}}
        for text, name in zip(lines, ["Alice", "Bob"] * len(lines), strict=False)
    ]
    submitted = submit_text(client, headers, messages)
    assert wait_job(client, headers, submitted["jobId"]) == "completed"
    return submitted["conversationId"]


@pytest.fixture
def cid(client: TestClient, headers: dict[str, str]) -> str:
    return conversation(client, headers, LINES)


def claims_of(client: TestClient, url: str) -> dict[str, Any]:
    """The signed link's claims without its issue and expiry times (which follow the clock)."""
    token = url.split("/__admin/ui/experience/", 1)[1].split("?", 1)[0]
    services = client.app.state.services  # type: ignore[attr-defined]
    claims = tokens.verify(token, secret=services.jwt_key, now=services.clock.time())
    return {k: v for k, v in claims.items() if k not in ("iat", "exp")}


EXPERIENCE_BODIES: list[Any] = [
    {"name": "verbose-text-summary"},
    {"name": "video-summary", "videoUrl": "https://cdn.example.com/m.mp4", "readOnly": True},
    {"name": "audio-summary", "audioURL": "https://cdn.example.com/m.mp3", "font": {"family": "roboto"}},
    {"name": "verbose-text-summary", "color": {"background": "#0A2136"}, "summaryURLExpiresIn": 0},
    {"name": "video-summary"},  # 400: videoUrl is required
    {"name": "audio-summary", "audioUrl": "ftp://x"},  # 400: not http(s)
    {"name": "bogus"},
    {"name": None},
    {"name": 7},
    {"name": "verbose-text-summary", "color": {"background": "red"}},
    {"name": "verbose-text-summary", "summaryURLExpiresIn": -1},
    {"name": "verbose-text-summary", "disableSummaryURLAuthentication": True},
]


@pytest.mark.parametrize("body", EXPERIENCE_BODIES)
def test_post_summary_with_a_name_is_post_experiences(
    client: TestClient, headers: dict[str, str], cid: str, body: dict[str, Any]
) -> None:
    alias = client.post(f"/v1/conversations/{cid}/summary", headers=headers, json=body)
    direct = client.post(f"/v1/conversations/{cid}/experiences", headers=headers, json=body)
    assert alias.status_code == direct.status_code, (alias.text, direct.text)
    if direct.status_code != 200:
        assert 400 <= direct.status_code < 500
        assert alias.json() == direct.json() and set(direct.json()) == {"message"}
        return
    assert alias.json()["name"] == direct.json()["name"] == body["name"]
    assert claims_of(client, alias.json()["url"]) == claims_of(client, direct.json()["url"])
    assert alias.json()["url"].split("?")[1:] == direct.json()["url"].split("?")[1:]
    assert client.get(alias.json()["url"].replace("http://testserver", "")).status_code == 200


def test_post_summary_alias_errors_like_experiences(client: TestClient, headers: dict[str, str]) -> None:
    body = {"name": "verbose-text-summary"}
    for path in ("summary", "experiences"):
        missing = client.post(f"/v1/conversations/1111222233334444/{path}", headers=headers, json=body)
        assert missing.status_code == 404
        assert missing.json() == {"message": "The conversationId is either invalid or does not exist."}
        assert client.post(f"/v1/conversations/1111222233334444/{path}", json=body).status_code == 401


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"json": {}},
        {"json": {"refresh": True}},
        {"content": b"", "headers": {"content-type": "application/json"}},
        {"content": b"name=x", "headers": {"content-type": "application/x-www-form-urlencoded"}},
    ],
)
def test_post_summary_without_a_name_refreshes(
    client: TestClient, headers: dict[str, str], cid: str, kwargs: dict[str, Any]
) -> None:
    extra = kwargs.pop("headers", {})
    response = client.post(
        f"/v1/conversations/{cid}/summary?refresh=true", headers={**headers, **extra}, **kwargs
    )
    assert response.status_code == 200, response.text
    items = response.json()["summary"]
    assert items and all(set(i) >= {"id", "text", "messageRefs"} for i in items)
    get = client.get(f"/v1/conversations/{cid}/summary", headers=headers).json()
    assert get == response.json()


def test_summary_minimums(client: TestClient, headers: dict[str, str]) -> None:
    """No summary below 50 words or 3 sentences (rest.md §5.18): an empty list, by GET and POST alike."""
    few_words = conversation(client, headers, SHORT)
    long_sentence = " ".join(["the billing migration plan"] * 15)  # 60 words: 120 in 2 sentences
    few_sentences = conversation(client, headers, [long_sentence + ".", long_sentence + "."])
    for cid in (few_words, few_sentences):
        assert client.get(f"/v1/conversations/{cid}/summary", headers=headers).json() == {"summary": []}
        refreshed = client.post(f"/v1/conversations/{cid}/summary?refresh=true", headers=headers)
        assert refreshed.json() == {"summary": []}
    enough = conversation(client, headers, LINES)
    assert client.get(f"/v1/conversations/{enough}/summary", headers=headers).json()["summary"]


def test_callscore_needs_50_words(client: TestClient, headers: dict[str, str], cid: str) -> None:
    short = conversation(client, headers, SHORT)
    response = client.get(f"/v1/conversations/{short}/callscore", headers=headers)
    assert response.status_code == 400
    assert response.json() == {
        "message": "Call Score needs a transcript of at least 50 words; this conversation has 16 words."
    }
    assert client.get(f"/v1/conversations/{short}/callscore/status", headers=headers).status_code == 200
    ok = client.get(f"/v1/conversations/{cid}/callscore", headers=headers)
    assert ok.status_code == 200 and "score" in ok.json()


def test_callscore_of_a_non_english_transcript_counts_its_words(
    app_factory: Callable[..., TestClient],
) -> None:
    """Insights are English only, but the word count is the transcript's (no misleading "0 words")."""
    client = app_factory()
    headers = auth_headers(client)
    submitted = submit_text(
        client, headers, [{"payload": {"content": "Hola, ¿me oyes bien?"}}], languageCode="es-ES"
    )
    assert wait_job(client, headers, submitted["jobId"]) == "completed"
    response = client.get(f"/v1/conversations/{submitted['conversationId']}/callscore", headers=headers)
    assert response.status_code == 400 and "has 4 words" in response.json()["message"]
