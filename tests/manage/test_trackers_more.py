"""Trackers: tenant isolation, the account-tracker contract (enableAllTrackers) and hostile bodies."""

from __future__ import annotations

import json
from collections.abc import Callable

from fastapi.testclient import TestClient

from mock_symbl.manage import service as manage_service
from mock_symbl.tenancy import Tenant
from tests.helpers import auth_headers, wait_job
from tests.manage.test_trackers_router import PROMO, _create


class TestTenancy:
    def test_isolation(self, client: TestClient, headers: dict[str, str]) -> None:
        tracker = _create(client, headers)
        other = auth_headers(client, "app-two")
        assert client.get(f"/v1/manage/tracker/{tracker['id']}", headers=other).status_code == 404
        assert client.get(f"/v1/manage/trackers/{tracker['id']}", headers=other).status_code == 404
        assert client.put(f"/v1/manage/tracker/{tracker['id']}", headers=other, json=PROMO).status_code == 404
        assert client.patch(f"/v1/manage/trackers/{tracker['id']}", headers=other, json=[]).status_code in (
            400,
            404,
        )
        assert client.delete(f"/v1/manage/trackers/{tracker['id']}", headers=other).status_code == 404
        assert client.get("/v1/manage/trackers", headers=other).json() == {"trackers": []}
        # same name is free in another account and in another namespace
        assert client.post("/v1/manage/tracker", headers=other, json=PROMO).status_code == 200
        namespaced = {**headers, "X-Mock-Namespace": "ns1"}
        assert client.post("/v1/manage/tracker", headers=namespaced, json=PROMO).status_code == 200
        assert len(client.get("/v1/manage/trackers", headers=namespaced).json()["trackers"]) == 1

    def test_requires_token(self, client: TestClient) -> None:
        response = client.get("/v1/manage/trackers")
        assert response.status_code == 401
        assert response.json() == {"message": "Token validation failed for provided token."}


class TestAccountTrackers:
    def test_service_contract(self, client: TestClient, headers: dict[str, str]) -> None:
        tracker = _create(client, headers)
        services = client.app.state.services  # type: ignore[attr-defined]
        with services.db.session() as session:
            specs = manage_service.account_trackers(session, Tenant("app-one"))
            assert [(s.id, s.name, s.vocabulary) for s in specs] == [
                (tracker["id"], PROMO["name"], tuple(PROMO["vocabulary"]))
            ]
            assert manage_service.account_trackers(session, Tenant("app-two")) == []

    def test_enable_all_trackers_feeds_the_job(self, app_factory: Callable[..., TestClient]) -> None:
        client = app_factory()
        headers = auth_headers(client)
        _create(client, headers, name="Pricing", vocabulary=["pricing proposal"])
        body = {
            "messages": [
                {
                    "payload": {"content": "Can you send me the pricing proposal by Friday?"},
                    "from": {"name": "Alice"},
                }
            ],
            "enableAllTrackers": True,
        }
        submitted = client.post("/v1/process/text", headers=headers, json=body).json()
        services = client.app.state.services  # type: ignore[attr-defined]
        from mock_symbl.jobs.options import build_options
        from mock_symbl.store.conversations import get_conversation

        with services.db.session() as session:
            conv = get_conversation(session, Tenant("app-one"), submitted["conversationId"])
            options = build_options(services, session, conv)
        assert [t.name for t in options.trackers] == ["Pricing"]
        assert wait_job(client, headers, submitted["jobId"]) == "completed"
        detected = client.get(
            f"/v1/conversations/{submitted['conversationId']}/trackers", headers=headers
        ).json()
        assert "Pricing" in json.dumps(detected)
        # without enableAllTrackers the account's trackers are not used
        plain = client.post(
            "/v1/process/text", headers=headers, json={**body, "enableAllTrackers": False}
        ).json()
        assert wait_job(client, headers, plain["jobId"]) == "completed"
        assert "Pricing" not in json.dumps(
            client.get(f"/v1/conversations/{plain['conversationId']}/trackers", headers=headers).json()
        )


