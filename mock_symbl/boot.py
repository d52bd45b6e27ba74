"""Loading an app's services and API: inline (create_app) or in a background thread (`mock-symbl serve`).

The probes (/__admin/health, /__admin/ready) never need the database, so a served app can listen and answer
liveness while the database opens and the API's modules load. `BootGate` holds every other request until
the boot is done, then runs it through the control plane and the routes as usual: no request is refused or
lost for arriving early, and /__admin/ready says 503 until then.
"""

from __future__ import annotations

import asyncio
import importlib
import inspect
import json
import logging
import threading
from collections.abc import Awaitable, Callable, MutableMapping
from typing import TYPE_CHECKING, Any

from mock_symbl.admin.paths import PROBE_PATHS

if TYPE_CHECKING:
    from fastapi import FastAPI

    from mock_symbl.services import Hook, Services
    from mock_symbl.settings import Settings

log = logging.getLogger("mock_symbl")

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

# Every router of the API as "module:attribute", in registration order (static paths before parameterised ones).
ROUTERS = (
    "mock_symbl.web.pages:router",  # /__admin/ui pages first, before any catch-all
    "mock_symbl.web.live:router",  # /__admin/ui/live: the live demo console
    "mock_symbl.web.asyncapi:router",
    "mock_symbl.auth.router:router",
    "mock_symbl.web.experiences:router",  # /v1/conversations/experiences/... before /v1/conversations/{id}/...
    "mock_symbl.process.router:router",
    "mock_symbl.process.media_router:router",
    "mock_symbl.jobs.router:router",
    "mock_symbl.conversations.list_router:router",
    "mock_symbl.conversations.router:router",
    "mock_symbl.conversations.insights_router:router",
    "mock_symbl.conversations.bookmarks_router:router",
    "mock_symbl.manage.trackers_router:router",
    "mock_symbl.manage.entities_router:router",
    "mock_symbl.manage.groups_router:router",
    "mock_symbl.manage.callscore_router:router",
    "mock_symbl.manage.settings_router:router",
    "mock_symbl.metric.router:router",
    "mock_symbl.admin.router:router",
    "mock_symbl.streaming.router:router",
    "mock_symbl.telephony.router:router",
)

# Seconds after going live before the NLP libraries are loaded in the background (see Boot._go_live).
NLP_WARM_UP_DELAY_SECONDS = 0.5


def build_services(settings: Settings) -> Services:
    """Open the database (or refuse it) and build the per-app singletons with every area's hooks."""
    from mock_symbl import admin
    from mock_symbl.auth.keys import signing_key
    from mock_symbl.auth.service import load_revoked
    from mock_symbl.clock import Clock
    from mock_symbl.ids import IdFactory
    from mock_symbl.jobs.deferred import DeferredInsights
    from mock_symbl.jobs.deferred import recover as recover_deferred
    from mock_symbl.process.media_processor import register as register_media
    from mock_symbl.process.text import text_processor
    from mock_symbl.services import Services
    from mock_symbl.store.db import Database
    from mock_symbl.transcripts.library import TranscriptLibrary

    db = Database(settings.database_path)
    db.open()
    services = Services(
        settings=settings,
        db=db,
        clock=Clock(),
        ids=IdFactory(settings.seed),
        deferred=DeferredInsights(),
        jwt_key=signing_key(settings),
        transcripts=TranscriptLibrary.load(settings.fixtures_dir),
    )
    services.answers.enabled = settings.answer_cache
    services.answers.watch(db.engine)
    services.processors["text"] = text_processor
    register_media(services)  # audio/video processors and webhook delivery
    load_revoked(services)
    recover_deferred(services)  # completed conversations whose insights were pending at the last stop
    admin.install(services)  # journal, faults, job hook, boot clock and snapshot
    return services


async def _run_hooks(hooks: list[Hook], services: Services) -> None:
    for hook in hooks:
        result = hook(services)
        if inspect.isawaitable(result):
            await result


def _resolve(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)


