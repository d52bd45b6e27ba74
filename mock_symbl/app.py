"""Composition root: create_app(settings) builds one mock server (main and Labs host)."""

from __future__ import annotations

import inspect
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.middleware.cors import CORSMiddleware

from mock_symbl import __version__
from mock_symbl.admin import install as install_admin
from mock_symbl.admin.router import router as admin_router
from mock_symbl.auth.router import router as auth_router
from mock_symbl.auth.service import load_revoked
from mock_symbl.clock import Clock
from mock_symbl.conversations.bookmarks_router import router as bookmarks_router
from mock_symbl.conversations.insights_router import router as insights_router
from mock_symbl.conversations.list_router import router as conversation_list_router
from mock_symbl.conversations.router import router as conversations_router
from mock_symbl.errors import install_error_handlers
from mock_symbl.ids import IdFactory
from mock_symbl.jobs.deferred import recover as recover_deferred
from mock_symbl.jobs.router import router as jobs_router
from mock_symbl.manage.callscore_router import router as manage_callscore_router
from mock_symbl.manage.entities_router import router as manage_entities_router
from mock_symbl.manage.groups_router import router as manage_groups_router
from mock_symbl.manage.settings_router import router as manage_settings_router
from mock_symbl.manage.trackers_router import router as manage_trackers_router
from mock_symbl.metric.router import router as metric_router
from mock_symbl.process.media_processor import register as register_media
from mock_symbl.process.media_router import router as media_router
from mock_symbl.process.router import router as process_router
from mock_symbl.process.text import text_processor
from mock_symbl.scheduler import Scheduler
from mock_symbl.services import Services
from mock_symbl.settings import Settings
from mock_symbl.store.db import Database
from mock_symbl.streaming.router import router as streaming_router
from mock_symbl.telephony.router import router as telephony_router
from mock_symbl.web import openapi as web_openapi
from mock_symbl.web.asyncapi import router as asyncapi_router
from mock_symbl.web.experiences import router as experiences_router
from mock_symbl.web.pages import router as web_pages_router

log = logging.getLogger("mock_symbl")

# Every router of the app, in registration order (static paths before parameterised ones).
_ROUTERS: list[APIRouter] = [
    web_pages_router,  # /__admin/ui pages first, before any catch-all
    asyncapi_router,
    auth_router,
    experiences_router,  # /v1/conversations/experiences/... before /v1/conversations/{id}/...
    process_router,
    media_router,
    jobs_router,
    conversation_list_router,
    conversations_router,
    insights_router,
    bookmarks_router,
    manage_trackers_router,
    manage_entities_router,
    manage_groups_router,
    manage_callscore_router,
    manage_settings_router,
    metric_router,
    admin_router,
    streaming_router,
    telephony_router,
]

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


def _load_transcripts(settings: Settings) -> Any:
    try:
        from mock_symbl.transcripts.library import TranscriptLibrary
    except ImportError:  # the transcript library is optional until the media area is installed
        return None
    return TranscriptLibrary.load(settings.fixtures_dir)


def build_services(settings: Settings) -> Services:
    db = Database(settings.database_path)
    db.open()
    services = Services(
        settings=settings,
        db=db,
        clock=Clock(),
        ids=IdFactory(settings.seed),
        transcripts=_load_transcripts(settings),
    )
    services.answers.enabled = settings.answer_cache
    services.answers.watch(db.engine)
    services.processors["text"] = text_processor
    register_media(services)  # audio/video processors and webhook delivery
    load_revoked(services)
    recover_deferred(services)  # completed conversations whose insights were pending at the last stop
    return services


async def _run_hooks(hooks: list[Callable[[Services], Any]], services: Services) -> None:
    for hook in hooks:
        result = hook(services)
        if inspect.isawaitable(result):
            await result


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app; the database is opened (or refused) here, the scheduler starts in the lifespan."""
    settings = settings or Settings()
    services = build_services(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        scheduler = Scheduler(services)
        scheduler.start()
        await _run_hooks(services.extras.get("startup", []), services)
        try:
            yield
        finally:
            await _run_hooks(services.extras.get("shutdown", []), services)
            await scheduler.stop()
            if services.db.ephemeral:
                services.db.close()  # :memory: data ends with the server
            else:
                services.db.engine.dispose()

    app = FastAPI(
        title="mock-symbl",
        version=__version__,
        description="A self-hosted, deterministic emulator of the Symbl.ai API.",
        lifespan=lifespan,
    )
    app.state.services = services
    install_error_handlers(app)
    install_admin(app, services)  # journal + fault middleware (inside CORS), boot clock/snapshot/seed
    app.add_middleware(
        CORSMiddleware,
        allow_origins=["*"],
        allow_methods=["*"],
        allow_headers=CORS_HEADERS,
        expose_headers=["*"],
    )
    for router in _ROUTERS:
        app.include_router(router)
    web_openapi.install(app)  # OpenAPI with Symbl's error bodies; /docs served offline
    return app
