"""The JWT signing key: random per data directory (kept there), per process in memory, never built in."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jwt
import pytest
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from mock_symbl.app import create_app
from mock_symbl.auth.keys import KEY_FILE
from tests.conftest import make_settings
from tests.helpers import token_for

# The key every earlier release signed with (and docs/QUICKSTART.md printed): anyone could mint tokens with it.
OLD_BUILT_IN_KEY = "mock-symbl-insecure-development-signing-key"


def _forged(app_id: str, key: str = OLD_BUILT_IN_KEY) -> str:
    now = int(time.time())
    claims: dict[str, Any] = {
        "iss": "mock-symbl",
        "sub": app_id,
        "appId": app_id,
        "iat": now,
        "exp": now + 3600,
    }
    return jwt.encode(claims, key, algorithm="HS256")


def _ws_refused(client: TestClient, url: str) -> bool:
    try:
        with client.websocket_connect(url) as ws:
            ws.send_json({"type": "start_request", "config": {}})
            ws.receive_json()
    except WebSocketDisconnect:
        return True
    return False


@pytest.mark.parametrize("apps", ["", "known:secret"])
def test_a_token_forged_with_the_old_built_in_key_is_refused(
    app_factory: Callable[..., TestClient], apps: str
) -> None:
    client = app_factory(apps=apps)
    # The attack worked before: a self-signed token passed every route and the WebSocket, even with --apps.
    for app_id in ("known", "not-in-apps"):
        forged = _forged(app_id)
        assert client.get("/v1/conversations", headers={"x-api-key": forged}).status_code == 401
        assert (
            client.get("/v1/conversations", headers={"Authorization": f"Bearer {forged}"}).status_code == 401
        )
        assert _ws_refused(client, f"/v1/streaming/forged-conn?access_token={forged}")
    # A genuine token still works.
    if apps:
        good = token_for(client, "known", "secret")
        assert client.get("/v1/conversations", headers={"x-api-key": good}).status_code == 200


def test_in_memory_servers_have_different_keys(app_factory: Callable[..., TestClient]) -> None:
    first, second = app_factory(), app_factory()
    token = token_for(first)
    assert first.get("/v1/conversations", headers={"x-api-key": token}).status_code == 200
    assert second.get("/v1/conversations", headers={"x-api-key": token}).status_code == 401


def test_the_key_is_kept_in_the_data_directory_and_survives_a_restart(tmp_path: Path) -> None:
    settings = make_settings(data_dir=tmp_path, database="mock.db")
    with TestClient(create_app(settings)) as client:
        token = token_for(client)
        assert client.get("/v1/conversations", headers={"x-api-key": token}).status_code == 200
    key_file = tmp_path / KEY_FILE
    assert key_file.stat().st_mode & 0o777 == 0o600  # owner-only: the key signs every token
    assert OLD_BUILT_IN_KEY not in key_file.read_text()
    with TestClient(create_app(settings)) as client:  # the same data directory, a new process-like app
        assert client.get("/v1/conversations", headers={"x-api-key": token}).status_code == 200
    # Another data directory has another key.
    other = tmp_path / "other"
    with TestClient(create_app(make_settings(data_dir=other, database="mock.db"))) as client:
        assert client.get("/v1/conversations", headers={"x-api-key": token}).status_code == 401


def test_jwt_secret_sets_the_key(app_factory: Callable[..., TestClient]) -> None:
    client = app_factory(jwt_secret="a-shared-key-for-a-fleet-of-mocks-0123456789")
    forged = _forged("anyone", key="a-shared-key-for-a-fleet-of-mocks-0123456789")
    assert client.get("/v1/conversations", headers={"x-api-key": forged}).status_code == 200
    assert client.get("/v1/conversations", headers={"x-api-key": _forged("anyone")}).status_code == 401


def test_tokens_of_app_ids_dropped_from_apps_are_refused(tmp_path: Path) -> None:
    open_settings = make_settings(data_dir=tmp_path, database="mock.db")
    with TestClient(create_app(open_settings)) as client:
        token = token_for(client, "old-app")
    restricted = make_settings(data_dir=tmp_path, database="mock.db", apps="new-app:secret")
    with TestClient(create_app(restricted)) as client:
        assert client.get("/v1/conversations", headers={"x-api-key": token}).status_code == 401
        good = token_for(client, "new-app", "secret")
        assert client.get("/v1/conversations", headers={"x-api-key": good}).status_code == 200
