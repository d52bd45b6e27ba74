"""Scripted results: queue what the next job of a tenant produces (lines or a fixture) or make it fail."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter
from pydantic import BaseModel, Field

from mock_symbl.admin import results
from mock_symbl.admin.security import ADMIN_PREFIX, ADMIN_TAG, AdminDep
from mock_symbl.admin.state import admin_state
from mock_symbl.deps import ServicesDep

# Prefix, tag and admin-token check given here, not by an enclosing router: a dependency added at
# include time makes FastAPI rebuild every route (tens of ms of start-up).
router = APIRouter(prefix=ADMIN_PREFIX, tags=[ADMIN_TAG], dependencies=[AdminDep])


class LineIn(BaseModel):
    text: str = Field(..., min_length=1)
    speaker: str | None = None
    email: str | None = None


class ResultRequest(BaseModel):
    account: str = Field(..., min_length=1, description="The account (app id) whose next job this scripts.")
    namespace: str = Field("", description="The namespace of that job.")
    lines: list[LineIn] = Field(default_factory=list, description="The transcript the job produces.")
    fixture: str | None = Field(None, description="Or: the name of a transcript fixture.")
    outcome: Literal["completed", "failed"] = "completed"
    reason: str | None = Field(None, description="The failure reason (outcome failed).")


@router.post("/results", status_code=201)
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


@router.get("/results")
def list_results(services: ServicesDep) -> dict[str, Any]:
    """Scripted results not consumed yet."""
    return {"results": [r.to_dict() for r in admin_state(services).results.list()]}


@router.delete("/results")
def clear_results(
    services: ServicesDep, account: str | None = None, namespace: str | None = None
) -> dict[str, Any]:
    """Drop queued results (all, or one account's / namespace's)."""
    admin_state(services).results.clear(account=account, namespace=namespace)
    return {"results": [r.to_dict() for r in admin_state(services).results.list()]}
