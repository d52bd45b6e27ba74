"""Call Score criteria and scorecard routes (rest.md §8.4); list routes answer bare arrays."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends

from mock_symbl.deps import ServicesDep, SessionDep, TenantDep
from mock_symbl.manage import schemas
from mock_symbl.manage import service_callscore as callscore
from mock_symbl.store.manage import CallScoreCriteria

router = APIRouter(prefix="/v1/manage/callscore", tags=["Management API: call score"])

BodyDep = Annotated[Any, Depends(schemas.json_body)]


def _criteria(found: CallScoreCriteria | dict[str, Any]) -> dict[str, Any]:
    return found if isinstance(found, dict) else schemas.criteria(found)


@router.post("/criteria")
def create_criteria(
    body: BodyDep, tenant: TenantDep, services: ServicesDep, session: SessionDep
) -> dict[str, Any]:
    """Create a custom criteria."""
    return schemas.criteria(callscore.create_criteria(services, session, tenant, body=body))


@router.get("/criteria")
def list_criteria(tenant: TenantDep, session: SessionDep) -> list[dict[str, Any]]:
    """Managed Symbl.* criteria followed by the account's custom criteria."""
    return [_criteria(c) for c in callscore.list_criteria(session, tenant)]


@router.get("/criteria/{criteriaId}")
def get_criteria(criteriaId: str, tenant: TenantDep, session: SessionDep) -> dict[str, Any]:
    """One criteria (managed or custom)."""
    return _criteria(callscore.get_criteria(session, tenant, criteriaId))


@router.put("/criteria/{criteriaId}")
def replace_criteria(
    criteriaId: str, body: BodyDep, tenant: TenantDep, session: SessionDep
) -> dict[str, Any]:
    """Replace a custom criteria (name and checklist required)."""
    return schemas.criteria(callscore.update_criteria(session, tenant, criteriaId, body=body, partial=False))


@router.patch("/criteria/{criteriaId}")
def patch_criteria(criteriaId: str, body: BodyDep, tenant: TenantDep, session: SessionDep) -> dict[str, Any]:
    """Update some fields of a custom criteria (object merge or RFC 6902 operations)."""
    return schemas.criteria(callscore.update_criteria(session, tenant, criteriaId, body=body, partial=True))


@router.delete("/criteria/{criteriaId}")
def delete_criteria(criteriaId: str, tenant: TenantDep, session: SessionDep) -> dict[str, Any]:
    """Delete a custom criteria (inferred route)."""
    return schemas.deleted(callscore.delete_criteria(session, tenant, criteriaId), "criteria")


@router.post("/scorecards")
def create_scorecard(
    body: BodyDep, tenant: TenantDep, services: ServicesDep, session: SessionDep
) -> dict[str, Any]:
    """Create a scorecard from managed and custom criteria ids."""
    return schemas.scorecard(callscore.create_scorecard(services, session, tenant, body=body))


@router.get("/scorecards")
def list_scorecards(tenant: TenantDep, session: SessionDep) -> list[dict[str, Any]]:
    """All scorecards of the account."""
    return [schemas.scorecard(r) for r in callscore.list_scorecards(session, tenant)]


@router.get("/scorecards/{scorecardId}")
def get_scorecard(scorecardId: str, tenant: TenantDep, session: SessionDep) -> dict[str, Any]:
    """One scorecard (inferred route)."""
    return schemas.scorecard(callscore.get_scorecard_row(session, tenant, scorecardId))


@router.put("/scorecards/{scorecardId}")
def replace_scorecard(
    scorecardId: str, body: BodyDep, tenant: TenantDep, session: SessionDep
) -> dict[str, Any]:
    """Replace a scorecard (name and criteriaList required)."""
    return schemas.scorecard(
        callscore.update_scorecard(session, tenant, scorecardId, body=body, partial=False)
    )


@router.patch("/scorecards/{scorecardId}")
def patch_scorecard(
    scorecardId: str, body: BodyDep, tenant: TenantDep, session: SessionDep
) -> dict[str, Any]:
    """Update some fields of a scorecard."""
    return schemas.scorecard(
        callscore.update_scorecard(session, tenant, scorecardId, body=body, partial=True)
    )


@router.delete("/scorecards/{scorecardId}")
def delete_scorecard(scorecardId: str, tenant: TenantDep, session: SessionDep) -> dict[str, Any]:
    """Delete a scorecard (inferred route)."""
    return schemas.deleted(callscore.delete_scorecard(session, tenant, scorecardId), "scorecard")
