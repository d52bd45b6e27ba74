"""Tracker management routes, both generations (rest.md §8.1): Gen-1 `/tracker[/{id}]` with PUT, Gen-2
`/trackers[/{id}]` with PATCH; `POST /trackers` is a Gen-1 bulk array or a Gen-2 single object."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from mock_symbl.deps import ServicesDep, SessionDep, TenantDep
from mock_symbl.manage import render
from mock_symbl.manage import service_trackers as trackers
from mock_symbl.manage.schemas import (
    Deleted,
    OperationsBody,
    TrackerChanges,
    TrackerIn,
    TrackerList,
    TrackerResponse,
    TrackersBody,
    TrackerV1In,
    TrackerV1List,
    TrackerV1Response,
    operations,
)
from mock_symbl.wire import CappedJsonRoute

router = APIRouter(prefix="/v1/manage", tags=["Management API: trackers"], route_class=CappedJsonRoute)


@router.post("/tracker", response_model=TrackerV1Response)
def create_tracker_v1(
    body: TrackerV1In, tenant: TenantDep, services: ServicesDep, session: SessionDep
) -> dict[str, Any]:
    """Create one tracker (Gen-1)."""
    row = trackers.create_one(services, session, tenant, body=body)
    return {"tracker": render.tracker_v1(row)}


@router.get("/tracker/{trackerId}", response_model=TrackerV1Response)
def get_tracker_v1(trackerId: str, tenant: TenantDep, session: SessionDep) -> dict[str, Any]:
    """Get one tracker by id (Gen-1)."""
    return {"tracker": render.tracker_v1(trackers.get(session, tenant, trackerId))}


@router.put("/tracker/{trackerId}", response_model=TrackerV1Response)
def update_tracker_v1(
    trackerId: str, body: TrackerChanges, tenant: TenantDep, services: ServicesDep, session: SessionDep
) -> dict[str, Any]:
    """Replace a tracker's name and vocabulary (Gen-1; the Gen-2 fields it names are replaced too)."""
    return {"tracker": render.tracker_v1(trackers.replace(services, session, tenant, trackerId, body=body))}


@router.delete("/tracker/{trackerId}", response_model=Deleted)
def delete_tracker_v1(
    trackerId: str, tenant: TenantDep, services: ServicesDep, session: SessionDep
) -> dict[str, Any]:
    """Delete a tracker (Gen-1)."""
    return render.deleted(trackers.delete(services, session, tenant, trackerId), "tracker")


@router.get("/trackers", response_model=TrackerList)
def list_trackers(tenant: TenantDep, session: SessionDep, name: str | None = None) -> dict[str, Any]:
    """All trackers of the account, or the one with exactly this (case-sensitive) name."""
    return {"trackers": [render.tracker_v2(row) for row in trackers.list_all(session, tenant, name=name)]}


@router.post("/trackers", response_model=TrackerResponse | TrackerV1List)
def create_trackers(
    body: TrackersBody, tenant: TenantDep, services: ServicesDep, session: SessionDep
) -> dict[str, Any]:
    """Gen-1 bulk create (array body) or Gen-2 single create (object body)."""
    if isinstance(body, list):
        rows = trackers.create_many(services, session, tenant, bodies=body)
        return {"trackers": [render.tracker_v1(row) for row in rows]}
    return {"tracker": render.tracker_v2(trackers.create_one(services, session, tenant, body=body))}


@router.post("/trackers/bulk", response_model=TrackerList)
def create_trackers_bulk(
    body: list[TrackerIn], tenant: TenantDep, services: ServicesDep, session: SessionDep
) -> dict[str, Any]:
    """Create several trackers at once (Gen-2); all or nothing."""
    rows = trackers.create_many(services, session, tenant, bodies=body)
    return {"trackers": [render.tracker_v2(row) for row in rows]}


@router.get("/trackers/{trackerId}", response_model=TrackerResponse)
def get_tracker_v2(trackerId: str, tenant: TenantDep, session: SessionDep) -> dict[str, Any]:
    """Get one tracker by id (Gen-2 shape)."""
    return {"tracker": render.tracker_v2(trackers.get(session, tenant, trackerId))}


@router.patch("/trackers/{trackerId}", response_model=TrackerResponse)
def patch_tracker(
    trackerId: str, body: OperationsBody, tenant: TenantDep, services: ServicesDep, session: SessionDep
) -> dict[str, Any]:
    """Apply [{op, path, value}] operations to a tracker (Gen-2); one operation may come unwrapped."""
    changed = trackers.patch(services, session, tenant, trackerId, body=operations(body))
    return {"tracker": render.tracker_v2(changed)}


@router.delete("/trackers/{trackerId}", response_model=Deleted)
def delete_tracker_v2(
    trackerId: str, tenant: TenantDep, services: ServicesDep, session: SessionDep
) -> dict[str, Any]:
    """Delete a tracker (Gen-2)."""
    return render.deleted(trackers.delete(services, session, tenant, trackerId), "tracker")
