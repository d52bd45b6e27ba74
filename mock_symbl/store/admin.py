"""Control-plane storage: per-tenant deletes and table dumps/loads over every registered table.

Tables are discovered from SQLModel.metadata, so tables other areas add later are covered without
changes here: a table with an `account` column is tenant data, one with a `namespace` column is split
by namespace too.
"""

from __future__ import annotations

import base64
from datetime import date, datetime
from typing import Any

from sqlalchemy import Table, and_
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import SQLModel, col, select

from mock_symbl.store.db import Database
from mock_symbl.store.tables import Job

SKIPPED_TABLES = frozenset({"meta"})  # database facts, never tenant data


def data_tables() -> list[Table]:
    """Every table holding API state, parents before children."""
    return [t for t in SQLModel.metadata.sorted_tables if t.name not in SKIPPED_TABLES]


def _tenant_filter(table: Table, account: str | None, namespace: str | None) -> ColumnElement[bool] | None:
    """The WHERE clause selecting one tenant's rows, or None when the table cannot be filtered so."""
    clauses: list[ColumnElement[bool]] = []
    if account is not None:
        if "account" not in table.c:
            return None
        clauses.append(table.c.account == account)
    if namespace is not None:
        if "namespace" not in table.c:
            return None
        clauses.append(table.c.namespace == namespace)
    return and_(*clauses) if clauses else None


def delete_rows(db: Database, *, account: str | None = None, namespace: str | None = None) -> dict[str, int]:
    """Delete the rows of one account and/or namespace in every table; None for both deletes everything."""
    counts: dict[str, int] = {}
    with db.transaction() as session:
        for table in reversed(data_tables()):
            if account is None and namespace is None:
                result = session.execute(table.delete())
            else:
                where = _tenant_filter(table, account, namespace)
                if where is None:
                    continue  # tables without tenant columns are shared state (kept)
                result = session.execute(table.delete().where(where))
            counts[table.name] = int(getattr(result, "rowcount", 0) or 0)
    return {k: v for k, v in counts.items() if v}


def _dump_value(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes):
        return {"$base64": base64.b64encode(value).decode("ascii")}
    return value


def _python_type(column_type: Any) -> type | None:
    # TypeDecorators (sqlmodel's UTCDateTime) report `object`; their implementation type knows better.
    for candidate in (getattr(column_type, "impl_instance", None), column_type):
        try:
            kind = candidate.python_type if candidate is not None else None
        except NotImplementedError:
            kind = None
        if isinstance(kind, type) and kind is not object:
            return kind
    return None


def _load_value(column_type: Any, value: Any) -> Any:
    if value is None:
        return None
    kind = _python_type(column_type)
    if kind is datetime and isinstance(value, str):
        return datetime.fromisoformat(value)
    if kind is date and isinstance(value, str):
        return date.fromisoformat(value)
    if kind is bytes and isinstance(value, dict) and "$base64" in value:
        return base64.b64decode(value["$base64"])
    return value


def dump_tables(
    db: Database, *, account: str | None = None, namespace: str | None = None
) -> dict[str, list[dict[str, Any]]]:
    """Every row (or one tenant's rows) as JSON-ready dicts, per table name."""
    out: dict[str, list[dict[str, Any]]] = {}
    with db.session() as session:
        for table in data_tables():
            stmt = table.select()
            if account is not None or namespace is not None:
                where = _tenant_filter(table, account, namespace)
                if where is None:
                    continue
                stmt = stmt.where(where)
            pk = list(table.primary_key.columns)
            if pk:
                stmt = stmt.order_by(*pk)
            rows = session.execute(stmt).mappings().all()
            out[table.name] = [{k: _dump_value(v) for k, v in row.items()} for row in rows]
    return out


def load_tables(
    db: Database,
    tables: dict[str, list[dict[str, Any]]],
    *,
    replace: bool = False,
    account: str | None = None,
    namespace: str | None = None,
) -> dict[str, int]:
    """Insert (or replace, by primary key) rows in one transaction; bad tables or columns raise ValueError.

    replace: first delete the rows of the given scope (everything when account and namespace are None);
    a failure leaves the database as it was.
    """
    known = {t.name: t for t in data_tables()}
    unknown = sorted(set(tables) - set(known))
    if unknown:
        raise ValueError(f"unknown table(s) in snapshot: {', '.join(unknown)}")
    counts: dict[str, int] = {}
    with db.transaction() as session:
        if replace:
            for table in reversed(data_tables()):
                where = _tenant_filter(table, account, namespace)
                if where is not None:
                    session.execute(table.delete().where(where))
                elif account is None and namespace is None:
                    session.execute(table.delete())
        for table in data_tables():
            rows = tables.get(table.name) or []
            if not rows:
                continue
            prepared = []
            for row in rows:
                extra = set(row) - set(table.c.keys())
                if extra:
                    raise ValueError(f"table {table.name}: unknown column(s) {', '.join(sorted(extra))}")
                prepared.append({k: _load_value(table.c[k].type, v) for k, v in row.items()})
            session.execute(table.insert().prefix_with("OR REPLACE"), prepared)
            counts[table.name] = len(prepared)
    return counts


def list_jobs(
    db: Database,
    *,
    account: str | None = None,
    namespace: str | None = None,
    status: str | None = None,
    conversation_id: str | None = None,
) -> list[Job]:
    """Jobs in submission order, optionally filtered (the control plane sees every tenant)."""
    stmt = select(Job)
    if account is not None:
        stmt = stmt.where(Job.account == account)
    if namespace is not None:
        stmt = stmt.where(Job.namespace == namespace)
    if status is not None:
        stmt = stmt.where(Job.status == status)
    if conversation_id is not None:
        stmt = stmt.where(Job.conversation_id == conversation_id)
    with db.session() as session:
        return list(session.exec(stmt.order_by(col(Job.created_seq))).all())


def get_job(db: Database, job_id: str) -> Job | None:
    with db.session() as session:
        return session.get(Job, job_id)


def update_job(db: Database, job_id: str, **fields: Any) -> Job | None:
    """Set some columns of one job (progression, step_seconds, due_at, forced_outcome)."""
    with db.transaction() as session:
        job = session.get(Job, job_id)
        if job is None:
            return None
        for key, value in fields.items():
            setattr(job, key, value)
        session.add(job)
    return job


def get_row(db: Database, table_name: str, key: Any) -> dict[str, Any] | None:
    """One row of any table by its (single-column) primary key, as a dict."""
    table = next((t for t in data_tables() if t.name == table_name), None)
    if table is None:
        return None
    (pk,) = table.primary_key.columns
    # SQLite integers are 64-bit: no row has a key beyond them, and binding one would raise OverflowError.
    if isinstance(key, int) and not -(2**63) <= key < 2**63:
        return None
    with db.session() as session:
        row = session.execute(table.select().where(pk == key)).mappings().first()
    return dict(row) if row is not None else None
