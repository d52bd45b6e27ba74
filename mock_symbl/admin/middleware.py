"""Pure ASGI middleware: fault injection and the request journal for every non-admin request.

Pure ASGI (not BaseHTTPMiddleware) so WebSockets and streamed uploads pass through untouched: bodies
are observed chunk by chunk as the app reads them and only the first `journal_body_bytes` are kept.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import parse_qs

from mock_symbl.admin.faults import Effect, OverrideError, parse_override, symbl_error_body
from mock_symbl.admin.journal import JournalEntry, nearest_route, safe_headers
from mock_symbl.admin.paths import ADMIN_PREFIX
from mock_symbl.admin.state import AdminState, admin_state
from mock_symbl.clock import iso
from mock_symbl.credentials import decode, token_from_headers
from mock_symbl.services import Services

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

log = logging.getLogger("mock_symbl.admin")


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers") or []:
        if key.lower() == name:
            return str(value.decode("latin-1"))
    return None


def _caller(services: Services, scope: Scope) -> tuple[str | None, str]:
    """(account, namespace) of a request from its token, without failing on a bad token."""
    namespace = (_header(scope, b"x-mock-namespace") or "").strip()
    token = token_from_headers(_header(scope, b"authorization"), _header(scope, b"x-api-key"))
    if not token:
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        token = (query.get("access_token") or [None])[0]
    candidates = [token] if token else []
    if not token and scope.get("type") == "websocket":
        # The Web SDK offers its token as the WebSocket subprotocol (a comma-separated list of offers).
        offered = _header(scope, b"sec-websocket-protocol") or ""
        candidates = [p.strip() for p in offered.split(",") if p.strip()]
    for candidate in candidates:
        try:
            return str(decode(services, candidate.strip())["sub"]), namespace
        except Exception:
            continue
    return None, namespace


def _excerpt(chunks: list[bytes]) -> str:
    return b"".join(chunks).decode("utf-8", errors="replace")


def _routes(scope: Scope) -> list[tuple[str, frozenset[str]]]:
    """The app's documented routes (its OpenAPI paths), cached on the app."""
    app = scope.get("app")
    cached = getattr(getattr(app, "state", None), "admin_route_table", None)
    if cached is not None:
        return list(cached)
    try:
        paths = app.openapi().get("paths", {}) if app is not None else {}
    except Exception:  # a broken schema must not break the journal
        paths = {}
    table = [(path, frozenset(m.upper() for m in ops)) for path, ops in paths.items()]
    if app is not None:
        app.state.admin_route_table = table
    return table


def _describe(effect: Effect) -> str:
    parts = []
    if effect.latency_ms:
        parts.append(f"latency={effect.latency_ms:g}ms")
    if effect.status is not None:
        parts.append(f"status={effect.status}")
    if effect.drop:
        parts.append("drop")
    if effect.ws_close is not None:
        parts.append(f"ws_close={effect.ws_close}")
    return ",".join(parts)


