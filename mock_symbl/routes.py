"""The app's route table, flattened: the one walker of FastAPI's nested included routers (OpenAPI document,
coverage doc, security tests)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi.routing import iter_route_contexts
from starlette.routing import BaseRoute


@dataclass(frozen=True)
class RouteInfo:
    path: str  # the full path template, prefixes included
    methods: frozenset[str]  # empty for WebSocket routes
    websocket: bool
    name: str
    route: BaseRoute  # the route as declared (endpoint, dependant, response model)


def iter_routes(app: Any) -> list[RouteInfo]:
    """Every HTTP and WebSocket route of `app`, including those of included routers."""
    out: list[RouteInfo] = []
    for ctx in iter_route_contexts(app.routes):
        route = ctx.original_route
        methods = getattr(route, "methods", None)
        out.append(
            RouteInfo(
                path=ctx.path_format or ctx.path or "",
                methods=frozenset(methods or ()),
                websocket=methods is None,
                name=str(getattr(route, "name", "")),
                route=route,
            )
        )
    return out
