"""Every Management API answer read strictly as its declared model, and the models' types as the SDKs declare.

The Go SDK's management structs (pkg/api/management/v1/interfaces: Tracker, Entity, Group) hold only
strings and lists of strings; the counts and flags below are the mock's own acknowledgements.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import BaseModel

from mock_symbl.manage import schemas
from tests.strict import json_types, strict

TRACKER = {"name": "Pricing", "vocabulary": ["price", "discount"]}
ENTITY = {"type": "Vendor", "subType": "Cloud", "category": "Custom", "values": ["AWS", "Azure"]}
GROUP = {"name": "Sales calls", "description": "Calls", "criteria": "conversation.name=='Sales'"}
CRITERIA = {"name": "Tone", "checklist": [{"question": "Polite?", "priority": "high"}]}


def test_trackers(client: TestClient, headers: dict[str, str]) -> None:
    v1 = strict(schemas.TrackerV1Response, client.post("/v1/manage/tracker", headers=headers, json=TRACKER))
    tid = v1.tracker.id
    strict(schemas.TrackerV1Response, client.get(f"/v1/manage/tracker/{tid}", headers=headers))
    put = client.put(f"/v1/manage/tracker/{tid}", headers=headers, json={**TRACKER, "vocabulary": ["cost"]})
    assert strict(schemas.TrackerV1Response, put).tracker.vocabulary == ["cost"]
    v2 = strict(schemas.TrackerResponse, client.get(f"/v1/manage/trackers/{tid}", headers=headers))
    assert v2.tracker.languages == ["en-US"] and v2.tracker.description is None
    assert "description" not in client.get(f"/v1/manage/trackers/{tid}", headers=headers).json()["tracker"]
    made = client.post(
        "/v1/manage/trackers", headers=headers, json={**TRACKER, "name": "Two", "description": "d"}
    )
    assert strict(schemas.TrackerResponse, made).tracker.description == "d"
    gen1_bulk = client.post("/v1/manage/trackers", headers=headers, json=[{**TRACKER, "name": "Three"}])
    assert [t.name for t in strict(schemas.TrackerV1List, gen1_bulk).trackers] == ["Three"]
    bulk = client.post("/v1/manage/trackers/bulk", headers=headers, json=[{**TRACKER, "name": "Four"}])
    assert len(strict(schemas.TrackerList, bulk).trackers) == 1
    ops = [{"op": "add", "path": "/vocabulary", "value": "rebate"}]
    patched = strict(
        schemas.TrackerResponse, client.patch(f"/v1/manage/trackers/{tid}", headers=headers, json=ops)
    )
    assert patched.tracker.vocabulary == ["cost", "rebate"]
    assert len(strict(schemas.TrackerList, client.get("/v1/manage/trackers", headers=headers)).trackers) == 4
    gone = strict(schemas.Deleted, client.delete(f"/v1/manage/trackers/{tid}", headers=headers))
    assert gone.deleted is True and gone.type == "tracker"


def test_entities(client: TestClient, headers: dict[str, str]) -> None:
    one = strict(schemas.Entity, client.post("/v1/manage/entities", headers=headers, json=ENTITY))
    many = client.post("/v1/manage/entities", headers=headers, json=[{**ENTITY, "subType": "Other"}])
    assert len(strict(schemas.EntityList, many).entities) == 1
    bulk = client.post("/v1/manage/entities/bulk", headers=headers, json=[{**ENTITY, "subType": "Third"}])
    strict(schemas.EntityList, bulk)
    assert len(strict(schemas.EntityList, client.get("/v1/manage/entities", headers=headers)).entities) == 3
    strict(schemas.Entity, client.get(f"/v1/manage/entities/{one.id}", headers=headers))
    put = client.put(f"/v1/manage/entities/{one.id}", headers=headers, json={**ENTITY, "values": ["GCP"]})
    assert strict(schemas.EntityResponse, put).entity.values == ["GCP"]
    strict(schemas.Deleted, client.delete(f"/v1/manage/entities/{one.id}", headers=headers))
    by_sub_type = client.delete("/v1/manage/entities", headers=headers, params={"subType": "Other"})
    assert strict(schemas.DeletedBySubType, by_sub_type).count == 1


def test_groups(client: TestClient, headers: dict[str, str]) -> None:
    made = strict(schemas.GroupResponse, client.post("/v1/manage/group", headers=headers, json=GROUP))
    gid = made.group.id
    strict(
        schemas.GroupList, client.post("/v1/manage/groups", headers=headers, json=[{**GROUP, "name": "B"}])
    )
    strict(schemas.GroupList, client.get("/v1/manage/groups", headers=headers))
    strict(schemas.GroupResponse, client.get(f"/v1/manage/group/{gid}", headers=headers))
    put = client.put(f"/v1/manage/group/{gid}", headers=headers, json={**GROUP, "name": "Renamed"})
    assert strict(schemas.GroupResponse, put).group.name == "Renamed"
    strict(schemas.Deleted, client.delete(f"/v1/manage/group/{gid}", headers=headers))


def test_callscore(client: TestClient, headers: dict[str, str]) -> None:
    base = "/v1/manage/callscore"
    made = strict(schemas.Criteria, client.post(f"{base}/criteria", headers=headers, json=CRITERIA))
    listed = strict(list[schemas.Criteria], client.get(f"{base}/criteria", headers=headers))
    assert listed[-1].id == made.id and listed[0].id.startswith("Symbl.")
    strict(schemas.Criteria, client.get(f"{base}/criteria/{listed[0].id}", headers=headers))
    strict(schemas.Criteria, client.put(f"{base}/criteria/{made.id}", headers=headers, json=CRITERIA))
    merged = client.patch(f"{base}/criteria/{made.id}", headers=headers, json={"tags": ["t"]})
    assert strict(schemas.Criteria, merged).tags == ["t"]
    ops = [{"op": "replace", "path": "/name", "value": "Manners"}]
    assert strict(
        schemas.Criteria, client.patch(f"{base}/criteria/{made.id}", headers=headers, json=ops)
    ).name == ("Manners")
    card_body = {"name": "Card", "criteriaList": [made.id]}
    card = strict(schemas.Scorecard, client.post(f"{base}/scorecards", headers=headers, json=card_body))
    strict(list[schemas.Scorecard], client.get(f"{base}/scorecards", headers=headers))
    strict(schemas.Scorecard, client.get(f"{base}/scorecards/{card.id}", headers=headers))
    strict(schemas.Scorecard, client.put(f"{base}/scorecards/{card.id}", headers=headers, json=card_body))
    strict(
        schemas.Scorecard, client.patch(f"{base}/scorecards/{card.id}", headers=headers, json={"tags": []})
    )
    strict(schemas.Deleted, client.delete(f"{base}/scorecards/{card.id}", headers=headers))
    strict(schemas.Deleted, client.delete(f"{base}/criteria/{made.id}", headers=headers))


def test_settings(client: TestClient, headers: dict[str, str]) -> None:
    assert strict(schemas.SettingsResponse, client.get("/v1/manage/settings", headers=headers)).settings == (
        schemas.SettingsDocument()
    )
    ops = [
        {"op": "add", "path": "/intelligence/bookmarks/duration", "value": 20},
        {"op": "add", "path": "/redaction", "value": {"default": True, "exclude": ["SSN"]}},
    ]
    patched = client.patch("/v1/manage/settings", headers=headers, json=ops)
    strict(schemas.SettingsPatched, patched)
    # Kept as written: 20 stays a JSON integer (no SDK declares the field; the docs write whole seconds).
    assert patched.json()["intelligence"]["bookmarks"]["duration"] == 20
    assert '"duration":20' in patched.text.replace(" ", "")
    got = strict(schemas.SettingsResponse, client.get("/v1/manage/settings", headers=headers))
    assert got.settings.redaction is not None and got.settings.redaction.exclude == ["SSN"]


def test_empty_lists_and_defaults_have_their_declared_types(
    client: TestClient, headers: dict[str, str]
) -> None:
    """Go's nil slices arrive as null; the answer still holds arrays (a Go []string decodes either)."""
    body = {"name": "Go", "categories": None, "languages": None, "vocabulary": ["go phrase"]}
    tracker = strict(schemas.TrackerResponse, client.post("/v1/manage/trackers", headers=headers, json=body))
    assert tracker.tracker.categories == [] and tracker.tracker.languages == ["en-US"]


