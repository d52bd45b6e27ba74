"""The JWT signing key: `jwt_secret` when given, else a random key kept beside the database.

A built-in key would let anyone who has read the docs forge tokens for any app id. A random key per data
directory keeps tokens valid across restarts of the same database; an in-memory database gets a new key per
process (its tokens could not outlive it anyway).
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

from mock_symbl.settings import Settings

KEY_FILE = "jwt-signing.key"
KEY_BYTES = 32


def key_path(settings: Settings) -> Path | None:
    """Where the generated key lives: next to the database file (None for an in-memory database)."""
    database = settings.database_path
    return None if database is None else database.parent / KEY_FILE


def signing_key(settings: Settings) -> str:
    """The key issued tokens are signed and checked with."""
    if settings.jwt_secret:
        return settings.jwt_secret
    path = key_path(settings)
    if path is None:
        return secrets.token_urlsafe(KEY_BYTES)
    return _load_or_create(path)


def _load_or_create(path: Path) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    for _ in range(3):
        with contextlib.suppress(FileNotFoundError):
            key = path.read_text(encoding="ascii").strip()
            if key:
                return key
        key = secrets.token_urlsafe(KEY_BYTES)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
        # Owner-only from the start (the key signs every token), then linked in place only if no other
        # process got there first: two servers starting on one directory end up with the same key.
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "w", encoding="ascii") as f:
                f.write(key + "\n")
            try:
                os.link(tmp, path)
                return key
            except FileExistsError:
                continue  # another process wrote it meanwhile: read theirs
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
    raise RuntimeError(f"could not read or create the JWT signing key at {path}")
