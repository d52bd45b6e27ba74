"""Call Score criteria and scorecard routes (rest.md §8.4); list routes answer bare arrays."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fastapi import APIRouter

from mock_symbl.deps import ServicesDep, SessionDep, TenantDep
from mock_symbl.manage import render
from mock_symbl.manage import service_callscore as callscore
from mock_symbl.manage.schemas import (
    Criteria,
    CriteriaIn,
    CriteriaPatchBody,
    Deleted,
    Scorecard,
    ScorecardIn,
    ScorecardPatchBody,
)
from mock_symbl.wire import CappedJsonRoute

if TYPE_CHECKING:
    from mock_symbl.store.manage import CallScoreCriteria

router = APIRouter(
    prefix="/v1/manage/callscore", tags=["Management API: call score"], route_class=CappedJsonRoute
)


def _criteria(found: CallScoreCriteria | dict[str, Any]) -> dict[str, Any]:
    return found if isinstance(found, dict) else render.criteria(found)


@router.post("/criteria", response_model=Criteria)
def create_criteria(
    body: CriteriaIn, tenant: TenantDep, services: ServicesDep, session: SessionDep
) -> dict[str, Any]:
    """Create a custom criteria."""
    return render.criteria(callscore.create_criteria(services, session, tenant, body=body))


@router.get("/criteria", response_model=list[Criteria])
def list_criteria(tenant: TenantDep, session: SessionDep) -> list[dict[str, Any]]:
    """Managed Symbl.* criteria followed by the account's custom criteria."""
    return [_criteria(c) for c in callscore.list_criteria(session, tenant)]


@router.get("/criteria/{criteriaId}", response_model=Criteria)
def get_criteria(criteriaId: str, tenant: TenantDep, session: SessionDep) -> dict[str, Any]:
    """One criteria (managed or custom)."""
    return _criteria(callscore.get_criteria(session, tenant, criteriaId))


@router.put("/criteria/{criteriaId}", response_model=Criteria)
def replace_criteria(
    criteriaId: str, body: CriteriaIn, tenant: TenantDep, session: SessionDep
) -> dict[str, Any]:
    """Replace a custom criteria (name and checklist required)."""
    return render.criteria(callscore.update_criteria(session, tenant, criteriaId, body=body))


@router.patch("/criteria/{criteriaId}", response_model=Criteria)
def patch_criteria(
    criteriaId: str, body: CriteriaPatchBody, tenant: TenantDep, session: SessionDep
) -> dict[str, Any]:
    """Update some fields of a custom criteria (object merge or RFC 6902 operations)."""
    return render.criteria(callscore.update_criteria(session, tenant, criteriaId, body=body))


@router.delete("/criteria/{criteriaId}", response_model=Deleted)
def delete_criteria(criteriaId: str, tenant: TenantDep, session: SessionDep) -> dict[str, Any]:
    """Delete a custom criteria (inferred route)."""
    return render.deleted(callscore.delete_criteria(session, tenant, criteriaId), "criteria")


@router.post("/scorecards", response_model=Scorecard)
def create_scorecard(
    body: ScorecardIn, tenant: TenantDep, services: ServicesDep, session: SessionDep
) -> dict[str, Any]:
    """Create a scorecard from managed and custom criteria ids."""
    return render.scorecard(callscore.create_scorecard(services, session, tenant, body=body))


@router.get("/scorecards", response_model=list[Scorecard])
def list_scorecards(tenant: TenantDep, session: SessionDep) -> list[dict[str, Any]]:
    """All scorecards of the account."""
    return [render.scorecard(r) for r in callscore.list_scorecards(session, tenant)]


@router.get("/scorecards/{scorecardId}", response_model=Scorecard)
def get_scorecard(scorecardId: str, tenant: TenantDep, session: SessionDep) -> dict[str, Any]:
    """One scorecard (inferred route)."""
    return render.scorecard(callscore.get_scorecard_row(session, tenant, scorecardId))


@router.put("/scorecards/{scorecardId}", response_model=Scorecard)
def replace_scorecard(
    scorecardId: str, body: ScorecardIn, tenant: TenantDep, session: SessionDep
) -> dict[str, Any]:
    """Replace a scorecard (name and criteriaList required)."""
    return render.scorecard(callscore.update_scorecard(session, tenant, scorecardId, body=body))


@router.patch("/scorecards/{scorecardId}", response_model=Scorecard)
def patch_scorecard(
    scorecardId: str, body: ScorecardPatchBody, tenant: TenantDep, session: SessionDep
) -> dict[str, Any]:
    """Update some fields of a scorecard (object merge or RFC 6902 operations)."""
    return render.scorecard(callscore.update_scorecard(session, tenant, scorecardId, body=body))


@router.delete("/scorecards/{scorecardId}", response_model=Deleted)
def delete_scorecard(scorecardId: str, tenant: TenantDep, session: SessionDep) -> dict[str, Any]:
    """Delete a scorecard (inferred route)."""
    return render.deleted(callscore.delete_scorecard(session, tenant, scorecardId), "scorecard")
