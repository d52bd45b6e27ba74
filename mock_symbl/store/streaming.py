"""Repository for telephony calls (streaming conversations live in the core conversation tables)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from mock_symbl.errors import NotFound
from mock_symbl.store.tables import TelephonyCall
from mock_symbl.tenancy import Tenant


def create_call(
    session: Session,
    tenant: Tenant,
    *,
    connection_id: str,
    conversation_id: str,
    endpoint_type: str,
    address: str,
    request: dict[str, Any],
    now: datetime,
) -> TelephonyCall:
    call = TelephonyCall(
        id=connection_id,
        account=tenant.account,
        namespace=tenant.namespace,
        conversation_id=conversation_id,
        endpoint_type=endpoint_type,
        address=address,
        request_json=json.dumps(request),
        started_at=now,
    )
    session.add(call)
    return call


def get_call(session: Session, tenant: Tenant, connection_id: str, *, active: bool = True) -> TelephonyCall:
    """The tenant's call; NotFound for unknown, another tenant's, or (when `active`) stopped calls."""
    call = session.get(TelephonyCall, connection_id)
    if call is None or call.account != tenant.account or call.namespace != tenant.namespace:
        raise NotFound(f"No connection by connectionId '{connection_id}' found.")
    if active and call.status != "active":
        raise NotFound(f"No connection by connectionId '{connection_id}' found.")
    return call


def stop_call(session: Session, call: TelephonyCall, *, actions: list[dict[str, Any]], now: datetime) -> None:
    call.status = "stopped"
    call.stopped_at = now
    call.actions_json = json.dumps(actions)
    session.add(call)


def list_calls(session: Session, tenant: Tenant) -> list[TelephonyCall]:
    return list(
        session.exec(
            select(TelephonyCall)
            .where(TelephonyCall.account == tenant.account, TelephonyCall.namespace == tenant.namespace)
            .order_by(col(TelephonyCall.started_at))
        ).all()
    )
