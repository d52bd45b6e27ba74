"""Returned links use the scheme and host the client used: directly, through a trusted proxy, or a TLS relay."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from mock_symbl.app import create_app
from mock_symbl.forwarded import Trusted, split_host, tls_by_host
from tests.conftest import make_settings
from tests.helpers import auth_headers
from tests.streaming.conftest import is_kind, receive_until, start_frame

CALL = {"operation": "start", "endpoint": {"type": "pstn", "phoneNumber": "14155550100"}}


def _call_links(client: TestClient, **headers: str) -> dict[str, Any]:
    answer = client.post("/v1/endpoint:connect", headers={**auth_headers(client), **headers}, json=CALL)
    assert answer.status_code == 201, answer.text
    links: dict[str, Any] = answer.json()
    links["experience"] = client.get(
        "/v1/conversations/experiences/insights/list", headers={**auth_headers(client), **headers}
    ).json()["url"]
    return links


def _assert_base(links: dict[str, Any], http: str, ws: str) -> None:
    assert links["eventUrl"].startswith(http + "/v1/event/")
    assert links["resultWebSocketUrl"].startswith(ws + "/events/")
    assert links["experience"].startswith(http + "/")


def test_a_trusted_proxy_sets_scheme_and_host(app_factory: Callable[..., TestClient]) -> None:
    client = app_factory(forwarded_allow_ips="*", telephony_speed=0)
    links = _call_links(client, **{"x-forwarded-proto": "https", "x-forwarded-host": "api.symbl.ai"})
    _assert_base(links, "https://api.symbl.ai", "wss://api.symbl.ai")
    chained = _call_links(
        client, **{"x-forwarded-proto": "https, http", "x-forwarded-host": "edge.example:8443"}
    )
    _assert_base(chained, "https://edge.example:8443", "wss://edge.example:8443")  # the client-side entry


def test_an_untrusted_peer_cannot_set_them(app_factory: Callable[..., TestClient]) -> None:
    client = app_factory(telephony_speed=0)  # trusts 127.0.0.1 and ::1; the test client is "testclient"
    links = _call_links(client, **{"x-forwarded-proto": "https", "x-forwarded-host": "evil.example"})
    _assert_base(links, "http://testserver", "ws://testserver")


def test_a_tls_relay_without_headers_still_gets_secure_links() -> None:
    """stunnel/socat in front: no X-Forwarded-Proto, but the Host shows what the client dialled."""
    with TestClient(create_app(make_settings(telephony_speed=0)), base_url="http://mock:8080") as client:
        _assert_base(_call_links(client, host="api.symbl.ai"), "https://api.symbl.ai", "wss://api.symbl.ai")
        on_443 = _call_links(client, host="mock.example:443")
        _assert_base(on_443, "https://mock.example:443", "wss://mock.example:443")
        on_8080 = _call_links(client, host="mock.example:8080")
        _assert_base(on_8080, "http://mock.example:8080", "ws://mock.example:8080")
    # A plain listener on port 80 itself: a portless Host names it, no relay in between.
    with TestClient(create_app(make_settings(telephony_speed=0)), base_url="http://mock:80") as direct:
        _assert_base(_call_links(direct, host="api.symbl.ai"), "http://api.symbl.ai", "ws://api.symbl.ai")


def test_public_base_url_wins(app_factory: Callable[..., TestClient]) -> None:
    client = app_factory(public_base_url="https://symbl.test", forwarded_allow_ips="*", telephony_speed=0)
    links = _call_links(client, **{"x-forwarded-proto": "http", "x-forwarded-host": "other.example"})
    _assert_base(links, "https://symbl.test", "wss://symbl.test")


def test_a_websocket_behind_a_tls_proxy_links_back_over_https(app_factory: Callable[..., TestClient]) -> None:
    client = app_factory(forwarded_allow_ips="*")
    token = auth_headers(client)["x-api-key"]
    headers = {"x-forwarded-proto": "https", "x-forwarded-host": "api.symbl.ai"}
    with client.websocket_connect(f"/v1/streaming/proxied?access_token={token}", headers=headers) as ws:
        ws.send_text(start_frame())
        ws.send_text('{"type":"stop_request"}')
        seen = receive_until(ws, is_kind("message:conversation_completed"))
    summary = seen[-1]["message"]["summaryUrl"]
    assert summary.startswith("https://api.symbl.ai/v1/conversations/")


@pytest.mark.parametrize(
    ("host", "expected"),
    [("api.symbl.ai", ("api.symbl.ai", None)), ("Api.Symbl.AI:443", ("api.symbl.ai", 443)),
     ("[::1]:8443", ("::1", 8443)), ("::1", ("::1", None)), ("x:notaport", ("x", None))],
)  # fmt: skip
def test_split_host(host: str, expected: tuple[str, int | None]) -> None:
    assert split_host(host) == expected


def test_tls_by_host_and_trust() -> None:
    assert tls_by_host("api-labs.symbl.ai") and tls_by_host("anything:443")
    assert not tls_by_host("api.symbl.ai:8080") and not tls_by_host("localhost")
    trusted = Trusted("127.0.0.1, 10.0.0.0/8, ::1")
    assert "10.1.2.3" in trusted and "::1" in trusted and "127.0.0.1" in trusted
    assert "192.168.0.1" not in trusted and None not in trusted and "testclient" not in trusted
    assert "192.168.0.1" in Trusted("*")