# (model, field, the JSON types the SDKs declare for it): Go SDK management structs, else the mock's own.
SDK_TYPES: list[tuple[type[BaseModel], str, set[str]]] = [
    *[(schemas.Tracker, f, {"string"}) for f in ("id", "name", "description", "createdOn", "updatedOn")],
    *[(schemas.Tracker, f, {"array"}) for f in ("categories", "languages", "vocabulary")],
    *[(schemas.TrackerV1, f, {"string"}) for f in ("id", "name")],
    (schemas.TrackerV1, "vocabulary", {"array"}),
    *[(schemas.Entity, f, {"string"}) for f in ("id", "type", "subType", "category")],
    (schemas.Entity, "values", {"array"}),
    *[(schemas.Group, f, {"string"}) for f in ("id", "name", "description", "criteria")],
    (schemas.Deleted, "deleted", {"boolean"}),
    (schemas.DeletedBySubType, "count", {"integer"}),
    (schemas.DeletedBySubType, "deleted", {"boolean"}),
    (schemas.Criteria, "checklist", {"array"}),
    (schemas.Scorecard, "criteriaList", {"array"}),
    (schemas.BookmarkSettings, "duration", {"number"}),
    (schemas.RedactionSettings, "default", {"boolean"}),
]


@pytest.mark.parametrize(
    ("model", "field", "declared"), SDK_TYPES, ids=lambda v: getattr(v, "__name__", str(v))
)
def test_declared_types_match_the_sdks(model: type[BaseModel], field: str, declared: set[str]) -> None:
    assert json_types(model, field) == declared


def test_strict_reading_refuses_a_float_for_an_int() -> None:
    payload: dict[str, Any] = {"subType": "s", "type": "entity", "deleted": True, "count": 2.0}
    with pytest.raises(ValueError):
        schemas.DeletedBySubType.model_validate(payload, strict=True)
