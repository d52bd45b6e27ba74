"""Pure ASGI middleware: the scheme and host the client used, so returned links point back the way it came.

Every link the mock returns (resultWebSocketUrl, summary and experience URLs) is built from the request's
scheme and Host header. This sets them as the client saw them:
- from a trusted proxy (settings.forwarded_allow_ips), X-Forwarded-Proto, X-Forwarded-Host and X-Forwarded-For
  replace the scheme, the Host header and the client address (uvicorn's own proxy handling is off: it knows
  no X-Forwarded-Host, and the trust decision must see the proxy's address, not the forwarded one);
- a TLS relay that adds no header (stunnel, socat, a TCP load balancer) still shows in the Host header: a
  request for port 443, or for one of Symbl's own hosts with no port (Symbl only ever served them over TLS),
  was made over TLS, so its links are https/wss. A `public_base_url` setting wins over all of this.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
ASGIApp = Callable[[Scope, Any, Any], Awaitable[None]]
Network = ipaddress.IPv4Network | ipaddress.IPv6Network

SYMBL_HOSTS = frozenset({"api.symbl.ai", "api-labs.symbl.ai"})
SECURE = {"http": "https", "ws": "wss"}


class Trusted:
    """A set of proxy addresses: IPs, networks (CIDR), or `*` for any."""

    def __init__(self, spec: str) -> None:
        items = [item.strip() for item in spec.split(",") if item.strip()]
        self.any = "*" in items
        self.networks: list[Network] = []
        self.names: set[str] = set()
        for item in items:
            if item == "*":
                continue
            try:
                self.networks.append(ipaddress.ip_network(item, strict=False))
            except ValueError:
                self.names.add(item)  # e.g. a unix socket path or a test client's name

    def __contains__(self, host: str | None) -> bool:
        if host is None:
            return False
        if self.any or host in self.names:
            return True
        try:
            address = ipaddress.ip_address(host)
        except ValueError:
            return False
        return any(address in network for network in self.networks)


def _first(value: bytes) -> str:
    """The client-side entry of a header a chain of proxies may have appended to."""
    return value.decode("latin-1").split(",")[0].strip()


def split_host(host: str) -> tuple[str, int | None]:
    """'name:port' or '[v6]:port' -> (name, port or None)."""
    if host.startswith("["):
        name, _, rest = host[1:].partition("]")
        port = rest[1:] if rest.startswith(":") else ""
    elif host.count(":") == 1:
        name, _, port = host.partition(":")
    else:
        name, port = host, ""
    return name.lower(), int(port) if port.isdigit() else None


def tls_by_host(host: str) -> bool:
    """Whether a Host header shows that the client used TLS though the request arrived in clear."""
    name, port = split_host(host)
    return port == 443 or (port is None and name in SYMBL_HOSTS)


class ForwardedMiddleware:
    """Sets scope scheme, Host and client as the client used them (see the module docstring)."""

    def __init__(self, app: ASGIApp, trusted: str) -> None:
        self.app = app
        self.trusted = Trusted(trusted)

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] in ("http", "websocket"):
            self._apply(scope)
        await self.app(scope, receive, send)

    def _apply(self, scope: Scope) -> None:
        websocket = scope["type"] == "websocket"
        headers: list[tuple[bytes, bytes]] = list(scope.get("headers", []))
        client = scope.get("client")
        proto: str | None = None
        if client and client[0] in self.trusted:
            forwarded_for: list[str] = []
            forwarded_host: str | None = None
            for name, value in headers:
                if name == b"x-forwarded-proto" and proto is None:
                    proto = _first(value).lower()
                elif name == b"x-forwarded-host" and forwarded_host is None:
                    forwarded_host = _first(value)
                elif name == b"x-forwarded-for":
                    forwarded_for.extend(v.strip() for v in value.decode("latin-1").split(","))
            if proto in ("http", "https", "ws", "wss"):
                scope["scheme"] = proto.replace("http", "ws") if websocket else proto.replace("ws", "http")
            else:
                proto = None
            if forwarded_host:
                headers = [(n, v) for n, v in headers if n != b"host"]
                headers.append((b"host", forwarded_host.encode("latin-1")))
                scope["headers"] = headers
            address = self._client(forwarded_for)
            if address:
                scope["client"] = (address, 0)
        if proto is None and scope.get("scheme") in SECURE:
            host = next((v.decode("latin-1") for n, v in headers if n == b"host"), "")
            server = scope.get("server")
            # A plain listener on port 80 itself is what a portless Host names: no relay in between.
            if tls_by_host(host) and not (server and server[1] == 80 and split_host(host)[1] is None):
                scope["scheme"] = SECURE[scope["scheme"]]

    def _client(self, chain: list[str]) -> str | None:
        """The nearest address in X-Forwarded-For that is not itself a trusted proxy."""
        chain = [item for item in chain if item]
        for item in reversed(chain):
            if item not in self.trusted:
                return item
        return chain[0] if chain else None
