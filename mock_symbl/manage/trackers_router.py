"""Tracker management routes, both generations (rest.md §8.1): Gen-1 `/tracker[/{id}]` with PUT, Gen-2
`/trackers[/{id}]` with PATCH; `POST /trackers` is a Gen-1 bulk array or a Gen-2 single object."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends

from mock_symbl.deps import ServicesDep, SessionDep, TenantDep
from mock_symbl.manage import schemas
from mock_symbl.manage import service_trackers as trackers

router = APIRouter(prefix="/v1/manage", tags=["Management API: trackers"])

BodyDep = Annotated[Any, Depends(schemas.json_body)]


@router.post("/tracker")
def create_tracker_v1(
    body: BodyDep, tenant: TenantDep, services: ServicesDep, session: SessionDep
) -> dict[str, Any]:
    """Create one tracker (Gen-1)."""
    row = trackers.create_one(services, session, tenant, body=body, gen2=False)
    return {"tracker": schemas.tracker_v1(row)}


@router.get("/tracker/{trackerId}")
def get_tracker_v1(trackerId: str, tenant: TenantDep, session: SessionDep) -> dict[str, Any]:
    """Get one tracker by id (Gen-1)."""
    return {"tracker": schemas.tracker_v1(trackers.get(session, tenant, trackerId))}


@router.put("/tracker/{trackerId}")
def update_tracker_v1(
    trackerId: str, body: BodyDep, tenant: TenantDep, services: ServicesDep, session: SessionDep
) -> dict[str, Any]:
    """Replace a tracker's name and vocabulary (Gen-1)."""
    return {"tracker": schemas.tracker_v1(trackers.replace(services, session, tenant, trackerId, body=body))}


@router.delete("/tracker/{trackerId}")
def delete_tracker_v1(
    trackerId: str, tenant: TenantDep, services: ServicesDep, session: SessionDep
) -> dict[str, Any]:
    """Delete a tracker (Gen-1)."""
    return schemas.deleted(trackers.delete(services, session, tenant, trackerId), "tracker")


@router.get("/trackers")
def list_trackers(tenant: TenantDep, session: SessionDep, name: str | None = None) -> dict[str, Any]:
    """All trackers of the account, or the one with exactly this (case-sensitive) name."""
    return {"trackers": [schemas.tracker_v2(row) for row in trackers.list_all(session, tenant, name=name)]}


@router.post("/trackers")
def create_trackers(
    body: BodyDep, tenant: TenantDep, services: ServicesDep, session: SessionDep
) -> dict[str, Any]:
    """Gen-1 bulk create (array body) or Gen-2 single create (object body)."""
    if isinstance(body, list):
        rows = trackers.create_many(services, session, tenant, body=body)
        return {"trackers": [schemas.tracker_v1(row) for row in rows]}
    return {
        "tracker": schemas.tracker_v2(trackers.create_one(services, session, tenant, body=body, gen2=True))
    }


@router.post("/trackers/bulk")
def create_trackers_bulk(
    body: BodyDep, tenant: TenantDep, services: ServicesDep, session: SessionDep
) -> dict[str, Any]:
    """Create several trackers at once (Gen-2); all or nothing."""
    rows = trackers.create_many(services, session, tenant, body=body)
    return {"trackers": [schemas.tracker_v2(row) for row in rows]}


@router.get("/trackers/{trackerId}")
def get_tracker_v2(trackerId: str, tenant: TenantDep, session: SessionDep) -> dict[str, Any]:
    """Get one tracker by id (Gen-2 shape)."""
    return {"tracker": schemas.tracker_v2(trackers.get(session, tenant, trackerId))}


@router.patch("/trackers/{trackerId}")
def patch_tracker(
    trackerId: str, body: BodyDep, tenant: TenantDep, services: ServicesDep, session: SessionDep
) -> dict[str, Any]:
    """Apply [{op, path, value}] operations to a tracker (Gen-2)."""
    return {"tracker": schemas.tracker_v2(trackers.patch(services, session, tenant, trackerId, body=body))}


@router.delete("/trackers/{trackerId}")
def delete_tracker_v2(
    trackerId: str, tenant: TenantDep, services: ServicesDep, session: SessionDep
) -> dict[str, Any]:
    """Delete a tracker (Gen-2)."""
    return schemas.deleted(trackers.delete(services, session, tenant, trackerId), "tracker")
