"""Identifier generation.

Two kinds of ids:
- *stable* ids are pure functions of their inputs (message, insight, member ids): same input, same id.
- *fresh* ids (conversation, job, connection) come from an `IdFactory`, random by default and reproducible
  when the server is given a seed (the same sequence of requests then yields the same ids).
"""

from __future__ import annotations

import hashlib
import random
import secrets
import threading
import uuid

_NAMESPACE = uuid.UUID("6f1c2a54-3c0e-4a59-9d34-5b1d0f7a6c11")


def stable_numeric_id(*parts: object) -> str:
    """A 16-digit numeric string derived from `parts` (Symbl's id shape for conversations, messages, insights)."""
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8")).digest()
    return str(10**15 + int.from_bytes(digest[:8], "big") % (9 * 10**15))


def stable_uuid(*parts: object) -> str:
    """A UUID string derived from `parts` (Symbl's id shape for members and connections)."""
    return str(uuid.uuid5(_NAMESPACE, "\x1f".join(str(p) for p in parts)))


class IdFactory:
    """Fresh ids; seeded -> reproducible sequence, unseeded -> cryptographically random."""

    def __init__(self, seed: int | None = None) -> None:
        self._lock = threading.Lock()
        self.reseed(seed)

    def reseed(self, seed: int | None) -> None:
        with self._lock:
            self.seed = seed
            self._rng: random.Random | None = random.Random(seed) if seed is not None else None

    def _bits(self, n: int) -> int:
        with self._lock:
            if self._rng is None:
                return secrets.randbits(n)
            return self._rng.getrandbits(n)

    def numeric(self) -> str:
        """16-digit numeric string, like Symbl's conversation ids."""
        return str(10**15 + self._bits(63) % (9 * 10**15))

    def uuid(self) -> str:
        """UUID v4 string, like Symbl's job ids."""
        return str(uuid.UUID(int=self._bits(128), version=4))
