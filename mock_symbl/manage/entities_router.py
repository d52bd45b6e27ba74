"""Custom entity management routes (rest.md §8.2); the older `/entity` spellings are served too."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends

from mock_symbl.deps import ServicesDep, SessionDep, TenantDep
from mock_symbl.errors import BadRequest
from mock_symbl.manage import schemas
from mock_symbl.manage import service_entities as entities

router = APIRouter(prefix="/v1/manage", tags=["Management API: entities"])

BodyDep = Annotated[Any, Depends(schemas.json_body)]


@router.post("/entities")
@router.post("/entity", include_in_schema=False)
def create_entity(body: BodyDep, tenant: TenantDep, services: ServicesDep, session: SessionDep) -> Any:
    """Create one entity (an array body creates several, like /bulk)."""
    if isinstance(body, list):
        return {
            "entities": [
                schemas.entity(r) for r in entities.create_many(services, session, tenant, bodies=body)
            ]
        }
    return schemas.entity(entities.create_many(services, session, tenant, bodies=[body])[0])


@router.post("/entities/bulk")
def create_entities_bulk(
    body: BodyDep, tenant: TenantDep, services: ServicesDep, session: SessionDep
) -> dict[str, Any]:
    """Create several entities; all or nothing."""
    if not isinstance(body, list):
        raise BadRequest('"value" must be an array')
    return {
        "entities": [schemas.entity(r) for r in entities.create_many(services, session, tenant, bodies=body)]
    }


@router.get("/entities")
def list_entities(tenant: TenantDep, session: SessionDep) -> dict[str, Any]:
    """All custom entities of the account."""
    return {"entities": [schemas.entity(r) for r in entities.list_all(session, tenant)]}


@router.get("/entities/{entityId}")
@router.get("/entity/{entityId}", include_in_schema=False)
def get_entity(entityId: str, tenant: TenantDep, session: SessionDep) -> dict[str, Any]:
    """One entity (bare object)."""
    return schemas.entity(entities.get(session, tenant, entityId))


@router.put("/entities/{entityId}")
def update_entity(entityId: str, body: BodyDep, tenant: TenantDep, session: SessionDep) -> dict[str, Any]:
    """Replace an entity's type, subType and values."""
    return {"entity": schemas.entity(entities.replace(session, tenant, entityId, body=body))}


@router.delete("/entities")
def delete_entities_by_sub_type(
    tenant: TenantDep, session: SessionDep, subType: str | None = None
) -> dict[str, Any]:
    """Delete every entity of a subType (`?subType=`)."""
    if subType is None:
        raise BadRequest('"subType" is required')
    count = entities.delete_by_sub_type(session, tenant, subType)
    return {"subType": subType, "type": "entity", "deleted": True, "count": count}


@router.delete("/entities/{entityId}")
def delete_entity(entityId: str, tenant: TenantDep, session: SessionDep) -> dict[str, Any]:
    """Delete one entity."""
    return schemas.deleted(entities.delete(session, tenant, entityId), "entity")
