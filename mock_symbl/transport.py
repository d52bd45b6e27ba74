"""uvicorn's HTTP and WebSocket protocols with the idle and send deadlines uvicorn does not have.

- HTTP: a connection must deliver a request's complete headers within `http_header_timeout_seconds` of
  opening (or of the request's first byte), and a request body that stops arriving for
  `http_body_timeout_seconds` is abandoned; both answer 408 with Symbl's `{"message"}` body and close.
  Idle keep-alive connections are uvicorn's own `timeout_keep_alive` (`http_keep_alive_seconds`).
- WebSocket: a send that cannot start within `streaming_send_timeout_seconds` (the client stopped reading and
  the transport's buffer is full) closes the connection with 1008 instead of waiting forever; the frames
  received are bounded by uvicorn's `ws_max_size` (server.py) and delivered one at a time.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
from uvicorn.protocols.utils import ClientDisconnected
from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol

from mock_symbl.settings import Settings

HEADER_TIMEOUT_MESSAGE = "Request timeout: the request headers did not arrive in time."
BODY_TIMEOUT_MESSAGE = "Request timeout: the request body stopped arriving."
SLOW_CLIENT_REASON = "client not reading"
ABORT_AFTER_CLOSE_SECONDS = 2.0  # a deaf client gets this long to read its close frame
KERNEL_SEND_BUFFER_BYTES = 64 * 1024  # per WebSocket, on top of uvicorn's 64 KiB write buffer


def _timeout_response(message: str) -> bytes:
    body = json.dumps({"message": message}).encode()
    head = (
        "HTTP/1.1 408 Request Timeout\r\ncontent-type: application/json\r\n"
        f"content-length: {len(body)}\r\nconnection: close\r\n\r\n"
    )
    return head.encode("latin-1") + body


class DeadlineHttpProtocol(HttpToolsProtocol):
    """HttpToolsProtocol plus a header deadline and a body inactivity deadline (see the module docstring)."""

    header_timeout = 10.0
    body_timeout = 30.0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._deadline: asyncio.TimerHandle | None = None
        self._in_body = False

    def _arm(self, seconds: float, message: str) -> None:
        self._disarm()
        self._deadline = self.loop.call_later(seconds, self._expired, message)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _expired(self, message: str) -> None:
        self._deadline = None
        transport = self.transport
        if transport is None or transport.is_closing():
            return
        if self._in_body and self.flow is not None and self.flow.read_paused:
            # The app is not reading (yet): the client is not the slow one, so no timeout.
            self._arm(self.body_timeout, message)
            return
        cycle = self.cycle if self._in_body else None
        if cycle is not None:
            cycle.disconnected = True  # the app's receive() answers http.disconnect
            cycle.message_event.set()
        if cycle is None or not cycle.response_started:
            transport.write(_timeout_response(message))
        transport.close()

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm(self.header_timeout, HEADER_TIMEOUT_MESSAGE)

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self._in_body:
            self._arm(self.body_timeout, BODY_TIMEOUT_MESSAGE)
        super().data_received(data)

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._in_body = False
        self._arm(self.header_timeout, HEADER_TIMEOUT_MESSAGE)

    def on_headers_complete(self) -> None:
        super().on_headers_complete()
        if self.parser.should_upgrade() and self._should_upgrade():
            self._disarm()  # a WebSocket from here on: its own protocol and deadlines
            return
        self._in_body = True
        self._arm(self.body_timeout, BODY_TIMEOUT_MESSAGE)

    def on_message_complete(self) -> None:
        super().on_message_complete()
        self._in_body = False
        self._disarm()

    def handle_websocket_upgrade(self) -> None:
        self._disarm()
        super().handle_websocket_upgrade()


class DeadlineWebSocketProtocol(WebSocketsSansIOProtocol):
    """A send waits at most `send_timeout` for a full transport buffer to drain, then the socket is closed."""

    send_timeout = 10.0

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        super().connection_made(transport)
        sock = transport.get_extra_info("socket")
        if sock is not None:
            # The kernel would grow a socket's send buffer to 4 MB for a client that does not read: bounded
            # here, a deaf client is noticed (and closed) after ~200 KiB rather than megabytes per socket.
            with contextlib.suppress(OSError):
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, KERNEL_SEND_BUFFER_BYTES)

    async def send(self, message: Any) -> None:
        if not self.writable.is_set():
            try:
                await asyncio.wait_for(self.writable.wait(), self.send_timeout)
            except TimeoutError:
                self._drop_deaf_client()
                raise ClientDisconnected() from None
        await super().send(message)
        if message.get("type") == "websocket.close" and self.close_sent:
            # uvicorn then waits close_timeout for the client's close frame and calls transport.close(), which
            # waits for the send buffer to drain: forever, for a client that does not read. Abort after that.
            self._abort_later(self.close_timeout + ABORT_AFTER_CLOSE_SECONDS)

    def _abort_later(self, seconds: float) -> None:
        transport = self.transport

        def abort() -> None:
            if not self.disconnected:
                transport.abort()

        self.loop.call_later(seconds, abort)

    def _drop_deaf_client(self) -> None:
        """Queue a 1008 close behind what the client has not read, and abort if it never reads it."""
        transport = self.transport
        if transport is None or transport.is_closing():
            return
        if self.handshake_complete and not self.close_sent:
            self.conn.send_close(1008, SLOW_CLIENT_REASON)
            transport.write(b"".join(self.conn.data_to_send()))
            self.close_sent = True
        self.queue.put_nowait({"type": "websocket.disconnect", "code": 1008, "reason": SLOW_CLIENT_REASON})
        transport.close()  # flushes what the client still reads ...
        self._abort_later(ABORT_AFTER_CLOSE_SECONDS)  # ... for a short while


def protocol_classes(settings: Settings) -> tuple[type[asyncio.Protocol], type[asyncio.Protocol]]:
    """The HTTP and WebSocket protocol classes for uvicorn.Config(http=..., ws=...), with this server's limits."""
    http = type(
        "MockHttpProtocol",
        (DeadlineHttpProtocol,),
        {
            "header_timeout": settings.http_header_timeout_seconds,
            "body_timeout": settings.http_body_timeout_seconds,
        },
    )
    ws = type(
        "MockWebSocketProtocol",
        (DeadlineWebSocketProtocol,),
        {"send_timeout": settings.streaming_send_timeout_seconds},
    )
    return http, ws


def uvicorn_limits(settings: Settings) -> dict[str, Any]:
    """uvicorn.Config keyword arguments for the limits and timeouts (protocols included)."""
    http, ws = protocol_classes(settings)
    return {
        "http": http,
        "ws": ws,
        "timeout_keep_alive": settings.http_keep_alive_seconds,
        # Frames past the app's limit still reach the app (which answers an error and closes 1009) up to
        # twice that size; beyond, the WebSocket layer closes 1009 without buffering them.
        "ws_max_size": 2 * settings.streaming_max_frame_bytes + 4096,
    }
