"""uvicorn protocols with deadlines (mock_symbl/transport.py), on a server in a thread: 408 for headers or a
body that stop arriving, idle keep-alives closed, and nothing cut short that is merely slow to be answered."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator

import httpx
import pytest
from websockets.sync.client import connect

from mock_symbl.auth.service import issue_token
from mock_symbl.server import MockServer
from tests.conftest import make_settings


@pytest.fixture
def server() -> Iterator[MockServer]:
    settings = make_settings(
        log_level="warning",
        labs_enabled=False,
        http_header_timeout_seconds=0.5,
        http_body_timeout_seconds=0.5,
        http_keep_alive_seconds=0.5,
    )
    mock = MockServer(settings).start()
    try:
        yield mock
    finally:
        mock.stop()


def _raw(server: MockServer, data: bytes) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", server.port))
    sock.settimeout(20)  # generous: on a loaded machine the server thread can wait long for the GIL
    if data:
        sock.sendall(data)
    return sock


def _read_all(sock: socket.socket) -> bytes:
    out = b""
    while chunk := sock.recv(65536):
        out += chunk
    return out


@pytest.mark.parametrize(
    "data",
    [b"", b"GET /__admin/health HTTP/1.1\r\n", b"GET /__admin/health HTTP/1.1\r\nHost: x\r\nX-Slow: "],
    ids=["nothing", "request-line", "half-a-header"],
)
def test_headers_that_do_not_arrive_in_time_get_408_and_a_close(server: MockServer, data: bytes) -> None:
    sock = _raw(server, data)
    answer = _read_all(sock)  # returns once the server has closed the connection
    sock.close()
    assert answer.startswith(b"HTTP/1.1 408 ")
    assert json.loads(answer.split(b"\r\n\r\n", 1)[1]) == {
        "message": "Request timeout: the request headers did not arrive in time."
    }


def test_a_body_that_stops_arriving_gets_408(server: MockServer) -> None:
    token = issue_token(server.services, "app")[0]
    head = (
        "POST /v1/process/text HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        f"x-api-key: {token}\r\nContent-Length: 1000\r\n\r\n"
    )
    sock = _raw(server, head.encode() + b'{"messages": [')
    answer = _read_all(sock)
    sock.close()
    assert answer.startswith(b"HTTP/1.1 408 ")
    assert b"body stopped arriving" in answer


def test_a_body_that_keeps_arriving_is_not_cut_off(server: MockServer) -> None:
    """The body deadline is for silence: a body trickling in steadily (every 0.2 s) is read to the end."""
    token = issue_token(server.services, "app")[0]
    body = json.dumps({"messages": [{"payload": {"content": "Hello there."}}]}).encode()
    head = (
        "POST /v1/process/text HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        f"x-api-key: {token}\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    )
    sock = _raw(server, head.encode())
    for i in range(0, len(body), 10):
        sock.sendall(body[i : i + 10])
        time.sleep(0.2)
    answer = _read_all(sock)
    sock.close()
    assert answer.startswith(b"HTTP/1.1 200 "), answer[:200]


def test_an_idle_keep_alive_connection_is_closed(server: MockServer) -> None:
    sock = _raw(server, b"GET /__admin/health HTTP/1.1\r\nHost: x\r\n\r\n")
    started = time.monotonic()
    answer = _read_all(sock)  # the answer, then the close once the keep-alive times out
    sock.close()
    assert answer.startswith(b"HTTP/1.1 200 ")
    assert time.monotonic() - started < 15  # closed by the 0.5 s keep-alive, not by the client's 20 s timeout


def test_a_websocket_outlives_the_http_deadlines(server: MockServer) -> None:
    """The header deadline must not follow a connection upgraded to a WebSocket."""
    token = issue_token(server.services, "app")[0]
    with connect(f"ws://127.0.0.1:{server.port}/v1/subscribe/long?access_token={token}") as ws:
        time.sleep(1.5)  # three header deadlines
        ws.send("__PING__")
        assert ws.recv(timeout=5) == "__PONG__"


def test_slow_answers_are_not_timeouts(server: MockServer) -> None:
    """A request whose answer takes longer than every deadline (an injected delay) is answered."""
    token = issue_token(server.services, "app")[0]
    with httpx.Client(base_url=server.base_url, timeout=10) as client:
        started = time.monotonic()
        response = client.get("/v1/conversations", headers={"x-api-key": token, "Prefer": "delay=1500"})
        assert response.status_code == 200
        assert time.monotonic() - started >= 1.5
