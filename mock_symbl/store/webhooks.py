"""Repository for the webhook delivery log."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from mock_symbl.clock import iso
from mock_symbl.store.tables import Job
from mock_symbl.store.tables.webhooks import WebhookDelivery


def record_attempt(
    session: Session,
    *,
    account: str,
    namespace: str,
    job_id: str,
    conversation_id: str | None,
    status: str,
    url: str,
    body: dict[str, Any],
    attempt: int,
    status_code: int | None,
    error: str | None,
    duration_ms: float,
    at: datetime,
) -> WebhookDelivery:
    row = WebhookDelivery(
        account=account,
        namespace=namespace,
        job_id=job_id,
        conversation_id=conversation_id,
        status=status,
        url=url,
        body_json=json.dumps(body),
        attempt=attempt,
        status_code=status_code,
        error=error,
        delivered=status_code is not None and 200 <= status_code < 300,
        duration_ms=round(duration_ms, 1),
        attempted_at=at,
    )
    session.add(row)
    return row


def jobs_with_webhooks(session: Session) -> list[Job]:
    return list(session.exec(select(Job).where(col(Job.webhook_url).is_not(None))).all())


def attempted_statuses(session: Session) -> set[tuple[str, str]]:
    """(job id, status) pairs with at least one logged delivery attempt."""
    rows = session.exec(select(WebhookDelivery.job_id, WebhookDelivery.status).distinct()).all()
    return {(job_id, status) for job_id, status in rows}


def list_deliveries(
    session: Session,
    *,
    account: str | None = None,
    namespace: str | None = None,
    job_id: str | None = None,
    limit: int = 200,
    offset: int = 0,
) -> list[WebhookDelivery]:
    """Delivery attempts, oldest first, optionally for one account/namespace/job."""
    stmt = select(WebhookDelivery)
    if account is not None:
        stmt = stmt.where(WebhookDelivery.account == account)
    if namespace is not None:
        stmt = stmt.where(WebhookDelivery.namespace == namespace)
    if job_id is not None:
        stmt = stmt.where(WebhookDelivery.job_id == job_id)
    stmt = stmt.order_by(col(WebhookDelivery.id)).offset(offset).limit(limit)
    return list(session.exec(stmt).all())


def get_delivery(session: Session, delivery_id: int) -> WebhookDelivery | None:
    if not -(2**63) <= delivery_id < 2**63:  # SQLite integers are 64-bit: binding a bigger one would raise
        return None
    return session.get(WebhookDelivery, delivery_id)


def to_dict(row: WebhookDelivery) -> dict[str, Any]:
    """The JSON shape the control plane shows for one attempt."""
    return {
        "id": row.id,
        "account": row.account,
        "namespace": row.namespace,
        "jobId": row.job_id,
        "conversationId": row.conversation_id,
        "status": row.status,
        "url": row.url,
        "body": json.loads(row.body_json),
        "attempt": row.attempt,
        "statusCode": row.status_code,
        "error": row.error,
        "delivered": row.delivered,
        "durationMs": row.duration_ms,
        "attemptedAt": iso(row.attempted_at),
    }


def clear(session: Session) -> None:
    for row in session.exec(select(WebhookDelivery)).all():
        session.delete(row)
