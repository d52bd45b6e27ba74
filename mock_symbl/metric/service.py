"""Metric API stub (rest.md §7): any metric id describes a counter; entries are stored per tenant.

The real semantics were never documented (REST client only); this keeps the client's models working.
"""

from __future__ import annotations

import json
from typing import Any

from mock_symbl.clock import iso, parse_iso
from mock_symbl.ids import stable_numeric_id
from mock_symbl.metric.schemas import MetricEntryIn
from mock_symbl.services import Services
from mock_symbl.store import manage as repo
from mock_symbl.store.db import Session
from mock_symbl.store.manage import MetricEntry
from mock_symbl.tenancy import Tenant


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


def add_entry(
    services: Services, session: Session, tenant: Tenant, metric_id: str, *, body: MetricEntryIn
) -> dict[str, Any]:
    row = MetricEntry(
        id=services.ids.numeric(),
        account=tenant.account,
        namespace=tenant.namespace,
        metric_id=metric_id,
        value=float(body.value) if body.value is not None else None,
        value_string=body.valueString,
        labels_json=json.dumps([label.model_dump() for label in body.labels or []]),
        identity_id=body.identityId or stable_numeric_id(tenant.account, "identity"),
        timestamp=parse_iso(body.timestamp) if body.timestamp else services.clock.now(),
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
