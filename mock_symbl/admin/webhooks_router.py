"""Webhook deliveries: the log of every attempt, and redelivery of one call."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from fastapi import APIRouter

from mock_symbl.admin.schemas import DeliveryList, Redelivery
from mock_symbl.admin.security import ADMIN_PREFIX, ADMIN_TAG, AdminDep
from mock_symbl.deps import ServicesDep, SessionDep
from mock_symbl.errors import NotFound, ServiceUnavailable
from mock_symbl.store import admin as store
from mock_symbl.wire import AnswerRoute

# Prefix, tag and admin-token check given here, not by an enclosing router: a dependency added at
# include time makes FastAPI rebuild every route (tens of ms of start-up).
router = APIRouter(route_class=AnswerRoute, prefix=ADMIN_PREFIX, tags=[ADMIN_TAG], dependencies=[AdminDep])

DELIVERIES_TABLE = "webhook_deliveries"  # the webhook area's delivery log (store/tables/webhooks.py)


@router.get("/webhooks", response_model=DeliveryList)
def list_webhooks(
    services: ServicesDep,
    session: SessionDep,
    account: str | None = None,
    namespace: str | None = None,
    jobId: str | None = None,
    wait: bool = False,
) -> dict[str, Any]:
    """Delivery attempts, oldest first (with webhook_capture_only: what would have been sent)."""
    from mock_symbl.store import webhooks as repo  # the webhook area owns this table

    dispatcher = services.webhooks
    if wait and dispatcher is not None:
        dispatcher.wait_idle(timeout=10.0)
        session.expire_all()
    rows = repo.list_deliveries(session, account=account, namespace=namespace, job_id=jobId, limit=10_000)
    return {"deliveries": [repo.to_dict(r) for r in rows]}


@router.post("/webhooks/{deliveryId}/redeliver", status_code=202, response_model=Redelivery)
def redeliver(deliveryId: int, services: ServicesDep) -> dict[str, Any]:
    """Send one logged call again (a new attempt is logged)."""
    row = store.get_row(services.db, DELIVERIES_TABLE, deliveryId)
    if row is None:
        raise NotFound(f"Webhook delivery {deliveryId} not found.")
    dispatcher = services.webhooks
    if dispatcher is None:
        raise ServiceUnavailable("Webhook delivery is not running.")
    job = SimpleNamespace(
        id=row["job_id"],
        webhook_url=row["url"],
        account=row["account"],
        namespace=row["namespace"],
        conversation_id=row["conversation_id"],
    )
    dispatcher.listener(services, job, row["status"])
    return {"redelivering": deliveryId, "jobId": row["job_id"], "status": row["status"], "url": row["url"]}
