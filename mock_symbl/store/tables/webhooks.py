"""Webhook delivery log: one row per delivery attempt (the control plane lists them)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel


class WebhookDelivery(SQLModel, table=True):
    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        Index("ix_webhook_deliveries_tenant", "account", "namespace", "id"),
        Index("ix_webhook_deliveries_job", "job_id", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)  # insertion order = attempt order
    account: str
    namespace: str = ""
    job_id: str
    conversation_id: str | None = None
    status: str  # the job status this call announces
    url: str
    body_json: str
    attempt: int  # 1-based attempt number of this call
    status_code: int | None = None  # the receiver's HTTP status, None when no answer
    error: str | None = None  # why the attempt failed (timeout, refused, HTTP 500...), None on success
    delivered: bool = False  # a 2xx answer
    duration_ms: float = 0.0
    attempted_at: datetime
