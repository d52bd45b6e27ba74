"""Seeded random bodies and query strings against every write route of this area: never a 5xx."""

from __future__ import annotations

import random
from typing import Any

from fastapi.testclient import TestClient

from mock_symbl.app import create_app
from tests.conftest import make_settings
from tests.helpers import auth_headers, submit_text, wait_job

ATOMS: list[Any] = [
    None,
    True,
    0,
    -1,
    1.5,
    "",
    "x",
    "/name",
    "/checklist/0",
    "/vocabulary/-",
    "add",
    "remove",
]
ATOMS += ["replace", "copy", "move", [], {}, ["a"], {"op": "add"}, "é", "a" * 300]
KEYS = [
    "op",
    "path",
    "value",
    "from",
    "name",
    "checklist",
    "criteriaList",
    "tags",
    "vocabulary",
    "description",
]
KEYS += [
    "messageRefs",
    "beginTimeOffset",
    "duration",
    "type",
    "subType",
    "values",
    "criteria",
    "label",
    "user",
    "id",
]
QUERY = [
    "",
    "-1",
    "x",
    "1e9",
    "asc",
    "conversation.name",
    "2024-01-01",
    "name==x",
    "(",
    "name=in=()",
    "metadata.a>b",
]
QUERY += ["startTime>2024-01-01T00:00:00Z;startTime<x", 'name=="', "99999999999999999999"]


def _value(rng: random.Random, depth: int = 0) -> Any:
    roll = rng.random()
    if depth > 2 or roll < 0.5:
        return rng.choice(ATOMS)
    if roll < 0.75:
        return [_value(rng, depth + 1) for _ in range(rng.randint(0, 3))]
    return {rng.choice(KEYS): _value(rng, depth + 1) for _ in range(rng.randint(0, 4))}


def _ids(client: TestClient, headers: dict[str, str]) -> dict[str, str]:
    submitted = submit_text(client, headers)
    assert wait_job(client, headers, submitted["jobId"]) == "completed"
    cid = submitted["conversationId"]
    post = client.post
    criteria = post(
        "/v1/manage/callscore/criteria",
        headers=headers,
        json={"name": "C", "checklist": [{"question": "q", "priority": "low"}]},
    ).json()["id"]
    return {
        "cid": cid,
        "tracker": post(
            "/v1/manage/tracker", headers=headers, json={"name": "T", "vocabulary": ["a"]}
        ).json()["tracker"]["id"],
        "criteria": criteria,
        "card": post(
            "/v1/manage/callscore/scorecards", headers=headers, json={"name": "S", "criteriaList": [criteria]}
        ).json()["id"],
        "group": post("/v1/manage/group", headers=headers, json={"name": "G", "criteria": "name==x"}).json()[
            "group"
        ]["id"],
        "entity": post(
            "/v1/manage/entities", headers=headers, json={"type": "A", "subType": "B", "values": ["v"]}
        ).json()["id"],
        "bookmark": post(
            f"/v1/conversations/{cid}/bookmarks",
            headers=headers,
            json={"description": "d", "beginTimeOffset": 0, "duration": 1},
        ).json()["id"],
    }


def test_random_requests_never_answer_5xx() -> None:
    rng = random.Random(20240520)
    with TestClient(create_app(make_settings()), raise_server_exceptions=False) as client:
        headers = auth_headers(client)
        ids = _ids(client, headers)
        cid = ids["cid"]
        targets = [
            ("PATCH", f"/v1/manage/trackers/{ids['tracker']}"),
            ("PUT", f"/v1/manage/tracker/{ids['tracker']}"),
            ("POST", "/v1/manage/trackers"),
            ("POST", "/v1/manage/trackers/bulk"),
            ("PATCH", f"/v1/manage/callscore/criteria/{ids['criteria']}"),
            ("PUT", f"/v1/manage/callscore/criteria/{ids['criteria']}"),
            ("PATCH", f"/v1/manage/callscore/scorecards/{ids['card']}"),
            ("POST", "/v1/manage/callscore/scorecards"),
            ("PUT", f"/v1/manage/group/{ids['group']}"),
            ("POST", "/v1/manage/groups"),
            ("PUT", f"/v1/manage/entities/{ids['entity']}"),
            ("POST", "/v1/manage/entities/bulk"),
            ("PATCH", "/v1/manage/settings"),
            ("POST", "/v1/metric/x/entry"),
            ("POST", f"/v1/conversations/{cid}/bookmarks/bulk"),
            ("PUT", f"/v1/conversations/{cid}/bookmarks/{ids['bookmark']}"),
        ]
        failures = []
        for _ in range(250):
            method, path = rng.choice(targets)
            body = _value(rng)
            response = client.request(method, path, headers=headers, json=body)
            if response.status_code >= 500:
                failures.append((method, path, body, response.status_code))
        names = ["limit", "offset", "order", "sort", "startTime", "endTime", "filter"]
        for _ in range(120):
            params = {rng.choice(names): rng.choice(QUERY) for _ in range(3)}
            path = rng.choice(["/v1/conversations", f"/v1/groups/{ids['group']}/conversations"])
            response = client.get(path, headers=headers, params=params)
            if response.status_code >= 500:
                failures.append(("GET", path, params, response.status_code))
        assert failures == []
