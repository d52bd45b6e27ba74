"""Security: auth on every route (enumerated from the route table), tenant isolation, admin token, hostile input."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from mock_symbl.app import create_app
from mock_symbl.routes import RouteInfo, iter_routes
from tests.conftest import make_settings
from tests.helpers import auth_headers, submit_text, wait_job

# Routes that answer without a Symbl token, each with its reason. A new route is checked by default: it must
# answer 401 without a token unless it is added here on purpose.
PUBLIC = {
    "/oauth2/token:generate": "issues the token",
    "/openapi.json": "API description",
    "/asyncapi.json": "API description",
    "/docs": "API documentation page",
    "/docs/static/{name}": "API documentation assets",
    "/redoc": "API documentation page",
    "/docs/oauth2-redirect": "API documentation page",
}
ADMIN_PREFIX = "/__admin"  # the control plane: guarded by the admin token instead (test_admin_token_enforced)
ADMIN_OPEN = {"/__admin/health", "/__admin/ready"}  # container probes, always open
# Shareable experience pages (Symbl's public URLs, guarded by their own signed token), their static files and
# the demo recordings they play (mock_symbl/web/__init__.py).
ADMIN_OPEN_PREFIXES = ("/__admin/ui/experience/", "/__admin/ui/static/", "/__admin/ui/fixtures/audio/")
# Public by design (admin/tls_router.py): the transparent mode's CA certificate, for the clients that must trust it
ADMIN_PUBLIC = {"/__admin/tls/ca.pem"}

DUMMY = "1234567890123456"
LABS_HOST = "api-labs.symbl.ai"
PARAM = re.compile(r"\{([^}:]+)(:[^}]*)?\}")


def _fill(path: str, values: dict[str, str] | None = None) -> str:
    values = values or {}
    return PARAM.sub(lambda m: values.get(m.group(1), DUMMY), path)


def _http_routes(client: TestClient) -> list[tuple[str, str]]:
    routes: list[RouteInfo] = iter_routes(client.app)
    out = []
    for route in routes:
        for method in sorted(route.methods - {"HEAD", "OPTIONS"}):
            out.append((method, route.path))
    return out


@pytest.fixture
def client() -> Iterator[TestClient]:
    with TestClient(create_app(make_settings())) as c:
        yield c


def test_route_table_is_enumerated(client: TestClient) -> None:
    routes = _http_routes(client)
    paths = {p for _, p in routes}
    # The enumeration sees routes of included routers (not only the app's own): the test below covers them.
    assert {"/v1/process/text", "/v1/job/{jobId}", "/v1/conversations/{conversationId}/messages"} <= paths
    assert len(routes) > 10


def test_every_route_needs_a_token(client: TestClient) -> None:
    """Without a token, with a malformed one and with a forged one: 401 and Symbl's body, on every route."""
    forged = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl"
    failures = []
    checked = 0
    for method, path in _http_routes(client):
        if path in PUBLIC or path.startswith(ADMIN_PREFIX):
            continue
        url = _fill(path)
        for headers in ({}, {"x-api-key": "not-a-token"}, {"Authorization": f"Bearer {forged}"}):
            response = client.request(method, url, headers=headers, json={})
            if response.status_code == 404:  # a Labs-only route: it must be guarded on the Labs host
                response = client.request(method, url, headers={**headers, "Host": LABS_HOST}, json={})
            checked += 1
            if response.status_code != 401 or "message" not in response.json():
                failures.append(
                    f"{method} {path} {sorted(headers)} -> {response.status_code} {response.text[:120]}"
                )
    assert checked > 30
    assert not failures, "\n".join(failures)


def test_every_websocket_route_needs_a_token(client: TestClient) -> None:
    routes = [r for r in iter_routes(client.app) if r.websocket]
    for route in routes:
        for query in ("", "?access_token=not-a-token"):
            with (
                pytest.raises(WebSocketDisconnect),
                client.websocket_connect(_fill(route.path) + query) as ws,
            ):
                ws.receive_text()


