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
    masked: bool = field(default=False, compare=False)  # bookkeeping of Journal.find, never answered

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        del out["masked"]
        return out


# Headers never recorded verbatim (they carry credentials; the Web SDK offers its token as the subprotocol).
_SECRET_HEADERS = frozenset(
    {"authorization", "x-api-key", "x-admin-token", "cookie", "set-cookie", "sec-websocket-protocol"}
)
MASK = "***"
# Credentials inside bodies and query strings: the app secret sent to /oauth2/token:generate, the access token
# it answers, `?access_token=` of WebSockets, and any JWT wherever it appears. Body excerpts may be cut
# mid-string, so a value runs to its closing quote or to the end of the excerpt.
_SECRET_JSON = re.compile(
    r'("(?:appSecret|app_secret|accessToken|access_token|refreshToken|token|admin_token)"\s*:\s*")[^"]*("?)',
    re.IGNORECASE,
)
_SECRET_QUERY = re.compile(r"((?:^|[?&])(?:access_token|token|admin_token|appSecret)=)[^&]*", re.IGNORECASE)
_JWT = re.compile(r"eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*")


def mask_secrets(text: str) -> str:
    """`text` with app secrets and access tokens replaced by ***."""
    if not text:
        return text
    text = _SECRET_JSON.sub(lambda m: f"{m.group(1)}{MASK}{m.group(2)}", text)
    text = _SECRET_QUERY.sub(lambda m: f"{m.group(1)}{MASK}", text)
    return _JWT.sub(MASK, text)


def safe_headers(raw: Iterable[tuple[bytes, bytes]]) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in raw:
        name = key.decode("latin-1").lower()
        out[name] = MASK if name in _SECRET_HEADERS else value.decode("latin-1")
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
        # Not masked here but when first read (find, the journal's only way out): the masking regexes were
        # about a fifth of a cached read's CPU, and most entries are never read.
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
        out = out[-limit:] if limit else out
        for e in out:
            _mask(e)
        return out


def _mask(entry: JournalEntry) -> None:
    """Mask an entry's credentials once, so nothing that reads the journal (API, dashboard) ever sees one."""
    if entry.masked:
        return
    # Masking is idempotent, so two readers masking the same entry at once agree.
    entry.query = mask_secrets(entry.query)
    entry.request_body = mask_secrets(entry.request_body)
    entry.response_body = mask_secrets(entry.response_body)
    entry.masked = True


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
