"""The cached transcript read, answered before FastAPI's routing (pure ASGI).

`GET /v1/conversations/{id}/messages` is the API's most read answer, and once rendered it is served from the
answer cache (store/answers.py). Through FastAPI, such a hit spends most of its time outside the work itself:
matching ~140 routes, solving the route's dependencies and validating its query parameters. This layer sits
where a request has already passed the journal, the faults and the edge, and answers a plain read (no query
parameters) with a valid token whose answer is cached, under the same key the route stores it with. Anything
else (a miss, a bad token, a query parameter) goes on to the route, which renders and caches the answer from
its response model: the bytes served here are always ones the route itself produced.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Hashable, MutableMapping
from typing import Any

from starlette.responses import Response

from mock_symbl.credentials import token_from_headers, verify_token
from mock_symbl.errors import SymblError
from mock_symbl.services import Services
from mock_symbl.tenancy import Tenant

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

ROUTE_PATH = "/v1/conversations/{conversationId}/messages"
_PATH = re.compile(r"^/v1/conversations/([^/]+)/messages$")


def messages_key(
    tenant: Tenant,
    conversation_id: str,
    verbose: bool = False,
    sentiment: bool = False,
    redact: bool | None = None,
    excluded: tuple[str, ...] = (),
) -> Hashable:
    """The answer cache's key of a messages read (the route and this layer must agree on it)."""
    return (
        "messages",
        tenant.account,
        tenant.namespace,
        conversation_id,
        verbose,
        sentiment,
        redact,
        excluded,
    )


def _headers(scope: Scope) -> dict[bytes, bytes]:
    found: dict[bytes, bytes] = {}
    for key, value in scope.get("headers") or []:
        found.setdefault(key.lower(), value)  # the first of repeated headers, as Starlette's headers.get
    return found


class CachedMessagesRead:
    """Serve a cached plain messages read at once; pass every other request on unchanged."""

    def __init__(self, app: ASGIApp, services: Services) -> None:
        self.app = app
        self.services = services
        self._route: Any = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        body = self._hit(scope) if scope["type"] == "http" else None
        if body is None:
            await self.app(scope, receive, send)
            return
        await Response(body, media_type="application/json")(scope, receive, send)

    def _hit(self, scope: Scope) -> bytes | None:
        if scope["method"] != "GET" or scope.get("query_string") or not self.services.answers.enabled:
            return None
        match = _PATH.match(scope["path"])
        route = self._messages_route(scope)
        if match is None or route is None:
            return None
        headers = _headers(scope)
        token = token_from_headers(
            headers.get(b"authorization", b"").decode("latin-1") or None,
            headers.get(b"x-api-key", b"").decode("latin-1") or None,
        )
        namespace = headers.get(b"x-mock-namespace", b"").decode("latin-1").strip()
        try:
            tenant = verify_token(self.services, token, namespace)
        except SymblError:
            return None  # the route answers it (401 in Symbl's shape)
        body, _ = self.services.answers.lookup(messages_key(tenant, match.group(1)))
        if body is not None:
            # What the route would leave for the journal: who called, and that a route matched.
            scope.setdefault("state", {})["tenant"] = tenant
            scope["route"] = route
        return body

    def _messages_route(self, scope: Scope) -> Any:
        """The route object (recorded in the scope as the routing would; FastAPI nests included routers)."""
        if self._route is None:
            app = scope.get("app")
            for branch in getattr(getattr(app, "router", None), "routes", []):
                contexts = getattr(branch, "effective_route_contexts", None)
                for ctx in contexts() if contexts else ():
                    route = ctx.original_route
                    if ctx.path == ROUTE_PATH and "GET" in (getattr(route, "methods", None) or ()):
                        self._route = route
        return self._route
