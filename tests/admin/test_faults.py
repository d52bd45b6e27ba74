"""Fault injection through the app: per-request overrides and rules (count, probability, scope, latency)."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from mock_symbl.admin.faults import OverrideError, parse_override
from tests.helpers import auth_headers


def test_prefer_code_answers_with_symbls_error_body(client: TestClient, headers: dict[str, str]) -> None:
    limited = client.get("/v1/conversations", headers={**headers, "Prefer": "code=429"})
    assert limited.status_code == 429
    assert limited.json()["statusCode"] == 429 and limited.json()["message"]
    server = client.get("/v1/conversations", headers={**headers, "Prefer": "code=500"})
    assert server.json() == {"message": "Something went wrong! Please contact support@symbl.ai"}
    assert client.get("/v1/conversations", headers=headers).status_code == 200  # only that request


def test_x_mock_fault_header(client: TestClient, headers: dict[str, str]) -> None:
    unauthorized = client.get("/v1/conversations", headers={**headers, "X-Mock-Fault": "status=401"})
    assert unauthorized.status_code == 401
    assert unauthorized.json() == {"message": "Token validation failed for provided token."}
    started = time.monotonic()
    slow = client.get("/v1/conversations", headers={**headers, "X-Mock-Fault": "latency=250"})
    assert slow.status_code == 200
    assert time.monotonic() - started >= 0.25


def test_override_parsing() -> None:
    effect = parse_override('code=503, delay="40"', None)
    assert effect is not None and (effect.status, effect.latency_ms) == (503, 40)
    assert parse_override("return=minimal", None) is None
    with pytest.raises(OverrideError, match="100 to 599"):
        parse_override(None, "999")  # not an HTTP status
    dropped = parse_override(None, "drop")
    assert dropped is not None and dropped.drop


def test_rule_with_count_fires_then_retires(client: TestClient, headers: dict[str, str]) -> None:
    rule = client.post(
        "/__admin/faults", json={"method": "GET", "path": "/v1/conversations", "status": 503, "count": 2}
    )
    assert rule.status_code == 201
    codes = [client.get("/v1/conversations", headers=headers).status_code for _ in range(3)]
    assert codes == [503, 503, 200]
    assert client.get("/__admin/faults").json()["faults"][0]["fired"] == 2
    assert (
        client.post("/v1/process/text", headers=headers, json={"messages": []}).status_code == 400
    )  # other paths


def test_rule_path_glob_and_method(client: TestClient, headers: dict[str, str]) -> None:
    client.post(
        "/__admin/faults", json={"method": "GET", "path": "/v1/conversations/*/messages", "status": 500}
    )
    assert client.get("/v1/conversations/123/messages", headers=headers).status_code == 500
    assert client.get("/v1/conversations/123", headers=headers).status_code == 404
    client.post("/__admin/faults", json={"path": "re:^/v1/job/", "status": 502})
    assert client.get("/v1/job/abc", headers=headers).status_code == 502


def test_rule_scoped_to_account_and_namespace(client: TestClient, headers: dict[str, str]) -> None:
    other = auth_headers(client, "app-two")
    client.post("/__admin/faults", json={"account": "app-two", "status": 429})
    assert client.get("/v1/conversations", headers=headers).status_code == 200
    assert client.get("/v1/conversations", headers=other).status_code == 429
    client.delete("/__admin/faults")
    client.post("/__admin/faults", json={"namespace": "worker-1", "status": 500})
    assert (
        client.get("/v1/conversations", headers={**headers, "X-Mock-Namespace": "worker-1"}).status_code
        == 500
    )
    assert (
        client.get("/v1/conversations", headers={**headers, "X-Mock-Namespace": "worker-2"}).status_code
        == 200
    )


def test_seeded_probability_is_reproducible(app_factory: Callable[..., TestClient]) -> None:
    runs = []
    for _ in range(2):
        client = app_factory()
        headers = auth_headers(client)
        client.post("/__admin/faults", json={"status": 500, "probability": 0.5, "seed": 42, "id": "flaky"})
        runs.append([client.get("/v1/conversations", headers=headers).status_code for _ in range(20)])
    assert runs[0] == runs[1]
    assert set(runs[0]) == {200, 500}


def test_latency_rule_then_real_answer(client: TestClient, headers: dict[str, str]) -> None:
    client.post("/__admin/faults", json={"path": "/v1/conversations", "latency_ms": 200, "count": 1})
    started = time.monotonic()
    assert client.get("/v1/conversations", headers=headers).status_code == 200
    assert time.monotonic() - started >= 0.2
    entry = client.get("/__admin/requests", params={"path": "/v1/conversations"}).json()["requests"][0]
    assert entry["fault"] == "latency=200ms" and entry["latency_ms"] >= 200


def test_custom_body_and_rule_management(client: TestClient, headers: dict[str, str]) -> None:
    made = client.post("/__admin/faults", json={"status": 418, "body": {"message": "teapot"}}).json()
    assert client.get("/v1/conversations", headers=headers).json() == {"message": "teapot"}
    assert client.delete(f"/__admin/faults/{made['id']}").json() == {"removed": 1}
    assert client.delete(f"/__admin/faults/{made['id']}").status_code == 404
    assert client.post("/__admin/faults", json={"path": "/x"}).status_code == 400  # no effect
    assert client.post("/__admin/faults", json={"status": 99}).status_code == 400


def test_admin_paths_are_never_faulted(client: TestClient) -> None:
    client.post("/__admin/faults", json={"status": 500})
    assert client.get("/__admin/faults", headers={"Prefer": "code=500"}).status_code == 200


def test_websocket_fault_function_for_streaming_loops(client: TestClient) -> None:
    from mock_symbl.admin.faults import websocket_fault
    from mock_symbl.tenancy import Tenant

    services = client.app.state.services  # type: ignore[attr-defined]
    client.post(
        "/__admin/faults", json={"path": "/v1/streaming/*", "ws_close": 4001, "after_messages": 3, "count": 1}
    )
    client.post(
        "/__admin/faults", json={"path": "/v1/streaming/*", "status": 500}
    )  # HTTP rules are not WS rules
    tenant = Tenant("app-one", "")
    assert websocket_fault(services, tenant, "/v1/streaming/c1", messages_sent=2) is None
    assert websocket_fault(services, tenant, "/v1/subscribe/c1", messages_sent=5) is None
    assert websocket_fault(services, tenant, "/v1/streaming/c1", messages_sent=3) == 4001
    assert websocket_fault(services, tenant, "/v1/streaming/c1", messages_sent=9) is None  # count spent
