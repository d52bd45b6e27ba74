"""Scripted results: queue what the next job of a tenant produces (lines or a fixture) or make it fail."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from mock_symbl.admin import results
from mock_symbl.admin.schemas import QueuedResult, ResultRequest, Results
from mock_symbl.admin.security import ADMIN_PREFIX, ADMIN_TAG, AdminDep
from mock_symbl.admin.state import admin_state
from mock_symbl.deps import ServicesDep
from mock_symbl.wire import AnswerRoute

# Prefix, tag and admin-token check given here, not by an enclosing router: a dependency added at
# include time makes FastAPI rebuild every route (tens of ms of start-up).
router = APIRouter(route_class=AnswerRoute, prefix=ADMIN_PREFIX, tags=[ADMIN_TAG], dependencies=[AdminDep])


@router.post("/results", status_code=201, response_model=QueuedResult)
def queue_result(body: ResultRequest, services: ServicesDep) -> dict[str, Any]:
    """Queue the result of the tenant's next processed job (FIFO: one entry per job)."""
    result = results.ScriptedResult(
        account=body.account,
        namespace=body.namespace,
        lines=[results.ScriptedLine(text=ln.text, speaker=ln.speaker, email=ln.email) for ln in body.lines],
        fixture=body.fixture,
        outcome=body.outcome,
        reason=body.reason,
    )
    results.validate(services, result)
    queued = admin_state(services).results.push(result)
    return {"queued": queued, "result": result.to_dict()}


@router.get("/results", response_model=Results)
def list_results(services: ServicesDep) -> dict[str, Any]:
    """Scripted results not consumed yet."""
    return {"results": [r.to_dict() for r in admin_state(services).results.list()]}


@router.delete("/results", response_model=Results)
def clear_results(
    services: ServicesDep, account: str | None = None, namespace: str | None = None
) -> dict[str, Any]:
    """Drop queued results (all, or one account's / namespace's)."""
    admin_state(services).results.clear(account=account, namespace=namespace)
    return {"results": [r.to_dict() for r in admin_state(services).results.list()]}
