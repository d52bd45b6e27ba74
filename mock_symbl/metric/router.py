"""Metric routes (rest.md §7; symbl_rest MetricApi)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from mock_symbl.deps import ServicesDep, SessionDep, TenantDep
from mock_symbl.metric import service
from mock_symbl.metric.schemas import MetricEntryIn, MetricEntryResponse, MetricResponse
from mock_symbl.wire import CappedJsonRoute

router = APIRouter(prefix="/v1/metric", tags=["Metric API"], route_class=CappedJsonRoute)


@router.get("/{metricId}", response_model=MetricResponse)
def get_metric(
    metricId: str, tenant: TenantDep, services: ServicesDep, session: SessionDep
) -> dict[str, Any]:
    """Describe a metric."""
    return {"metric": service.metric(services, session, tenant, metricId), "errors": []}


@router.post("/{metricId}/entry", response_model=MetricEntryResponse)
def add_metric_entry(
    metricId: str,
    tenant: TenantDep,
    services: ServicesDep,
    session: SessionDep,
    body: MetricEntryIn | None = None,
) -> dict[str, Any]:
    """Record an entry (the client's MetricEntryCreate body may be empty)."""
    entry = service.add_entry(services, session, tenant, metricId, body=body or MetricEntryIn())
    return {"metricEntry": entry, "errors": []}
