"""Who may use /__admin (issue 16, defect 2): the caller's network, the admin token, no browser-sent changes,
no CORS on the control plane, and no credentials in the journal."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from mock_symbl.admin.security import exposure_warning, is_local_client
from mock_symbl.server import MockServer
from mock_symbl.settings import Settings
from tests.conftest import make_settings
from tests.helpers import auth_headers, submit_text, token_for

REPO = Path(__file__).resolve().parents[2]
EVIL = "http://evil.example"


def _unshare_prefix() -> list[str] | None:
    """`unshare -n` as root (CI), else an unprivileged user namespace when the kernel allows it."""
    if shutil.which("unshare") is None or shutil.which("ip") is None:
        return None
    for prefix in (["unshare", "-n"], ["unshare", "-r", "-n"]):
        probe = subprocess.run([*prefix, "ip", "link", "set", "lo", "up"], capture_output=True)
        if probe.returncode == 0:
            return prefix
    return None


def _in_namespace(admin_token: str = "") -> dict[str, object]:
    prefix = _unshare_prefix()
    if prefix is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI runs as root: unshare -n and ip must work here")
        pytest.skip("no network namespace available (needs root or unprivileged user namespaces)")
    args = [*prefix, sys.executable, str(REPO / "tests/admin/netns_probe.py"), admin_token]
    done = subprocess.run(args, cwd=REPO, capture_output=True, text=True, timeout=90)
    assert done.returncode == 0, done.stderr[-3000:]
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def test_admin_from_a_public_address_without_a_token_is_401() -> None:
    # The attack: a mock bound to 0.0.0.0 and an internet caller reading every tenant's data, then resetting.
    seen = _in_namespace()
    assert seen["api_from_public"] == 200  # the Symbl API itself stays usable from anywhere
    assert seen["public"] == {"snapshot": 401, "requests": 401, "ui": 401, "health": 200, "ready": 200}
    assert seen["reset_from_public"] == 401
    assert "admin" in str(seen["reset_body"]) and "message" in dict(seen["reset_body"])  # type: ignore[arg-type]
    assert seen["conversations_after"] == 1  # the reset did not happen
    # Loopback (and private networks: compose, CI) need no token.
    assert seen["local"] == {"snapshot": 200, "requests": 200, "ui": 200, "health": 200, "ready": 200}


def test_an_admin_token_is_required_from_everyone_but_probes_stay_open() -> None:
    seen = _in_namespace("a-long-admin-token-0123456789")
    closed = {"snapshot": 401, "requests": 401, "ui": 401, "health": 200, "ready": 200}
    opened = {"snapshot": 200, "requests": 200, "ui": 200, "health": 200, "ready": 200}
    assert seen["public"] == closed and seen["local"] == closed
    assert seen["public_with_token"] == opened and seen["local_with_token"] == opened


@pytest.mark.parametrize(
    ("host", "local"),
    [
        ("127.0.0.1", True),
        ("::1", True),
        ("10.1.2.3", True),
        ("172.18.0.5", True),
        ("192.168.1.20", True),
        ("fd00::5", True),
        ("::ffff:127.0.0.1", True),
        ("11.22.33.4", False),
        ("8.8.8.8", False),
        ("2001:4860::8888", False),
        ("::ffff:8.8.8.8", False),
    ],
)
def test_local_and_private_clients(host: str, local: bool) -> None:
    assert is_local_client(host) is local


@pytest.fixture(scope="module")
def server() -> Iterator[MockServer]:
    settings = make_settings(log_level="warning", labs_enabled=False, host="127.0.0.1")
    mock = MockServer(settings).start()
    yield mock
    mock.stop()


def test_a_browser_style_cross_origin_post_cannot_reset(server: MockServer) -> None:
    base = server.base_url
    token = httpx.post(
        f"{base}/oauth2/token:generate", json={"type": "application", "appId": "csrf", "appSecret": "s"}
    ).json()["accessToken"]
    made = httpx.post(
        f"{base}/v1/process/text",
        headers={"x-api-key": token},
        json={"messages": [{"payload": {"content": "Hi."}}]},
    )
    assert made.status_code == 200
    # The attack: a page on another origin sends "simple" requests (no preflight): a form post, or fetch with
    # mode no-cors and a text/plain body. The browser sends them from the developer's own loopback.
    simple_posts = [
        {"origin": EVIL},
        {"origin": EVIL, "content-type": "text/plain;charset=UTF-8"},
        {"origin": EVIL, "content-type": "application/x-www-form-urlencoded"},
        {"origin": EVIL, "content-type": "multipart/form-data; boundary=x"},
    ]
    for headers in simple_posts:
        refused = httpx.post(f"{base}/__admin/reset", headers=headers, content=b"account=csrf")
        assert refused.status_code == 403, (headers, refused.text)
        assert "X-Mock-Admin" in refused.json()["message"]
        assert "access-control-allow-origin" not in refused.headers
    assert httpx.delete(f"{base}/__admin/faults", headers={"origin": EVIL}).status_code == 403
    assert httpx.put(f"{base}/__admin/snapshot", headers={"origin": EVIL}, content=b"{}").status_code == 403
    # A JSON body or a custom header needs a preflight, and /__admin answers it with no CORS grant at all.
    preflight = httpx.options(
        f"{base}/__admin/reset",
        headers={
            "origin": EVIL,
            "access-control-request-method": "POST",
            "access-control-request-headers": "content-type,x-mock-admin",
        },
    )
    assert not any(h.startswith("access-control-allow") for h in preflight.headers)
    # Reads carry no CORS grant either, so a page cannot read the snapshot or the journal.
    read = httpx.get(f"{base}/__admin/snapshot", headers={"origin": EVIL})
    assert read.status_code == 200 and "access-control-allow-origin" not in read.headers
    listed = httpx.get(f"{base}/v1/conversations", headers={"x-api-key": token}).json()["conversations"]
    assert len(listed) == 1  # nothing was reset
    # Tools (curl, SDK test harnesses) keep working: JSON or the X-Mock-Admin header.
    assert httpx.post(f"{base}/__admin/reset", json={}, params={"account": "csrf"}).status_code == 200
    assert httpx.post(f"{base}/__admin/reset", headers={"x-mock-admin": "1"}).status_code == 200


def test_the_api_keeps_cors_for_the_web_sdk(server: MockServer) -> None:
    preflight = httpx.options(
        f"{server.base_url}/v1/conversations",
        headers={
            "origin": EVIL,
            "access-control-request-method": "GET",
            "access-control-request-headers": "x-api-key",
        },
    )
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] in ("*", EVIL)


def test_cors_origins_restricts_the_api(app_factory: Callable[..., TestClient]) -> None:
    client = app_factory(cors_origins="http://app.example, http://localhost:3000")
    ask = {"access-control-request-method": "GET", "access-control-request-headers": "x-api-key"}
    allowed = client.options("/v1/conversations", headers={"origin": "http://localhost:3000", **ask})
    assert allowed.headers["access-control-allow-origin"] == "http://localhost:3000"
    refused = client.options("/v1/conversations", headers={"origin": EVIL, **ask})
    assert refused.headers.get("access-control-allow-origin") is None


def test_the_journal_masks_app_secrets_and_access_tokens(app_factory: Callable[..., TestClient]) -> None:
    client = app_factory()
    secret = "my-very-secret-app-secret"
    token = token_for(client, "masked-app", secret)
    headers = {"x-api-key": token}
    submit_text(client, headers)
    client.get(f"/v1/conversations?access_token={token}")
    with client.websocket_connect(f"/v1/streaming/masked-conn?access_token={token}") as ws:
        ws.close()
    journal = client.get("/__admin/requests").json()
    dumped = json.dumps(journal)
    assert secret not in dumped
    assert token not in dumped and token.split(".")[2] not in dumped
    generate = next(e for e in journal["requests"] if e["path"] == "/oauth2/token:generate")
    assert '"appSecret":"***"' in generate["request_body"].replace(" ", "")
    assert '"accessToken":"***"' in generate["response_body"].replace(" ", "")
    assert "masked-app" in generate["request_body"]  # the app id stays: it names the tenant
    # The dashboard shows the same (masked) journal.
    assert secret not in client.get("/__admin/ui/", params={"account": "masked-app"}).text


def test_start_warning_when_listening_beyond_loopback_without_a_token() -> None:
    assert exposure_warning(Settings(host="127.0.0.1")) is None
    assert exposure_warning(Settings(host="localhost")) is None
    assert exposure_warning(Settings(host="0.0.0.0", admin_token="t" * 20)) is None
    warning = exposure_warning(Settings(host="0.0.0.0"))
    assert warning and "0.0.0.0" in warning and "--admin-token" in warning


def test_pytest_plugin_and_in_process_clients_keep_working(app_factory: Callable[..., TestClient]) -> None:
    client = app_factory()
    headers = auth_headers(client)
    submit_text(client, headers)
    assert client.post("/__admin/reset").status_code == 200  # in process: no browser can be the caller


def test_a_dns_rebinding_page_cannot_use_the_admin_api(server: MockServer) -> None:
    # The attack: evil.example's DNS answer flips to 127.0.0.1, so the page is same-origin with the mock and
    # may send JSON with no preflight; it cannot change the Host its browser sends, which names its own domain.
    base = server.base_url
    port = base.rsplit(":", 1)[1]
    for host in (f"evil.example:{port}", "rebind.attacker.test", f"evil.example.:{port}"):
        headers = {"host": host, "origin": f"http://{host}"}
        reset = httpx.post(f"{base}/__admin/reset", headers=headers, json={})
        assert reset.status_code == 403, (host, reset.text)
        assert "admin token" in reset.json()["message"] and "own names" in reset.json()["message"]
        assert httpx.get(f"{base}/__admin/snapshot", headers=headers).status_code == 403
        assert httpx.get(f"{base}/__admin/ui/", headers=headers).status_code == 403
    # The names a real client addresses the mock by keep working: IPs, localhost, compose service names,
    # Symbl's own names (transparent mode).
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", "[::1]", f"mock-symbl:{port}", "api.symbl.ai"):
        assert httpx.get(f"{base}/__admin/requests", headers={"host": host}).status_code == 200, host
    # The probes stay open to any name (healthchecks, load balancers).
    assert httpx.get(f"{base}/__admin/health", headers={"host": "evil.example"}).status_code == 200


def test_admin_hosts_and_the_token_admit_other_names(app_factory: Callable[..., TestClient]) -> None:
    named = app_factory(admin_hosts="mock.internal.example, ci-runner.lan")
    assert named.get("/__admin/requests", headers={"host": "mock.internal.example:8080"}).status_code == 200
    assert named.get("/__admin/requests", headers={"host": "CI-Runner.LAN"}).status_code == 200
    assert named.get("/__admin/requests", headers={"host": "other.example"}).status_code == 403
    published = app_factory(public_base_url="https://symbl-mock.example.com")
    assert published.get("/__admin/requests", headers={"host": "symbl-mock.example.com"}).status_code == 200
    tokened = app_factory(admin_token="s3cret")
    allowed = tokened.get("/__admin/requests", headers={"host": "evil.example", "x-admin-token": "s3cret"})
    assert allowed.status_code == 200  # the token is the authority; a rebinding page has none
