"""Who may use /__admin: the admin token, the caller's network, and no state changes a web page could send.

- With `admin_token` set, every admin route but health/ready needs it, from every address.
- Without it, loopback and private-network callers (the test harness, compose neighbours, CI) need nothing;
  any other address gets 401, so a mock reachable from the internet does not hand out every tenant's data.
- Without a token, the request must also be addressed to a name of this machine (Host: an IP address,
  localhost, a single-label name such as a compose service, the TLS names, --admin-hosts): a web page whose
  domain an attacker re-points at 127.0.0.1 (DNS rebinding) is same-origin with the mock, but sends its own
  domain as Host, and gets 403.
- Calls that change state (any method but GET/HEAD/OPTIONS) need a JSON body or a header no HTML form can
  send (`X-Mock-Admin`, `X-Admin-Token`, `Authorization`): a browser must then ask a CORS preflight first, and
  /__admin answers none (no CORS headers), so a page open in a developer's browser cannot reset the mock.
"""

from __future__ import annotations

import hmac
import ipaddress
from collections.abc import Mapping

from fastapi import Depends, Request

# Re-exported: the admin routers take their prefix and tag from here.
from mock_symbl.admin.paths import ADMIN_PREFIX as ADMIN_PREFIX
from mock_symbl.admin.paths import ADMIN_TAG as ADMIN_TAG
from mock_symbl.deps import ServicesDep
from mock_symbl.errors import Forbidden, Unauthorized
from mock_symbl.settings import Settings

ADMIN_TOKEN_MESSAGE = "The admin API needs the admin token (X-Admin-Token or Authorization: Bearer)."
REMOTE_MESSAGE = (
    "The admin API answers loopback and private-network clients only, unless the server has an admin token "
    "(--admin-token) and the request carries it (X-Admin-Token or Authorization: Bearer)."
)
HOST_MESSAGE = (
    "The admin API answers requests addressed to this machine's own names only (an IP address, localhost, a "
    "single-label host name, or one given with --admin-hosts), or requests carrying the admin token."
)
BROWSER_MESSAGE = (
    "Admin calls that change state need Content-Type: application/json or an X-Mock-Admin header "
    "(so that no web page can send them)."
)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Headers outside the CORS safelist: a browser sends none of them cross-origin without a preflight.
NON_SIMPLE_HEADERS = ("x-mock-admin", "x-admin-token", "authorization")


def is_local_client(host: str | None) -> bool:
    """True for loopback and private-network addresses (and in-process callers, which have no address)."""
    if not host:
        return True  # a Unix socket or an in-process ASGI call: no network peer at all
    try:
        address = ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return host == "testclient"  # Starlette's in-process TestClient; any real TCP peer has an IP
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_loopback or address.is_private


def _host_name(host_header: str) -> str:
    """The name part of a Host header: `[::1]:8080` -> `::1`, `Mock.Example.:80` -> `mock.example`."""
    host = host_header.strip().lower()
    if host.startswith("["):
        return host[1:].split("]", 1)[0]
    if host.count(":") == 1:
        host = host.split(":", 1)[0]
    return host.rstrip(".")


def host_allowed(settings: Settings, host_header: str | None) -> bool:
    """True when the request is addressed to a name of this machine (the DNS-rebinding guard)."""
    if not host_header:
        return True  # HTTP/1.0 without Host, or an in-process call: no name a page could have chosen
    name = _host_name(host_header)
    try:
        ipaddress.ip_address(name.split("%", 1)[0])
        return True
    except ValueError:
        pass
    if name == "localhost" or name.endswith(".localhost") or "." not in name:
        return True  # no public domain has a single label, so no attacker can point one at us
    return name in settings.admin_host_names()


def given_token(headers: Mapping[str, str]) -> str | None:
    """The admin token a request carries: X-Admin-Token, else Authorization: Bearer."""
    given = headers.get("x-admin-token")
    authorization = headers.get("authorization")
    if given is None and authorization:
        scheme, _, value = authorization.strip().partition(" ")
        given = value.strip() if scheme.lower() == "bearer" else None
    return given or None


def token_matches(given: str | None, expected: str) -> bool:
    return bool(given) and hmac.compare_digest((given or "").encode(), expected.encode())


def admin_allowed(settings: Settings, client_host: str | None, given: str | None) -> bool:
    """The token and network rule shared by the admin API and the dashboard pages."""
    expected = settings.admin_token
    if expected:
        return token_matches(given, expected)
    return is_local_client(client_host)


def browser_could_send(method: str, headers: Mapping[str, str]) -> bool:
    """True for a state-changing request a web page can make without a CORS preflight."""
    if method.upper() in SAFE_METHODS:
        return False
    if any(headers.get(name) is not None for name in NON_SIMPLE_HEADERS):
        return False
    media_type = (headers.get("content-type") or "").split(";", 1)[0].strip().lower()
    return not (media_type == "application/json" or media_type.endswith("+json"))


async def require_admin(request: Request, services: ServicesDep) -> None:
    """401 unless the caller may use the admin API; 403 for a state change a web page could have sent."""
    # Async (no threadpool hop) and headers read directly (no per-route parameter validators).
    settings = services.settings
    client = request.client.host if request.client else None
    if not admin_allowed(settings, client, given_token(request.headers)):
        raise Unauthorized(ADMIN_TOKEN_MESSAGE if settings.admin_token else REMOTE_MESSAGE)
    if not settings.admin_token and not host_allowed(settings, request.headers.get("host")):
        raise Forbidden(HOST_MESSAGE)
    # In-process callers (no IP: Starlette's TestClient, an ASGI call) are no browser; the rule is for the network.
    if _network_peer(client) and browser_could_send(request.method, request.headers):
        raise Forbidden(BROWSER_MESSAGE)


def _network_peer(host: str | None) -> bool:
    try:
        ipaddress.ip_address((host or "").split("%", 1)[0])
    except ValueError:
        return False
    return True


def is_loopback_host(host: str) -> bool:
    """True when a bind address only accepts connections from this machine."""
    if host in ("localhost", "ip6-localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def exposure_warning(settings: Settings) -> str | None:
    """The start-up warning for a server listening beyond loopback without an admin token (like moto's)."""
    if settings.admin_token or is_loopback_host(settings.host):
        return None
    return (
        f"WARNING: mock-symbl listens on {settings.host} without an admin token. /__admin (every tenant's "
        "data, reset, snapshots) answers any loopback or private-network client; public addresses get 401. "
        "Set --admin-token (MOCK_SYMBL_ADMIN_TOKEN) when other people share this network."
    )


AdminDep = Depends(require_admin)
