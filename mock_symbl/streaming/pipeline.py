"""The async side of a live conversation: store finals, then send message and insight responses, in order.

Recognition results go out at once from the I/O loop; storing and the insights engine run in worker threads
through this pipeline's single worker task, so the socket never waits on SQLite or NLP. Insights are computed at
most every `streaming_insights_seconds` (and always before the conversation completes).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

import anyio

from mock_symbl.insights.sentiment import polarity
from mock_symbl.job_lifecycle import JobStatus
from mock_symbl.services import Services
from mock_symbl.streaming import results
from mock_symbl.streaming import service as live_service
from mock_symbl.streaming.hub import get_hub
from mock_symbl.streaming.session import Result, StreamSession
from mock_symbl.tenancy import Tenant

log = logging.getLogger("mock_symbl.streaming")

Emit = Callable[[dict[str, Any]], Awaitable[None]]


class Pipeline:
    def __init__(self, services: Services, tenant: Tenant, session: StreamSession, emit: Emit) -> None:
        self.services = services
        self.tenant = tenant
        self.session = session
        self.emit = emit
        self.interval = services.settings.streaming_insights_seconds
        self._queue: asyncio.Queue[list[Result]] = asyncio.Queue()
        self._worker: asyncio.Task[None] | None = None
        self._dirty = False
        self._last_insights = 0.0
        self._pending = 0  # batches pushed and not yet stored
        self._idle = asyncio.Event()
        self._idle.set()
        self.finished = False
        self._opened: asyncio.Task[Any] | None = None

    def open(self, create: Callable[[], Any]) -> None:
        """Create the conversation row now, in the storage thread; stores and insights wait for it."""
        limiter = get_hub(self.services).storage_limiter
        self._opened = get_hub(self.services).spawn(anyio.to_thread.run_sync(create, limiter=limiter))

    async def _ensure_open(self) -> None:
        if self._opened is not None:
            await asyncio.shield(self._opened)

    def push(self, finals: list[Result]) -> None:
        if finals:
            if self._worker is None or self._worker.done():
                self._worker = get_hub(self.services).spawn(self._run())
            self._pending += 1
            self._idle.clear()
            self._queue.put_nowait(finals)

    async def _run(self) -> None:
        while True:
            timeout = None
            if self._dirty:
                timeout = max(0.0, self.interval - (time.monotonic() - self._last_insights))
            try:
                batch = await asyncio.wait_for(self._queue.get(), timeout)
            except TimeoutError:
                try:
                    await self._insights()
                except Exception:  # e.g. the conversation was deleted mid-stream
                    log.exception("live insights failed")
                continue
            taken = 1
            while not self._queue.empty():  # coalesce what piled up while we were busy
                batch = batch + self._queue.get_nowait()
                taken += 1
            try:
                await self._store(batch)
            except Exception:  # a storage error must not kill the socket; the REST view will miss these lines
                log.exception("storing live results failed")
            finally:
                self._pending -= taken
                if self._pending == 0:
                    self._idle.set()

    async def _store(self, batch: list[Result]) -> None:
        await self._ensure_open()
        session = self.session
        assert session.conversation_start is not None
        stored = await anyio.to_thread.run_sync(
            live_service.append_results,
            self.services,
            self.tenant,
            session.conversation_id,
            session.conversation_start,
            batch,
            limiter=get_hub(self.services).storage_limiter,
        )
        finals = [r for r in batch if r.text.strip()]
        if stored and len(stored) == len(finals):
            await self.emit(session.message_response(finals, [m.id for m in stored], sentiment=polarity))
        self._dirty = True
        if time.monotonic() - self._last_insights >= self.interval:
            await self._insights()

    async def _insights(self, *, status: str | None = None) -> None:
        self._dirty = False
        self._last_insights = time.monotonic()
        bundle, ids = await anyio.to_thread.run_sync(
            lambda: live_service.refresh_insights(
                self.services, self.tenant, self.session.conversation_id, status=status
            ),
            limiter=get_hub(self.services).insights_limiter,
        )
        for message in self.session.insight_messages(bundle, results.message_index(ids)):
            await self.emit(message)

    async def drain(self) -> None:
        """Wait until every pushed final is stored and answered."""
        if self._worker is not None and not self._worker.done():
            await self._idle.wait()

    async def finish(self, *, status: JobStatus = JobStatus.COMPLETED) -> None:
        """Flush, compute the final insights, mark the conversation completed."""
        await self.drain()
        if self._worker is not None:
            self._worker.cancel()
            self._worker = None
        if self.session.conversation_id:
            try:
                await self._ensure_open()
                await self._insights(status=status)
            except Exception:
                log.exception("final insights failed")
        self.finished = True

    async def cancel(self) -> None:
        if self._worker is not None:
            self._worker.cancel()
            self._worker = None
