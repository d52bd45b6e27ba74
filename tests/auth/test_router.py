"""Auth routes and token checks (rest.md §2)."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from tests.helpers import SAMPLE_MESSAGES, token_for

UNAUTHORIZED = {"message": "Token validation failed for provided token."}


def _claims(token: str) -> dict[str, object]:
    segment = token.split(".")[1]
    claims: dict[str, object] = json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))
    return claims


class TestGenerate:
    def test_returns_jwt_with_numeric_exp_naming_the_app(self, client: TestClient) -> None:
        response = client.post(
            "/oauth2/token:generate", json={"type": "application", "appId": "my-app", "appSecret": "s"}
        )
        assert response.status_code == 200
        body = response.json()
        assert set(body) == {"accessToken", "expiresIn"}
        assert body["expiresIn"] == 86400 and isinstance(body["expiresIn"], int)
        claims = _claims(body["accessToken"])
        assert claims["sub"] == "my-app" and claims["appId"] == "my-app"
        assert isinstance(claims["exp"], int) and isinstance(claims["iat"], int)
        assert claims["exp"] - claims["iat"] == 86400

    def test_payload_segment_is_atob_safe(self, client: TestClient) -> None:
        # The Web SDK decodes the payload with atob, which rejects '-' and '_'.
        for i in range(20):
            segment = token_for(client, f"app-{i}").split(".")[1]
            assert "-" not in segment and "_" not in segment

    def test_ignores_unknown_keys(self, client: TestClient) -> None:
        body = {"type": "application", "appId": "a", "appSecret": "b", "AuthURI": "https://x"}
        assert client.post("/oauth2/token:generate", json=body).status_code == 200

    @pytest.mark.parametrize(
        ("body", "fragment"),
        [
            ({"appId": "a", "appSecret": "b"}, '"type" is required'),
            ({"type": "application", "appSecret": "b"}, '"appId"'),
            ({"type": "application", "appId": "a", "appSecret": ""}, '"appId"'),
            ({"type": "other", "appId": "a", "appSecret": "b"}, '"type" must be one of'),
            ({"type": 5, "appId": "a", "appSecret": "b"}, '"type" is invalid'),
        ],
    )
    def test_bad_bodies_are_400(self, client: TestClient, body: dict[str, object], fragment: str) -> None:
        response = client.post("/oauth2/token:generate", json=body)
        assert response.status_code == 400
        assert fragment in response.json()["message"]

    def test_malformed_json_is_400(self, client: TestClient) -> None:
        response = client.post(
            "/oauth2/token:generate", content=b"{not json", headers={"content-type": "application/json"}
        )
        assert response.status_code == 400
        assert response.json() == {"message": "Malformed JSON in request body."}

    def test_restricted_apps(self, app_factory: Callable[..., TestClient]) -> None:
        client = app_factory(apps="good:secret1, other:secret2")
        ok = client.post(
            "/oauth2/token:generate", json={"type": "application", "appId": "good", "appSecret": "secret1"}
        )
        assert ok.status_code == 200
        for app_id, secret in (("good", "wrong"), ("unknown", "secret1")):
            bad = client.post(
                "/oauth2/token:generate", json={"type": "application", "appId": app_id, "appSecret": secret}
            )
            assert bad.status_code == 401
            assert "message" in bad.json()

    def test_password_grant(self, client: TestClient) -> None:
        body = {"type": "password", "username": "u", "password": "p"}
        assert client.post("/oauth2/token:generate", json=body).status_code == 200


class TestTokenChecks:
    def _job_route(self, client: TestClient, headers: dict[str, str]) -> int:
        return client.get("/v1/job/00000000-0000-4000-8000-000000000000", headers=headers).status_code

    def test_missing_token(self, client: TestClient) -> None:
        response = client.get("/v1/job/x")
        assert response.status_code == 401 and response.json() == UNAUTHORIZED

    @pytest.mark.parametrize("token", ["garbage", "a.b.c", "Bearer", ""])
    def test_garbage_token(self, client: TestClient, token: str) -> None:
        response = client.get("/v1/job/x", headers={"x-api-key": token})
        assert response.status_code == 401 and response.json() == UNAUTHORIZED

    def test_token_signed_with_other_key(self, app_factory: Callable[..., TestClient]) -> None:
        other = app_factory(jwt_secret="another-signing-key-that-is-long-enough-1234")
        client = app_factory()
        foreign = token_for(other)
        assert client.get("/v1/job/x", headers={"x-api-key": foreign}).status_code == 401

    def test_both_headers_accepted(self, client: TestClient) -> None:
        token = token_for(client)
        assert self._job_route(client, {"x-api-key": token}) == 404
        assert self._job_route(client, {"Authorization": f"Bearer {token}"}) == 404
        assert self._job_route(client, {"X-API-KEY": token}) == 404
        # Authorization wins when both are present
        assert self._job_route(client, {"Authorization": f"Bearer {token}", "x-api-key": "junk"}) == 404
        assert self._job_route(client, {"Authorization": "Bearer junk", "x-api-key": token}) == 401

    def test_expired_token_follows_the_clock(self, client: TestClient) -> None:
        token = token_for(client)
        assert self._job_route(client, {"x-api-key": token}) == 404
        client.app.state.services.clock.advance(86401)
        response = client.get("/v1/job/x", headers={"x-api-key": token})
        assert response.status_code == 401 and response.json() == UNAUTHORIZED


class TestRefreshRevoke:
    def test_refresh_returns_fresh_token(self, client: TestClient) -> None:
        token = token_for(client)
        response = client.post(
            "/oauth2/token:refresh",
            headers={"x-api-key": token},
            json={"appId": "app-one", "refreshToken": "r"},
        )
        assert response.status_code == 200
        body = response.json()
        assert body["expiresIn"] == 86400 and body["accessToken"] != token and body["refershToken"]
        assert self_check(client, body["accessToken"]) == 404

    def test_refresh_needs_token(self, client: TestClient) -> None:
        assert client.post("/oauth2/token:refresh", json={}).status_code == 401

    def test_revoke_with_json_body_then_refused(self, client: TestClient) -> None:
        token = token_for(client)
        other = token_for(client)
        response = client.request(
            "DELETE",
            "/oauth2/token:revoke",
            headers={"x-api-key": token},
            json={"appId": "app-one", "appSecret": "secret"},
        )
        assert response.status_code == 200 and response.content == b""
        assert self_check(client, token) == 401
        assert self_check(client, other) == 404  # only the presented token is revoked

    def test_revoked_token_stays_revoked_after_restart(
        self, tmp_path: object, app_factory: Callable[..., TestClient]
    ) -> None:
        db = f"{tmp_path}/r.db"
        first = app_factory(database=db)
        token = token_for(first)
        first.request("DELETE", "/oauth2/token:revoke", headers={"x-api-key": token}, json={})
        second = app_factory(database=db)
        assert self_check(second, token) == 401


def self_check(client: TestClient, token: str) -> int:
    return client.get(
        "/v1/job/00000000-0000-4000-8000-000000000000", headers={"x-api-key": token}
    ).status_code


def test_cors_preflight_allows_sdk_headers(client: TestClient) -> None:
    response = client.options(
        "/oauth2/token:generate",
        headers={
            "Origin": "http://localhost:3000",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type, x-api-key, authorization",
        },
    )
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "*"
    allowed = response.headers["access-control-allow-headers"].lower()
    for header in ("content-type", "x-api-key", "authorization"):
        assert header in allowed


def test_every_protected_route_needs_a_token(client: TestClient) -> None:
    token = token_for(client)
    body = {"messages": SAMPLE_MESSAGES}
    assert client.post("/v1/process/text", json=body).status_code == 401
    assert client.post("/v1/process/text", json=body, headers={"x-api-key": token}).status_code == 200
