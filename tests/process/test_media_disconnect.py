"""A client that hangs up mid-upload leaves no file behind and the server keeps serving."""

from __future__ import annotations

import socket
import time

import httpx

from mock_symbl.media.synth import make_wav
from mock_symbl.process.media_service import media_dir
from mock_symbl.server import MockServer
from tests.conftest import make_settings


def test_interrupted_upload_leaves_nothing() -> None:
    server = MockServer(make_settings(labs_enabled=False)).start()
    try:
        base = server.base_url
        token = httpx.post(
            base + "/oauth2/token:generate", json={"type": "application", "appId": "a", "appSecret": "b"}
        ).json()["accessToken"]
        head = (
            "POST /v1/process/audio HTTP/1.1\r\n"
            f"Host: 127.0.0.1:{server.port}\r\n"
            f"x-api-key: {token}\r\n"
            "Content-Type: audio/wav\r\n"
            "Content-Length: 1000000\r\n\r\n"
        ).encode()
        with socket.create_connection(("127.0.0.1", server.port)) as sock:
            sock.sendall(head + make_wav(1)[:5000])
            time.sleep(0.3)  # the server has started writing the file
        folder = media_dir(server.services)
        deadline = time.monotonic() + 5
        while folder.exists() and list(folder.iterdir()) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not folder.exists() or list(folder.iterdir()) == []
        ok = httpx.post(
            base + "/v1/process/audio",
            headers={"x-api-key": token, "content-type": "audio/wav"},
            content=make_wav(1),
        )
        assert ok.status_code == 200, ok.text
    finally:
        server.stop()
