"""What a snapshot file must say to be loaded: its format, version and schema (shared by the snapshot service
and the request model of PUT /__admin/snapshot)."""

from __future__ import annotations

from typing import Any

from mock_symbl.store.db import SCHEMA_VERSION, IncompatibleDatabase

SNAPSHOT_FORMAT = "mock-symbl-snapshot"
SNAPSHOT_VERSION = 1


class IncompatibleSnapshot(IncompatibleDatabase):
    """The snapshot was not written by a compatible mock-symbl (the CLI prints it and exits 2)."""


def check_snapshot(data: Any) -> dict[str, list[dict[str, Any]]]:
    """The snapshot's tables, or IncompatibleSnapshot saying exactly what is wrong."""
    if not isinstance(data, dict) or data.get("format") != SNAPSHOT_FORMAT:
        raise IncompatibleSnapshot(f'not a mock-symbl snapshot (expected "format": "{SNAPSHOT_FORMAT}")')
    if data.get("version") != SNAPSHOT_VERSION:
        raise IncompatibleSnapshot(
            f"snapshot version {data.get('version')!r} is not supported (this mock-symbl reads version "
            f"{SNAPSHOT_VERSION}); export it again with a matching mock-symbl"
        )
    if str(data.get("schemaVersion")) != SCHEMA_VERSION:
        raise IncompatibleSnapshot(
            f"snapshot schema version {data.get('schemaVersion')!r} differs from this database's {SCHEMA_VERSION}"
        )
    tables = data.get("tables")
    if not isinstance(tables, dict) or not all(isinstance(v, list) for v in tables.values()):
        raise IncompatibleSnapshot('snapshot "tables" must map table names to lists of rows')
    return tables
