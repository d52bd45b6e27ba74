"""Call Score criteria and scorecards (rest.md §8.4), including the read-only managed `Symbl.*` criteria.

GET by id, DELETE of criteria/scorecards are inferred (no source); they behave like the documented routes.
"""

from __future__ import annotations

import json
from typing import Any

import jsonpatch
import jsonpointer
from sqlmodel import Session

from mock_symbl.errors import BadRequest, NotFound
from mock_symbl.insights.models import ScorecardSpec
from mock_symbl.manage import managed_criteria, rules
from mock_symbl.manage.rules import RuleError
from mock_symbl.services import Services
from mock_symbl.store import manage as repo
from mock_symbl.store.manage import CallScoreCriteria, Scorecard
from mock_symbl.tenancy import Tenant

MSG_CRITERIA_NOT_FOUND = "Criteria with the given criteriaId does not exist."
MSG_SCORECARD_NOT_FOUND = "Scorecard with the given scorecardId does not exist."
MSG_MANAGED = "Managed criteria are defined by Symbl and cannot be modified."
PRIORITIES = ("high", "medium", "low")
_CRITERIA_KEYS = frozenset({"id", "name", "description", "tags", "checklist"})
_SCORECARD_KEYS = frozenset({"id", "name", "description", "tags", "criteriaList"})


def _keys(body: Any, allowed: frozenset[str], what: str) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise BadRequest(f'"{what}" must be an object')
    for key in body:
        if key not in allowed:
            raise BadRequest(f'"{key}" is not allowed')
    return body