def test_admin_token_enforced() -> None:
    with TestClient(create_app(make_settings(admin_token="s3cret-admin"))) as c:
        admin = [(m, p) for m, p in _http_routes(c) if p.startswith(ADMIN_PREFIX)]
        assert admin, "the control plane has no routes?"
        open_paths = ADMIN_OPEN | ADMIN_PUBLIC
        guarded = [(m, p) for m, p in admin if p not in open_paths and not p.startswith(ADMIN_OPEN_PREFIXES)]
        failures = []
        for method, path in guarded:
            for headers in ({}, {"Authorization": "Bearer wrong"}, {"x-admin-token": "wrong"}):
                # Required query parameters are given, so a 400 for a missing one cannot hide the guard.
                r = c.request(method, _fill(path), params={"account": "a"}, headers=headers, json={})
                if r.status_code not in (401, 403):
                    failures.append(f"{method} {path} {headers} -> {r.status_code}")
        for path in ADMIN_OPEN:
            assert c.get(path).status_code in (200, 503)
        # the CA route answers without the token (404 here: this server has no TLS port)
        assert c.get("/__admin/tls/ca.pem").json()["message"].startswith("TLS is off")
        # With the admin token the read-only routes answer.
        ok = c.get("/__admin/jobs", headers={"Authorization": "Bearer s3cret-admin"})
        assert ok.status_code == 200, ok.text
        assert not failures, "\n".join(failures)


# --- tenant isolation ------------------------------------------------------------------------------------


def _create_resources(client: TestClient, headers: dict[str, str]) -> dict[str, str]:
    """One of each resource type for an account; returns path parameter name -> id."""
    ids: dict[str, str] = {}
    submitted = submit_text(client, headers)
    assert wait_job(client, headers, submitted["jobId"]) == "completed"
    ids["conversationId"], ids["jobId"] = submitted["conversationId"], submitted["jobId"]
    cid = ids["conversationId"]
    members = client.get(f"/v1/conversations/{cid}/members", headers=headers).json()["members"]
    ids["memberId"] = members[0]["id"]
    creators: list[tuple[str, str, dict[str, Any], str]] = [
        ("trackerId", "/v1/manage/trackers", {"name": "Pricing", "vocabulary": ["price", "budget"]}, "id"),
        (
            "entityId",
            "/v1/manage/entities",
            {"type": "Vendor", "subType": "Cloud", "category": "Custom", "values": ["AWS"]},
            "id",
        ),
        ("groupId", "/v1/manage/group", {"name": "G", "criteria": "conversation.metadata.agentId==x"}, "id"),
        (
            "criteriaId",
            "/v1/manage/callscore/criteria",
            {
                "name": "C",
                "description": "d",
                "checklist": [{"question": "Was it clear?", "priority": "high"}],
            },
            "id",
        ),
        (
            "bookmarkId",
            f"/v1/conversations/{cid}/bookmarks",
            {"label": "L", "description": "d", "user": {"name": "J"}, "beginTimeOffset": 0, "duration": 1},
            "id",
        ),
    ]
    for name, path, body, key in creators:
        r = client.post(path, headers=headers, json=body)
        assert r.status_code == 200, f"{path}: {r.status_code} {r.text}"
        created = r.json()
        if key not in created:  # wrapped: {"tracker": {...}}, {"group": {...}}
            created = next(iter(created.values()))
        ids[name] = str(created[key])
    r = client.post(
        "/v1/manage/callscore/scorecards",
        headers=headers,
        json={"name": "S", "criteriaList": [ids["criteriaId"]]},
    )
    assert r.status_code == 200, r.text
    ids["scorecardId"] = str(r.json()["id"])
    return ids


def _snapshot(client: TestClient, headers: dict[str, str], ids: dict[str, str]) -> dict[str, Any]:
    """What the owner sees of each of its resources (to prove a foreign write changed nothing)."""
    cid = ids["conversationId"]
    paths = [
        f"/v1/conversations/{cid}",
        f"/v1/conversations/{cid}/messages",
        f"/v1/conversations/{cid}/members",
        f"/v1/conversations/{cid}/bookmarks",
        f"/v1/manage/trackers/{ids['trackerId']}",
        f"/v1/manage/entities/{ids['entityId']}",
        f"/v1/manage/group/{ids['groupId']}",
        f"/v1/manage/callscore/criteria/{ids['criteriaId']}",
        f"/v1/manage/callscore/scorecards/{ids['scorecardId']}",
        f"/v1/job/{ids['jobId']}",
    ]
    out = {}
    for path in paths:
        r = client.get(path, headers=headers)
        assert r.status_code == 200, f"owner cannot read {path}: {r.status_code} {r.text}"
        out[path] = r.json()
    return out


