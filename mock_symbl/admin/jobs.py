"""Job control for the control plane: find, change, step and fail any tenant's jobs (admin/jobs_router.py)."""

from __future__ import annotations

from typing import Any

from mock_symbl import job_lifecycle as lifecycle
from mock_symbl.errors import NotFound
from mock_symbl.job_lifecycle import Progression
from mock_symbl.jobs.service import step_job
from mock_symbl.services import Services
from mock_symbl.store import admin as store
from mock_symbl.store.tables import Job

MAX_PASSES = 1000  # advance_all is bounded: each pass moves every job at most one step


def get(services: Services, job_id: str) -> Job:
    job = store.get_job(services.db, job_id)
    if job is None:
        raise NotFound(f"Job with id: {job_id} not found.")
    return job


def find(
    services: Services,
    *,
    account: str | None = None,
    namespace: str | None = None,
    status: str | None = None,
    conversation_id: str | None = None,
) -> list[Job]:
    """Every job matching the filters, in submission order."""
    return store.list_jobs(
        services.db, account=account, namespace=namespace, status=status, conversation_id=conversation_id
    )


def change(services: Services, job_id: str, fields: dict[str, Any]) -> Job:
    """Set control columns of a job; switching an unfinished job to `immediate` runs it to its end now."""
    job = get(services, job_id)
    store.update_job(services.db, job_id, **fields)
    services.wake_scheduler()  # e.g. a parked job switched to `time`: the scheduler moves it from now on
    if fields.get("progression") == Progression.IMMEDIATE and not lifecycle.is_terminal(job.status):
        while step_job(services, job_id, force=True):
            pass
    return get(services, job_id)


def advance(services: Services, job_id: str, to: str) -> Job:
    """One step (`next`), or steps until the job reaches status `to` or its end."""
    job = get(services, job_id)
    if lifecycle.is_terminal(job.status):
        return job
    if to == "next":
        step_job(services, job_id, force=True)
    else:
        while get(services, job_id).status != to and step_job(services, job_id, force=True):
            pass
    return get(services, job_id)


def fail(services: Services, job_id: str, reason: str) -> Job:
    get(services, job_id)
    step_job(services, job_id, fail_reason=reason)
    return get(services, job_id)


def advance_all(services: Services, *, account: str | None = None, namespace: str | None = None) -> int:
    """Run every unfinished job (optionally of one account/namespace) to its end; returns the steps taken."""
    moved = 0
    for _ in range(MAX_PASSES):
        jobs = [
            j
            for j in store.list_jobs(services.db, account=account, namespace=namespace)
            if not lifecycle.is_terminal(j.status)
        ]
        stepped = sum(1 for j in jobs if step_job(services, j.id, force=True))
        moved += stepped
        if not stepped:
            break
    return moved


def next_due(services: Services) -> float | None:
    """When the earliest unfinished `time` job is due (the clock's advance stops there)."""
    dues = [
        j.due_at
        for j in store.list_jobs(services.db)
        if j.progression == Progression.TIME and not lifecycle.is_terminal(j.status)
    ]
    return min(dues) if dues else None
