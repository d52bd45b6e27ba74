"""Conversation group management routes (rest.md §8.3); membership is read via /v1/groups/{id}/conversations."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from mock_symbl.deps import ServicesDep, SessionDep, TenantDep
from mock_symbl.manage import render
from mock_symbl.manage import service_groups as groups
from mock_symbl.manage.schemas import Deleted, GroupIn, GroupList, GroupResponse, GroupsBody
from mock_symbl.wire import CappedJsonRoute

router = APIRouter(
    prefix="/v1/manage", tags=["Management API: conversation groups"], route_class=CappedJsonRoute
)


@router.post("/group", response_model=GroupResponse)
def create_group(
    body: GroupIn, tenant: TenantDep, services: ServicesDep, session: SessionDep
) -> dict[str, Any]:
    """Create one conversation group."""
    return {"group": render.group(groups.create_many(services, session, tenant, bodies=[body])[0])}


@router.post("/groups", response_model=GroupList)
def create_groups(
    body: GroupsBody, tenant: TenantDep, services: ServicesDep, session: SessionDep
) -> dict[str, Any]:
    """Create several groups (array body; an object creates one); all or nothing."""
    bodies = body if isinstance(body, list) else [body]
    return {"groups": [render.group(r) for r in groups.create_many(services, session, tenant, bodies=bodies)]}


@router.get("/groups", response_model=GroupList)
def list_groups(tenant: TenantDep, session: SessionDep) -> dict[str, Any]:
    """All groups of the account."""
    return {"groups": [render.group(r) for r in groups.list_all(session, tenant)]}


@router.get("/group/{groupId}", response_model=GroupResponse)
def get_group(groupId: str, tenant: TenantDep, session: SessionDep) -> dict[str, Any]:
    """One group."""
    return {"group": render.group(groups.get(session, tenant, groupId))}


@router.put("/group/{groupId}", response_model=GroupResponse)
def update_group(groupId: str, body: GroupIn, tenant: TenantDep, session: SessionDep) -> dict[str, Any]:
    """Replace a group's name, description and criteria."""
    return {"group": render.group(groups.replace(session, tenant, groupId, body=body))}


@router.delete("/group/{groupId}", response_model=Deleted)
def delete_group(groupId: str, tenant: TenantDep, session: SessionDep) -> dict[str, Any]:
    """Delete a group (its conversations are untouched)."""
    return render.deleted(groups.delete(session, tenant, groupId), "group")
