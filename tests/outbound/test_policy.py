"""The outbound policy (pure) and name resolution: what webhooks and media URLs may reach (issue 16, defect 1)."""

from __future__ import annotations

import asyncio
import ipaddress
import socket

import pytest

from mock_symbl.outbound.client import Refused, is_own_address, resolve
from mock_symbl.outbound.policy import OutboundPolicy

OWN = 8080


def _policy(mode: str = "default") -> OutboundPolicy:
    return OutboundPolicy(mode=mode, own_ports=frozenset({OWN, 8081}), is_own_address=is_own_address)  # type: ignore[arg-type]


def _allows(policy: OutboundPolicy, host: str, port: int) -> bool:
    return policy.allows(ipaddress.ip_address(host), port)


def _this_machines_other_address() -> str | None:
    """A non-loopback address of this machine (what the mock on 0.0.0.0 also answers on), if it has one."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        try:
            sock.connect(("10.255.255.255", 1))  # no packet is sent: this only picks the outgoing interface
            address = str(sock.getsockname()[0])
        except OSError:
            return None
    return None if address.startswith("127.") else address


@pytest.mark.parametrize(
    "host",
    [
        "0.0.0.0",
        "::",
        "224.0.0.1",
        "ff02::1",
        "255.255.255.255",
        "169.254.169.254",
        "169.254.10.10",
        "fe80::1",
        "fd00:ec2::254",
        "::ffff:169.254.169.254",
        "64:ff9b::a9fe:a9fe",  # NAT64 spelling of 169.254.169.254
    ],
)
def test_metadata_link_local_unspecified_and_multicast_are_refused_on_any_port(host: str) -> None:
    for port in (80, 443, 9000, OWN):
        assert not _allows(_policy(), host, port)


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "::1", "::ffff:127.0.0.1"])
def test_the_mocks_own_ports_on_loopback_are_refused(host: str) -> None:
    assert not _allows(_policy(), host, OWN)
    assert not _allows(_policy(), host, 8081)  # Labs
    assert _allows(_policy(), host, 9000)  # a test's webhook receiver on another port: the normal case


def test_the_mocks_own_ports_on_this_machines_other_addresses_are_refused() -> None:
    address = _this_machines_other_address() or "127.0.0.1"  # a machine without a network has only loopback
    assert not _allows(_policy(), address, OWN)
    assert _allows(_policy(), address, 9000)


def test_other_machines_and_containers_stay_reachable_by_default() -> None:
    for host in ("10.0.0.7", "172.18.0.3", "192.168.1.20", "fd12::5", "8.8.8.8"):
        assert _allows(_policy(), host, OWN)  # another container's 8080 is not the mock


def test_public_only_also_refuses_loopback_and_private() -> None:
    strict = _policy("public-only")
    for host in ("127.0.0.1", "::1", "10.0.0.7", "172.18.0.3", "192.168.1.20", "fd12::5", "100.64.0.1"):
        assert not _allows(strict, host, 9000), host
    assert _allows(strict, "8.8.8.8", 443)
    assert _allows(strict, "2001:4860:4860::8888", 443)


@pytest.mark.parametrize(
    "host",
    [
        "0",
        "2130706433",
        "0x7f000001",
        "127.1",
        "localhost",
        "::1",
        "metadata.google.internal",
        "METADATA.google.internal.",
    ],
)
def test_spellings_of_the_mock_and_metadata_are_refused_after_resolution(host: str) -> None:
    with pytest.raises(Refused):
        asyncio.run(resolve(host, OWN, _policy()))


def test_names_are_checked_on_every_address_and_unknown_names_are_refused() -> None:
    assert asyncio.run(resolve("127.0.0.1", 9000, _policy())) == [ipaddress.ip_address("127.0.0.1")]
    with pytest.raises(Refused):
        asyncio.run(resolve("no-such-host.invalid", 80, _policy()))
    refusal = str(Refused())
    assert refusal == str(Refused(by_policy=False))  # one sentence, whatever the cause
