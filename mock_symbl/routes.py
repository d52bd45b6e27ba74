"""The app's route table, flattened (FastAPI keeps included routers as nested branches)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from starlette.types import ASGIApp


@dataclass(frozen=True)
class RouteInfo:
    path: str
    methods: frozenset[str]  # empty for WebSocket routes
    websocket: bool
    name: str


def _info(path: str, route: Any) -> RouteInfo:
    methods = getattr(route, "methods", None)
    return RouteInfo(
        path=path,
        methods=frozenset(methods or ()),
        websocket=methods is None or "WebSocket" in type(route).__name__,
        name=str(getattr(route, "name", "")),
    )


def iter_routes(app: ASGIApp) -> list[RouteInfo]:
    """Every HTTP and WebSocket route of `app`, including those of included routers."""
    out: list[RouteInfo] = []
    for route in getattr(app, "routes", []):
        if hasattr(route, "effective_route_contexts"):  # FastAPI's included-router branch
            for ctx in route.effective_route_contexts():
                # WebSocket contexts leave `path` empty; their route keeps the path under the prefix.
                path = ctx.path or ctx.frontend_prefix + str(getattr(ctx.original_route, "path", ""))
                out.append(_info(path, ctx.original_route))
        elif hasattr(route, "path"):
            out.append(_info(route.path, route))
    return out
