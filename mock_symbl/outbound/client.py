"""Guarded outbound HTTP: the host is resolved here, every address is checked by the policy, and the connection
goes to the checked address (no second lookup that DNS rebinding could answer differently). Callers wrap the
whole exchange in one deadline (`asyncio.timeout`) and read at most a bounded number of bytes.
"""

from __future__ import annotations

import asyncio
import functools
import ipaddress
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any

from mock_symbl.outbound.policy import UNREACHABLE, IPAddress, OutboundPolicy, refused_host

if TYPE_CHECKING:
    import httpx

    from mock_symbl.services import Services


class Refused(Exception):
    """The policy forbids the target, or no checked address answered: one message for every cause.

    `by_policy` is for the caller's retry decision only (asking again cannot change a refusal); it never
    reaches the message."""

    def __init__(self, *, by_policy: bool = True) -> None:
        super().__init__(UNREACHABLE)
        self.by_policy = by_policy


@functools.lru_cache(maxsize=1024)
def is_own_address(address: IPAddress) -> bool:
    """True when `address` belongs to this machine: only then can a socket bind to it."""
    family = socket.AF_INET6 if address.version == 6 else socket.AF_INET
    with socket.socket(family, socket.SOCK_DGRAM) as sock:
        try:
            sock.bind((str(address), 0))
        except OSError:
            return False
    return True


def policy_for(services: Services) -> OutboundPolicy:
    """The server's policy: its mode and every port it listens on (API, Labs, and any registered listener)."""
    settings = services.settings
    ports = set(services.own_ports) | set(services.labs_ports) | {settings.port}
    if settings.labs_enabled:
        ports.add(settings.labs_port)
    ports.discard(0)
    return OutboundPolicy(
        mode=settings.outbound_policy, own_ports=frozenset(ports), is_own_address=is_own_address
    )


async def resolve(host: str, port: int, policy: OutboundPolicy) -> list[IPAddress]:
    """The addresses to connect to, in resolver order; Refused when the name or any of its addresses is."""
    if not host or refused_host(host):
        raise Refused()
    try:
        addresses: list[IPAddress] = [ipaddress.ip_address(host)]
    except ValueError:
        try:
            infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError):
            raise Refused() from None
        addresses = []
        for info in infos:
            address = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
            if address not in addresses:
                addresses.append(address)
    if not policy.allows_all(addresses, port):
        raise Refused()
    return addresses


@asynccontextmanager
async def open_stream(
    client: httpx.AsyncClient,
    method: str,
    url: str,
    *,
    policy: OutboundPolicy,
    headers: dict[str, str] | None = None,
    json: Any = None,
) -> AsyncIterator[httpx.Response]:
    """A streamed response from `url`, connected to a checked address (each one in turn until one connects).

    The request keeps its Host header and, for https, its TLS server name, so virtual hosts and certificates
    work as if the name had been used. Refused when nothing may or can be reached; other httpx errors pass.
    """
    import httpx

    target = httpx.URL(url)
    if target.scheme not in ("http", "https"):
        raise Refused()
    port = target.port or (443 if target.scheme == "https" else 80)
    addresses = await resolve(target.host, port, policy)
    sent_headers = {**(headers or {}), "host": target.netloc.decode("ascii")}
    extensions = {"sni_hostname": target.host} if target.scheme == "https" else {}
    for address in addresses:
        request = client.build_request(
            method,
            target.copy_with(host=str(address)),
            headers=sent_headers,
            json=json,
            extensions=extensions,
        )
        try:
            response = await client.send(request, stream=True)
        except (httpx.ConnectError, httpx.ConnectTimeout):
            continue  # the next address of the name (IPv6 then IPv4, say)
        try:
            yield response
        finally:
            await response.aclose()
        return
    raise Refused(by_policy=False)


async def read_capped(response: httpx.Response, limit: int) -> bytes:
    """At most `limit` bytes of the body as sent (no decompression); the rest is never read."""
    kept = bytearray()
    async for chunk in response.aiter_raw():
        kept += chunk[: limit - len(kept)]
        if len(kept) >= limit:
            break
    return bytes(kept)


def new_client(timeout: float) -> httpx.AsyncClient:
    """A client for guarded calls: no redirects followed by httpx, no proxy from the environment (the policy
    checks the real target), no kept-alive connections (each call is checked and connected afresh)."""
    import httpx

    return httpx.AsyncClient(
        follow_redirects=False,
        trust_env=False,
        timeout=httpx.Timeout(timeout),
        limits=httpx.Limits(max_keepalive_connections=0),
    )
