"""Probes, effective config, the admin token and the OpenAPI tag."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient


def test_health_and_ready_are_open(client: TestClient) -> None:
    assert client.get("/__admin/health").json()["status"] == "ok"
    ready = client.get("/__admin/ready")
    assert ready.status_code == 200
    assert ready.json()["checks"] == {"database": True, "fixtures": True, "scheduler": True}


def test_ready_is_503_when_the_scheduler_is_down(client: TestClient) -> None:
    client.app.state.services.scheduler_running = False  # type: ignore[attr-defined]
    ready = client.get("/__admin/ready")
    assert ready.status_code == 503
    assert ready.json()["checks"]["scheduler"] is False


def test_config_masks_secrets(app_factory: Callable[..., TestClient]) -> None:
    client = app_factory(apps="app1:topsecret,app2:other", jwt_secret="signing-key", seed=7)
    settings = client.get("/__admin/config").json()["settings"]
    assert settings["jwt_secret"] == "***"
    assert settings["apps"] == "app1:***,app2:***"
    assert settings["seed"] == 7
    assert settings["job_progression"] == "immediate"
    assert "topsecret" not in client.get("/__admin/config").text


def test_admin_token_protects_everything_but_probes(app_factory: Callable[..., TestClient]) -> None:
    client = app_factory(admin_token="let-me-in")
    assert client.get("/__admin/health").status_code == 200
    assert client.get("/__admin/ready").status_code == 200
    for method, path in (
        ("GET", "/__admin/config"),
        ("POST", "/__admin/reset"),
        ("GET", "/__admin/requests"),
    ):
        denied = client.request(method, path)
        assert denied.status_code == 401
        assert "admin token" in denied.json()["message"]
    assert client.get("/__admin/config", headers={"x-admin-token": "wrong"}).status_code == 401
    assert client.get("/__admin/config", headers={"x-admin-token": "let-me-in"}).status_code == 200
    assert client.get("/__admin/config", headers={"authorization": "Bearer let-me-in"}).status_code == 200
    assert (
        client.get("/__admin/config", headers={"x-admin-token": "let-me-in"}).json()["settings"][
            "admin_token"
        ]
        == "***"
    )


def test_admin_routes_are_tagged_in_openapi(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    admin = {p: ops for p, ops in paths.items() if p.startswith("/__admin")}
    for expected in (
        "/__admin/reset",
        "/__admin/faults",
        "/__admin/requests",
        "/__admin/clock/advance",
        "/__admin/jobs/{jobId}/advance",
        "/__admin/snapshot",
        "/__admin/webhooks",
        "/__admin/results",
    ):
        assert expected in admin
    assert all(op["tags"] == ["Admin"] for ops in admin.values() for op in ops.values())
    assert not any(p.startswith("/__admin") for p in paths if not p.startswith("/__admin"))
