"""Custom entity management routes (rest.md §8.2); the older `/entity` spellings are served too."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from mock_symbl.deps import ServicesDep, SessionDep, TenantDep
from mock_symbl.manage import render
from mock_symbl.manage import service_entities as entities
from mock_symbl.manage.schemas import (
    Deleted,
    DeletedBySubType,
    EntitiesBody,
    Entity,
    EntityIn,
    EntityList,
    EntityResponse,
)
from mock_symbl.wire import CappedJsonRoute

router = APIRouter(prefix="/v1/manage", tags=["Management API: entities"], route_class=CappedJsonRoute)


@router.post("/entities", response_model=Entity | EntityList)
@router.post("/entity", response_model=Entity | EntityList, include_in_schema=False)
def create_entity(
    body: EntitiesBody, tenant: TenantDep, services: ServicesDep, session: SessionDep
) -> dict[str, Any]:
    """Create one entity (an array body creates several, like /bulk)."""
    if isinstance(body, list):
        rows = entities.create_many(services, session, tenant, bodies=body)
        return {"entities": [render.entity(r) for r in rows]}
    return render.entity(entities.create_many(services, session, tenant, bodies=[body])[0])


@router.post("/entities/bulk", response_model=EntityList)
def create_entities_bulk(
    body: list[EntityIn], tenant: TenantDep, services: ServicesDep, session: SessionDep
) -> dict[str, Any]:
    """Create several entities; all or nothing."""
    rows = entities.create_many(services, session, tenant, bodies=body)
    return {"entities": [render.entity(r) for r in rows]}


@router.get("/entities", response_model=EntityList)
def list_entities(tenant: TenantDep, session: SessionDep) -> dict[str, Any]:
    """All custom entities of the account."""
    return {"entities": [render.entity(r) for r in entities.list_all(session, tenant)]}


@router.get("/entities/{entityId}", response_model=Entity)
@router.get("/entity/{entityId}", response_model=Entity, include_in_schema=False)
def get_entity(entityId: str, tenant: TenantDep, session: SessionDep) -> dict[str, Any]:
    """One entity (bare object)."""
    return render.entity(entities.get(session, tenant, entityId))


@router.put("/entities/{entityId}", response_model=EntityResponse)
def update_entity(entityId: str, body: EntityIn, tenant: TenantDep, session: SessionDep) -> dict[str, Any]:
    """Replace an entity's type, subType and values."""
    return {"entity": render.entity(entities.replace(session, tenant, entityId, body=body))}


@router.delete("/entities", response_model=DeletedBySubType)
def delete_entities_by_sub_type(tenant: TenantDep, session: SessionDep, subType: str) -> dict[str, Any]:
    """Delete every entity of a subType (`?subType=`, required)."""
    count = entities.delete_by_sub_type(session, tenant, subType)
    return {"subType": subType, "type": "entity", "deleted": True, "count": count}


@router.delete("/entities/{entityId}", response_model=Deleted)
def delete_entity(entityId: str, tenant: TenantDep, session: SessionDep) -> dict[str, Any]:
    """Delete one entity."""
    return render.deleted(entities.delete(session, tenant, entityId), "entity")
