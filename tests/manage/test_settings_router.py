"""User settings over HTTP (rest.md §8.5): RFC 6902 PATCH, validation, and the effects on bookmarks."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from mock_symbl.manage import service as manage_service
from mock_symbl.tenancy import Tenant
from tests.helpers import auth_headers, submit_text, wait_job

REDACTION = {
    "default": True,
    "type": "custom",
    "exclude": ["PERSON_NAME", "EMAIL_ADDRESS"],
    "custom": {"SSN": "Social Security Number", "default": "obfuscation"},
}


def test_empty_until_configured(client: TestClient, headers: dict[str, str]) -> None:
    assert client.get("/v1/manage/settings", headers=headers).json() == {"settings": {}}


def test_add_then_replace_then_remove(client: TestClient, headers: dict[str, str]) -> None:
    ops = [
        {"op": "add", "path": "/intelligence/bookmarks/duration", "value": 30},
        {"op": "add", "path": "/redaction", "value": REDACTION},
    ]
    response = client.patch("/v1/manage/settings", headers=headers, json=ops)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["id"].isdigit()
    assert body["intelligence"] == {"bookmarks": {"duration": 30}}
    assert client.get("/v1/manage/settings", headers=headers).json() == {
        "settings": {"intelligence": {"bookmarks": {"duration": 30}}, "redaction": REDACTION}
    }
    replaced = client.patch(
        "/v1/manage/settings",
        headers=headers,
        json=[{"op": "replace", "path": "/redaction/default", "value": False}],
    )
    assert replaced.json()["redaction"]["default"] is False
    assert replaced.json()["id"] == body["id"]  # static id
    client.patch("/v1/manage/settings", headers=headers, json=[{"op": "remove", "path": "/redaction"}])
    assert client.get("/v1/manage/settings", headers=headers).json() == {
        "settings": {"intelligence": {"bookmarks": {"duration": 30}}}
    }


def test_replace_before_add_is_400(client: TestClient, headers: dict[str, str]) -> None:
    response = client.patch(
        "/v1/manage/settings",
        headers=headers,
        json=[{"op": "replace", "path": "/redaction", "value": REDACTION}],
    )
    assert response.status_code == 400
    assert '"add"' in response.json()["message"]


VALIDATION_CASES: list[Any] = [
    ([{"op": "add", "path": "/intelligence/bookmarks/duration", "value": -1}], "positive"),
    ([{"op": "add", "path": "/intelligence/bookmarks/duration", "value": "30"}], "positive"),
    ([{"op": "add", "path": "/redaction", "value": {"type": "secret"}}], "redaction.type"),
    ([{"op": "add", "path": "/redaction", "value": {"default": "yes"}}], "redaction.default"),
    ([{"op": "add", "path": "/redaction", "value": {"exclude": "SSN"}}], "redaction.exclude"),
    ([{"op": "add", "path": "/redaction", "value": 1}], '"redaction" must be an object'),
    ([{"op": "add", "path": "/theme", "value": "dark"}], "not a supported setting"),
    ([{"op": "copy", "path": "/redaction", "from": "/x"}], '"op"'),
    ([{"op": "add", "path": "/redaction"}], '"value" is required'),
    ([{"op": "remove", "path": "/redaction"}], "Cannot remove"),
    ([], "non-empty"),
]


def test_validation(client: TestClient, headers: dict[str, str]) -> None:
    for ops, fragment in VALIDATION_CASES:
        response = client.patch("/v1/manage/settings", headers=headers, json=ops)
        assert response.status_code == 400, response.text
        assert fragment in response.json()["message"]
        assert client.get("/v1/manage/settings", headers=headers).json() == {"settings": {}}


def test_tenant_isolation_and_contract(client: TestClient, headers: dict[str, str]) -> None:
    client.patch(
        "/v1/manage/settings", headers=headers, json=[{"op": "add", "path": "/redaction", "value": REDACTION}]
    )
    other = auth_headers(client, "app-two")
    assert client.get("/v1/manage/settings", headers=other).json() == {"settings": {}}
    services = client.app.state.services  # type: ignore[attr-defined]
    with services.db.session() as session:
        assert manage_service.account_settings(session, Tenant("app-one")) == {"redaction": REDACTION}
        assert manage_service.account_settings(session, Tenant("app-two")) == {}


def test_bookmark_default_duration_takes_effect(client: TestClient, headers: dict[str, str]) -> None:
    submitted = submit_text(client, headers)
    assert wait_job(client, headers, submitted["jobId"]) == "completed"
    path = f"/v1/conversations/{submitted['conversationId']}/bookmarks"
    body = {"label": "L", "description": "no duration given", "beginTimeOffset": 0}
    missing = client.post(path, headers=headers, json=body)
    assert missing.status_code == 400 and "duration" in missing.json()["message"]
    client.patch(
        "/v1/manage/settings",
        headers=headers,
        json=[{"op": "add", "path": "/intelligence/bookmarks/duration", "value": 2}],
    )
    created = client.post(path, headers=headers, json=body)
    assert created.status_code == 200
    assert created.json()["duration"] == 2


def test_effective_redaction(client: TestClient, headers: dict[str, str]) -> None:
    services = client.app.state.services  # type: ignore[attr-defined]
    tenant = Tenant("app-one")
    with services.db.session() as session:
        assert manage_service.effective_redaction(session, tenant, redact=None, exclude=[]) == (False, [])
    client.patch(
        "/v1/manage/settings", headers=headers, json=[{"op": "add", "path": "/redaction", "value": REDACTION}]
    )
    with services.db.session() as session:
        assert manage_service.effective_redaction(session, tenant, redact=None, exclude=["SSN"]) == (
            True,
            ["SSN", "PERSON_NAME", "EMAIL_ADDRESS"],
        )
        assert manage_service.effective_redaction(session, tenant, redact=False, exclude=[])[0] is False
