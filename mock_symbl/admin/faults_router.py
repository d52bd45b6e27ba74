"""Fault rules: add, list, delete (per-request overrides need no rule: `Prefer: code=429`, X-Mock-Fault)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from mock_symbl.admin.faults import rule_from_dict
from mock_symbl.admin.schemas import Fault, FaultList, FaultRequest, Removed
from mock_symbl.admin.security import ADMIN_PREFIX, ADMIN_TAG, AdminDep
from mock_symbl.admin.state import admin_state
from mock_symbl.deps import ServicesDep
from mock_symbl.errors import NotFound
from mock_symbl.wire import AnswerRoute

# Prefix, tag and admin-token check given here, not by an enclosing router: a dependency added at
# include time makes FastAPI rebuild every route (tens of ms of start-up).
router = APIRouter(route_class=AnswerRoute, prefix=ADMIN_PREFIX, tags=[ADMIN_TAG], dependencies=[AdminDep])


@router.get("/faults", response_model=FaultList)
def list_faults(services: ServicesDep, namespace: str | None = None) -> dict[str, Any]:
    """The active fault rules (remaining counts included)."""
    return {"faults": [r.to_dict() for r in admin_state(services).faults.list(namespace)]}


@router.post("/faults", status_code=201, response_model=Fault)
def add_fault(body: FaultRequest, services: ServicesDep) -> dict[str, Any]:
    """Add a fault rule; returns it with its id."""
    rule = admin_state(services).faults.add(rule_from_dict(body.model_dump()))
    return rule.to_dict()


@router.delete("/faults", response_model=Removed)
def clear_faults(
    services: ServicesDep, account: str | None = None, namespace: str | None = None
) -> dict[str, Any]:
    """Remove every rule (or those of one account / namespace)."""
    return {"removed": admin_state(services).faults.clear(account=account, namespace=namespace)}


@router.delete("/faults/{faultId}", response_model=Removed)
def delete_fault(faultId: str, services: ServicesDep) -> dict[str, Any]:
    """Remove one rule."""
    if not admin_state(services).faults.remove(faultId):
        raise NotFound(f"Fault rule {faultId} not found.")
    return {"removed": 1}
