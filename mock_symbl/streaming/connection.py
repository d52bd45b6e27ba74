"""The speaker's socket: one I/O loop per streaming connection (the order of events is decided by session.py)."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import anyio
from starlette.websockets import WebSocket, WebSocketDisconnect, WebSocketState

from mock_symbl.errors import SymblError
from mock_symbl.services import Services
from mock_symbl.streaming import protocol
from mock_symbl.streaming import service as live_service
from mock_symbl.streaming.hub import Channel, Hub, get_hub
from mock_symbl.streaming.pacing import COMPRESSED_BYTES_PER_SECOND, AudioPacer
from mock_symbl.streaming.pipeline import Pipeline
from mock_symbl.streaming.session import Result, StreamSession, audio_seconds
from mock_symbl.tenancy import Tenant

log = logging.getLogger("mock_symbl.streaming")

RECONNECT_GRACE_SECONDS = 2.0  # how long a reconnect waits for the old socket of the same owner to go
AUDIO_BURST_SECONDS = 60.0  # audio a client may send at once before streaming_max_audio_speed applies
IDLE_AFTER_STOP_SECONDS = 1800.0  # disconnectOnStopRequestTimeout default (docs: 0..1800)


@dataclass
class Suspended:
    """A session whose speaker dropped without stop_request, kept for noConnectionTimeout seconds."""

    session: StreamSession
    pipeline: Pipeline
    timer: asyncio.Task[None]


def summary_url(base: str, conversation_id: str) -> str:
    return f"{base.rstrip('/')}/v1/conversations/{conversation_id}/summary"


def http_base(websocket: WebSocket, services: Services) -> str:
    if services.settings.public_base_url:
        return services.settings.public_base_url.rstrip("/")
    base = str(websocket.base_url).rstrip("/")
    return (
        "https" + base[3:] if base.startswith("wss") else "http" + base[2:] if base.startswith("ws") else base
    )


class StreamConnection:
    def __init__(self, websocket: WebSocket, services: Services, tenant: Tenant, connection_id: str) -> None:
        self.ws = websocket
        self.services = services
        self.tenant = tenant
        self.connection_id = connection_id
        self.hub: Hub = get_hub(services)
        self.settings = services.settings
        self._lock = asyncio.Lock()
        self.session: StreamSession | None = None
        self.pipeline: Pipeline | None = None
        self.closed = False
        self.pacer = AudioPacer(self.settings.streaming_max_audio_speed, AUDIO_BURST_SECONDS)

    def _audio_seconds(self, nbytes: int) -> float:
        assert self.session is not None
        request = self.session.request
        seconds = audio_seconds(nbytes, request.encoding, request.sample_rate)
        return seconds or nbytes / COMPRESSED_BYTES_PER_SECOND

    # ------------------------------------------------------------ sending
    async def send_own(self, message: dict[str, Any] | str) -> None:
        """To the speaker's socket only (errors, pong, session_modified)."""
        text = message if isinstance(message, str) else protocol.dumps(message)
        async with self._lock:
            if self.closed or self.ws.application_state != WebSocketState.CONNECTED:
                return
            try:
                await self.ws.send_text(text)
            except (WebSocketDisconnect, RuntimeError, OSError):
                self.closed = True

    async def emit(self, message: dict[str, Any]) -> None:
        """To the speaker and every subscriber of the connection (big list responses in several frames)."""
        for text in frames(message, self.session):
            self.hub.publish(self.connection_id, text)
            await self.send_own(text)

    async def close(self, code: int = 1000, reason: str = "") -> None:
        async with self._lock:
            if not self.closed and self.ws.application_state == WebSocketState.CONNECTED:
                with contextlib.suppress(Exception):
                    await self.ws.close(code, reason)
            self.closed = True

    def _attach_pipeline(self) -> None:
        """From now on the pipeline's results go to this socket too (see the reconnect in `run`)."""
        if self.pipeline is not None:
            self.pipeline.emit = self.emit

    async def handle(self, produced: list[Result]) -> None:
        self._attach_pipeline()
        for result in produced:
            await self.emit(result.recognition_result())
        assert self.pipeline is not None
        self.pipeline.push([r for r in produced if r.is_final])

    # ------------------------------------------------------------ loop
    async def run(self) -> None:
        owner = (self.tenant.account, self.tenant.namespace)
        chan = await self._claim_channel(owner)
        if (chan.account is not None and (chan.account, chan.namespace) != owner) or chan.speaker_attached:
            await self.send_own(protocol.error("This connectionId is already in use.", "connection_in_use"))
            await self.close(1008)
            return
        self.hub.claim(chan, self.tenant.account, self.tenant.namespace)  # closes other accounts' subscribers
        chan.speaker_attached = True
        if isinstance(chan.suspended, Suspended):  # the speaker reconnected within noConnectionTimeout
            chan.suspended.timer.cancel()
            # The pipeline keeps publishing to subscribers only until this socket has had its opening
            # frames (or sends audio): results still being computed for the old socket's audio must not
            # arrive before started_listening / conversation_created / recognition_started.
            self.session, self.pipeline = chan.suspended.session, chan.suspended.pipeline
            chan.suspended = None
        try:
            await self._loop(chan)
        except (WebSocketDisconnect, anyio.ClosedResourceError):
            pass
        finally:
            self.closed = True
            self._detach(chan)

    async def _claim_channel(self, owner: tuple[str, str]) -> Channel:
        """The channel, after giving the same owner's previous socket a moment to be noticed as closed.

        A client that reconnects right after closing (noConnectionTimeout) can arrive before the server has
        processed the old socket's disconnect; refusing it then would make reconnects racy.
        """
        deadline = time.monotonic() + RECONNECT_GRACE_SECONDS
        while True:
            chan = self.hub.channel(self.connection_id)
            same_owner = chan.account is None or (chan.account, chan.namespace) == owner
            if not (chan.speaker_attached and same_owner) or time.monotonic() >= deadline:
                return chan
            await asyncio.sleep(0.02)

    def _idle_timeout(self) -> float | None:
        session = self.session
        if session is None:  # a socket that never starts holds a descriptor for nothing
            return self.settings.streaming_start_timeout_seconds
        if session.state == "stopped":
            timeout = session.request.disconnect_on_stop_timeout
            return timeout if timeout and timeout > 0 else IDLE_AFTER_STOP_SECONDS
        return None

    async def _loop(self, chan: Channel) -> None:
        limit = self.settings.streaming_max_frame_bytes
        while not self.closed:
            try:
                message = await asyncio.wait_for(self.ws.receive(), self._idle_timeout())
            except TimeoutError:
                if self.session is None:
                    seconds = self.settings.streaming_start_timeout_seconds
                    await self.send_own(
                        protocol.error(f"No start_request received within {seconds:g} seconds.")
                    )
                    await self.close(1008, "no start_request")
                else:
                    await self.close(1000, "idle")
                return
            if message["type"] == "websocket.disconnect":
                return
            data: bytes | None = message.get("bytes")
            text: str | None = message.get("text")
            size = len(data) if data is not None else len(text or "")
            if size > limit:
                await self.send_own(
                    protocol.error(f"Frame of {size} bytes exceeds the limit of {limit} bytes.")
                )
                await self.close(1009, "frame too large")
                return
            if data is not None:
                if self.session is not None:  # audio before start_request is ignored (docs)
                    now = time.monotonic()
                    await self.handle(self.session.audio(len(data), now))
                    wait = self.pacer.delay(self._audio_seconds(len(data)), now)
                    if wait > 0:  # a sender far ahead of real time: read its next frame later
                        await asyncio.sleep(wait)
            elif text is not None:
                await self._on_text(text, chan)

    async def _on_text(self, text: str, chan: Channel) -> None:
        inbound = protocol.parse_inbound(text)
        if inbound.kind == "ping":
            await self.send_own(protocol.PONG)
        elif inbound.kind == "start":
            assert inbound.start is not None
            await self._start(inbound.start, chan)
        elif inbound.kind == "stop":
            await self._stop(chan)
        elif inbound.kind == "modify":
            if self.session is None:
                await self.send_own(protocol.error("modify_request received before start_request."))
                return
            try:
                encoding, rate = protocol.parse_modify(inbound.data)
            except ValueError as exc:
                await self.send_own(protocol.error(str(exc)))
                return
            await self.send_own(self.session.modify(encoding, rate))
        else:
            await self.send_own(protocol.error(inbound.error or "Invalid message."))

    async def _start(self, request: protocol.StartRequest, chan: Channel) -> None:
        limit = self.settings.max_concurrent_streams
        if not chan.streaming and self.hub.active_streams(self.tenant.account) >= limit:
            await self.send_own(protocol.error(protocol.LIMIT_MESSAGE.format(limit=limit), "TooManyRequests"))
            await self.close(1008, "too many connections")
            return
        if self.session is None:
            # Nothing here waits on storage: the conversation row is written by the pipeline's storage
            # thread, so 100 sessions starting at once do not hold back each other's first results.
            try:
                transcript = live_service.choose_transcript(
                    self.services,
                    name=request.transcript,
                    keys=(f"stream:{self.connection_id}", f"stream:{request.meeting_title or ''}"),
                    choose_key=f"stream:{request.meeting_title or ''}:{request.speaker}",
                )
            except SymblError as exc:
                await self.send_own(protocol.error(exc.message))
                return
            conversation_id, started_at = self.services.ids.numeric(), self.services.clock.now()
            self.session = StreamSession(self.connection_id, transcript)
            self.session.conversation_start = started_at
            self.pipeline = Pipeline(self.services, self.tenant, self.session, self.emit)
            # A partial, not a lambda over `self`: the queued task must not keep this connection (and its
            # socket) alive after the client is gone.
            self.pipeline.open(
                functools.partial(
                    live_service.open_conversation,
                    self.services,
                    self.tenant,
                    name=request.meeting_title,
                    source="streaming",
                    options=live_service.options_for(request),
                    conversation_id=conversation_id,
                    now=started_at,
                )
            )
        else:
            conversation_id = self.session.conversation_id
            started_at = self.session.conversation_start or self.services.clock.now()
        chan.conversation_id = conversation_id
        chan.streaming = True
        for message in self.session.start(request, conversation_id, started_at):
            await self.emit(message)
        self._attach_pipeline()
        if self.settings.streaming_playback == "instant":
            await self.handle(self.session.play_all())

    async def _stop(self, chan: Channel) -> None:
        session, pipeline = self.session, self.pipeline
        if session is None or pipeline is None or session.state != "started":
            await self.send_own(protocol.error("stop_request received without an active start_request."))
            return
        await self.handle(session.stop())
        await pipeline.finish()
        chan.streaming = False
        for message in session.closing_messages(
            summary_url(http_base(self.ws, self.services), session.conversation_id)
        ):
            await self.emit(message)
        if session.request.disconnect_on_stop:
            await self.close(1000)

    def _detach(self, chan: Channel) -> None:
        """The speaker's socket is gone. Synchronous on purpose: the handler may be cancelled right after.

        The tasks spawned here get plain values, never `self`: finalizing waits behind the single storage
        writer, and a client dropping connections fast would otherwise keep every dead socket's objects
        (protocol, buffers, ASGI scope) alive in that queue.
        """
        session, pipeline = self.session, self.pipeline
        if session is not None and pipeline is not None and session.state == "started":
            pipeline.emit = _publisher(
                self.hub, self.connection_id, session
            )  # the socket is gone: subscribers only
            base = http_base(self.ws, self.services)
            timeout = session.request.no_connection_timeout
            if timeout and timeout > 0:  # keep it for a reconnect of the same connectionId
                chan.speaker_attached = False
                expire = _finalize_later(self.hub, self.connection_id, session, pipeline, base, timeout)
                chan.suspended = Suspended(session, pipeline, self.hub.spawn(expire))
                return
            self.hub.spawn(_finalize_later(self.hub, self.connection_id, session, pipeline, base, 0.0))
            return
        if session is not None:  # stopped earlier: the subscribers already have conversation_completed
            self.hub.close_subscribers(self.connection_id)
        self.hub.release(self.connection_id)


