"""Repository for jobs."""

from __future__ import annotations

from sqlalchemy import and_, exists, func, or_, update
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from mock_symbl.errors import NotFound
from mock_symbl.job_lifecycle import UNFINISHED, JobStatus, Progression
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


# Progressions the scheduler moves (`immediate` ones only when left over: an append waiting its turn, a crash).
SCHEDULED_PROGRESSIONS = (Progression.TIME.value, Progression.IMMEDIATE.value)


def has_scheduled_work(session: Session) -> bool:
    """Whether any unfinished job is one the scheduler moves (due now or later); if none, it can sleep."""
    stmt = (
        select(Job.id)
        .where(col(Job.status).in_(UNFINISHED), col(Job.progression).in_(SCHEDULED_PROGRESSIONS))
        .limit(1)
    )
    return session.exec(stmt).first() is not None


def next_created_seq(session: Session) -> int:
    return int(session.exec(select(func.coalesce(func.max(Job.created_seq), 0))).one()) + 1


def due_job_ids(session: Session, now: float, limit: int = 500) -> list[str]:
    """Ids of the jobs the scheduler may step now, fairest first.

    Due means: unfinished, `time` progression with its step due (or `immediate`, left over by a crash), and
    no earlier unfinished job of the same conversation ahead of it. All of that is decided here, in SQL, so
    jobs that are not due (parked `manual` or `polls` jobs, appends waiting their turn) never take a place
    under the limit. The order interleaves tenants: each tenant's oldest due job, then each one's second...,
    so one tenant's many due jobs never push another's behind them.
    """
    earlier = aliased(Job)
    blocked = exists().where(
        col(earlier.conversation_id) == col(Job.conversation_id),
        col(earlier.status).in_(UNFINISHED),
        col(earlier.created_seq) < col(Job.created_seq),
    )
    rank = (
        func.row_number()
        .over(
            partition_by=(col(Job.account), col(Job.namespace)),
            order_by=(col(Job.due_at), col(Job.created_seq)),
        )
        .label("rank")
    )
    due = (
        select(col(Job.id).label("id"), rank, col(Job.due_at), col(Job.created_seq))
        .where(
            col(Job.status).in_(UNFINISHED),
            or_(
                and_(col(Job.progression) == Progression.TIME.value, col(Job.due_at) <= now),
                col(Job.progression) == Progression.IMMEDIATE.value,
            ),
            ~blocked,
        )
        .subquery()
    )
    stmt = select(due.c.id).order_by(due.c.rank, due.c.due_at, due.c.created_seq).limit(limit)
    return [str(job_id) for job_id in session.exec(stmt).all()]


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
