"""Fixtures for the streaming tests: a fresh app (in-memory DB) and a token per test."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from starlette.testclient import WebSocketTestSession

from mock_symbl.app import create_app
from mock_symbl.auth.service import issue_token
from mock_symbl.settings import Settings

RATE = 16000


def make_client(**overrides: Any) -> TestClient:
    settings = Settings(database=":memory:", streaming_insights_seconds=0, **overrides)
    return TestClient(create_app(settings))


@pytest.fixture
def client() -> Iterator[TestClient]:
    with make_client() as test_client:
        yield test_client


def token_for(client: TestClient, account: str = "app-1") -> str:
    return issue_token(client.app.state.services, account)[0]  # type: ignore[attr-defined]


@pytest.fixture
def token(client: TestClient) -> str:
    return token_for(client)


def start_frame(**extra: Any) -> str:
    body: dict[str, Any] = {
        "type": "start_request",
        "insightTypes": ["question", "action_item", "follow_up"],
        "config": {"speechRecognition": {"encoding": "LINEAR16", "sampleRateHertz": RATE}},
        "speaker": {"userId": "jane@example.com", "name": "Jane"},
        "mockTranscript": "support-call",
    }
    body.update(extra)
    return json.dumps(body)


def pcm(seconds: float) -> bytes:
    return b"\x01\x00" * int(seconds * RATE)


def receive_until(ws: WebSocketTestSession, predicate: Any, limit: int = 5000) -> list[dict[str, Any]]:
    """Collect messages until one satisfies `predicate` (inclusive)."""
    out: list[dict[str, Any]] = []
    for _ in range(limit):
        message = json.loads(ws.receive_text())
        out.append(message)
        if predicate(message):
            return out
    raise AssertionError("predicate never matched")


def kind(message: dict[str, Any]) -> str:
    if message.get("type") == "message":
        return f"message:{message['message']['type']}"
    return str(message.get("type"))


def is_kind(name: str) -> Any:
    return lambda message: kind(message) == name
