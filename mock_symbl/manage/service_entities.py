"""Custom entities (rest.md §8.2): {id, type, subType, category: "Custom", values}; subType unique per type."""

from __future__ import annotations

import json
from typing import Any

from sqlmodel import Session

from mock_symbl.errors import BadRequest, Conflict, NotFound
from mock_symbl.manage import rules
from mock_symbl.manage.rules import RuleError
from mock_symbl.services import Services
from mock_symbl.store import manage as repo
from mock_symbl.store.manage import ManagedEntity
from mock_symbl.tenancy import Tenant

MSG_NOT_FOUND = "Entity with the given entityId does not exist."
_KEYS = frozenset({"id", "type", "subType", "category", "values"})


def _fields(body: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise BadRequest('"entity" must be an object')
    for key in body:
        if key not in _KEYS:
            raise BadRequest(f'"{key}" is not allowed')
    for key in ("type", "subType", "values"):
        if key not in body:
            raise BadRequest(f'"{key}" is required')
    category = body.get("category", "Custom")
    if category != "Custom":
        raise BadRequest('"category" must be [Custom]')
    try:
        return {
            "type": _text(body["type"], "type"),
            "sub_type": _text(body["subType"], "subType"),
            "values": rules.check_entity_values(body["values"]),
        }
    except RuleError as error:
        raise BadRequest(str(error)) from None


def _text(value: Any, field: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise RuleError(
            f'"{field}" is not allowed to be empty'
            if isinstance(value, str)
            else f'"{field}" must be a string'
        )
    return value.strip()


def _conflict(fields: dict[str, Any]) -> Conflict:
    return Conflict(f"Entity with type '{fields['type']}' and subType '{fields['sub_type']}' already exists.")


def create_many(
    services: Services, session: Session, tenant: Tenant, *, bodies: list[Any]
) -> list[ManagedEntity]:
    """Create one or more entities, all or nothing."""
    if not bodies:
        raise BadRequest('"value" must contain at least 1 items')
    validated = [_fields(body) for body in bodies]
    seen: set[tuple[str, str]] = set()
    for fields in validated:
        key = (fields["type"], fields["sub_type"])
        if key in seen or repo.entity_by_type(session, tenant, *key) is not None:
            raise _conflict(fields)
        seen.add(key)
    seq = repo.next_seq(session, ManagedEntity, tenant)
    rows: list[ManagedEntity] = []
    for offset, fields in enumerate(validated):
        row = ManagedEntity(
            id=services.ids.numeric(),
            account=tenant.account,
            namespace=tenant.namespace,
            type=fields["type"],
            sub_type=fields["sub_type"],
            values_json=json.dumps(fields["values"]),
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


def replace(session: Session, tenant: Tenant, entity_id: str, *, body: Any) -> ManagedEntity:
    row = get(session, tenant, entity_id)
    fields = _fields(body)
    other = repo.entity_by_type(session, tenant, fields["type"], fields["sub_type"])
    if other is not None and other.id != row.id:
        raise _conflict(fields)
    row.type = fields["type"]
    row.sub_type = fields["sub_type"]
    row.values_json = json.dumps(fields["values"])
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
