"""Database: WAL mode, schema version, refusal of foreign files."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from mock_symbl.store.db import Database, IncompatibleDatabase


def test_wal_and_busy_timeout(tmp_path: Path) -> None:
    db = Database(tmp_path / "a.db")
    db.open()
    with db.session() as session:
        assert session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert session.execute(text("PRAGMA busy_timeout")).scalar() == 30000
    db.close()


def test_reopen_same_file(tmp_path: Path) -> None:
    """A second open of the same file accepts it and finds what the first wrote."""
    db = Database(tmp_path / "a.db")
    db.open()
    with db.transaction() as session:
        session.execute(text("INSERT INTO meta (key, value) VALUES ('probe', 'kept')"))
    db.close()
    again = Database(tmp_path / "a.db")
    again.open()
    with again.session() as session:
        assert session.execute(text("SELECT value FROM meta WHERE key = 'probe'")).scalar() == "kept"
        versions = session.execute(text("SELECT count(*) FROM meta WHERE key = 'schema_version'")).scalar()
        assert versions == 1
    assert again.ping()
    again.close()


def test_incompatible_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    db = Database(path)
    db.open()
    db.close()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE meta SET value = '0' WHERE key = 'schema_version'")
    with pytest.raises(IncompatibleDatabase, match="schema version 0"):
        Database(path).open()


def test_foreign_sqlite_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE things (id INTEGER)")
    with pytest.raises(IncompatibleDatabase, match="not a mock-symbl database"):
        Database(path).open()
    with sqlite3.connect(path) as conn:  # untouched
        assert [r[0] for r in conn.execute("SELECT name FROM sqlite_master")] == ["things"]


def test_memory_database_is_a_removed_temp_file() -> None:
    db = Database(None)
    db.open()
    assert db.ephemeral and db.path.exists()
    db.close()
    assert not db.path.exists()
