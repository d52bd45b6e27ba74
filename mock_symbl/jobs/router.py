"""Job API: GET /v1/job/{jobId}."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from mock_symbl.deps import ServicesDep, TenantDep
from mock_symbl.jobs import service

router = APIRouter(tags=["Job API"])


class JobResponse(BaseModel):
    id: str
    status: str


@router.get("/v1/job/{jobId}", response_model=JobResponse)
def get_job(jobId: str, tenant: TenantDep, services: ServicesDep) -> JobResponse:
    """Return a job's status: scheduled, in_progress, completed or failed."""
    job = service.poll(services, tenant, jobId)
    return JobResponse(id=job.id, status=job.status)
