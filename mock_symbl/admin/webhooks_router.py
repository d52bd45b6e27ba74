"""Webhook deliveries: the log of every attempt, and redelivery of one call."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from mock_symbl.admin.schemas import DeliveryList, Redelivery
from mock_symbl.admin.security import ADMIN_PREFIX, ADMIN_TAG, AdminDep
from mock_symbl.deps import ServicesDep
from mock_symbl.webhooks import delivery
from mock_symbl.wire import AnswerRoute

# Prefix, tag and admin-token check given here, not by an enclosing router: a dependency added at
# include time makes FastAPI rebuild every route (tens of ms of start-up).
router = APIRouter(route_class=AnswerRoute, prefix=ADMIN_PREFIX, tags=[ADMIN_TAG], dependencies=[AdminDep])


@router.get("/webhooks", response_model=DeliveryList)
def list_webhooks(
    services: ServicesDep,
    account: str | None = None,
    namespace: str | None = None,
    jobId: str | None = None,
    wait: bool = False,
) -> dict[str, Any]:
    """Delivery attempts, oldest first (with webhook_capture_only: what would have been sent)."""
    dispatcher = services.webhooks
    if wait and dispatcher is not None:
        dispatcher.wait_idle(timeout=10.0)
    found = delivery.deliveries(services, account=account, namespace=namespace, job_id=jobId, limit=10_000)
    return {"deliveries": found}


@router.post("/webhooks/{deliveryId}/redeliver", status_code=202, response_model=Redelivery)
def redeliver(deliveryId: int, services: ServicesDep) -> dict[str, Any]:
    """Send one logged call again (a new attempt is logged)."""
    return delivery.redeliver(services, deliveryId)
