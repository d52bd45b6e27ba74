"""Custom entity management over HTTP (rest.md §8.2)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from mock_symbl.manage import service as manage_service
from mock_symbl.tenancy import Tenant
from tests.helpers import auth_headers, wait_job

VENDOR = {"type": "Vendor", "subType": "Cloud", "category": "Custom", "values": ["AWS", "Azure"]}


def _create(client: TestClient, headers: dict[str, str], **body: Any) -> dict[str, Any]:
    response = client.post("/v1/manage/entities", headers=headers, json={**VENDOR, **body})
    assert response.status_code == 200, response.text
    entity: dict[str, Any] = response.json()
    return entity


def test_crud(client: TestClient, headers: dict[str, str]) -> None:
    entity = _create(client, headers)
    assert entity == {"id": entity["id"], **VENDOR}
    assert client.get(f"/v1/manage/entities/{entity['id']}", headers=headers).json() == entity
    assert client.get(f"/v1/manage/entity/{entity['id']}", headers=headers).json() == entity  # older spelling
    assert client.get("/v1/manage/entities", headers=headers).json() == {"entities": [entity]}

    body = {**VENDOR, "values": ["GCP"]}
    updated = client.put(f"/v1/manage/entities/{entity['id']}", headers=headers, json=body)
    assert updated.json() == {"entity": {"id": entity["id"], **body}}

    deleted = client.delete(f"/v1/manage/entities/{entity['id']}", headers=headers)
    assert deleted.json() == {"id": entity["id"], "type": "entity", "deleted": True}
    assert client.get(f"/v1/manage/entities/{entity['id']}", headers=headers).status_code == 404


def test_bulk_and_older_single_route(client: TestClient, headers: dict[str, str]) -> None:
    body = [VENDOR, {**VENDOR, "subType": "OnPrem", "values": ["VMware"]}]
    response = client.post("/v1/manage/entities/bulk", headers=headers, json=body)
    assert [e["subType"] for e in response.json()["entities"]] == ["Cloud", "OnPrem"]
    single = client.post(
        "/v1/manage/entity", headers=headers, json={**VENDOR, "type": "Product", "values": ["X"]}
    )
    assert single.status_code == 200 and single.json()["type"] == "Product"
    assert client.post("/v1/manage/entities/bulk", headers=headers, json=VENDOR).status_code == 400


def test_sub_type_unique_per_type(client: TestClient, headers: dict[str, str]) -> None:
    _create(client, headers)
    assert client.post("/v1/manage/entities", headers=headers, json=VENDOR).status_code == 409
    assert (
        client.post("/v1/manage/entities", headers=headers, json={**VENDOR, "type": "Partner"}).status_code
        == 200
    )
    both = [{**VENDOR, "subType": "A"}, {**VENDOR, "subType": "A"}]
    assert client.post("/v1/manage/entities/bulk", headers=headers, json=both).status_code == 409
    assert len(client.get("/v1/manage/entities", headers=headers).json()["entities"]) == 2


def test_put_conflict(client: TestClient, headers: dict[str, str]) -> None:
    first = _create(client, headers)
    _create(client, headers, subType="Other")
    clash = client.put(
        f"/v1/manage/entities/{first['id']}", headers=headers, json={**VENDOR, "subType": "Other"}
    )
    assert clash.status_code == 409


def test_delete_by_sub_type(client: TestClient, headers: dict[str, str]) -> None:
    _create(client, headers)
    _create(client, headers, type="Partner")
    keep = _create(client, headers, subType="OnPrem")
    response = client.delete("/v1/manage/entities", headers=headers, params={"subType": "Cloud"})
    assert response.status_code == 200
    assert response.json()["count"] == 2
    assert client.get("/v1/manage/entities", headers=headers).json() == {"entities": [keep]}
    assert (
        client.delete("/v1/manage/entities", headers=headers, params={"subType": "Cloud"}).status_code == 404
    )
    assert client.delete("/v1/manage/entities", headers=headers).status_code == 400


VALIDATION_CASES: list[Any] = [
    ({**VENDOR, "values": []}, "at least 1"),
    ({**VENDOR, "values": ["a", "a"]}, "duplicate"),
    ({**VENDOR, "category": "Managed"}, "category"),
    ({k: v for k, v in VENDOR.items() if k != "subType"}, '"subType" is required'),
    ({**VENDOR, "type": ""}, "empty"),
    ({**VENDOR, "extra": 1}, "not allowed"),
]


def test_validation(client: TestClient, headers: dict[str, str]) -> None:
    for body, fragment in VALIDATION_CASES:
        response = client.post("/v1/manage/entities", headers=headers, json=body)
        assert response.status_code == 400
        assert fragment in response.json()["message"]


def test_tenant_isolation_and_contract(client: TestClient, headers: dict[str, str]) -> None:
    entity = _create(client, headers)
    other = auth_headers(client, "app-two")
    assert client.get(f"/v1/manage/entities/{entity['id']}", headers=other).status_code == 404
    assert client.put(f"/v1/manage/entities/{entity['id']}", headers=other, json=VENDOR).status_code == 404
    assert client.delete(f"/v1/manage/entities/{entity['id']}", headers=other).status_code == 404
    assert client.delete("/v1/manage/entities", headers=other, params={"subType": "Cloud"}).status_code == 404
    assert client.get("/v1/manage/entities", headers=other).json() == {"entities": []}
    services = client.app.state.services  # type: ignore[attr-defined]
    with services.db.session() as session:
        (spec,) = manage_service.account_entities(session, Tenant("app-one"))
        assert (spec.type, spec.sub_type, spec.values, spec.category, spec.id) == (
            "Vendor",
            "Cloud",
            ("AWS", "Azure"),
            "Custom",
            entity["id"],
        )
        assert manage_service.account_entities(session, Tenant("app-two")) == []


def test_unique_index_race_is_409(client: TestClient, headers: dict[str, str]) -> None:
    """Two creates racing past the service check hit the unique index: a 409, never a 500."""
    from mock_symbl.errors import Conflict
    from mock_symbl.store import manage as repo
    from mock_symbl.store.manage import ManagedEntity

    _create(client, headers)
    services = client.app.state.services  # type: ignore[attr-defined]
    with services.db.session() as session:
        clash = ManagedEntity(id="1", account="app-one", namespace="", type="Vendor", sub_type="Cloud")
        with pytest.raises(Conflict):
            repo.add(session, clash)


def test_account_entities_feed_entity_detection(client: TestClient, headers: dict[str, str]) -> None:
    _create(client, headers)
    body = {
        "messages": [{"payload": {"content": "We moved everything to AWS last year."}, "from": {"name": "A"}}]
    }
    submitted = client.post("/v1/process/text", headers=headers, json=body).json()
    assert wait_job(client, headers, submitted["jobId"]) == "completed"
    found = client.get(f"/v1/conversations/{submitted['conversationId']}/entities", headers=headers).json()[
        "entities"
    ]
    custom = [e for e in found if e.get("category") == "Custom"]
    assert [(e["type"], e["subType"], e["matches"][0]["detectedValue"]) for e in custom] == [
        ("Vendor", "Cloud", "AWS")
    ]
    # another account's job does not see this account's entities
    other = auth_headers(client, "app-two")
    theirs = client.post("/v1/process/text", headers=other, json=body).json()
    assert wait_job(client, other, theirs["jobId"]) == "completed"
    their_entities = client.get(
        f"/v1/conversations/{theirs['conversationId']}/entities", headers=other
    ).json()["entities"]
    assert not [e for e in their_entities if e.get("category") == "Custom"]
