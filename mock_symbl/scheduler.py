"""The scheduler: an asyncio task that steps due jobs every tick (jobs.service.advance_due)."""

from __future__ import annotations

import asyncio
import contextlib
import logging

import anyio

from mock_symbl.jobs.service import advance_due
from mock_symbl.services import Services

log = logging.getLogger("mock_symbl.scheduler")


class Scheduler:
    def __init__(self, services: Services) -> None:
        self.services = services
        self._task: asyncio.Task[None] | None = None

    async def _loop(self) -> None:
        tick = self.services.settings.scheduler_tick_seconds
        while True:
            try:
                await anyio.to_thread.run_sync(advance_due, self.services)
            except Exception:  # a bad tick must not kill the scheduler
                log.exception("scheduler tick failed")
            await asyncio.sleep(tick)

    def start(self) -> None:
        self._task = asyncio.create_task(self._loop(), name="mock-symbl-scheduler")
        self.services.scheduler_running = True

    async def stop(self) -> None:
        self.services.scheduler_running = False
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
