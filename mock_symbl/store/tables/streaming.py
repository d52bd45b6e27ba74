"""Telephony calls: one row per `endpoint:connect` start, kept after the call for the control plane."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel


class TelephonyCall(SQLModel, table=True):
    __tablename__ = "telephony_calls"
    __table_args__ = (Index("ix_telephony_calls_tenant", "account", "namespace", "status"),)

    id: str = Field(primary_key=True)  # the connectionId
    account: str
    namespace: str = ""
    conversation_id: str
    endpoint_type: str  # pstn | sip
    address: str  # phone number digits or sip: uri
    status: str = "active"  # active | stopped
    request_json: str = "{}"
    actions_json: str = "[]"  # sendSummaryEmail actions that fired (recorded, never sent)
    started_at: datetime
    stopped_at: datetime | None = None