def frames(message: dict[str, Any], session: StreamSession | None) -> list[str]:
    """The text frames of one outbound message: one, or a list response split under the frame budget."""
    text = protocol.dumps(message)
    if len(text) <= protocol.RESULT_FRAME_BUDGET or session is None:
        return [text]
    kind = protocol.sequence_kind(message)
    parts = protocol.split_response(message, lambda: session.next_sequence(kind))
    return [protocol.dumps(part) for part in parts]


def _publisher(
    hub: Hub, connection_id: str, session: StreamSession | None = None
) -> Callable[[dict[str, Any]], Awaitable[None]]:
    async def publish_only(message: dict[str, Any]) -> None:
        for text in frames(message, session):
            hub.publish(connection_id, text)

    return publish_only


async def _finalize_later(
    hub: Hub, connection_id: str, session: StreamSession, pipeline: Pipeline, base: str, delay: float
) -> None:
    """After `delay` (noConnectionTimeout) without a reconnect, complete the conversation and free the channel."""
    if delay > 0:
        await asyncio.sleep(delay)
    try:
        await finalize(hub, connection_id, session, pipeline, base)
    finally:
        hub.release(connection_id)


async def finalize(
    hub: Hub, connection_id: str, session: StreamSession, pipeline: Pipeline, base: str
) -> None:
    """The speaker is gone without stop_request: complete the conversation for storage and subscribers."""
    publish_only = _publisher(hub, connection_id, session)
    pipeline.emit = publish_only
    flushed = session.stop()
    for result in flushed:
        await publish_only(result.recognition_result())
    pipeline.push([r for r in flushed if r.is_final])
    await pipeline.finish()
    for message in session.closing_messages(summary_url(base, session.conversation_id)):
        await publish_only(message)
    hub.close_subscribers(connection_id)
