"""Seeded ids and a frozen clock: the same requests on two fresh servers give the same JSON."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
from fastapi.testclient import TestClient

from mock_symbl.server import MockServer
from tests.conftest import make_settings
from tests.helpers import SAMPLE_MESSAGES


def _session(client: Any) -> list[object]:  # a TestClient or an httpx.Client
    token = client.post(
        "/oauth2/token:generate", json={"type": "application", "appId": "det", "appSecret": "x"}
    ).json()
    headers = {"x-api-key": token["accessToken"]}
    created = client.post("/v1/process/text", headers=headers, json={"messages": SAMPLE_MESSAGES}).json()
    appended = client.put(
        f"/v1/process/text/{created['conversationId']}",
        headers=headers,
        json={"messages": [{"payload": {"content": "One more thing: the demo is on Thursday."}}]},
    ).json()
    cid = created["conversationId"]
    reads = [
        client.get(f"/v1/conversations/{cid}{s}", headers=headers).json()
        for s in ("", "/messages", "/topics", "/action-items")
    ]
    return [token, created, appended, *reads]


def _on_fresh_server(**settings: Any) -> list[object]:
    server = MockServer(make_settings(log_level="warning", labs_enabled=False, **settings)).start()
    try:
        with httpx.Client(base_url=server.base_url, timeout=30) as http:
            return _session(http)
    finally:
        server.stop()


def test_same_seed_same_ids_and_json_on_two_fresh_servers() -> None:
    # The same signing key too: by default each in-memory server signs tokens with its own random key.
    settings = {
        "seed": 1234,
        "freeze_clock_at": "2025-03-04T05:06:07Z",
        "jwt_secret": "a-shared-test-signing-key-of-32-bytes-or-more",
    }
    first = _on_fresh_server(**settings)
    second = _on_fresh_server(**settings)
    assert first == second
    assert first[1]["conversationId"].isdigit() and len(first[1]["conversationId"]) == 16  # type: ignore[index]
    third = _on_fresh_server(seed=999, freeze_clock_at="2025-03-04T05:06:07Z")
    assert third[1] != first[1]


def test_reseed_at_runtime(app_factory: Callable[..., TestClient]) -> None:
    client = app_factory(freeze_clock_at="2025-03-04T05:06:07Z")
    assert client.get("/__admin/seed").json() == {"seed": None}
    client.post("/__admin/seed", json={"seed": 5})
    first = _session(client)
    client.post("/__admin/seed", json={"seed": 5})
    client.post("/__admin/reset", params={"account": "det"})
    assert _session(client) == first


def test_frozen_clock_at_boot(app_factory: Callable[..., TestClient]) -> None:
    client = app_factory(freeze_clock_at="2025-03-04T05:06:07Z")
    assert client.get("/__admin/clock").json()["now"] == "2025-03-04T05:06:07.000Z"
