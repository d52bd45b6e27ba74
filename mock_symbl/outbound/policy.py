"""PURE outbound policy: may the mock open a connection to this address and port?

Checked on the resolved address (after DNS), for every connection, redirects included, so no hostname, decimal
or `0` spelling gets around it. By default the mock refuses:
- its own listening ports on any of this machine's addresses (its API, Labs and control plane: a webhook must
  never be able to call /__admin/reset);
- link-local and cloud-metadata addresses (169.254.0.0/16, fe80::/10, fd00:ec2::254, metadata.google.internal);
- unspecified, multicast and broadcast addresses.
Webhook receivers on loopback (other ports) and in other compose containers stay allowed: that is how tests
receive webhooks. `public-only` also refuses loopback, private and every other non-global address, for an
instance shared across teams.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Literal

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
OutboundMode = Literal["default", "public-only"]

# One sentence for every refusal and every failure to connect, whatever the cause: the answer must not tell a
# caller whether an internal port is closed, filtered, forbidden or listening on something else.
UNREACHABLE = "refused or unreachable (the outbound policy forbids it or nothing answered)"

METADATA_HOSTS = frozenset({"metadata.google.internal", "metadata.goog", "metadata"})
METADATA_ADDRESSES = frozenset(
    {ipaddress.ip_address("fd00:ec2::254"), ipaddress.ip_address("169.254.169.254")}
)
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_BROADCAST = ipaddress.ip_address("255.255.255.255")


def unwrap(address: IPAddress) -> IPAddress:
    """The IPv4 address hidden in an IPv4-mapped or NAT64 IPv6 address (else the address itself)."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return address.ipv4_mapped
        if address in _NAT64:
            return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return address


def refused_host(host: str) -> bool:
    """Host names refused before any lookup (cloud metadata services)."""
    return host.strip().rstrip(".").lower() in METADATA_HOSTS


@dataclass(frozen=True)
class OutboundPolicy:
    """The rule for one server: its mode, its own ports, and how to tell this machine's own addresses."""

    mode: OutboundMode
    own_ports: frozenset[int]
    is_own_address: Callable[[IPAddress], bool]

    def allows(self, address: IPAddress, port: int) -> bool:
        address = unwrap(address)
        if address.is_unspecified or address.is_multicast or address == _BROADCAST:
            return False
        if address.is_link_local or address in METADATA_ADDRESSES:
            return False
        if self.mode == "public-only" and not address.is_global:
            return False
        if port in self.own_ports and (address.is_loopback or self.is_own_address(address)):
            return False  # the mock itself, whichever of this machine's addresses names it
        return True

    def allows_all(self, addresses: Iterable[IPAddress], port: int) -> bool:
        """A name is refused when any of its addresses is: a DNS answer must not smuggle one in."""
        found = list(addresses)
        return bool(found) and all(self.allows(a, port) for a in found)
