"""Live connections of one app: who listens to which connection id, and how many streams each account runs.

Everything here runs on the server's event loop (WebSocket handlers and the async telephony routes), so
plain dicts need no locks. Subscribers get JSON text through a queue each, bounded in bytes: a subscriber that
falls that far behind is closed (1008) rather than buffered without limit. `None` in a queue ends it.

A subscriber belongs to an account: it only ever receives the events of a connection its own account
(and namespace) runs, whichever side came first. A subscriber that was waiting on a connection id that
another account then starts is closed with 1008 and sees none of its events.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import anyio

from mock_symbl.messages import Message
from mock_symbl.services import Services

CLOSE = None  # queue sentinel: the subscriber socket should close (with its `close_code`)
SLOW_SUBSCRIBER = "Subscriber too slow: its unsent events passed the per-connection buffer limit."
FOREIGN_CONNECTION = "This connectionId belongs to another account."
DEFAULT_BUFFER_BYTES = 4 * 1024 * 1024


@dataclass(eq=False)
class Subscriber:
    """One subscriber socket's outbox: who it is, and events not yet sent (at most `limit` bytes)."""

    account: str
    namespace: str
    limit: int = DEFAULT_BUFFER_BYTES
    queue: asyncio.Queue[str | None] = field(default_factory=asyncio.Queue)
    queued_bytes: int = 0
    close_code: int = 1000
    close_reason: str = ""
    ended: bool = False

    @property
    def owner(self) -> tuple[str, str]:
        return self.account, self.namespace

    def offer(self, text: str) -> None:
        if self.ended:
            return
        if self.queued_bytes + len(text) > self.limit:
            self.end(1008, SLOW_SUBSCRIBER)
            return
        self.queued_bytes += len(text)
        self.queue.put_nowait(text)

    async def next(self) -> str | None:
        text = await self.queue.get()
        if text is not None:
            self.queued_bytes -= len(text)
        return text

    def end(self, code: int = 1000, reason: str = "") -> None:
        """Close after what is queued (1000), or at once, dropping the backlog (any other code)."""
        if self.ended:
            return
        self.ended = True
        self.close_code, self.close_reason = code, reason
        if code != 1000:
            while not self.queue.empty():
                self.queue.get_nowait()
            self.queued_bytes = 0
        self.queue.put_nowait(CLOSE)


@dataclass
class Channel:
    connection_id: str
    account: str | None = None
    namespace: str = ""
    kind: str = "streaming"  # streaming | telephony
    conversation_id: str | None = None
    streaming: bool = False  # a started (not stopped) recognition counts against the account's limit
    subscribers: set[Subscriber] = field(default_factory=set)
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

    def subscribe(
        self, connection_id: str, owner: tuple[str, str], limit: int = DEFAULT_BUFFER_BYTES
    ) -> Subscriber | None:
        """A subscriber of `owner` on the connection id, or None when another account runs that connection."""
        chan = self.channel(connection_id)
        if chan.account is not None and (chan.account, chan.namespace) != owner:
            self._forget_if_idle(chan)
            return None
        subscriber = Subscriber(owner[0], owner[1], limit=limit)
        chan.subscribers.add(subscriber)
        return subscriber

    def claim(self, chan: Channel, account: str, namespace: str) -> None:
        """`account` runs the connection now: subscribers of any other account are closed, unserved."""
        chan.account, chan.namespace = account, namespace
        for subscriber in [s for s in chan.subscribers if s.owner != (account, namespace)]:
            subscriber.end(1008, FOREIGN_CONNECTION)
            chan.subscribers.discard(subscriber)

    def unsubscribe(self, connection_id: str, subscriber: Subscriber) -> None:
        chan = self.channels.get(connection_id)
        if chan is not None:
            chan.subscribers.discard(subscriber)
            self._forget_if_idle(chan)

    def publish(self, connection_id: str, text: str) -> None:
        chan = self.channels.get(connection_id)
        if chan is None or chan.account is None:
            return  # nobody runs it: nothing to tell (and no owner to check subscribers against)
        owner = (chan.account, chan.namespace)
        for subscriber in list(chan.subscribers):
            if subscriber.owner == owner:  # claim() already closed the others; never leak to them
                subscriber.offer(text)

    def close_subscribers(self, connection_id: str) -> None:
        chan = self.channels.get(connection_id)
        for subscriber in list(chan.subscribers) if chan else ():
            subscriber.end()

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
    message = Message(
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
    hub = services.hub
    if hub is None:
        hub = services.hub = Hub()
        services.shutdown.append(hub.shutdown)
        threading.Thread(target=_warm_engine, name="insights-warmup", daemon=True).start()
    return hub
