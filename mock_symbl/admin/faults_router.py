"""Fault rules: add, list, delete (per-request overrides need no rule: `Prefer: code=429`, X-Mock-Fault)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field, model_validator

from mock_symbl.admin.faults import rule_from_dict
from mock_symbl.admin.security import ADMIN_PREFIX, ADMIN_TAG, AdminDep
from mock_symbl.admin.state import admin_state
from mock_symbl.deps import ServicesDep
from mock_symbl.errors import NotFound

# Prefix, tag and admin-token check given here, not by an enclosing router: a dependency added at
# include time makes FastAPI rebuild every route (tens of ms of start-up).
router = APIRouter(prefix=ADMIN_PREFIX, tags=[ADMIN_TAG], dependencies=[AdminDep])


class FaultRequest(BaseModel):
    id: str | None = Field(None, description="Rule id (default: fault-N).")
    method: str | None = Field(None, description="HTTP method to match (default: any).")
    path: str | None = Field(
        None, description="Path glob (/v1/conversations/*) or `re:` regex (default: any)."
    )
    account: str | None = Field(None, description="Only requests of this account (app id).")
    namespace: str | None = Field(None, description="Only requests with this X-Mock-Namespace.")
    count: int | None = Field(None, ge=1, description="Fire this many times, then retire (default: forever).")
    probability: float = Field(1.0, ge=0, le=1, description="Chance to fire on a match (seeded).")
    seed: int | None = Field(None, description="Seed for this rule's probability draws.")
    status: int | None = Field(
        None, ge=100, le=599, description="Answer this status with Symbl's error body."
    )
    body: dict[str, Any] | None = Field(None, description="Body to answer instead of Symbl's.")
    latency_ms: float = Field(
        0, ge=0, le=600_000, description="Delay before answering (alone or with another effect)."
    )
    drop: bool = Field(False, description="Drop the connection before a complete response.")
    ws_close: int | None = Field(
        None, ge=1000, le=4999, description="Close matching WebSockets with this code."
    )
    after_messages: int = Field(
        0, ge=0, description="WebSocket: server messages let through before the close."
    )

    @model_validator(mode="after")
    def _one_effect(self) -> FaultRequest:
        if self.status is None and not self.drop and self.ws_close is None and not self.latency_ms:
            raise ValueError("a fault needs an effect: status, latency_ms, drop or ws_close")
        return self


@router.get("/faults")
def list_faults(services: ServicesDep, namespace: str | None = None) -> dict[str, Any]:
    """The active fault rules (remaining counts included)."""
    return {"faults": [r.to_dict() for r in admin_state(services).faults.list(namespace)]}


@router.post("/faults", status_code=201)
def add_fault(body: FaultRequest, services: ServicesDep) -> dict[str, Any]:
    """Add a fault rule; returns it with its id."""
    rule = admin_state(services).faults.add(rule_from_dict(body.model_dump()))
    return rule.to_dict()


@router.delete("/faults")
def clear_faults(
    services: ServicesDep, account: str | None = None, namespace: str | None = None
) -> dict[str, Any]:
    """Remove every rule (or those of one account / namespace)."""
    return {"removed": admin_state(services).faults.clear(account=account, namespace=namespace)}


@router.delete("/faults/{faultId}")
def delete_fault(faultId: str, services: ServicesDep) -> dict[str, Any]:
    """Remove one rule."""
    if not admin_state(services).faults.remove(faultId):
        raise NotFound(f"Fault rule {faultId} not found.")
    return {"removed": 1}