@pytest.mark.parametrize("intruder", ["other-account", "same-account-other-namespace"])
def test_accounts_cannot_touch_each_others_resources(client: TestClient, intruder: str) -> None:
    owner = auth_headers(client, "owner-app")
    ids = _create_resources(client, owner)
    before = _snapshot(client, owner, ids)
    if intruder == "other-account":
        other = auth_headers(client, "intruder-app")
    else:
        other = {**owner, "X-Mock-Namespace": "elsewhere"}
    failures = []
    checked = 0
    for method, path in _http_routes(client):
        params = {m.group(1) for m in PARAM.finditer(path)}
        if not params or path.startswith(ADMIN_PREFIX) or not params <= set(ids):
            continue
        r = client.request(method, _fill(path, ids), headers=other, json={})
        checked += 1
        # Reads and deletes must be 404; a write may be refused for its body first, but never succeed.
        allowed = {404} if method in ("GET", "DELETE") else {400, 404, 422}
        if r.status_code not in allowed:
            failures.append(f"{method} {path} -> {r.status_code} {r.text[:150]}")
    assert checked > 20
    assert not failures, "\n".join(failures)
    assert _snapshot(client, owner, ids) == before
    # Lists never show another tenant's rows.
    for path, key in (("/v1/conversations", "conversations"), ("/v1/manage/trackers", "trackers")):
        r = client.get(path, headers=other)
        assert r.status_code == 200, r.text
        listed = r.json()
        items = listed.get(key, listed) if isinstance(listed, dict) else listed
        assert ids["conversationId"] not in str(items) and ids["trackerId"] not in str(items)


# --- hostile input ---------------------------------------------------------------------------------------


