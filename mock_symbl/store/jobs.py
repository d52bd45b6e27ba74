"""Repository for jobs."""

from __future__ import annotations

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from mock_symbl.errors import NotFound
from mock_symbl.job_lifecycle import UNFINISHED, JobStatus
from mock_symbl.store.tables import Job
from mock_symbl.tenancy import Tenant, owns


def find_job(session: Session, job_id: str) -> Job | None:
    """Any tenant's job by id (the scheduler and the job service), or None."""
    return session.get(Job, job_id)


def get_job(session: Session, tenant: Tenant, job_id: str) -> Job:
    job = session.get(Job, job_id)
    if job is None or not owns(tenant, job.account, job.namespace):
        raise NotFound(f"Job with id: {job_id} not found.")
    return job


def count_unfinished(session: Session, tenant: Tenant) -> int:
    stmt = select(func.count()).where(
        Job.account == tenant.account, Job.namespace == tenant.namespace, col(Job.status).in_(UNFINISHED)
    )
    return int(session.exec(stmt).one())


def count_in_progress(session: Session, account: str, namespace: str) -> int:
    stmt = select(func.count()).where(
        Job.account == account, Job.namespace == namespace, Job.status == JobStatus.IN_PROGRESS.value
    )
    return int(session.exec(stmt).one())


def next_created_seq(session: Session) -> int:
    return int(session.exec(select(func.coalesce(func.max(Job.created_seq), 0))).one()) + 1


def unfinished_jobs(session: Session, limit: int = 500) -> list[Job]:
    stmt = select(Job).where(col(Job.status).in_(UNFINISHED)).order_by(col(Job.created_seq)).limit(limit)
    return list(session.exec(stmt).all())


def earlier_unfinished_exists(session: Session, job: Job) -> bool:
    """True when an older job of the same conversation has not finished (appends run in order)."""
    stmt = (
        select(Job.id)
        .where(
            Job.conversation_id == job.conversation_id,
            col(Job.status).in_(UNFINISHED),
            Job.created_seq < job.created_seq,
        )
        .limit(1)
    )
    return session.exec(stmt).first() is not None


def increment_polls(session: Session, job_id: str) -> None:
    """Count one poll atomically in SQL, so concurrent polls are never lost or double-counted."""
    session.execute(update(Job).where(col(Job.id) == job_id).values(polls=col(Job.polls) + 1))
