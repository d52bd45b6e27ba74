"""PURE job lifecycle: the declared transitions and when a job may take its next step.

scheduled -> in_progress -> completed | failed. Nothing else is a valid wire status.
"""

from __future__ import annotations

from enum import StrEnum


class JobStatus(StrEnum):
    SCHEDULED = "scheduled"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    FAILED = "failed"


class Progression(StrEnum):
    IMMEDIATE = "immediate"  # done within the submitting request
    TIME = "time"  # one step every step_seconds of clock time
    POLLS = "polls"  # one step every N GET /v1/job polls
    MANUAL = "manual"  # only the control plane moves it


TRANSITIONS: dict[JobStatus, JobStatus] = {
    JobStatus.SCHEDULED: JobStatus.IN_PROGRESS,
    JobStatus.IN_PROGRESS: JobStatus.COMPLETED,
}
TERMINAL = frozenset({JobStatus.COMPLETED, JobStatus.FAILED})
UNFINISHED = (JobStatus.SCHEDULED, JobStatus.IN_PROGRESS)


def next_status(status: str) -> JobStatus | None:
    """The status after `status` on the success path, or None when the job is finished."""
    return TRANSITIONS.get(JobStatus(status))


def is_terminal(status: str) -> bool:
    return JobStatus(status) in TERMINAL


def due_by_time(*, progression: str, due_at: float, now: float) -> bool:
    """Whether the scheduler should step a job now (immediate jobs left over by a crash are always due)."""
    if progression == Progression.IMMEDIATE:
        return True
    return progression == Progression.TIME and due_at <= now


def due_by_polls(*, progression: str, polls: int, polls_per_step: int) -> bool:
    return progression == Progression.POLLS and polls >= polls_per_step
