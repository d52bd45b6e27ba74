"""Composition root: create_app(settings) builds one mock server (main and Labs host)."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from mock_symbl import __version__
from mock_symbl.admin.probes import ADMIN_PREFIX
from mock_symbl.admin.probes import router as probes_router
from mock_symbl.boot import ASGIApp, Boot, BootGate, Receive, Scope, Send, build_services
from mock_symbl.error_handlers import install_error_handlers
from mock_symbl.forwarded import ForwardedMiddleware
from mock_symbl.settings import Settings

__all__ = ["CORS_HEADERS", "build_services", "create_app"]

log = logging.getLogger("mock_symbl")

CORS_HEADERS = [
    "content-type",
    "x-api-key",
    "authorization",
    "x-mock-namespace",
    "x-mock-job-progression",
    "prefer",
    "x-mock-fault",
    "x-admin-token",
]


class ApiOnlyCORS:
    """CORS for the Symbl API only: /__admin bypasses it, so no web page can read or preflight the control
    plane (a cross-origin preflight gets no Access-Control-Allow-* headers and the browser stops there)."""

    def __init__(self, app: ASGIApp, /, **options: Any) -> None:
        self.app = app
        self.cors = CORSMiddleware(app, **options)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket") and scope["path"].startswith(ADMIN_PREFIX):
            await self.app(scope, receive, send)
        else:
            await self.cors(scope, receive, send)


def create_app(settings: Settings | None = None, background: bool = False) -> FastAPI:
    """Build the app. By default the database is opened (or refused) and the API loaded here; with
    `background`, a thread started by the lifespan does that while the probes already answer."""
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await boot.start(background)
        try:
            yield
        finally:
            await boot.stop()

    app = FastAPI(
        title="mock-symbl",
        version=__version__,
        description="A self-hosted, deterministic emulator of the Symbl.ai API.",
        lifespan=lifespan,
    )
    boot = Boot(app, settings)
    app.state.boot = boot
    install_error_handlers(app)
    # The gate sits inside CORS, where the control plane (journal + faults) goes once the boot is done.
    app.add_middleware(BootGate, boot=boot)
    app.add_middleware(
        ApiOnlyCORS,
        allow_origins=settings.cors_origin_list(),
        allow_methods=["*"],
        allow_headers=CORS_HEADERS,
        expose_headers=["*"],
    )
    # Outermost: every layer (journal, Labs host, links) sees the scheme and host the client used.
    app.add_middleware(ForwardedMiddleware, trusted=settings.forwarded_allow_ips)
    app.include_router(probes_router)  # first: answered before anything else is loaded
    if not background:
        boot.load_now()
    return app
