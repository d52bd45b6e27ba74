"""Conversation group management routes (rest.md §8.3); membership is read via /v1/groups/{id}/conversations."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends

from mock_symbl.deps import ServicesDep, SessionDep, TenantDep
from mock_symbl.manage import schemas
from mock_symbl.manage import service_groups as groups

router = APIRouter(prefix="/v1/manage", tags=["Management API: conversation groups"])

BodyDep = Annotated[Any, Depends(schemas.json_body)]


@router.post("/group")
def create_group(
    body: BodyDep, tenant: TenantDep, services: ServicesDep, session: SessionDep
) -> dict[str, Any]:
    """Create one conversation group."""
    return {"group": schemas.group(groups.create_many(services, session, tenant, bodies=[body])[0])}


@router.post("/groups")
def create_groups(
    body: BodyDep, tenant: TenantDep, services: ServicesDep, session: SessionDep
) -> dict[str, Any]:
    """Create several groups (array body; an object creates one); all or nothing."""
    bodies = body if isinstance(body, list) else [body]
    return {
        "groups": [schemas.group(r) for r in groups.create_many(services, session, tenant, bodies=bodies)]
    }


@router.get("/groups")
def list_groups(tenant: TenantDep, session: SessionDep) -> dict[str, Any]:
    """All groups of the account."""
    return {"groups": [schemas.group(r) for r in groups.list_all(session, tenant)]}


@router.get("/group/{groupId}")
def get_group(groupId: str, tenant: TenantDep, session: SessionDep) -> dict[str, Any]:
    """One group."""
    return {"group": schemas.group(groups.get(session, tenant, groupId))}


@router.put("/group/{groupId}")
def update_group(groupId: str, body: BodyDep, tenant: TenantDep, session: SessionDep) -> dict[str, Any]:
    """Replace a group's name, description and criteria."""
    return {"group": schemas.group(groups.replace(session, tenant, groupId, body=body))}


@router.delete("/group/{groupId}")
def delete_group(groupId: str, tenant: TenantDep, session: SessionDep) -> dict[str, Any]:
    """Delete a group (its conversations are untouched)."""
    return schemas.deleted(groups.delete(session, tenant, groupId), "group")
