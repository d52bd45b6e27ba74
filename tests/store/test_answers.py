"""The answer cache: which statements count as writes, generations, and the byte bound."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from mock_symbl.store.answers import AnswerCache, written_table


@pytest.mark.parametrize(
    ("statement", "table"),
    [
        ("INSERT INTO messages (id) VALUES (?)", "messages"),
        ('UPDATE "members" SET name=?', "members"),
        ("DELETE FROM conversations WHERE id = ?", "conversations"),
        ("INSERT OR REPLACE INTO insight_sets VALUES (?)", "insight_sets"),
        ("REPLACE INTO manage_settings VALUES (?)", "manage_settings"),
        ("  update jobs set polls = polls + 1", "jobs"),
        ("SELECT * FROM messages", None),
        ("PRAGMA journal_mode=WAL", None),
        ("CREATE TABLE x (id)", None),
    ],
)
def test_written_table(statement: str, table: str | None) -> None:
    assert written_table(statement) == table


def test_writes_to_content_tables_retire_answers(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'a.db'}")
    cache = AnswerCache()
    cache.watch(engine)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE messages (id TEXT)"))
        conn.execute(text("CREATE TABLE jobs (id TEXT, polls INT)"))
    body, generation = cache.lookup("k")
    assert body is None
    cache.store("k", generation, b"old")
    assert cache.lookup("k")[0] == b"old"

    with engine.begin() as conn:  # bookkeeping: job polls do not retire transcripts
        conn.execute(text("INSERT INTO jobs VALUES ('j', 0)"))
    assert cache.lookup("k")[0] == b"old"

    with engine.begin() as conn:
        conn.execute(text("INSERT INTO messages VALUES ('m')"))
    assert cache.lookup("k")[0] is None
    engine.dispose()


def test_an_answer_read_before_a_write_is_never_kept() -> None:
    cache = AnswerCache()
    _, generation = cache.lookup("k")
    cache.bump()  # a write lands while the answer is being rendered
    cache.store("k", generation, b"stale")
    assert cache.lookup("k")[0] is None


def test_byte_bound_evicts_least_recently_used() -> None:
    cache = AnswerCache(max_bytes=10, max_entry_bytes=8)
    for key in ("a", "b"):
        cache.store(key, cache.lookup(key)[1], b"12345")
    assert cache.lookup("a")[0] == b"12345"  # "a" is now the most recent
    cache.store("c", cache.lookup("c")[1], b"12345")
    assert cache.lookup("b")[0] is None and cache.lookup("a")[0] == b"12345"
    cache.store("big", cache.lookup("big")[1], b"123456789")  # over max_entry_bytes: not kept
    assert cache.lookup("big")[0] is None
    assert cache.stats()["bytes"] <= 10
