"""Call Score criteria and scorecards (rest.md §8.4), including the read-only managed `Symbl.*` criteria.

GET by id, DELETE of criteria/scorecards are inferred (no source); they behave like the documented routes.
"""

from __future__ import annotations

import json
from typing import Any, TypeVar

from pydantic import BaseModel

from mock_symbl.errors import BadRequest, NotFound
from mock_symbl.insights.models import ScorecardSpec
from mock_symbl.manage import managed_criteria, patching
from mock_symbl.manage.schemas import (
    CriteriaChanges,
    CriteriaIn,
    PatchOperation,
    ScorecardChanges,
    ScorecardIn,
)
from mock_symbl.services import Services
from mock_symbl.store import manage as repo
from mock_symbl.store.db import Session
from mock_symbl.store.manage import CallScoreCriteria, Scorecard
from mock_symbl.tenancy import Tenant
from mock_symbl.wire import validate

MSG_CRITERIA_NOT_FOUND = "Criteria with the given criteriaId does not exist."
MSG_SCORECARD_NOT_FOUND = "Scorecard with the given scorecardId does not exist."
MSG_MANAGED = "Managed criteria are defined by Symbl and cannot be modified."

M = TypeVar("M", bound=BaseModel)


def _patched(current: dict[str, Any], body: BaseModel | list[PatchOperation], model: type[M]) -> M:
    """PATCH: an object merges its fields, an array is applied as RFC 6902 operations; then `model` checks
    the whole document again (an operation can break a rule no single field shows)."""
    if isinstance(body, list):
        document = patching.apply(current, [operation.as_dict() for operation in body])
    else:
        document = {**current, **body.model_dump(exclude_unset=True)}
    document.pop("id", None)
    return validate(model, document, joi=True)


# ---------------------------------------------------------------- criteria


def _store_criteria(row: CallScoreCriteria, body: CriteriaIn) -> None:
    row.name, row.description = body.name, body.description
    row.tags_json = json.dumps(body.tags or [])
    row.checklist_json = json.dumps([item.model_dump() for item in body.checklist])


def _criteria_doc(row: CallScoreCriteria) -> dict[str, Any]:
    doc = {"name": row.name, "tags": json.loads(row.tags_json), "checklist": json.loads(row.checklist_json)}
    if row.description is not None:
        doc["description"] = row.description
    return doc


def create_criteria(
    services: Services, session: Session, tenant: Tenant, *, body: CriteriaIn
) -> CallScoreCriteria:
    row = CallScoreCriteria(
        id=services.ids.numeric(),
        account=tenant.account,
        namespace=tenant.namespace,
        name=body.name,
        seq=repo.next_seq(session, CallScoreCriteria, tenant),
    )
    _store_criteria(row, body)
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
    session: Session,
    tenant: Tenant,
    criteria_id: str,
    *,
    body: CriteriaIn | CriteriaChanges | list[PatchOperation],
) -> CallScoreCriteria:
    """PUT (a whole CriteriaIn) or PATCH (any subset of fields, or RFC 6902 operations)."""
    row = _custom_criteria(session, tenant, criteria_id)
    whole = body if isinstance(body, CriteriaIn) else _patched(_criteria_doc(row), body, CriteriaIn)
    _store_criteria(row, whole)
    session.add(row)
    session.commit()
    return row


def delete_criteria(session: Session, tenant: Tenant, criteria_id: str) -> str:
    row = _custom_criteria(session, tenant, criteria_id)
    repo.remove(session, row)
    session.commit()
    return criteria_id


# ---------------------------------------------------------------- scorecards


def _check_criteria_ids(session: Session, tenant: Tenant, ids: list[str]) -> None:
    for criteria_id in ids:
        if (
            not managed_criteria.is_managed(criteria_id)
            and repo.find_row(session, CallScoreCriteria, tenant, criteria_id) is None
        ):
            raise BadRequest(f'"criteriaList" contains an unknown criteria id: {criteria_id!r}')


def _store_scorecard(session: Session, tenant: Tenant, row: Scorecard, body: ScorecardIn) -> None:
    _check_criteria_ids(session, tenant, body.criteriaList)
    row.name, row.description = body.name, body.description
    row.tags_json = json.dumps(body.tags or [])
    row.criteria_list_json = json.dumps(list(dict.fromkeys(body.criteriaList)))


def create_scorecard(services: Services, session: Session, tenant: Tenant, *, body: ScorecardIn) -> Scorecard:
    row = Scorecard(
        id=services.ids.numeric(),
        account=tenant.account,
        namespace=tenant.namespace,
        name=body.name,
        seq=repo.next_seq(session, Scorecard, tenant),
    )
    _store_scorecard(session, tenant, row, body)
    repo.add(session, row)
    session.commit()
    return row


def get_scorecard_row(session: Session, tenant: Tenant, scorecard_id: str) -> Scorecard:
    return repo.get_row(session, Scorecard, tenant, scorecard_id, MSG_SCORECARD_NOT_FOUND)


def list_scorecards(session: Session, tenant: Tenant) -> list[Scorecard]:
    return repo.list_rows(session, Scorecard, tenant)


def update_scorecard(
    session: Session,
    tenant: Tenant,
    scorecard_id: str,
    *,
    body: ScorecardIn | ScorecardChanges | list[PatchOperation],
) -> Scorecard:
    """PUT (a whole ScorecardIn) or PATCH (any subset of fields, or RFC 6902 operations)."""
    row = get_scorecard_row(session, tenant, scorecard_id)
    current: dict[str, Any] = {
        "name": row.name,
        "tags": json.loads(row.tags_json),
        "criteriaList": json.loads(row.criteria_list_json),
    }
    if row.description is not None:
        current["description"] = row.description
    whole = body if isinstance(body, ScorecardIn) else _patched(current, body, ScorecardIn)
    _store_scorecard(session, tenant, row, whole)
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
