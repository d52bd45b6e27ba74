"""The request journal: what clients sent, filtered and counted; unmatched requests with near misses."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from mock_symbl.admin.journal import JournalEntry
from mock_symbl.admin.schemas import Count, JournalFilter, JournalList, JournalQuery, Removed, UnmatchedList
from mock_symbl.admin.security import ADMIN_PREFIX, ADMIN_TAG, AdminDep
from mock_symbl.admin.state import admin_state
from mock_symbl.deps import ServicesDep
from mock_symbl.wire import AnswerRoute

# Prefix, tag and admin-token check given here, not by an enclosing router: a dependency added at
# include time makes FastAPI rebuild every route (tens of ms of start-up).
router = APIRouter(route_class=AnswerRoute, prefix=ADMIN_PREFIX, tags=[ADMIN_TAG], dependencies=[AdminDep])


def _find(services: ServicesDep, query: JournalFilter, limit: int | None = None) -> list[JournalEntry]:
    return admin_state(services).journal.find(
        method=query.method,
        path=query.path,
        status=query.status,
        account=query.account,
        namespace=query.namespace,
        unmatched=query.unmatched,
        since_id=query.since,
        limit=limit,
    )


@router.get("/requests", response_model=JournalList)
def list_requests(services: ServicesDep, query: Annotated[JournalQuery, Query()]) -> dict[str, Any]:
    """Journal entries, oldest first (method, path, query, status, account, namespace, latency, bodies)."""
    entries = _find(services, query, query.limit)
    return {"requests": [e.to_dict() for e in entries], "count": len(entries)}


@router.get("/requests/count", response_model=Count)
def count_requests(services: ServicesDep, query: Annotated[JournalFilter, Query()]) -> dict[str, int]:
    """How many journal entries match the filters."""
    return {"count": len(_find(services, query))}


@router.get("/requests/unmatched", response_model=UnmatchedList)
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


@router.delete("/requests", response_model=Removed)
def clear_requests(
    services: ServicesDep, account: str | None = None, namespace: str | None = None
) -> dict[str, int]:
    """Empty the journal (or drop one account's / namespace's entries)."""
    return {"removed": admin_state(services).journal.clear(account=account, namespace=namespace)}
