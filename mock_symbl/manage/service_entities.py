"""Custom entities (rest.md §8.2): {id, type, subType, category: "Custom", values}; subType unique per type.

Bodies arrive validated (manage.schemas.EntityIn); this checks uniqueness and stores them.
"""

from __future__ import annotations

import json

from mock_symbl.errors import BadRequest, Conflict, NotFound
from mock_symbl.manage.schemas import EntityIn
from mock_symbl.services import Services
from mock_symbl.store import manage as repo
from mock_symbl.store.db import Session
from mock_symbl.store.manage import ManagedEntity
from mock_symbl.tenancy import Tenant

MSG_NOT_FOUND = "Entity with the given entityId does not exist."


def _conflict(body: EntityIn) -> Conflict:
    return Conflict(f"Entity with type '{body.type}' and subType '{body.subType}' already exists.")


def create_many(
    services: Services, session: Session, tenant: Tenant, *, bodies: list[EntityIn]
) -> list[ManagedEntity]:
    """Create one or more entities, all or nothing."""
    if not bodies:
        raise BadRequest('"value" must contain at least 1 items')
    seen: set[tuple[str, str]] = set()
    for body in bodies:
        key = (body.type, body.subType)
        if key in seen or repo.entity_by_type(session, tenant, *key) is not None:
            raise _conflict(body)
        seen.add(key)
    seq = repo.next_seq(session, ManagedEntity, tenant)
    rows: list[ManagedEntity] = []
    for offset, body in enumerate(bodies):
        row = ManagedEntity(
            id=services.ids.numeric(),
            account=tenant.account,
            namespace=tenant.namespace,
            type=body.type,
            sub_type=body.subType,
            values_json=json.dumps(body.values),
            seq=seq + offset,
        )
        repo.add(session, row)
        rows.append(row)
    session.commit()
    return rows


def get(session: Session, tenant: Tenant, entity_id: str) -> ManagedEntity:
    return repo.get_row(session, ManagedEntity, tenant, entity_id, MSG_NOT_FOUND)


def list_all(session: Session, tenant: Tenant) -> list[ManagedEntity]:
    return repo.list_rows(session, ManagedEntity, tenant)


def replace(session: Session, tenant: Tenant, entity_id: str, *, body: EntityIn) -> ManagedEntity:
    row = get(session, tenant, entity_id)
    other = repo.entity_by_type(session, tenant, body.type, body.subType)
    if other is not None and other.id != row.id:
        raise _conflict(body)
    row.type = body.type
    row.sub_type = body.subType
    row.values_json = json.dumps(body.values)
    session.add(row)
    session.commit()
    return row


def delete(session: Session, tenant: Tenant, entity_id: str) -> str:
    row = get(session, tenant, entity_id)
    repo.remove(session, row)
    session.commit()
    return entity_id


def delete_by_sub_type(session: Session, tenant: Tenant, sub_type: str) -> int:
    if not sub_type.strip():
        raise BadRequest('"subType" is not allowed to be empty')
    removed = repo.delete_entities_by_sub_type(session, tenant, sub_type)
    if removed == 0:
        raise NotFound(f"No entity with subType '{sub_type}' exists.")
    session.commit()
    return removed