class Boot:
    """The part of an app that needs the database: its services, API routes, scheduler and startup hooks."""

    def __init__(self, app: FastAPI, settings: Settings) -> None:
        self.app = app
        self.settings = settings
        self.services: Services | None = None
        self.error: BaseException | None = None
        self.labs_ports: set[int] = set()
        self.own_ports: set[int] = set()
        self.gates: list[BootGate] = []
        self.on_failure: list[Callable[[BaseException], None]] = []
        self.on_live: list[Callable[[], None]] = []
        self.done = threading.Event()  # set once live or failed
        self.nlp_warm = threading.Event()  # set once the NLP libraries are loaded (mock_symbl.insights.warm)
        self._waiters: list[tuple[asyncio.AbstractEventLoop, asyncio.Future[None]]] = []
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._scheduler: Any = None

    # --- loading (any thread)
    def _load(self) -> tuple[Services, list[Any]]:
        services = build_services(self.settings)
        routers = []
        for spec in ROUTERS:
            module, _, attribute = spec.partition(":")
            routers.append(getattr(importlib.import_module(module), attribute))
        importlib.import_module("mock_symbl.web.openapi")
        return services, routers

    def _attach(self, services: Services, routers: list[Any]) -> None:
        """Put the loaded routes behind the probes and open the gates (on the event loop, or before serving)."""
        from mock_symbl.web import openapi

        services.labs_ports.update(self.labs_ports)
        services.own_ports.update(self.own_ports)
        for router in routers:
            self.app.include_router(router)
        openapi.install(self.app)  # OpenAPI with Symbl's error bodies; /docs served offline
        self.app.state.services = services
        self.services = services
        for gate in self.gates:
            gate.open(services)

    @property
    def scheduler(self) -> Any:
        """The running scheduler (mock_symbl.scheduler.Scheduler), or None before going live and after stop."""
        return self._scheduler

    def load_now(self) -> None:
        """Load in the caller's thread (create_app's default): the app is complete when this returns."""
        self._attach(*self._load())

    def add_own_port(self, port: int) -> None:
        """A port this server listens on: webhooks and media URLs may never reach it (mock_symbl.outbound)."""
        self.own_ports.add(port)
        if self.services is not None:
            self.services.own_ports.add(port)

    def add_labs_port(self, port: int) -> None:
        self.labs_ports.add(port)
        if self.services is not None:
            self.services.labs_ports.add(port)

    # --- the lifespan (event loop)
    async def start(self, background: bool) -> None:
        """Lifespan startup: go live now (loaded inline), or once a background thread has loaded everything."""
        if not background:
            await self._go_live()
            return
        # Started here rather than in create_app: a thread importing while uvicorn starts slows both (the GIL).
        loop = asyncio.get_running_loop()

        def work() -> None:
            try:
                loaded = self._load()
            except BaseException as exc:  # reported to waiting requests and the command line, never lost
                loop.call_soon_threadsafe(self._fail, exc)
                return
            asyncio.run_coroutine_threadsafe(self._finish(*loaded), loop)

        self._thread = threading.Thread(target=work, name="mock-symbl-boot", daemon=True)
        self._thread.start()

    async def _finish(self, services: Services, routers: list[Any]) -> None:
        try:
            self._attach(services, routers)
            await self._go_live()
        except BaseException as exc:
            self._fail(exc)

    async def _go_live(self) -> None:
        from mock_symbl.scheduler import Scheduler

        services = self.services
        assert services is not None
        self._scheduler = Scheduler(services)
        self._scheduler.start()
        await _run_hooks(services.startup, services)
        self._settle()
        for callback in self.on_live:
            callback()
        # After a short delay, so the first answers of a fresh process don't share the GIL with the imports;
        # an insights read within that delay waits for the imports, as it would have paid them anyway.
        warm = threading.Timer(NLP_WARM_UP_DELAY_SECONDS, self._warm_nlp)
        warm.name, warm.daemon = "mock-symbl-nlp-warm-up", True
        warm.start()

    def _warm_nlp(self) -> None:
        from mock_symbl.insights.warm import warm_up

        try:
            warm_up()
        except Exception:  # a library that fails to load fails the first read that needs it, as before
            log.exception("loading the NLP libraries in the background failed")
        finally:
            self.nlp_warm.set()

    def _fail(self, exc: BaseException) -> None:
        self.error = exc
        log.error("mock-symbl could not start: %s", exc, exc_info=exc)
        self._settle()
        for callback in self.on_failure:
            callback(exc)

    def _settle(self) -> None:
        with self._lock:
            self.done.set()
            waiters, self._waiters = self._waiters, []
        for loop, future in waiters:
            loop.call_soon_threadsafe(_resolve, future)

    async def wait(self) -> None:
        """Return once the boot is live or has failed."""
        with self._lock:
            if self.done.is_set():
                return
            loop = asyncio.get_running_loop()
            future: asyncio.Future[None] = loop.create_future()
            self._waiters.append((loop, future))
        await future

    async def stop(self) -> None:
        """Lifespan shutdown: let a boot in progress end, then stop the scheduler and close the database."""
        if self._thread is not None and self._thread.is_alive():
            await asyncio.to_thread(self._thread.join)
            await asyncio.to_thread(self.done.wait, 10)
        services = self.services
        if services is None:
            return
        await _run_hooks(services.shutdown, services)
        if self._scheduler is not None:
            await self._scheduler.stop()
        if services.db.ephemeral:
            services.db.close()  # :memory: data ends with the server
        else:
            services.db.engine.dispose()


class BootGate:
    """Pure ASGI middleware: probes pass at once; anything else waits for the boot, then the control plane."""

    def __init__(self, app: ASGIApp, boot: Boot) -> None:
        self.app = app
        self.boot = boot
        self.inner: ASGIApp | None = None  # the control plane around the app, once booted
        boot.gates.append(self)
        if boot.services is not None:
            self.open(boot.services)

    def open(self, services: Services) -> None:
        from mock_symbl.admin import control_plane
        from mock_symbl.conversations.cached_read import CachedMessagesRead
        from mock_symbl.edge import EdgeGuard

        # The journal and faults see every request; the edge then checks bodies before any route reads them;
        # a cached plain transcript read is answered there, before FastAPI's routing (cached_read.py).
        self.inner = control_plane(EdgeGuard(CachedMessagesRead(self.app, services), services), services)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        inner = self.inner
        if inner is not None:
            await inner(scope, receive, send)
            return
        if scope["type"] not in ("http", "websocket") or scope["path"] in PROBE_PATHS:
            await self.app(scope, receive, send)
            return
        await self.boot.wait()
        inner = self.inner
        if inner is not None:
            await inner(scope, receive, send)
        else:
            await self._unavailable(scope, send)

    async def _unavailable(self, scope: Scope, send: Send) -> None:
        message = f"mock-symbl could not start: {self.boot.error}"
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1011, "reason": message[:120]})
            return
        body = json.dumps({"message": message}).encode()
        headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": 503, "headers": headers})
        await send({"type": "http.response.body", "body": body})
