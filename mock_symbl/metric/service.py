"""Metric API stub (rest.md §7): any metric id describes a counter; entries are stored per tenant.

The real semantics were never documented (REST client only); this keeps the client's models working.
"""

from __future__ import annotations

import json
from typing import Any

from sqlmodel import Session

from mock_symbl.clock import iso, parse_iso
from mock_symbl.errors import BadRequest
from mock_symbl.ids import stable_numeric_id
from mock_symbl.services import Services
from mock_symbl.store import manage as repo
from mock_symbl.store.manage import MetricEntry
from mock_symbl.tenancy import Tenant

_ENTRY_KEYS = frozenset({"value", "valueString", "labels", "identityId", "timestamp"})


def metric(services: Services, session: Session, tenant: Tenant, metric_id: str) -> dict[str, Any]:
    latest = repo.latest_metric_entry(session, tenant, metric_id)
    created = latest.timestamp if latest else services.clock.now()
    return {
        "id": metric_id,
        "type": "counter",
        "unit": "count",
        "name": metric_id,
        "description": f"Metric {metric_id} ({repo.count_metric_entries(session, tenant, metric_id)} entries)",
        "provider": "mock-symbl",
        "providerType": "internal",
        "createdOn": iso(created),
    }


def _labels(value: Any) -> list[dict[str, str]]:
    if value is None:
        return []
    if isinstance(value, dict):
        value = [{"key": k, "value": v} for k, v in value.items()]
    if not isinstance(value, list):
        raise BadRequest('"labels" must be an array of {key, value}')
    out: list[dict[str, str]] = []
    for index, item in enumerate(value):
        if not isinstance(item, dict) or not isinstance(item.get("key"), str):
            raise BadRequest(f'"labels[{index}].key" is required')
        out.append({"key": item["key"], "value": str(item.get("value", ""))})
    return out


def add_entry(
    services: Services, session: Session, tenant: Tenant, metric_id: str, *, body: Any
) -> dict[str, Any]:
    if body is None:
        body = {}
    if not isinstance(body, dict):
        raise BadRequest('"metricEntry" must be an object')
    for key in body:
        if key not in _ENTRY_KEYS:
            raise BadRequest(f'"{key}" is not allowed')
    value = body.get("value")
    if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
        raise BadRequest('"value" must be a number')
    value_string = body.get("valueString")
    if value_string is not None and not isinstance(value_string, str):
        raise BadRequest('"valueString" must be a string')
    timestamp = services.clock.now()
    if body.get("timestamp") is not None:
        try:
            timestamp = parse_iso(str(body["timestamp"]))
        except ValueError:
            raise BadRequest('"timestamp" must be a valid ISO 8601 date') from None
        if not 1900 <= timestamp.year <= 9000:
            raise BadRequest('"timestamp" must be between the years 1900 and 9000')
    row = MetricEntry(
        id=services.ids.numeric(),
        account=tenant.account,
        namespace=tenant.namespace,
        metric_id=metric_id,
        value=float(value) if value is not None else None,
        value_string=value_string,
        labels_json=json.dumps(_labels(body.get("labels"))),
        identity_id=body.get("identityId") or stable_numeric_id(tenant.account, "identity"),
        timestamp=timestamp,
    )
    repo.add(session, row)
    session.commit()
    return {
        "id": row.id,
        "metricId": metric_id,
        "value": row.value,
        "valueString": row.value_string,
        "labels": json.loads(row.labels_json),
        "identityId": row.identity_id,
        "timestamp": iso(row.timestamp),
    }
