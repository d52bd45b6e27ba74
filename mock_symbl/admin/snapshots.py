"""Snapshots (versioned JSON of the whole state or one account) and seed files loaded at boot."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from mock_symbl import __version__
from mock_symbl.admin.snapshot_format import (
    SNAPSHOT_FORMAT,
    SNAPSHOT_VERSION,
    IncompatibleSnapshot,
    check_snapshot,
)
from mock_symbl.auth.service import load_revoked
from mock_symbl.clock import iso
from mock_symbl.job_lifecycle import Progression
from mock_symbl.jobs.deferred import compute_all, recover
from mock_symbl.services import Services
from mock_symbl.store import admin as store
from mock_symbl.store.db import SCHEMA_VERSION
from mock_symbl.tenancy import Tenant

log = logging.getLogger("mock_symbl.admin")


def export_snapshot(
    services: Services, *, account: str | None = None, namespace: str | None = None
) -> dict[str, Any]:
    """Every row (or one account's / namespace's) as a versioned JSON document."""
    compute_all(services)  # insights deferred by finished jobs must be in the snapshot
    return {
        "format": SNAPSHOT_FORMAT,
        "version": SNAPSHOT_VERSION,
        "schemaVersion": SCHEMA_VERSION,
        "mockSymblVersion": __version__,
        "createdAt": iso(services.clock.now()),
        "scope": {"account": account, "namespace": namespace},
        "tables": store.dump_tables(services.db, account=account, namespace=namespace),
    }


def import_snapshot(services: Services, data: Any, *, replace: bool = True) -> dict[str, int]:
    """Load a snapshot. replace: first delete the state it covers (everything, or its account)."""
    tables = check_snapshot(data)
    scope = data.get("scope") or {}
    try:
        counts = store.load_tables(
            services.db,
            tables,
            replace=replace,
            account=scope.get("account"),
            namespace=scope.get("namespace"),
        )
    except ValueError as exc:
        raise IncompatibleSnapshot(str(exc)) from exc
    except Exception as exc:  # constraint errors: the rows do not fit this schema
        raise IncompatibleSnapshot(
            f"snapshot rows do not fit this database: {exc.__class__.__name__}"
        ) from exc
    services.revoked.clear()
    load_revoked(services)
    recover(services)  # completed conversations imported without a bundle compute it on first read
    services.wake_scheduler()  # unfinished jobs in the snapshot move on as they would have
    return counts


def _seed_conversations(services: Services, data: dict[str, Any], source: Path) -> int:
    """A seed file of Async Text API bodies: {"account", "namespace"?, "conversations": [...]}."""
    from mock_symbl.process import service as process  # the process area imports the job service

    account = data.get("account")
    if not isinstance(account, str) or not account:
        raise IncompatibleSnapshot(f'{source}: a seed file needs "account" (the app id owning the data)')
    tenant = Tenant(account, str(data.get("namespace") or ""))
    count = 0
    for body in data.get("conversations") or []:
        if not isinstance(body, dict) or not isinstance(body.get("messages"), list):
            raise IncompatibleSnapshot(
                f'{source}: each conversation needs a "messages" list (POST /v1/process/text body)'
            )
        process.submit(services, tenant, kind="text", request=body, progression=Progression.IMMEDIATE)
        count += 1
    return count


RECORDING_SUFFIXES = (".yaml", ".yml", ".har", ".zip")


def _is_mock_file(data: Any) -> bool:
    """A snapshot or a seed file (anything else in seed_dir is tried as a recording)."""
    return isinstance(data, dict) and ("format" in data or "conversations" in data)


def import_recording(services: Services, path: Path) -> None:
    """A recording in seed_dir, imported into settings.import_account; an unreadable one stops the start."""
    from mock_symbl.admin import replay  # the replay service pulls in the insight views

    report = replay.import_paths(services, [(path, str(path))], account=services.settings.import_account)
    errors = [f.error for f in report.files if f.error]
    if errors:
        raise IncompatibleSnapshot("; ".join(errors))
    for skipped in report.skipped:
        log.warning("seed %s: skipped %s: %s", path, skipped.item, skipped.reason)
    log.info("imported %d recorded conversations from %s", len(report.imported), path)


def load_file(services: Services, path: Path, *, replace: bool) -> None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise IncompatibleSnapshot(f"{path}: cannot read JSON ({exc})") from exc
    if not _is_mock_file(data) and not replace:  # HAR, Polly.js, nock: recorded traffic
        import_recording(services, path)
        return
    if isinstance(data, dict) and "conversations" in data and "format" not in data:
        n = _seed_conversations(services, data, path)
        log.info("seeded %d conversations from %s", n, path)
        return
    try:
        import_snapshot(services, data, replace=replace)
    except IncompatibleSnapshot as exc:
        raise IncompatibleSnapshot(f"{path}: {exc}") from exc
    log.info("imported snapshot %s", path)


def load_at_startup(services: Services) -> None:
    """settings.snapshot_file, then every *.json of settings.seed_dir (sorted); errors stop the start."""
    settings = services.settings
    if settings.snapshot_file is not None:
        load_file(services, Path(settings.snapshot_file), replace=True)
    if settings.seed_dir is not None:
        directory = Path(settings.seed_dir)
        if not directory.is_dir():
            raise IncompatibleSnapshot(f"seed_dir {directory} is not a directory")
        for path in sorted(directory.iterdir()):
            if path.name.startswith("."):
                continue
            if path.suffix == ".json":
                load_file(services, path, replace=False)
            elif path.is_dir() or path.suffix in RECORDING_SUFFIXES:
                import_recording(services, path)  # a folder is <conversationId>/<resource>.json
