"""Web test fixtures: a finished conversation built from a fixture transcript (rich insights)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.helpers import SAMPLE_MESSAGES, submit_text, wait_job

TRACKERS = [{"name": "Pricing", "vocabulary": ["price", "pricing", "discount", "budget", "cost"]}]


# Lines of a fixture per test conversation: enough for every kind of insight, quick to process.
LINES = 30


def transcript_messages(
    client: TestClient, name: str = "sales-call", lines: int = LINES
) -> list[dict[str, Any]]:
    library = client.app.state.services.transcripts  # type: ignore[attr-defined]
    if library is None or name not in library.names():
        return SAMPLE_MESSAGES
    return [
        {"payload": {"content": line.text}, "from": {"name": line.speaker, "userId": line.email}}
        for line in library.get(name).lines[:lines]
    ]


def make_conversation(
    client: TestClient, headers: dict[str, str], name: str = "Sales call", fixture: str = "sales-call"
) -> str:
    result = submit_text(client, headers, transcript_messages(client, fixture), name=name, trackers=TRACKERS)
    assert wait_job(client, headers, result["jobId"]) == "completed"
    return result["conversationId"]


@pytest.fixture
def conversation(client: TestClient, headers: dict[str, str]) -> str:
    return make_conversation(client, headers)


def path_of(url: str) -> str:
    """The path + query of a URL returned by the API (TestClient answers on http://testserver)."""
    assert url.startswith("http://testserver/"), url
    return url[len("http://testserver") :]