class TestHostileBodies:
    def test_never_a_500(self, client: TestClient, headers: dict[str, str]) -> None:
        json_headers = {**headers, "content-type": "application/json"}
        cases: list[tuple[str, str, bytes]] = [
            ("POST", "/v1/manage/tracker", b'{"name": "x", "vocabulary": ["a"], "n": NaN}'),
            ("POST", "/v1/manage/trackers", b'{"name": "x", "vocabulary": ["a"], "n": Infinity}'),
            ("POST", "/v1/manage/trackers", b'{"name": "x", "vocabulary": [1e400]}'),
            ("POST", "/v1/manage/trackers", b'{"name": "x", "vocabulary": [123456789012345678901234567890]}'),
            ("POST", "/v1/manage/trackers", b'{"name": "\\ud800", "vocabulary": ["a"]}'),
            ("POST", "/v1/manage/trackers", b"[" * 5000 + b"]" * 5000),
            (
                "PATCH",
                "/v1/manage/settings",
                b'[{"op": "add", "path": "/intelligence/bookmarks/duration", "value": 1e999}]',
            ),
            ("POST", "/v1/metric/m/entry", b'{"value": 99999999999999999999999999}'),
            ("POST", "/v1/metric/m/entry", b'{"timestamp": "0001-01-01T00:00:00+05:00"}'),
            (
                "POST",
                "/v1/manage/group",
                b'{"name": "g", "criteria": "conversation.startTime>0001-01-01T00:00:00+05:00"}',
            ),
        ]
        for method, path, content in cases:
            response = client.request(method, path, headers=json_headers, content=content)
            assert response.status_code == 400, (path, content[:60], response.text)
            assert set(response.json()) == {"message"}
        for params in (
            {"startTime": "0001-01-01T00:00:00Z"},
            {"endTime": "0001-01-01T00:00:00+01:00"},
            {"offset": str(2**70)},
        ):
            assert client.get("/v1/conversations", headers=headers, params=params).status_code == 400, params


def test_huge_bulk_is_400_not_500(client: TestClient, headers: dict[str, str]) -> None:
    body = [{"name": f"t{i}", "vocabulary": ["a"]} for i in range(20_000)]
    response = client.post("/v1/manage/trackers/bulk", headers=headers, json=body)
    assert response.status_code == 400
    assert "500" in response.json()["message"]


class TestGoSdkShapes:
    """Bodies exactly as symbl-go-sdk marshals them (nil slices become null, empty strings omitted)."""

    def test_create_with_null_lists_then_patch_and_delete(
        self, client: TestClient, headers: dict[str, str]
    ) -> None:
        body = {"name": "Go", "categories": None, "languages": None, "vocabulary": ["go sdk phrase"]}
        created = client.post("/v1/manage/trackers", headers=headers, json=body)
        assert created.status_code == 200, created.text
        tracker = created.json()["tracker"]
        assert tracker["categories"] == [] and tracker["languages"] == ["en-US"]
        ops = [{"op": "replace", "path": "/description", "value": "Updated Description"}]
        patched = client.patch(f"/v1/manage/trackers/{tracker['id']}", headers=headers, json=ops).json()[
            "tracker"
        ]
        assert patched["description"] == "Updated Description"
        assert client.delete(f"/v1/manage/trackers/{tracker['id']}", headers=headers).status_code == 200

    def test_entities_and_groups(self, client: TestClient, headers: dict[str, str]) -> None:
        entities = [{"type": "Vendor", "subType": "Cloud", "category": "Custom", "values": ["AWS"]}]
        created = client.post("/v1/manage/entities/bulk", headers=headers, json=entities).json()["entities"]
        assert (
            client.get(f"/v1/manage/entities/{created[0]['id']}", headers=headers).json()["subType"]
            == "Cloud"
        )
        group = client.post(
            "/v1/manage/group", headers=headers, json={"name": "g", "criteria": "conversation.type==meeting"}
        )
        group_id = group.json()["group"]["id"]
        update = {"id": group_id, "name": "g2", "criteria": "conversation.type==meeting"}
        assert (
            client.put(f"/v1/manage/group/{group_id}", headers=headers, json=update).json()["group"]["name"]
            == "g2"
        )
