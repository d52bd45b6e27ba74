"""`time` progression scaled to the media's duration (setting job_time_per_media_second).

A job listener: when an upload job is announced `scheduled`, its step length becomes
max(job_step_seconds, duration x factor): a job starts at once, so its `in_progress` lasts duration x factor.
Media URL jobs learn their duration only while processing, so they keep the fixed step.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from mock_symbl.job_lifecycle import JobStatus, Progression
from mock_symbl.store import admin as store

if TYPE_CHECKING:
    from mock_symbl.services import Services
    from mock_symbl.store.tables import Job

STEPS = 1  # the in_progress -> completed step (scheduled -> in_progress happens on submit)


def media_duration(job: Job) -> float | None:
    try:
        media = json.loads(job.request_json or "{}").get("_media") or {}
    except ValueError:
        return None
    duration = media.get("duration") if isinstance(media, dict) else None
    return float(duration) if isinstance(duration, int | float) and duration > 0 else None


def scale_to_media(services: Services, job: Job, status: str) -> None:
    """The job listener: stretch a new `time` job's steps to its recording's length."""
    factor = services.settings.job_time_per_media_second
    if factor <= 0 or status != JobStatus.SCHEDULED or job.progression != Progression.TIME:
        return
    duration = media_duration(job)
    if duration is None:
        return
    step = max(services.settings.job_step_seconds, duration * factor / STEPS)
    base = job.due_at - job.step_seconds  # when the job was scheduled, by the mock's clock
    store.update_job(services.db, job.id, step_seconds=step, due_at=base + step)
