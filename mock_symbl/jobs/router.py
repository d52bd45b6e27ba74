"""Job API: GET /v1/job/{jobId}."""

from __future__ import annotations

from fastapi import APIRouter

from mock_symbl.deps import ServicesDep, TenantDep
from mock_symbl.jobs import service
from mock_symbl.jobs.schemas import JobResponse
from mock_symbl.wire import AnswerRoute

router = APIRouter(tags=["Job API"], route_class=AnswerRoute)


@router.get("/v1/job/{jobId}", response_model=JobResponse)
def get_job(jobId: str, tenant: TenantDep, services: ServicesDep) -> JobResponse:
    """Return a job's status: scheduled, in_progress, completed or failed."""
    job = service.poll(services, tenant, jobId)
    return JobResponse(id=job.id, status=job.status)
