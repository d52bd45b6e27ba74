"""A controllable clock: token expiry, job timing and timestamps all read it instead of the OS clock."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime


def iso(dt: datetime) -> str:
    """Symbl's timestamp shape: ISO-8601 UTC with milliseconds and `Z`."""
    d = dt.astimezone(UTC)
    # An f-string rather than strftime: twice as fast, and GET .../messages formats two per message.
    return (
        f"{d.year:04d}-{d.month:02d}-{d.day:02d}T{d.hour:02d}:{d.minute:02d}:{d.second:02d}."
        f"{d.microsecond // 1000:03d}Z"
    )


def parse_iso(value: str) -> datetime:
    """Parse an ISO-8601 timestamp (with `Z` or an offset); naive values are taken as UTC."""
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    dt = datetime.fromisoformat(text)
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


class Clock:
    """Wall clock plus an offset; can be frozen, advanced and resumed (the control plane drives it)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._offset = 0.0
        self._frozen_at: float | None = None

    def time(self) -> float:
        """Seconds since the epoch, as this clock sees it."""
        with self._lock:
            if self._frozen_at is not None:
                return self._frozen_at
            return time.time() + self._offset

    def now(self) -> datetime:
        return datetime.fromtimestamp(self.time(), tz=UTC)

    @property
    def frozen(self) -> bool:
        return self._frozen_at is not None

    def freeze(self, at: float | None = None) -> None:
        now = self.time()
        with self._lock:
            self._frozen_at = now if at is None else at

    def advance(self, seconds: float) -> None:
        with self._lock:
            if self._frozen_at is not None:
                self._frozen_at += seconds
            else:
                self._offset += seconds

    def resume(self) -> None:
        """Unfreeze, carrying on from the frozen instant (time does not jump back to the wall clock)."""
        with self._lock:
            if self._frozen_at is not None:
                self._offset = self._frozen_at - time.time()
                self._frozen_at = None

    def reset(self) -> None:
        with self._lock:
            self._offset = 0.0
            self._frozen_at = None
