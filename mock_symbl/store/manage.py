"""Repositories for the Management API rows, bookmarks and metric entries (tenant-scoped CRUD)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from sqlalchemy import delete, func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel, col, select

from mock_symbl.errors import Conflict, NotFound
from mock_symbl.store.tables.manage import (
    AccountSettings,
    Bookmark,
    CallScoreCriteria,
    ConversationGroup,
    ManagedEntity,
    ManagedTracker,
    MetricEntry,
    Scorecard,
)
from mock_symbl.tenancy import Tenant

__all__ = [
    "AccountSettings",
    "Bookmark",
    "CallScoreCriteria",
    "ConversationGroup",
    "ManagedEntity",
    "ManagedTracker",
    "MetricEntry",
    "Scorecard",
]

Row = TypeVar("Row", bound=SQLModel)

NOT_FOUND = "The requested resource could not be found."


def _tenant_filter(model: type[Any], tenant: Tenant) -> list[Any]:
    return [model.account == tenant.account, model.namespace == tenant.namespace]


def list_rows(session: Session, model: type[Row], tenant: Tenant) -> list[Row]:
    """Every row of the tenant in creation order."""
    query = select(model).where(*_tenant_filter(model, tenant)).order_by(col(model.seq), col(model.id))  # type: ignore[attr-defined]
    return list(session.exec(query).all())


def find_row(session: Session, model: type[Row], tenant: Tenant, row_id: str) -> Row | None:
    row = session.get(model, row_id)
    if row is None or row.account != tenant.account or row.namespace != tenant.namespace:  # type: ignore[attr-defined]
        return None
    return row


def get_row(session: Session, model: type[Row], tenant: Tenant, row_id: str, message: str = NOT_FOUND) -> Row:
    """The tenant's row, or NotFound (another tenant's id looks like no id at all)."""
    row = find_row(session, model, tenant, row_id)
    if row is None:
        raise NotFound(message)
    return row


def count_rows(session: Session, model: type[Any], tenant: Tenant) -> int:
    return int(
        session.exec(select(func.count()).select_from(model).where(*_tenant_filter(model, tenant))).one()
    )


def next_seq(session: Session, model: type[Any], tenant: Tenant) -> int:
    top = session.exec(select(func.max(model.seq)).where(*_tenant_filter(model, tenant))).one()
    return int(top or 0) + 1


def add(session: Session, row: SQLModel) -> None:
    """Insert; a unique-index race (two requests creating the same name at once) is a 409, not a 500."""
    session.add(row)
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        raise Conflict("A resource with the same unique fields already exists.") from None


def remove(session: Session, row: SQLModel) -> None:
    session.delete(row)
    session.flush()


# ---------------------------------------------------------------- trackers


def tracker_by_name(session: Session, tenant: Tenant, name: str) -> ManagedTracker | None:
    """Exact, case-sensitive name match (Symbl: names are case-sensitive)."""
    query = select(ManagedTracker).where(*_tenant_filter(ManagedTracker, tenant), ManagedTracker.name == name)
    return session.exec(query).first()


def trackers_named(session: Session, tenant: Tenant, names: Sequence[str]) -> list[ManagedTracker]:
    if not names:
        return []
    query = select(ManagedTracker).where(
        *_tenant_filter(ManagedTracker, tenant), col(ManagedTracker.name).in_(list(names))
    )
    return list(session.exec(query).all())


# ---------------------------------------------------------------- entities


def entities_by_sub_type(session: Session, tenant: Tenant, sub_type: str) -> list[ManagedEntity]:
    query = select(ManagedEntity).where(
        *_tenant_filter(ManagedEntity, tenant), ManagedEntity.sub_type == sub_type
    )
    return list(session.exec(query.order_by(col(ManagedEntity.seq))).all())


def entity_by_type(session: Session, tenant: Tenant, type_: str, sub_type: str) -> ManagedEntity | None:
    query = select(ManagedEntity).where(
        *_tenant_filter(ManagedEntity, tenant),
        ManagedEntity.type == type_,
        ManagedEntity.sub_type == sub_type,
    )
    return session.exec(query).first()


def delete_entities_by_sub_type(session: Session, tenant: Tenant, sub_type: str) -> int:
    result = session.execute(
        delete(ManagedEntity).where(
            *_tenant_filter(ManagedEntity, tenant), col(ManagedEntity.sub_type) == sub_type
        )
    )
    return int(getattr(result, "rowcount", 0) or 0)


# ---------------------------------------------------------------- settings


def get_settings_row(session: Session, tenant: Tenant) -> AccountSettings | None:
    return session.get(AccountSettings, (tenant.account, tenant.namespace))


# ---------------------------------------------------------------- bookmarks


def list_bookmarks(session: Session, tenant: Tenant, conversation_id: str) -> list[Bookmark]:
    query = select(Bookmark).where(
        *_tenant_filter(Bookmark, tenant), Bookmark.conversation_id == conversation_id
    )
    return list(session.exec(query.order_by(col(Bookmark.seq), col(Bookmark.id))).all())


def next_bookmark_seq(session: Session, conversation_id: str) -> int:
    top = session.exec(
        select(func.max(Bookmark.seq)).where(Bookmark.conversation_id == conversation_id)
    ).one()
    return int(top or 0) + 1


def delete_bookmarks_of(session: Session, conversation_id: str) -> None:
    """Used when a conversation is deleted, so its bookmarks do not linger."""
    session.execute(delete(Bookmark).where(col(Bookmark.conversation_id) == conversation_id))


# ---------------------------------------------------------------- metric entries


def latest_metric_entry(session: Session, tenant: Tenant, metric_id: str) -> MetricEntry | None:
    query = (
        select(MetricEntry)
        .where(*_tenant_filter(MetricEntry, tenant), MetricEntry.metric_id == metric_id)
        .order_by(col(MetricEntry.timestamp).desc())
        .limit(1)
    )
    return session.exec(query).first()


def count_metric_entries(session: Session, tenant: Tenant, metric_id: str) -> int:
    query = select(func.count()).where(
        *_tenant_filter(MetricEntry, tenant), MetricEntry.metric_id == metric_id
    )
    return int(session.exec(query).one())