def test_hostile_bodies_get_4xx(client: TestClient) -> None:
    headers = auth_headers(client)
    json_headers = {**headers, "content-type": "application/json"}
    cases: list[tuple[str, bytes]] = [
        ("deeply nested arrays", b"[" * 100_000 + b"]" * 100_000),
        ("deeply nested objects", b'{"a":' * 50_000 + b"1" + b"}" * 50_000),
        ("nested in a field", b'{"messages": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"),
        ("invalid UTF-8", b'{"messages": [{"payload": {"content": "\xff\xfe\xfa"}}]}'),
        ("not JSON", b"\x00\x01\x02 garbage"),
        ("truncated", b'{"messages": [{"payload":'),
        ("huge number", b'{"messages": [], "confidenceThreshold": 1' + b"0" * 5000 + b"}"),
    ]
    for name, body in cases:
        r = client.post("/v1/process/text", headers=json_headers, content=body)
        assert 400 <= r.status_code < 500, f"{name}: {r.status_code} {r.text[:200]}"
        assert "message" in r.json(), name


def test_oversize_bodies_are_refused(client: TestClient) -> None:
    headers = auth_headers(client)
    limit = client.app.state.services.settings.max_upload_bytes  # type: ignore[attr-defined]
    big = b"\0" * (min(limit, 8 * 1024 * 1024) + 1)
    settings = make_settings(max_upload_bytes=1024 * 1024)
    with TestClient(create_app(settings)) as small:
        h = auth_headers(small)
        r = small.post("/v1/process/audio", headers={**h, "content-type": "audio/wav"}, content=big)
        assert r.status_code == 413, r.text
        # Management API bodies are limited to 1 MB (Symbl's documented 413).
        tracker = b'{"name": "big", "vocabulary": ["' + b"a" * (1024 * 1024 + 1) + b'"]}'
        r = small.post(
            "/v1/manage/trackers", headers={**h, "content-type": "application/json"}, content=tracker
        )
        assert r.status_code == 413, r.text[:200]
    assert headers  # the default-limit app stays usable after the small one


def test_absurd_query_values_get_4xx_or_are_clamped(client: TestClient) -> None:
    headers = auth_headers(client)
    cid = submit_text(client, headers)["conversationId"]
    absurd = [
        "-1",
        "0",
        "1e309",
        "99999999999999999999999999",
        "NaN",
        "abc",
        "%00",
        "'; DROP TABLE conversations;--",
    ]
    failures = []
    for value in absurd:
        for path, param in (
            ("/v1/conversations", "limit"),
            ("/v1/conversations", "offset"),
            ("/v1/conversations", "startTime"),
            ("/v1/conversations", "filter"),
            ("/v1/conversations", "order"),
            (f"/v1/conversations/{cid}/messages", "verbose"),
            (f"/v1/conversations/{cid}/messages", "exclude"),
            (f"/v1/conversations/{cid}/topics", "parentRefs"),
            (f"/v1/conversations/{cid}/trackers-detected", "limit"),
            ("/v1/manage/trackers", "name"),
        ):
            r = client.get(path, params={param: value}, headers=headers)
            if r.status_code >= 500 or (r.status_code >= 400 and "message" not in r.json()):
                failures.append(f"{path}?{param}={value!r} -> {r.status_code} {r.text[:120]}")
    assert not failures, "\n".join(failures)
    assert client.get(f"/v1/conversations/{cid}", headers=headers).status_code == 200  # the table survived


def test_path_traversal_in_names(client: TestClient) -> None:
    headers = auth_headers(client)
    evil = [
        "../../../../etc/passwd",
        "..%2F..%2Fetc%2Fpasswd",
        "/etc/passwd",
        "....//....//etc/passwd",
        "a%00b",
    ]
    failures = []
    for name in evil:
        for method, path, kwargs in (
            ("GET", f"/__admin/ui/static/{name}", {}),
            ("GET", f"/docs/static/{name}", {}),
            ("GET", f"/__admin/ui/fixtures/audio/{name}", {}),
            ("POST", "/v1/process/audio", {"params": {"name": name}, "content": b"RIFF"}),
            ("POST", "/__admin/seed", {"json": {"fixture": name, "name": name}}),
            ("POST", "/v1/process/audio/url", {"json": {"url": f"http://127.0.0.1:9/{name}", "name": name}}),
        ):
            r = client.request(method, path, headers=headers, **kwargs)
            leaked = "root:x:0:0" in r.text
            if leaked or r.status_code >= 500:
                failures.append(f"{method} {path} {name!r} -> {r.status_code} leaked={leaked}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://127.0.0.1/a.wav",
        "gopher://127.0.0.1/",
        "data:audio/wav;base64,AAAA",
        "/etc/passwd",
    ],
)
def test_media_urls_with_other_schemes_are_refused(client: TestClient, url: str) -> None:
    headers = auth_headers(client)
    for path in ("/v1/process/audio/url", "/v1/process/video/url"):
        r = client.post(path, headers=headers, json={"url": url})
        assert r.status_code == 400, f"{path} {url}: {r.status_code} {r.text}"
        assert "message" in r.json()


class _Redirector(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(302)
        self.send_header("Location", "file:///etc/passwd")
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


def test_redirects_to_other_schemes_are_refused_when_fetching() -> None:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Redirector)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        with TestClient(create_app(make_settings(fetch_media_urls=True))) as c:
            headers = auth_headers(c)
            url = f"http://127.0.0.1:{httpd.server_address[1]}/call.wav"
            r = c.post("/v1/process/audio/url", headers=headers, json={"url": url})
            if r.status_code == 200:  # refused while processing: the job fails, nothing is read
                assert wait_job(c, headers, r.json()["jobId"]) == "failed"
                cid = r.json()["conversationId"]
                messages = c.get(f"/v1/conversations/{cid}/messages", headers=headers).json()
                assert "root:" not in str(messages)
            else:
                assert r.status_code == 400, r.text
    finally:
        httpd.shutdown()
