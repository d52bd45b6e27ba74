"""Live connections of one app: who listens to which connection id, and how many streams each account runs.

Everything here runs on the server's event loop (WebSocket handlers and the async telephony routes), so
plain dicts need no locks. Subscribers get JSON text through an unbounded queue each; `None` ends them.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import anyio

from mock_symbl.services import Services

CLOSE = None  # queue sentinel: the subscriber socket should close with 1000


@dataclass
class Channel:
    connection_id: str
    account: str | None = None
    namespace: str = ""
    kind: str = "streaming"  # streaming | telephony
    conversation_id: str | None = None
    streaming: bool = False  # a started (not stopped) recognition counts against the account's limit
    subscribers: set[asyncio.Queue[str | None]] = field(default_factory=set)
    speaker_attached: bool = False
    suspended: Any = None  # a live session waiting for its speaker to reconnect (noConnectionTimeout)
    on_event: Callable[[dict[str, Any]], None] | None = None  # telephony: speaker events from /events


class Hub:
    def __init__(self) -> None:
        self.channels: dict[str, Channel] = {}
        self._tasks: set[asyncio.Task[Any]] = set()
        # One insights computation and one append at a time across all live conversations: both are mostly
        # Python (engine, ORM), and many threads taking the GIL in turn would starve the event loop, delaying
        # every recognition result. Live storage is a queue per conversation anyway.
        self.insights_limiter = anyio.CapacityLimiter(1)
        self.storage_limiter = anyio.CapacityLimiter(1)

    def spawn(self, coro: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
        """Run cleanup outside the caller's cancel scope (a closing socket's handler may be cancelled)."""
        task = asyncio.create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def shutdown(self, _: Services | None = None) -> None:
        """Server shutdown: stop players and timers (a call left active can still be stopped after a restart)."""
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*list(self._tasks), return_exceptions=True)

    def channel(self, connection_id: str) -> Channel:
        chan = self.channels.get(connection_id)
        if chan is None:
            chan = self.channels[connection_id] = Channel(connection_id)
        return chan

    def find(self, connection_id: str) -> Channel | None:
        return self.channels.get(connection_id)

    def subscribe(self, connection_id: str) -> asyncio.Queue[str | None]:
        queue: asyncio.Queue[str | None] = asyncio.Queue()
        self.channel(connection_id).subscribers.add(queue)
        return queue

    def unsubscribe(self, connection_id: str, queue: asyncio.Queue[str | None]) -> None:
        chan = self.channels.get(connection_id)
        if chan is not None:
            chan.subscribers.discard(queue)
            self._forget_if_idle(chan)

    def publish(self, connection_id: str, text: str) -> None:
        chan = self.channels.get(connection_id)
        for queue in chan.subscribers if chan else ():
            queue.put_nowait(text)

    def close_subscribers(self, connection_id: str) -> None:
        chan = self.channels.get(connection_id)
        for queue in chan.subscribers if chan else ():
            queue.put_nowait(CLOSE)

    def active_streams(self, account: str) -> int:
        return sum(1 for c in self.channels.values() if c.account == account and c.streaming)

    def release(self, connection_id: str) -> None:
        """The speaker side is gone for good."""
        chan = self.channels.get(connection_id)
        if chan is not None:
            chan.streaming = False
            chan.speaker_attached = False
            chan.suspended = None
            chan.on_event = None
            self._forget_if_idle(chan)

    def _forget_if_idle(self, chan: Channel) -> None:
        if (
            not chan.subscribers
            and not chan.speaker_attached
            and chan.suspended is None
            and chan.on_event is None
        ):
            self.channels.pop(chan.connection_id, None)


def _warm_engine() -> None:
    # The engine's first call loads its models (~50 ms+ of GIL-holding work); do it before results are due.
    from mock_symbl.insights import engine, models

    now = datetime.now(UTC)
    message = models.Message(
        id="0",
        seq=0,
        text="Can you send the report by Friday?",
        start=now,
        end=now,
        time_offset=0.0,
        duration=1.0,
    )
    engine.compute_bundle([message], models.InsightOptions(conversation_id="warm", conversation_start=now))


def get_hub(services: Services) -> Hub:
    hub = services.extras.get("streaming.hub")
    if hub is None:
        hub = services.extras["streaming.hub"] = Hub()
        services.extras.setdefault("shutdown", []).append(hub.shutdown)
        threading.Thread(target=_warm_engine, name="insights-warmup", daemon=True).start()
    assert isinstance(hub, Hub)
    return hub
