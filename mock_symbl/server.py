"""Run the app with uvicorn on the main and Labs ports (one process, one worker), in the foreground or a thread."""

from __future__ import annotations

import socket
import threading
import time

import uvicorn
from fastapi import FastAPI

from mock_symbl.app import create_app
from mock_symbl.services import Services
from mock_symbl.settings import Settings


def bind_socket(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.set_inheritable(True)
    return sock


class MockServer:
    """The app bound to its sockets; `.run()` blocks, `.start()` runs it in a daemon thread."""

    def __init__(self, settings: Settings, app: FastAPI | None = None) -> None:
        self.settings = settings
        self.app = app or create_app(settings)
        self.services: Services = self.app.state.services
        self.sockets = [bind_socket(settings.host, settings.port)]
        if settings.labs_enabled:
            self.sockets.append(bind_socket(settings.host, settings.labs_port))
            self.services.labs_ports.add(self.sockets[1].getsockname()[1])
        config = uvicorn.Config(
            self.app, log_level=settings.log_level, lifespan="on", workers=1, timeout_graceful_shutdown=3
        )
        self.server = uvicorn.Server(config)
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return int(self.sockets[0].getsockname()[1])

    @property
    def labs_port(self) -> int | None:
        return int(self.sockets[1].getsockname()[1]) if len(self.sockets) > 1 else None

    def _url(self, port: int) -> str:
        host = self.settings.host
        host = "127.0.0.1" if host in ("0.0.0.0", "") else (f"[{host}]" if ":" in host else host)
        return f"http://{host}:{port}"

    @property
    def base_url(self) -> str:
        return self._url(self.port)

    @property
    def labs_url(self) -> str | None:
        return self._url(self.labs_port) if self.labs_port else None

    def run(self) -> None:
        self.server.run(sockets=self.sockets)

    def start(self, timeout: float = 15.0) -> MockServer:
        self._thread = threading.Thread(target=self.run, name="mock-symbl-server", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self.server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("mock-symbl server did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)
        for sock in self.sockets:
            sock.close()
