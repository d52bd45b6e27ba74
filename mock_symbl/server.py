"""Run the app with uvicorn on the main and Labs ports (one process, one worker), in the foreground or a thread."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import uvicorn
from fastapi import FastAPI

from mock_symbl.app import create_app
from mock_symbl.boot import Boot
from mock_symbl.settings import Settings
from mock_symbl.transport import uvicorn_limits

if TYPE_CHECKING:
    from mock_symbl.services import Services
    from mock_symbl.tls import TlsFiles


def bind_socket(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.set_inheritable(True)
    return sock


class _Companion(uvicorn.Server):
    """A second listener on the same app and event loop (the TLS port): the main server owns the signals."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


class _Main(uvicorn.Server):
    """The main listener; it starts its companions after its own startup and stops them before its shutdown."""

    companions: list[tuple[uvicorn.Server, list[socket.socket]]]

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets=sockets)
        self._tasks = [
            asyncio.create_task(server.serve(sockets=socks), name="mock-symbl-tls")
            for server, socks in self.companions
        ]

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        for server, _ in self.companions:
            server.should_exit = True
        for task in getattr(self, "_tasks", []):
            with contextlib.suppress(Exception, asyncio.CancelledError):
                await task
        await super().shutdown(sockets=sockets)


class MockServer:
    """The app bound to its sockets; `.run()` blocks, `.start()` runs it in a daemon thread.

    With `background`, the server listens (and answers the probes) while the database and API load."""

    def __init__(self, settings: Settings, app: FastAPI | None = None, background: bool = False) -> None:
        self.settings = settings
        self.app = app or create_app(settings, background=background)
        self.boot: Boot = self.app.state.boot
        self.sockets = [bind_socket(settings.host, settings.port)]
        if settings.labs_enabled:
            self.sockets.append(bind_socket(settings.host, settings.labs_port))
            self.boot.add_labs_port(self.sockets[1].getsockname()[1])
        # proxy_headers off: mock_symbl.forwarded handles X-Forwarded-* itself (it also knows X-Forwarded-Host).
        common: dict[str, Any] = {
            "log_level": settings.log_level,
            "access_log": settings.access_log,
            "workers": 1,
            "timeout_graceful_shutdown": 3,
            "proxy_headers": False,
            **uvicorn_limits(settings),  # idle timeouts, WebSocket frame and send bounds (transport.py)
        }
        self.server = _Main(uvicorn.Config(self.app, lifespan="on", **common))
        self.server.companions = []
        self.tls: TlsFiles | None = None
        self.tls_sockets: list[socket.socket] = []
        if settings.tls_port is not None:
            from mock_symbl.tls import ensure_files, server_context  # cryptography: only when TLS is on

            self.tls = ensure_files(settings)
            context = server_context(self.tls)  # a bad certificate or key fails here, before listening
            self.tls_sockets = [bind_socket(settings.host, settings.tls_port)]
            tls_config = uvicorn.Config(
                self.app, lifespan="off", ssl_context_factory=lambda _config, _default: context, **common
            )
            self.server.companions.append((_Companion(tls_config), self.tls_sockets))
        for sock in [*self.sockets, *self.tls_sockets]:  # the outbound guard never lets a webhook reach these
            self.boot.add_own_port(sock.getsockname()[1])
        self.boot.on_failure.append(self._exit)
        self._thread: threading.Thread | None = None

    def _exit(self, _: BaseException) -> None:
        self.server.should_exit = True  # the boot failed: stop serving (the caller reports boot.error)

    @property
    def services(self) -> Services:
        services = self.boot.services
        if services is None:
            raise RuntimeError("mock-symbl is still starting (or failed to start): no services yet")
        return services

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
    def tls_port(self) -> int | None:
        return int(self.tls_sockets[0].getsockname()[1]) if self.tls_sockets else None

    @property
    def tls_url(self) -> str | None:
        port = self.tls_port
        return "https" + self._url(port)[4:] if port else None

    @property
    def labs_url(self) -> str | None:
        return self._url(self.labs_port) if self.labs_port else None

    def run(self) -> None:
        self.server.run(sockets=self.sockets)

    def start(self, timeout: float = 15.0) -> MockServer:
        self._thread = threading.Thread(target=self.run, name="mock-symbl-server", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self.server.started or not all(c.started for c, _ in self.server.companions):
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("mock-symbl server did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)
        for sock in self.sockets + self.tls_sockets:
            sock.close()
