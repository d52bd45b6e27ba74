"""Conversation groups (rest.md §8.3): name/description rules and RSQL criteria checked on write."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from mock_symbl.errors import BadRequest
from mock_symbl.manage import rsql, rules
from mock_symbl.manage.rules import RuleError
from mock_symbl.services import Services
from mock_symbl.store import manage as repo
from mock_symbl.store.manage import ConversationGroup
from mock_symbl.tenancy import Tenant

MSG_NOT_FOUND = "Group with the given groupId does not exist."
_KEYS = frozenset({"id", "name", "description", "criteria"})


def check_criteria(value: Any) -> str:
    """Criteria must be a string in the supported RSQL subset (the 400 says what is wrong)."""
    if not isinstance(value, str):
        raise BadRequest('"criteria" must be a string')
    try:
        rsql.compile_filter(value)
    except rsql.RsqlError as error:
        raise BadRequest(f'"criteria" is invalid: {error}') from None
    return value.strip()


def _fields(body: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise BadRequest('"group" must be an object')
    for key in body:
        if key not in _KEYS:
            raise BadRequest(f'"{key}" is not allowed')
    for key in ("name", "criteria"):
        if key not in body:
            raise BadRequest(f'"{key}" is required')
    try:
        name = rules.check_group_name(body["name"])
        description = rules.check_group_description(body.get("description"))
    except RuleError as error:
        raise BadRequest(str(error)) from None
    return {"name": name, "description": description, "criteria": check_criteria(body["criteria"])}


def create_many(
    services: Services, session: Session, tenant: Tenant, *, bodies: list[Any]
) -> list[ConversationGroup]:
    if not bodies:
        raise BadRequest('"value" must contain at least 1 items')
    validated = [_fields(body) for body in bodies]
    seq = repo.next_seq(session, ConversationGroup, tenant)
    rows: list[ConversationGroup] = []
    for offset, fields in enumerate(validated):
        row = ConversationGroup(
            id=services.ids.numeric(),
            account=tenant.account,
            namespace=tenant.namespace,
            seq=seq + offset,
            **fields,
        )
        repo.add(session, row)
        rows.append(row)
    session.commit()
    return rows


def get(session: Session, tenant: Tenant, group_id: str) -> ConversationGroup:
    return repo.get_row(session, ConversationGroup, tenant, group_id, MSG_NOT_FOUND)


def list_all(session: Session, tenant: Tenant) -> list[ConversationGroup]:
    return repo.list_rows(session, ConversationGroup, tenant)


def replace(session: Session, tenant: Tenant, group_id: str, *, body: Any) -> ConversationGroup:
    row = get(session, tenant, group_id)
    if isinstance(body, dict) and body.get("id") not in (None, "") and str(body["id"]) != group_id:
        raise BadRequest('"id" does not match the groupId of the path')
    fields = _fields(body)
    row.name, row.description, row.criteria = fields["name"], fields["description"], fields["criteria"]
    session.add(row)
    session.commit()
    return row


def delete(session: Session, tenant: Tenant, group_id: str) -> str:
    row = get(session, tenant, group_id)
    repo.remove(session, row)
    session.commit()
    return group_id


def criteria_filter(session: Session, tenant: Tenant, group_id: str) -> rsql.Filter:
    """The compiled criteria of a group (404 for an unknown group)."""
    return rsql.compile_filter(get(session, tenant, group_id).criteria)
