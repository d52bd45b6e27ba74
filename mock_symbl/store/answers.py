"""A cache of rendered read answers, dropped as soon as the data they were rendered from may have changed.

Reading a transcript means loading rows, parsing the insight bundle and rendering every message: several
milliseconds for an answer that only changes when something is written. Instead of asking every write path
to invalidate what it touches (easy to forget in one place, and then a test reads stale data), the cache
watches the database itself: every INSERT, UPDATE or DELETE on a content table moves a generation counter,
once when the statement runs and again when its connection goes back to the pool (after the commit), and an
answer is served only while the generation it was read under is still current. Writes to bookkeeping tables
that no rendered answer reads (job polls, webhook deliveries, metrics) do not count, so polling a job does
not empty the cache.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine

# Tables no cached answer is rendered from; writes to them are frequent on read paths (GET /v1/job counts
# polls) and must not invalidate transcripts.
BOOKKEEPING_TABLES = frozenset(
    {"jobs", "webhook_deliveries", "metric_entries", "revoked_tokens", "telephony_calls", "meta"}
)
_WRITE = re.compile(
    r"^\s*(?:INSERT|UPDATE|DELETE|REPLACE)\b(?:\s+OR\s+\w+)?\s+(?:INTO\s+|FROM\s+)?[\"`\[]?(\w+)",
    re.IGNORECASE,
)
_DIRTY = "mock_symbl_dirty"


def written_table(statement: str) -> str | None:
    """The table a DML statement writes to, or None for reads, DDL and pragmas."""
    match = _WRITE.match(statement)
    return match.group(1).lower() if match else None


class AnswerCache:
    """Rendered answers keyed by (what, who, which parameters), valid for one data generation."""

    def __init__(self, max_bytes: int = 64 * 1024 * 1024, max_entry_bytes: int = 4 * 1024 * 1024) -> None:
        self.enabled = True
        self.max_bytes = max_bytes
        self.max_entry_bytes = max_entry_bytes
        self.generation = 0
        self.hits = 0
        self.misses = 0
        self._bytes = 0
        self._entries: OrderedDict[Hashable, tuple[int, bytes]] = OrderedDict()
        self._lock = threading.Lock()

    def watch(self, engine: Engine) -> None:
        """Follow every write made through `engine` (the only way this app writes to its database)."""
        event.listen(engine, "before_cursor_execute", self._on_execute)
        event.listen(engine, "checkin", self._on_checkin)

    def _on_execute(self, conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        table = written_table(statement)
        if table is not None and table not in BOOKKEEPING_TABLES:
            conn.info[_DIRTY] = True
            self.bump()

    def _on_checkin(self, _dbapi_conn: Any, record: Any) -> None:
        # After the commit (or rollback): a reader that started between the statement and the commit saw the
        # old rows under the bumped generation; this second bump retires what it may have cached.
        if record is not None and record.info.pop(_DIRTY, False):
            self.bump()

    def bump(self) -> None:
        with self._lock:
            self.generation += 1

    def clear(self) -> None:
        with self._lock:
            self.generation += 1
            self._entries.clear()
            self._bytes = 0

    def lookup(self, key: Hashable) -> tuple[bytes | None, int]:
        """(the cached answer or None, the generation a fresh rendering must be stored under)."""
        with self._lock:
            generation = self.generation
            hit = self._entries.get(key) if self.enabled else None
            if hit is not None and hit[0] == generation:
                self._entries.move_to_end(key)
                self.hits += 1
                return hit[1], generation
            self.misses += 1
            return None, generation

    def store(self, key: Hashable, generation: int, body: bytes) -> None:
        """Keep an answer rendered from data read under `generation` (the one `lookup` returned)."""
        if not self.enabled or len(body) > self.max_entry_bytes:
            return
        with self._lock:
            if generation == self.generation:  # else it is already stale: keep nothing
                self._store(key, generation, body)

    def get_or_render(self, key: Hashable, render: Callable[[], bytes]) -> bytes:
        """The cached answer for `key` if nothing was written since it was rendered, else a fresh one."""
        body, generation = self.lookup(key)
        if body is None:
            body = render()  # outside the lock: rendering reads the database and may take milliseconds
            self.store(key, generation, body)
        return body

    def _store(self, key: Hashable, generation: int, body: bytes) -> None:
        old = self._entries.pop(key, None)
        if old is not None:
            self._bytes -= len(old[1])
        self._entries[key] = (generation, body)
        self._bytes += len(body)
        while self._bytes > self.max_bytes and self._entries:
            _, (_, dropped) = self._entries.popitem(last=False)
            self._bytes -= len(dropped)

    def stats(self) -> dict[str, int]:
        with self._lock:
            return {
                "entries": len(self._entries),
                "bytes": self._bytes,
                "hits": self.hits,
                "misses": self.misses,
                "generation": self.generation,
            }