class ControlPlaneMiddleware:
    def __init__(self, app: ASGIApp, services: Services) -> None:
        self.app = app
        self.services = services

    @property
    def state(self) -> AdminState:
        return admin_state(self.services)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket") or scope["path"].startswith(ADMIN_PREFIX):
            await self.app(scope, receive, send)
            return
        if scope["type"] == "websocket":
            await self._websocket(scope, receive, send)
        else:
            await self._http(scope, receive, send)

    def _entry(self, scope: Scope, account: str | None, namespace: str) -> JournalEntry:
        return JournalEntry(
            id=self.state.journal.next_id(),
            time=iso(self.services.clock.now()),
            method=scope.get("method", "GET"),
            path=scope["path"],
            query=scope.get("query_string", b"").decode("latin-1"),
            account=account,
            namespace=namespace,
            request_headers=safe_headers(scope.get("headers") or []),
            websocket=scope["type"] == "websocket",
        )

    async def _http(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = time.perf_counter()
        account, namespace = _caller(self.services, scope)
        entry = self._entry(scope, account, namespace)
        limit = self.services.settings.journal_body_bytes
        try:
            effect = parse_override(_header(scope, b"prefer"), _header(scope, b"x-mock-fault"))
        except OverrideError as exc:  # answered like a fault: before the app, in Symbl's error shape
            effect = Effect(status=400, body={"message": str(exc)})
        if effect is None:
            rule = self.state.faults.pick(entry.method, entry.path, account, namespace)
            effect = rule.effect if rule else None
        try:
            if effect is not None:
                entry.fault = _describe(effect)
                if effect.latency_ms > 0:
                    await asyncio.sleep(effect.latency_ms / 1000)
                if effect.drop:
                    # Headers promise a body that never comes; the server then closes the connection.
                    entry.status = 0
                    await send(
                        {
                            "type": "http.response.start",
                            "status": 200,
                            "headers": [(b"content-length", b"1024")],
                        }
                    )
                    return
                if effect.status is not None:
                    entry.status = effect.status
                    body = json.dumps(effect.body or symbl_error_body(effect.status)).encode()
                    entry.response_body = body[:limit].decode("utf-8", errors="replace")
                    headers = [
                        (b"content-type", b"application/json"),
                        (b"content-length", str(len(body)).encode()),
                    ]
                    await send({"type": "http.response.start", "status": effect.status, "headers": headers})
                    await send({"type": "http.response.body", "body": body})
                    return
            await self._observed(scope, receive, send, entry, limit)
        finally:
            entry.latency_ms = round((time.perf_counter() - started) * 1000, 3)
            tenant = (scope.get("state") or {}).get("tenant")
            if tenant is not None:
                entry.account, entry.namespace = tenant.account, tenant.namespace
            self.state.journal.add(entry)

    async def _observed(
        self, scope: Scope, receive: Receive, send: Send, entry: JournalEntry, limit: int
    ) -> None:
        req_chunks: list[bytes] = []
        resp_chunks: list[bytes] = []
        kept = {"req": 0, "resp": 0}

        async def receive_wrapper() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                body = message.get("body", b"")
                entry.request_bytes += len(body)
                if kept["req"] < limit:
                    piece = body[: limit - kept["req"]]
                    req_chunks.append(piece)
                    kept["req"] += len(piece)
                entry.request_body_truncated = entry.request_bytes > kept["req"]
            return message

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start":
                entry.status = int(message["status"])
            elif message["type"] == "http.response.body" and kept["resp"] < limit:
                piece = message.get("body", b"")[: limit - kept["resp"]]
                resp_chunks.append(piece)
                kept["resp"] += len(piece)
            await send(message)

        try:
            await self.app(scope, receive_wrapper, send_wrapper)
        finally:
            entry.request_body = _excerpt(req_chunks)
            entry.response_body = _excerpt(resp_chunks)
            if scope.get("route") is None or entry.status == 405:
                entry.matched = False
                entry.nearest_route = nearest_route(entry.method, entry.path, _routes(scope))

    async def _websocket(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Journal the connection; close it with a fault's code once its `after_messages` have passed."""
        started = time.perf_counter()
        account, namespace = _caller(self.services, scope)
        entry = self._entry(scope, account, namespace)
        faults = self.state.faults
        sent = 0
        closed_code: int | None = None

        async def send_wrapper(message: Message) -> None:
            nonlocal sent, closed_code
            if closed_code is not None:
                return  # the fault closed the socket: the app's later sends go nowhere
            kind = message["type"]
            if kind == "websocket.accept":
                entry.status = 101
            elif kind == "websocket.close":
                entry.status = entry.status or 403
            elif kind == "websocket.send":
                rule = faults.pick("GET", entry.path, account, namespace, websocket=True, messages_sent=sent)
                if rule is not None and rule.effect.ws_close is not None:
                    closed_code = rule.effect.ws_close
                    entry.fault = _describe(rule.effect)
                    await send({"type": "websocket.close", "code": closed_code})
                    return
                sent += 1
            await send(message)

        async def receive_wrapper() -> Message:
            if closed_code is not None:
                return {"type": "websocket.disconnect", "code": closed_code}
            message = await receive()
            if message["type"] == "websocket.receive":
                entry.request_bytes += len(message.get("bytes") or b"") + len(
                    (message.get("text") or "").encode()
                )
            return message

        try:
            await self.app(scope, receive_wrapper, send_wrapper)
        finally:
            entry.latency_ms = round((time.perf_counter() - started) * 1000, 3)
            if scope.get("route") is None:
                entry.matched = False
                entry.nearest_route = nearest_route("GET", entry.path, _routes(scope))
            self.state.journal.add(entry)
