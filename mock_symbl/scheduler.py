"""The scheduler: an asyncio task that steps due jobs every tick, and sleeps while no job needs it.

While some unfinished job is one the scheduler moves (`time` progression, or an `immediate` one left over),
it ticks every `scheduler_tick_seconds` (jobs.service.scheduler_tick). Otherwise it waits until woken
(`services.wake_scheduler`: a submission, a control-plane change, a snapshot import), checking again at
least every IDLE_CHECK_SECONDS: an idle server used to spend about 8 % of a core on 20 empty ticks a
second, and those ticks competed with requests for the GIL (docs/PERFORMANCE.md, idle CPU).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

import anyio

from mock_symbl.jobs.service import scheduler_tick
from mock_symbl.services import Services

log = logging.getLogger("mock_symbl.scheduler")

# A backstop, not the mechanism: every way a job the scheduler moves can appear wakes it at once.
IDLE_CHECK_SECONDS = 1.0


class Scheduler:
    def __init__(self, services: Services) -> None:
        self.services = services
        self.ticks = 0  # ticks run so far (tests see the scheduler sleep)
        self._task: asyncio.Task[None] | None = None

    async def _loop(self, wake: asyncio.Event) -> None:
        tick = self.services.settings.scheduler_tick_seconds
        while True:
            wake.clear()  # before the tick: a wake during or after it keeps the next wait from sleeping
            try:
                busy = await anyio.to_thread.run_sync(scheduler_tick, self.services)
            except Exception:  # a bad tick must not kill the scheduler
                log.exception("scheduler tick failed")
                busy = True
            self.ticks += 1
            if busy:
                await asyncio.sleep(tick)
            else:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(wake.wait(), IDLE_CHECK_SECONDS)

    def start(self) -> None:
        loop = asyncio.get_running_loop()
        wake = asyncio.Event()

        def wake_up() -> None:  # from any thread (request handlers run in worker threads)
            with contextlib.suppress(RuntimeError):  # the loop is closed: the server is stopping
                loop.call_soon_threadsafe(wake.set)

        self.services.wake_scheduler = wake_up
        self._task = asyncio.create_task(self._loop(wake), name="mock-symbl-scheduler")
        self.services.scheduler_running = True

    async def stop(self) -> None:
        self.services.scheduler_running = False
        self.services.wake_scheduler = lambda: None
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
