"""The API's edge (pure ASGI): a request body is only read once the caller is known, and only up to a limit.

For every HTTP request that carries a body:
- API routes (all but the token route, the API documents and /__admin) need a valid token *before* a byte of
  the body is read: a caller without one gets 401 at once, however large the body it announced.
- Bodies are bounded: media uploads by `max_upload_bytes` (streamed to disk by their routes), /__admin bodies
  by `max_admin_body_bytes`, every other body by `max_json_body_bytes`. A declared Content-Length over the
  limit is refused before reading; a chunked body is refused as soon as it passes the limit. 413 `{"message"}`.
- JSON text that cannot be encoded as UTF-8 (lone surrogates such as "\\ud800") is refused with a 400, so it
  can never reach a stored row, the journal or an answer. Large bodies are checked in a worker thread.
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

import anyio

from mock_symbl import textcheck
from mock_symbl.admin.paths import ADMIN_PREFIX
from mock_symbl.credentials import token_from_headers, verify_token
from mock_symbl.errors import BadRequest, SymblError, Unauthorized, too_large
from mock_symbl.services import Services

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

# Routes that answer without a Symbl token (the token route issues it; the documents are public).
PUBLIC_PATHS = frozenset({"/oauth2/token:generate", "/openapi.json", "/asyncapi.json"})
PUBLIC_PREFIXES = ("/docs", "/redoc")
# Media uploads: streamed to disk by the route under max_upload_bytes (the URL variants are small JSON).
MEDIA_UPLOAD = re.compile(r"^/v1/process/(audio|video)(/(?!url(/|$))[^/]+)?/?$")
# Admin routes that stream their body to disk themselves under max_admin_body_bytes (a 50 MB cassette).
STREAMED_ADMIN = frozenset({ADMIN_PREFIX + "/import"})
OFF_LOOP_BYTES = 256 * 1024  # bodies past this are checked in a worker thread


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers") or []:
        if key.lower() == name:
            return str(value.decode("latin-1"))
    return None


async def answer(send: Send, error: SymblError) -> None:
    body = json.dumps(error.body()).encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        # The unread rest of the body must not be parsed as the next request.
        (b"connection", b"close"),
    ]
    await send({"type": "http.response.start", "status": error.status_code, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def _has_body(scope: Scope) -> bool:
    length = _header(scope, b"content-length")
    if length is not None:
        return length.strip() not in ("", "0")
    return _header(scope, b"transfer-encoding") is not None


def _declared(scope: Scope) -> int | None:
    length = _header(scope, b"content-length")
    try:
        return int(length) if length is not None else None
    except ValueError:
        return None


def _is_json(scope: Scope) -> bool:
    kind = (_header(scope, b"content-type") or "").split(";")[0].strip().lower()
    return kind in ("", "application/json") or kind.endswith("+json")


def _check_json(raw: bytes) -> None:
    """400 for text that cannot be stored; malformed JSON is left to the route (it answers that itself)."""
    if not textcheck.may_hold_surrogates(raw):
        return
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        return
    if not textcheck.encodable(data):
        raise BadRequest(textcheck.MESSAGE)


class EdgeGuard:
    """Authenticate, bound and check request bodies before the routes read them (see the module docstring)."""

    def __init__(self, app: ASGIApp, services: Services) -> None:
        self.app = app
        self.services = services

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not _has_body(scope):
            await self.app(scope, receive, send)
            return
        try:
            receive = await self._guard(scope, receive)
        except SymblError as error:
            # The journal then records the request against its route (not as unmatched: no nearest-route search).
            route = _route_for(scope)
            if route is not None:
                scope["route"] = route
            await answer(send, error)
            return
        await self.app(scope, receive, send)

    async def _guard(self, scope: Scope, receive: Receive) -> Receive:
        path: str = scope["path"]
        settings = self.services.settings
        admin = path.startswith(ADMIN_PREFIX)
        if not admin and path not in PUBLIC_PATHS and not path.startswith(PUBLIC_PREFIXES):
            self._authenticate(scope)
        if not admin and MEDIA_UPLOAD.match(path):
            return receive  # the route streams it to disk under max_upload_bytes
        if admin and path in STREAMED_ADMIN:
            return receive  # the route streams it to disk under max_admin_body_bytes
        limit = settings.max_admin_body_bytes if admin else settings.max_json_body_bytes
        declared = _declared(scope)
        if declared is not None and declared > limit:
            raise too_large(limit)
        raw = await self._read(receive, limit)
        if _is_json(scope):
            if len(raw) > OFF_LOOP_BYTES:
                await anyio.to_thread.run_sync(_check_json, raw)
            else:
                _check_json(raw)
        return _replay(raw, receive)

    def _authenticate(self, scope: Scope) -> None:
        token = token_from_headers(_header(scope, b"authorization"), _header(scope, b"x-api-key"))
        namespace = (_header(scope, b"x-mock-namespace") or "").strip()
        try:
            verify_token(self.services, token, namespace)
        except Unauthorized:
            if _route_for(scope) is not None:
                raise
            # No such route: the router answers 404 (with the journal's nearest route) without the body.

    @staticmethod
    async def _read(receive: Receive, limit: int) -> bytes:
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                raise BadRequest("The client disconnected before sending the whole body.")
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                raise too_large(limit)
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)


def _route_for(scope: Scope) -> Any:
    """The route the router would pick for this path (any method), or None when no route has it."""
    from starlette.routing import Match

    app = scope.get("app")
    for route in getattr(getattr(app, "router", None), "routes", []):
        match, child = route.matches(scope)
        if match != Match.NONE:
            return child.get("route", route)
    return None


def _replay(raw: bytes, receive: Receive) -> Receive:
    """A receive that hands the app the body already read, then the connection's later messages."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": raw, "more_body": False}
        return await receive()

    return replay
