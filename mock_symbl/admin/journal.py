"""The request journal: a bounded ring buffer of what clients sent and what the mock answered."""

from __future__ import annotations

import difflib
import re
import threading
from collections import deque
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from mock_symbl.admin.patterns import compile_path


@dataclass
class JournalEntry:
    id: int
    time: str  # the mock clock's ISO time when the request arrived
    method: str
    path: str
    query: str
    status: int | None = None
    account: str | None = None
    namespace: str = ""
    latency_ms: float = 0.0
    request_headers: dict[str, str] = field(default_factory=dict)
    request_body: str = ""
    request_body_truncated: bool = False
    request_bytes: int = 0
    response_body: str = ""
    matched: bool = True
    nearest_route: str | None = None  # for unmatched requests: the closest real route
    fault: str | None = None  # the fault applied, if any
    websocket: bool = False

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


# Headers never recorded verbatim (they carry credentials).
_SECRET_HEADERS = frozenset({"authorization", "x-api-key", "x-admin-token", "cookie"})


def safe_headers(raw: Iterable[tuple[bytes, bytes]]) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in raw:
        name = key.decode("latin-1").lower()
        out[name] = "***" if name in _SECRET_HEADERS else value.decode("latin-1")
    return out


class Journal:
    """Thread-safe ring buffer; `size` bounds memory, oldest entries drop first."""

    def __init__(self, size: int) -> None:
        self._lock = threading.Lock()
        self._entries: deque[JournalEntry] = deque(maxlen=max(1, size))
        self._seq = 0

    def next_id(self) -> int:
        with self._lock:
            self._seq += 1
            return self._seq

    def add(self, entry: JournalEntry) -> None:
        with self._lock:
            self._entries.append(entry)

    def clear(self, *, account: str | None = None, namespace: str | None = None) -> int:
        with self._lock:
            if account is None and namespace is None:
                removed = len(self._entries)
                self._entries.clear()
                return removed
            keep = [
                e
                for e in self._entries
                if (account is not None and e.account != account)
                or (namespace is not None and e.namespace != namespace)
            ]
            removed = len(self._entries) - len(keep)
            self._entries = deque(keep, maxlen=self._entries.maxlen)
            return removed

    def find(
        self,
        *,
        method: str | None = None,
        path: str | None = None,
        status: int | None = None,
        account: str | None = None,
        namespace: str | None = None,
        unmatched: bool | None = None,
        since_id: int | None = None,
        limit: int | None = None,
    ) -> list[JournalEntry]:
        """Entries oldest first, filtered; `path` is a glob (`/v1/job/*`) or `re:` regex."""
        with self._lock:
            entries = list(self._entries)
        out = []
        for e in entries:
            if method and e.method.upper() != method.upper():
                continue
            if path and not _path_ok(path, e.path):
                continue
            if status is not None and e.status != status:
                continue
            if account is not None and e.account != account:
                continue
            if namespace is not None and e.namespace != namespace:
                continue
            if unmatched is not None and e.matched == unmatched:
                continue
            if since_id is not None and e.id <= since_id:
                continue
            out.append(e)
        return out[-limit:] if limit else out


def _path_ok(pattern: str, path: str) -> bool:
    """Exact path, glob or `re:` (RE2); the pattern was validated by the route's query model."""
    return compile_path(pattern, glob_only_with_wildcards=True)(path)


_PARAM = re.compile(r"\{[^}]+\}")


def nearest_route(method: str, path: str, routes: Iterable[tuple[str, frozenset[str]]]) -> str | None:
    """The closest real route (`METHOD /path/{param}`) to an unmatched request, by difflib ratio.

    Path parameters are compared as the request's own segment, so `/v1/conversation/123/mesages`
    is near `/v1/conversations/{conversationId}/messages`.
    """
    best: tuple[float, str] | None = None
    segments = path.strip("/").split("/")
    for template, methods in routes:
        if template.startswith("/__admin"):
            continue
        t_segments = template.strip("/").split("/")
        filled = "/".join(
            segments[i] if _PARAM.fullmatch(seg) and i < len(segments) else seg
            for i, seg in enumerate(t_segments)
        )
        score = difflib.SequenceMatcher(None, path.strip("/"), filled).ratio()
        if method.upper() in methods:
            score += 0.05  # prefer a route the method exists on
        if best is None or score > best[0]:
            best = (
                score,
                f"{method.upper() if method.upper() in methods else sorted(methods)[0]} {template}",
            )
    return best[1] if best and best[0] >= 0.5 else None
