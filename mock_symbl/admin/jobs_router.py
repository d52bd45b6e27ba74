"""Job control: list jobs, change a job's progression, advance it, fail it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from fastapi import APIRouter, Query

from mock_symbl.admin import jobs as control
from mock_symbl.admin.schemas import AdminJob, AdminJobList, FailRequest, JobPatch, Steps
from mock_symbl.admin.security import ADMIN_PREFIX, ADMIN_TAG, AdminDep
from mock_symbl.clock import iso
from mock_symbl.deps import ServicesDep
from mock_symbl.job_lifecycle import JobStatus
from mock_symbl.wire import AnswerRoute

if TYPE_CHECKING:
    from mock_symbl.store.tables import Job

# Prefix, tag and admin-token check given here, not by an enclosing router: a dependency added at
# include time makes FastAPI rebuild every route (tens of ms of start-up).
router = APIRouter(route_class=AnswerRoute, prefix=ADMIN_PREFIX, tags=[ADMIN_TAG], dependencies=[AdminDep])

DEFAULT_FAIL_REASON = "Failed by the control plane."


def job_dict(job: Job) -> dict[str, Any]:
    return {
        "id": job.id,
        "status": job.status,
        "conversationId": job.conversation_id,
        "kind": job.kind,
        "account": job.account,
        "namespace": job.namespace,
        "progression": job.progression,
        "stepSeconds": job.step_seconds,
        "polls": job.polls,
        "dueAt": job.due_at,
        "forcedOutcome": job.forced_outcome,
        "error": job.error,
        "webhookUrl": job.webhook_url,
        "createdAt": iso(job.created_at),
        "updatedAt": iso(job.updated_at),
    }


@router.get("/jobs", response_model=AdminJobList)
def list_jobs(
    services: ServicesDep,
    account: str | None = None,
    namespace: str | None = None,
    status: str | None = None,
    conversationId: str | None = None,
) -> dict[str, Any]:
    """Every job (optionally of one account, namespace, status or conversation), in submission order."""
    jobs = control.find(
        services, account=account, namespace=namespace, status=status, conversation_id=conversationId
    )
    return {"jobs": [job_dict(j) for j in jobs]}


@router.get("/jobs/{jobId}", response_model=AdminJob)
def get_job(jobId: str, services: ServicesDep) -> dict[str, Any]:
    """One job with its control fields."""
    return job_dict(control.get(services, jobId))


@router.patch("/jobs/{jobId}", response_model=AdminJob)
def patch_job(jobId: str, body: JobPatch, services: ServicesDep) -> dict[str, Any]:
    """Change one job's progression (immediate | time | polls | manual), step seconds or forced outcome."""
    fields: dict[str, Any] = {}
    if body.progression is not None:
        fields["progression"] = body.progression
    if body.stepSeconds is not None:
        fields["step_seconds"] = body.stepSeconds
        fields["due_at"] = services.clock.time() + body.stepSeconds
    if "forcedOutcome" in body.model_fields_set:
        fields["forced_outcome"] = body.forcedOutcome
    return job_dict(control.change(services, jobId, fields))


@router.post("/jobs/{jobId}/advance", response_model=AdminJob)
def advance_job(
    jobId: str,
    services: ServicesDep,
    to: Literal["next", JobStatus.IN_PROGRESS, JobStatus.COMPLETED] = Query(
        "next", description="next: one step; in_progress / completed: step until that status (or the end)."
    ),
) -> dict[str, Any]:
    """Move a job one step (scheduled -> in_progress -> completed), or until a given status."""
    return job_dict(control.advance(services, jobId, to))


@router.post("/jobs/{jobId}/fail", response_model=AdminJob)
def fail_job(jobId: str, services: ServicesDep, body: FailRequest | None = None) -> dict[str, Any]:
    """End a job `failed` now (webhooks and GET /v1/job then report it)."""
    reason = body.reason if body and body.reason else DEFAULT_FAIL_REASON
    return job_dict(control.fail(services, jobId, reason))


@router.post("/jobs/advance", response_model=Steps)
def advance_all(
    services: ServicesDep,
    account: str | None = None,
    namespace: str | None = None,
) -> dict[str, Any]:
    """Run every unfinished job (optionally of one account/namespace) to its end."""
    return {"steps": control.advance_all(services, account=account, namespace=namespace)}
