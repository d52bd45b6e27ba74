"""The request journal: what clients sent, filtered and counted; unmatched requests with near misses."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query

from mock_symbl.admin.journal import JournalEntry
from mock_symbl.admin.security import ADMIN_PREFIX, ADMIN_TAG, AdminDep
from mock_symbl.admin.state import admin_state
from mock_symbl.deps import ServicesDep

# Prefix, tag and admin-token check given here, not by an enclosing router: a dependency added at
# include time makes FastAPI rebuild every route (tens of ms of start-up).
router = APIRouter(prefix=ADMIN_PREFIX, tags=[ADMIN_TAG], dependencies=[AdminDep])


def _find(
    services: ServicesDep,
    method: str | None,
    path: str | None,
    status: int | None,
    account: str | None,
    namespace: str | None,
    unmatched: bool | None,
    since: int | None,
    limit: int | None,
) -> list[JournalEntry]:
    return admin_state(services).journal.find(
        method=method,
        path=path,
        status=status,
        account=account,
        namespace=namespace,
        unmatched=unmatched,
        since_id=since,
        limit=limit,
    )


@router.get("/requests")
def list_requests(
    services: ServicesDep,
    method: str | None = None,
    path: str | None = Query(None, description="Exact path, glob (/v1/job/*) or `re:` regex."),
    status: int | None = None,
    account: str | None = None,
    namespace: str | None = None,
    unmatched: bool | None = Query(None, description="true: only requests no route matched."),
    since: int | None = Query(None, description="Only entries with a larger id."),
    limit: int | None = Query(None, ge=1, description="The newest N matching entries."),
) -> dict[str, Any]:
    """Journal entries, oldest first (method, path, query, status, account, namespace, latency, bodies)."""
    entries = _find(services, method, path, status, account, namespace, unmatched, since, limit)
    return {"requests": [e.to_dict() for e in entries], "count": len(entries)}


@router.get("/requests/count")
def count_requests(
    services: ServicesDep,
    method: str | None = None,
    path: str | None = None,
    status: int | None = None,
    account: str | None = None,
    namespace: str | None = None,
    unmatched: bool | None = None,
    since: int | None = None,
) -> dict[str, int]:
    """How many journal entries match the filters."""
    return {"count": len(_find(services, method, path, status, account, namespace, unmatched, since, None))}


@router.get("/requests/unmatched")
def unmatched_requests(services: ServicesDep, namespace: str | None = None) -> dict[str, Any]:
    """Requests no Symbl route matched, each with the nearest real route."""
    entries = admin_state(services).journal.find(unmatched=True, namespace=namespace)
    return {
        "requests": [
            {
                "id": e.id,
                "method": e.method,
                "path": e.path,
                "status": e.status,
                "nearestRoute": e.nearest_route,
            }
            for e in entries
        ]
    }


@router.delete("/requests")
def clear_requests(
    services: ServicesDep, account: str | None = None, namespace: str | None = None
) -> dict[str, int]:
    """Empty the journal (or drop one account's / namespace's entries)."""
    return {"removed": admin_state(services).journal.clear(account=account, namespace=namespace)}
