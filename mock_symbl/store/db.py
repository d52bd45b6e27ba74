"""The database: SQLite in WAL mode with a busy timeout, a recorded schema version, sessions."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event, inspect, text
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel, create_engine, select

import mock_symbl.store.tables  # noqa: F401  (registers every table on SQLModel.metadata)
from mock_symbl.store.errors import IncompatibleDatabase
from mock_symbl.store.tables import MetaEntry

# Bump when a table changes incompatibly; an older or newer file is refused, never migrated in place.
SCHEMA_VERSION = "1"
APP_MARK = "mock-symbl"


def _on_connect(dbapi_conn: Any, _: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


class Database:
    """Owns the engine. `:memory:` uses a private temporary file removed on close.

    SQLite's true in-memory mode cannot be shared between the server's threads without a single
    connection (StaticPool) or shared-cache table locks; a throw-away file in WAL mode behaves the
    same for users (nothing persists) and keeps concurrent requests safe.
    """

    def __init__(self, path: Path | None) -> None:
        self._tmpdir: str | None = None
        if path is None:
            self._tmpdir = tempfile.mkdtemp(prefix="mock-symbl-")
            path = Path(self._tmpdir) / "memory.db"
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.engine: Engine = create_engine(
            f"sqlite:///{path}",
            connect_args={"check_same_thread": False, "timeout": 30},
            pool_size=20,
            max_overflow=40,
        )
        event.listen(self.engine, "connect", _on_connect)

    @property
    def ephemeral(self) -> bool:
        return self._tmpdir is not None

    def open(self) -> None:
        """Create the schema on a new file, or check the version of an existing one."""
        existing = set(inspect(self.engine).get_table_names())
        if existing:
            self._check_version(existing)
        SQLModel.metadata.create_all(self.engine)
        with self.session() as session:
            if session.get(MetaEntry, "schema_version") is None:
                session.add(MetaEntry(key="schema_version", value=SCHEMA_VERSION))
                session.add(MetaEntry(key="app", value=APP_MARK))
                session.commit()

    def _check_version(self, existing: set[str]) -> None:
        if "meta" not in existing:
            raise IncompatibleDatabase(
                f"{self.path} is not a mock-symbl database (it has tables but no schema version); "
                "point --database at a new file."
            )
        with self.session() as session:
            row = session.exec(select(MetaEntry).where(MetaEntry.key == "schema_version")).first()
        found = row.value if row else "none"
        if found != SCHEMA_VERSION:
            raise IncompatibleDatabase(
                f"{self.path} has schema version {found}, this mock-symbl needs {SCHEMA_VERSION}; "
                "use a new --database file (or delete this one) - it is never migrated in place."
            )

    def ping(self) -> bool:
        """True when the database answers a trivial query (the readiness probe)."""
        try:
            with self.session() as session:
                session.execute(text("SELECT 1"))
            return True
        except Exception:
            return False

    def session(self) -> Session:
        return Session(self.engine, expire_on_commit=False)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session committed on success and rolled back on error."""
        with self.session() as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def clear(self) -> None:
        """Delete every row of every table except meta (a full reset)."""
        with self.transaction() as session:
            for table in reversed(SQLModel.metadata.sorted_tables):
                if table.name != "meta":
                    session.execute(table.delete())

    def close(self) -> None:
        self.engine.dispose()
        if self._tmpdir and os.path.isdir(self._tmpdir):
            shutil.rmtree(self._tmpdir, ignore_errors=True)
