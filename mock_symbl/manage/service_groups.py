"""Conversation groups (rest.md §8.3); bodies arrive checked (name/description rules, RSQL criteria)."""

from __future__ import annotations

from mock_symbl.errors import BadRequest
from mock_symbl.manage.schemas import GroupIn
from mock_symbl.rsql import filters as rsql
from mock_symbl.services import Services
from mock_symbl.store import manage as repo
from mock_symbl.store.db import Session
from mock_symbl.store.manage import ConversationGroup
from mock_symbl.tenancy import Tenant

MSG_NOT_FOUND = "Group with the given groupId does not exist."


def create_many(
    services: Services, session: Session, tenant: Tenant, *, bodies: list[GroupIn]
) -> list[ConversationGroup]:
    if not bodies:
        raise BadRequest('"value" must contain at least 1 items')
    seq = repo.next_seq(session, ConversationGroup, tenant)
    rows: list[ConversationGroup] = []
    for offset, body in enumerate(bodies):
        row = ConversationGroup(
            id=services.ids.numeric(),
            account=tenant.account,
            namespace=tenant.namespace,
            seq=seq + offset,
            name=body.name,
            description=body.description,
            criteria=body.criteria,
        )
        repo.add(session, row)
        rows.append(row)
    session.commit()
    return rows


def get(session: Session, tenant: Tenant, group_id: str) -> ConversationGroup:
    return repo.get_row(session, ConversationGroup, tenant, group_id, MSG_NOT_FOUND)


def list_all(session: Session, tenant: Tenant) -> list[ConversationGroup]:
    return repo.list_rows(session, ConversationGroup, tenant)


def replace(session: Session, tenant: Tenant, group_id: str, *, body: GroupIn) -> ConversationGroup:
    row = get(session, tenant, group_id)
    if body.id not in (None, "") and body.id != group_id:
        raise BadRequest('"id" does not match the groupId of the path')
    row.name, row.description, row.criteria = body.name, body.description, body.criteria
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
