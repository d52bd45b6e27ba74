"""Background boot: the probes answer while the database and API load; every other request waits, none is lost."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from mock_symbl import boot as boot_module
from mock_symbl.app import create_app
from mock_symbl.server import MockServer
from tests.conftest import make_settings
from tests.helpers import SAMPLE_MESSAGES

CREDENTIALS = {"type": "application", "appId": "boot", "appSecret": "s"}


@pytest.fixture
def held(monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    """Hold the background boot inside build_services until the test sets the event."""
    release = threading.Event()
    real = boot_module.build_services

    def slow(settings: Any) -> Any:
        assert release.wait(30), "the test never released the boot"
        return real(settings)

    monkeypatch.setattr(boot_module, "build_services", slow)
    return release


@pytest.fixture
def booting(held: threading.Event) -> Iterator[tuple[TestClient, threading.Event]]:
    app = create_app(make_settings(), background=True)
    with TestClient(app) as client:
        yield client, held
        held.set()


def _in_thread(fn: Any) -> tuple[threading.Thread, list[Any]]:
    out: list[Any] = []
    thread = threading.Thread(target=lambda: out.append(fn()), daemon=True)
    thread.start()
    return thread, out


def test_probes_answer_while_booting(booting: tuple[TestClient, threading.Event]) -> None:
    client, release = booting
    assert client.get("/__admin/health").json()["status"] == "ok"
    ready = client.get("/__admin/ready")
    assert ready.status_code == 503
    assert ready.json() == {
        "status": "not ready",
        "checks": {"database": False, "fixtures": False, "scheduler": False},
    }
    release.set()
    assert client.app.state.boot.done.wait(30)  # type: ignore[attr-defined]
    assert client.get("/__admin/ready").status_code == 200


def test_requests_wait_for_the_boot_and_are_served(booting: tuple[TestClient, threading.Event]) -> None:
    client, release = booting
    thread, out = _in_thread(lambda: client.post("/oauth2/token:generate", json=CREDENTIALS))
    thread.join(0.5)
    assert thread.is_alive() and not out  # held at the gate, not refused
    release.set()
    thread.join(30)
    assert out[0].status_code == 200
    headers = {"x-api-key": out[0].json()["accessToken"]}
    job = client.post("/v1/process/text", headers=headers, json={"messages": SAMPLE_MESSAGES})
    job.raise_for_status()
    messages = client.get(f"/v1/conversations/{job.json()['conversationId']}/messages", headers=headers)
    text = " ".join(m["text"] for m in messages.json()["messages"])
    assert text == " ".join(m["payload"]["content"] for m in SAMPLE_MESSAGES)
    journal = client.get("/__admin/requests").json()
    paths = [entry["path"] for entry in journal["requests"]]
    assert "/oauth2/token:generate" in paths  # the early request went through the control plane too


def test_openapi_and_route_table_complete_after_boot(booting: tuple[TestClient, threading.Event]) -> None:
    client, release = booting
    thread, out = _in_thread(lambda: client.get("/openapi.json"))
    release.set()
    thread.join(30)
    paths = out[0].json()["paths"]
    eager = TestClient(create_app(make_settings())).get("/openapi.json").json()["paths"]
    assert paths.keys() == eager.keys() and len(paths) > 80


def _foreign_database(tmp_path: Path) -> str:
    path = str(tmp_path / "foreign.db")
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE x (y INTEGER)")
    return path


def test_a_failed_boot_answers_503_with_the_reason(tmp_path: Path) -> None:
    app = create_app(make_settings(database=_foreign_database(tmp_path)), background=True)
    with TestClient(app) as client:
        assert app.state.boot.done.wait(30)
        response = client.get("/v1/conversations")
        assert response.status_code == 503
        assert "not a mock-symbl database" in response.json()["message"]
        assert client.get("/__admin/ready").status_code == 503
        assert client.get("/__admin/health").status_code == 200
        with (
            pytest.raises(WebSocketDisconnect) as closed,
            client.websocket_connect("/v1/streaming/abc") as ws,
        ):
            ws.receive_json()
        assert closed.value.code == 1011


def test_a_failed_boot_stops_the_server_with_exit_2(tmp_path: Path) -> None:
    cmd = [
        sys.executable, "-m", "mock_symbl", "--port", "0", "--no-labs-enabled",
        "--database", _foreign_database(tmp_path), "--log-level", "critical",
    ]  # fmt: skip
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "not a mock-symbl database" in result.stderr


def test_served_in_background_labs_port_and_live_server() -> None:
    server = MockServer(make_settings(labs_enabled=True, log_level="warning"), background=True)
    with pytest.raises(RuntimeError, match="still starting"):
        _ = server.services
    server.start()
    try:
        started = time.monotonic()
        token = httpx.post(f"{server.base_url}/oauth2/token:generate", json=CREDENTIALS, timeout=30)
        assert token.status_code == 200, token.text
        assert server.boot.done.is_set() and time.monotonic() - started < 30
        assert server.labs_port in server.services.labs_ports  # recorded before the services existed
        headers = {"x-api-key": token.json()["accessToken"]}
        job = httpx.post(
            f"{server.base_url}/v1/process/text", headers=headers, json={"messages": SAMPLE_MESSAGES}
        )
        route = f"/v1/conversations/{job.json()['conversationId']}/abstract-topics"  # a Labs-only route
        assert httpx.get(f"{server.labs_url}{route}", headers=headers, timeout=30).status_code == 200
        assert httpx.get(f"{server.base_url}{route}", headers=headers, timeout=30).status_code == 404
    finally:
        server.stop()


def test_background_boot_is_the_served_default() -> None:
    assert make_settings().background_boot is True
