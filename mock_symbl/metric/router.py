"""Metric routes (rest.md §7; symbl_rest MetricApi)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends

from mock_symbl.deps import ServicesDep, SessionDep, TenantDep
from mock_symbl.manage.schemas import optional_json_body
from mock_symbl.metric import service

router = APIRouter(prefix="/v1/metric", tags=["Metric API"])


@router.get("/{metricId}")
def get_metric(
    metricId: str, tenant: TenantDep, services: ServicesDep, session: SessionDep
) -> dict[str, Any]:
    """Describe a metric."""
    return {"metric": service.metric(services, session, tenant, metricId), "errors": []}


@router.post("/{metricId}/entry")
def add_metric_entry(
    metricId: str,
    body: Annotated[Any, Depends(optional_json_body)],
    tenant: TenantDep,
    services: ServicesDep,
    session: SessionDep,
) -> dict[str, Any]:
    """Record an entry (the client's MetricEntryCreate body may be empty)."""
    return {"metricEntry": service.add_entry(services, session, tenant, metricId, body=body), "errors": []}
