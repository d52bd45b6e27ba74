"""Snapshots: export the state (or one account) as versioned JSON; import one (refused if incompatible)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query

from mock_symbl.admin.schemas import Imported, Snapshot, SnapshotIn
from mock_symbl.admin.security import ADMIN_PREFIX, ADMIN_TAG, AdminDep
from mock_symbl.admin.snapshots import IncompatibleSnapshot, export_snapshot, import_snapshot
from mock_symbl.deps import ServicesDep
from mock_symbl.errors import BadRequest
from mock_symbl.wire import AnswerRoute

# Prefix, tag and admin-token check given here, not by an enclosing router: a dependency added at
# include time makes FastAPI rebuild every route (tens of ms of start-up).
router = APIRouter(route_class=AnswerRoute, prefix=ADMIN_PREFIX, tags=[ADMIN_TAG], dependencies=[AdminDep])


@router.get("/snapshot", response_model=Snapshot)
@router.post("/snapshot", response_model=Snapshot)
def get_snapshot(
    services: ServicesDep,
    account: str | None = Query(None, description="Only this account's rows."),
    namespace: str | None = Query(None, description="Only this namespace's rows."),
) -> dict[str, Any]:
    """Export every stored row (or one account's / namespace's) as a versioned snapshot (GET or POST)."""
    return export_snapshot(services, account=account, namespace=namespace)


@router.put("/snapshot", response_model=Imported)
def put_snapshot(
    services: ServicesDep,
    snapshot: SnapshotIn,
    replace: bool = Query(
        True, description="First delete the state the snapshot covers (all, or its account)."
    ),
) -> dict[str, Any]:
    """Import a snapshot; a different format, version or schema is refused with 400."""
    try:
        counts = import_snapshot(services, snapshot.model_dump(), replace=replace)
    except IncompatibleSnapshot as exc:
        raise BadRequest(f"Incompatible snapshot: {exc}") from exc
    return {"imported": counts}
