"""Job control: list jobs, change a job's progression, advance it, fail it."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Query

from mock_symbl import job_lifecycle as lifecycle
from mock_symbl.admin.schemas import AdminJob, AdminJobList, FailRequest, JobPatch, Steps
from mock_symbl.admin.security import ADMIN_PREFIX, ADMIN_TAG, AdminDep
from mock_symbl.clock import iso
from mock_symbl.deps import ServicesDep
from mock_symbl.errors import NotFound
from mock_symbl.job_lifecycle import JobStatus, Progression
from mock_symbl.jobs.service import step_job
from mock_symbl.services import Services
from mock_symbl.store import admin as store
from mock_symbl.store.tables import Job
from mock_symbl.wire import AnswerRoute

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


def _job(services: Services, job_id: str) -> Job:
    job = store.get_job(services.db, job_id)
    if job is None:
        raise NotFound(f"Job with id: {job_id} not found.")
    return job


@router.get("/jobs", response_model=AdminJobList)
def list_jobs(
    services: ServicesDep,
    account: str | None = None,
    namespace: str | None = None,
    status: str | None = None,
    conversationId: str | None = None,
) -> dict[str, Any]:
    """Every job (optionally of one account, namespace, status or conversation), in submission order."""
    jobs = store.list_jobs(
        services.db, account=account, namespace=namespace, status=status, conversation_id=conversationId
    )
    return {"jobs": [job_dict(j) for j in jobs]}


@router.get("/jobs/{jobId}", response_model=AdminJob)
def get_job(jobId: str, services: ServicesDep) -> dict[str, Any]:
    """One job with its control fields."""
    return job_dict(_job(services, jobId))


@router.patch("/jobs/{jobId}", response_model=AdminJob)
def patch_job(jobId: str, body: JobPatch, services: ServicesDep) -> dict[str, Any]:
    """Change one job's progression (immediate | time | polls | manual), step seconds or forced outcome."""
    job = _job(services, jobId)
    fields: dict[str, Any] = {}
    if body.progression is not None:
        fields["progression"] = body.progression
    if body.stepSeconds is not None:
        fields["step_seconds"] = body.stepSeconds
        fields["due_at"] = services.clock.time() + body.stepSeconds
    if "forcedOutcome" in body.model_fields_set:
        fields["forced_outcome"] = body.forcedOutcome
    store.update_job(services.db, jobId, **fields)
    if body.progression == Progression.IMMEDIATE and not lifecycle.is_terminal(job.status):
        while step_job(services, jobId, force=True):
            pass
    return job_dict(_job(services, jobId))


@router.post("/jobs/{jobId}/advance", response_model=AdminJob)
def advance_job(
    jobId: str,
    services: ServicesDep,
    to: Literal["next", JobStatus.IN_PROGRESS, JobStatus.COMPLETED] = Query(
        "next", description="next: one step; in_progress / completed: step until that status (or the end)."
    ),
) -> dict[str, Any]:
    """Move a job one step (scheduled -> in_progress -> completed), or until a given status."""
    job = _job(services, jobId)
    if lifecycle.is_terminal(job.status):
        return job_dict(job)
    if to == "next":
        step_job(services, jobId, force=True)
    else:
        while _job(services, jobId).status != to and step_job(services, jobId, force=True):
            pass
    return job_dict(_job(services, jobId))


@router.post("/jobs/{jobId}/fail", response_model=AdminJob)
def fail_job(jobId: str, services: ServicesDep, body: FailRequest | None = None) -> dict[str, Any]:
    """End a job `failed` now (webhooks and GET /v1/job then report it)."""
    _job(services, jobId)
    step_job(services, jobId, fail_reason=(body.reason if body and body.reason else DEFAULT_FAIL_REASON))
    return job_dict(_job(services, jobId))


@router.post("/jobs/advance", response_model=Steps)
def advance_all(
    services: ServicesDep,
    account: str | None = None,
    namespace: str | None = None,
) -> dict[str, Any]:
    """Run every unfinished job (optionally of one account/namespace) to its end."""
    moved = 0
    for _ in range(1000):  # bounded: each pass moves every job at most one step
        jobs = [
            j
            for j in store.list_jobs(services.db, account=account, namespace=namespace)
            if not lifecycle.is_terminal(j.status)
        ]
        stepped = sum(1 for j in jobs if step_job(services, j.id, force=True))
        moved += stepped
        if not stepped:
            break
    return {"steps": moved}