def _name(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise BadRequest(
            '"name" is not allowed to be empty' if isinstance(value, str) else '"name" must be a string'
        )
    return value.strip()


def _common(body: dict[str, Any]) -> dict[str, Any]:
    try:
        return {
            "name": _name(body.get("name")),
            "description": rules.check_optional_text(body.get("description"), "description"),
            "tags": rules.check_string_list(body.get("tags") or [], "tags"),
        }
    except RuleError as error:
        raise BadRequest(str(error)) from None


def _checklist(value: Any) -> list[dict[str, str]]:
    if not isinstance(value, list) or not value:
        raise BadRequest('"checklist" must be an array with at least 1 items')
    out: list[dict[str, str]] = []
    for index, item in enumerate(value):
        if (
            not isinstance(item, dict)
            or not isinstance(item.get("question"), str)
            or not item["question"].strip()
        ):
            raise BadRequest(f'"checklist[{index}].question" is required')
        priority = item.get("priority")
        if priority not in PRIORITIES:
            raise BadRequest(f'"checklist[{index}].priority" must be one of [high, medium, low]')
        out.append({"question": item["question"].strip(), "priority": priority})
    return out


def _criteria_fields(body: Any) -> dict[str, Any]:
    body = _keys(body, _CRITERIA_KEYS, "criteria")
    for key in ("name", "checklist"):
        if key not in body:
            raise BadRequest(f'"{key}" is required')
    return {**_common(body), "checklist": _checklist(body["checklist"])}


def _merge(current: dict[str, Any], body: Any) -> dict[str, Any]:
    """PATCH: an object merges its fields; an array is applied as RFC 6902 operations."""
    if isinstance(body, list):
        try:
            return dict(jsonpatch.apply_patch(current, body))
        except (jsonpatch.JsonPatchException, jsonpointer.JsonPointerException, TypeError, KeyError) as error:
            raise BadRequest(f"Invalid patch operation: {error}") from None
    if not isinstance(body, dict):
        raise BadRequest("The body must be an object or an array of patch operations.")
    return {**current, **body}


# ---------------------------------------------------------------- criteria


def _store_criteria(row: CallScoreCriteria, fields: dict[str, Any]) -> None:
    row.name, row.description = fields["name"], fields["description"]
    row.tags_json, row.checklist_json = json.dumps(fields["tags"]), json.dumps(fields["checklist"])


def _criteria_doc(row: CallScoreCriteria) -> dict[str, Any]:
    doc = {"name": row.name, "tags": json.loads(row.tags_json), "checklist": json.loads(row.checklist_json)}
    if row.description is not None:
        doc["description"] = row.description
    return doc


def create_criteria(services: Services, session: Session, tenant: Tenant, *, body: Any) -> CallScoreCriteria:
    fields = _criteria_fields(body)
    row = CallScoreCriteria(
        id=services.ids.numeric(),
        account=tenant.account,
        namespace=tenant.namespace,
        name=fields["name"],
        seq=repo.next_seq(session, CallScoreCriteria, tenant),
    )
    _store_criteria(row, fields)
    repo.add(session, row)
    session.commit()
    return row


def get_criteria(session: Session, tenant: Tenant, criteria_id: str) -> CallScoreCriteria | dict[str, Any]:
    """A custom criteria row, or a managed criteria's dict."""
    managed = managed_criteria.managed(criteria_id)
    if managed is not None:
        return managed
    return repo.get_row(session, CallScoreCriteria, tenant, criteria_id, MSG_CRITERIA_NOT_FOUND)


def list_criteria(session: Session, tenant: Tenant) -> list[CallScoreCriteria | dict[str, Any]]:
    managed: list[CallScoreCriteria | dict[str, Any]] = [
        managed_criteria.managed(c["id"]) or {} for c in managed_criteria.MANAGED_CRITERIA
    ]
    return managed + list(repo.list_rows(session, CallScoreCriteria, tenant))


def _custom_criteria(session: Session, tenant: Tenant, criteria_id: str) -> CallScoreCriteria:
    if managed_criteria.is_managed(criteria_id):
        raise BadRequest(MSG_MANAGED)
    return repo.get_row(session, CallScoreCriteria, tenant, criteria_id, MSG_CRITERIA_NOT_FOUND)


def update_criteria(
    session: Session, tenant: Tenant, criteria_id: str, *, body: Any, partial: bool
) -> CallScoreCriteria:
    """PUT (every required field) or PATCH (any subset, or RFC 6902 operations)."""
    row = _custom_criteria(session, tenant, criteria_id)
    document = _merge(_criteria_doc(row), body) if partial else body
    if isinstance(document, dict):
        document.pop("id", None)
    _store_criteria(row, _criteria_fields(document))
    session.add(row)
    session.commit()
    return row


def delete_criteria(session: Session, tenant: Tenant, criteria_id: str) -> str:
    row = _custom_criteria(session, tenant, criteria_id)
    repo.remove(session, row)
    session.commit()
    return criteria_id


# ---------------------------------------------------------------- scorecards


def _scorecard_fields(session: Session, tenant: Tenant, body: Any) -> dict[str, Any]:
    body = _keys(body, _SCORECARD_KEYS, "scorecard")
    for key in ("name", "criteriaList"):
        if key not in body:
            raise BadRequest(f'"{key}" is required')
    ids = body["criteriaList"]
    if not isinstance(ids, list) or not ids or not all(isinstance(i, str) and i for i in ids):
        raise BadRequest('"criteriaList" must be an array of criteria ids with at least 1 items')
    for criteria_id in ids:
        if (
            not managed_criteria.is_managed(criteria_id)
            and repo.find_row(session, CallScoreCriteria, tenant, criteria_id) is None
        ):
            raise BadRequest(f'"criteriaList" contains an unknown criteria id: {criteria_id!r}')
    return {**_common(body), "criteriaList": list(dict.fromkeys(ids))}


def _store_scorecard(row: Scorecard, fields: dict[str, Any]) -> None:
    row.name, row.description = fields["name"], fields["description"]
    row.tags_json, row.criteria_list_json = json.dumps(fields["tags"]), json.dumps(fields["criteriaList"])


def create_scorecard(services: Services, session: Session, tenant: Tenant, *, body: Any) -> Scorecard:
    fields = _scorecard_fields(session, tenant, body)
    row = Scorecard(
        id=services.ids.numeric(),
        account=tenant.account,
        namespace=tenant.namespace,
        name=fields["name"],
        seq=repo.next_seq(session, Scorecard, tenant),
    )
    _store_scorecard(row, fields)
    repo.add(session, row)
    session.commit()
    return row


def get_scorecard_row(session: Session, tenant: Tenant, scorecard_id: str) -> Scorecard:
    return repo.get_row(session, Scorecard, tenant, scorecard_id, MSG_SCORECARD_NOT_FOUND)


def list_scorecards(session: Session, tenant: Tenant) -> list[Scorecard]:
    return repo.list_rows(session, Scorecard, tenant)


def update_scorecard(
    session: Session, tenant: Tenant, scorecard_id: str, *, body: Any, partial: bool
) -> Scorecard:
    row = get_scorecard_row(session, tenant, scorecard_id)
    current: dict[str, Any] = {
        "name": row.name,
        "tags": json.loads(row.tags_json),
        "criteriaList": json.loads(row.criteria_list_json),
    }
    if row.description is not None:
        current["description"] = row.description
    document = _merge(current, body) if partial else body
    if isinstance(document, dict):
        document.pop("id", None)
    _store_scorecard(row, _scorecard_fields(session, tenant, document))
    session.add(row)
    session.commit()
    return row


def delete_scorecard(session: Session, tenant: Tenant, scorecard_id: str) -> str:
    row = get_scorecard_row(session, tenant, scorecard_id)
    repo.remove(session, row)
    session.commit()
    return scorecard_id


def scorecard_spec(session: Session, tenant: Tenant, scorecard_id: str) -> ScorecardSpec | None:
    """The engine's view of a scorecard: each criteria's id, name, description and checklist."""
    try:
        row = get_scorecard_row(session, tenant, scorecard_id)
    except NotFound:
        return None
    criteria: list[dict[str, Any]] = []
    for criteria_id in json.loads(row.criteria_list_json):
        found = managed_criteria.managed(criteria_id)
        if found is None:
            custom = repo.find_row(session, CallScoreCriteria, tenant, criteria_id)
            if custom is None:
                continue  # deleted since the scorecard was written
            found = {"id": custom.id, **_criteria_doc(custom)}
        criteria.append(found)
    return ScorecardSpec(id=row.id, criteria=tuple(criteria))
