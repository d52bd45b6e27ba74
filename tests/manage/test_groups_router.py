"""Conversation group management over HTTP (rest.md §8.3)."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.helpers import auth_headers

GROUP = {
    "name": "Calls made by John",
    "description": "All the conversations of agent John Doe are captured in this Group.",
    "criteria": "conversation.metadata.agentId==johndoe",
}


def _create(client: TestClient, headers: dict[str, str], **body: Any) -> dict[str, Any]:
    response = client.post("/v1/manage/group", headers=headers, json={**GROUP, **body})
    assert response.status_code == 200, response.text
    group: dict[str, Any] = response.json()["group"]
    return group


def test_crud(client: TestClient, headers: dict[str, str]) -> None:
    group = _create(client, headers)
    assert group == {"id": group["id"], **GROUP}
    assert isinstance(group["id"], str) and group["id"].isdigit()
    assert client.get(f"/v1/manage/group/{group['id']}", headers=headers).json() == {"group": group}
    assert client.get("/v1/manage/groups", headers=headers).json() == {"groups": [group]}

    body = {"id": group["id"], "name": "Renamed", "criteria": "conversation.metadata.agentId==jane"}
    updated = client.put(f"/v1/manage/group/{group['id']}", headers=headers, json=body).json()["group"]
    assert updated == {
        "id": group["id"],
        "name": "Renamed",
        "criteria": "conversation.metadata.agentId==jane",
    }

    deleted = client.delete(f"/v1/manage/group/{group['id']}", headers=headers)
    assert deleted.json() == {"id": group["id"], "type": "group", "deleted": True}
    assert client.get(f"/v1/manage/group/{group['id']}", headers=headers).status_code == 404


def test_bulk_create(client: TestClient, headers: dict[str, str]) -> None:
    body = [GROUP, {**GROUP, "name": "Second", "criteria": "conversation.type==meeting"}]
    response = client.post("/v1/manage/groups", headers=headers, json=body)
    assert [g["name"] for g in response.json()["groups"]] == ["Calls made by John", "Second"]
    broken = [GROUP, {**GROUP, "criteria": "a==1,b==2"}]
    assert client.post("/v1/manage/groups", headers=headers, json=broken).status_code == 400
    assert len(client.get("/v1/manage/groups", headers=headers).json()["groups"]) == 2


VALIDATION_CASES: list[Any] = [
    ({**GROUP, "name": "a" * 129}, "128"),
    ({**GROUP, "name": "semi;colon"}, '"name" contains'),
    ({**GROUP, "description": "d" * 513}, "512"),
    ({"name": "x"}, '"criteria" is required'),
    ({"criteria": "name==x"}, '"name" is required'),
    ({**GROUP, "criteria": "conversation.metadata.a==1 or conversation.metadata.b==2"}, "OR operator"),
    ({**GROUP, "criteria": "name==a;type==b;id==c"}, "at most 2 parameters"),
    ({**GROUP, "criteria": "conversation.members.email==x"}, "unknown parameter"),
    ({**GROUP, "criteria": "name=like=x"}, "not supported"),
    ({**GROUP, "criteria": "name=="}, "ends too early"),
    ({**GROUP, "criteria": 5}, "must be a string"),
    ({**GROUP, "owner": "me"}, "not allowed"),
]


def test_validation(client: TestClient, headers: dict[str, str]) -> None:
    for body, fragment in VALIDATION_CASES:
        response = client.post("/v1/manage/group", headers=headers, json=body)
        assert response.status_code == 400, response.text
        assert fragment in response.json()["message"]


def test_put_validation(client: TestClient, headers: dict[str, str]) -> None:
    group = _create(client, headers)
    assert (
        client.put(f"/v1/manage/group/{group['id']}", headers=headers, json={**GROUP, "id": "9"}).status_code
        == 400
    )
    assert (
        client.put(
            f"/v1/manage/group/{group['id']}", headers=headers, json={**GROUP, "criteria": "x,y"}
        ).status_code
        == 400
    )
    assert client.put("/v1/manage/group/1", headers=headers, json=GROUP).status_code == 404


def test_tenant_isolation(client: TestClient, headers: dict[str, str]) -> None:
    group = _create(client, headers)
    other = auth_headers(client, "app-two")
    assert client.get(f"/v1/manage/group/{group['id']}", headers=other).status_code == 404
    assert client.put(f"/v1/manage/group/{group['id']}", headers=other, json=GROUP).status_code == 404
    assert client.delete(f"/v1/manage/group/{group['id']}", headers=other).status_code == 404
    assert client.get(f"/v1/groups/{group['id']}/conversations", headers=other).status_code == 404
    assert client.get("/v1/manage/groups", headers=other).json() == {"groups": []}
