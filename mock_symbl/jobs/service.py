"""Job service: submit jobs, step them through the lifecycle, run their processor, store insights."""

from __future__ import annotations

import json
import logging
from typing import Any

from mock_symbl import job_lifecycle as lifecycle
from mock_symbl.errors import TooManyRequests
from mock_symbl.job_lifecycle import JobStatus, Progression
from mock_symbl.jobs.options import build_options
from mock_symbl.services import Services
from mock_symbl.store import conversations as conv_repo
from mock_symbl.store import jobs as jobs_repo
from mock_symbl.store.db import Session
from mock_symbl.store.tables import Job
from mock_symbl.tenancy import Tenant

log = logging.getLogger("mock_symbl.jobs")

CONCURRENCY_MESSAGE = (
    "This API has a limit of maximum of `{limit}` number of concurrent jobs per account. If you are looking "
    "to scale, and need more concurrent jobs than this limit, please contact us at support@symbl.ai"
)


class JobFailed(Exception):
    """Raised by a processor: the job ends `failed` with this reason."""


def submit_job(
    services: Services,
    session: Session,
    tenant: Tenant,
    *,
    conversation_id: str,
    kind: str,
    request: dict[str, Any],
    webhook_url: str | None = None,
    progression: str | None = None,
) -> Job:
    """Create a `scheduled` job (the caller commits, then calls `after_submit`, which starts it)."""
    settings = services.settings
    check_capacity(services, session, tenant)
    now = services.clock.now()
    mode = progression or settings.job_progression
    job = Job(
        id=services.ids.uuid(),
        account=tenant.account,
        namespace=tenant.namespace,
        conversation_id=conversation_id,
        kind=kind,
        status=JobStatus.SCHEDULED.value,
        request_json=json.dumps(request),
        webhook_url=webhook_url,
        progression=mode,
        step_seconds=settings.job_step_seconds,
        created_seq=jobs_repo.next_created_seq(session),
        created_at=now,
        updated_at=now,
        due_at=services.clock.time() + settings.job_step_seconds,
    )
    session.add(job)
    return job


def check_capacity(services: Services, session: Session, tenant: Tenant) -> None:
    """429 (Symbl's concurrency error) when the account's running jobs and its queue are both full."""
    settings = services.settings
    if jobs_repo.count_unfinished(session, tenant) >= settings.max_concurrent_jobs + settings.max_queued_jobs:
        raise TooManyRequests(CONCURRENCY_MESSAGE.format(limit=settings.max_concurrent_jobs))


def after_submit(services: Services, job: Job) -> None:
    """Announce `scheduled`, then start the job as Symbl does: at once, unless the account is at its limit.

    immediate: run to the end now. time: `in_progress` before the submit answers (the first poll sees it),
    `completed` a step later; a job beyond max_concurrent_jobs stays `scheduled` until the scheduler finds a
    free slot. polls and manual keep `scheduled` until a poll or the control plane moves them (tests that
    want to see every state).
    """
    _notify(services, job, job.status)
    if job.progression == Progression.IMMEDIATE:
        if not _run_immediately(services, job.id):
            services.wake_scheduler()  # it waits its turn behind an earlier append: the scheduler runs it
    elif job.progression == Progression.TIME:
        step_job(services, job.id)
        services.wake_scheduler()  # it completes a step later (or waits for a free slot)


def _run_immediately(services: Services, job_id: str) -> bool:
    """scheduled -> in_progress -> completed|failed in one session (same commits and notifications as two
    `step_job` calls, without reopening the session and re-reading the job between them). False when the
    job has to wait for an earlier one."""
    _wait_ready(services, job_id)  # a download finishes first, outside the lock other jobs wait on
    with services.processing_lock:
        with services.db.session() as session:
            job = jobs_repo.find_job(session, job_id)
            if job is None or lifecycle.is_terminal(job.status):
                return True
            if jobs_repo.earlier_unfinished_exists(session, job):
                return (
                    False  # an earlier append to this conversation runs first; the scheduler steps this one
                )
            if job.status == JobStatus.SCHEDULED:  # (the scheduler may have taken this step while we waited)
                job.status = JobStatus.IN_PROGRESS.value
                _set_conversation_status(session, job)
                _touch(services, session, job)
                _notify(services, job, job.status)
            _run(services, session, job)
            session.refresh(job)
        _notify(services, job, job.status)
    return True


def _notify(services: Services, job: Job, status: str) -> None:
    for listener in list(services.job_listeners):
        try:
            listener(services, job, status)
        except Exception:  # a broken listener (webhook bug) must never wedge a job
            log.exception("job listener failed for %s", job.id)


def step_job(
    services: Services,
    job_id: str,
    *,
    fail_reason: str | None = None,
    due_at_or_before: float | None = None,
    polls_at_least: int | None = None,
    force: bool = False,
) -> bool:
    """Move one job one step; returns True when it moved. `fail_reason` forces `failed`.

    A `scheduled` job starts only while its account has fewer than max_concurrent_jobs in progress, unless
    `force` (the control plane moving a job by hand).

    `due_at_or_before`: step only if the job is still due by then, checked under the lock, so two tickers
    (the scheduler and a control-plane clock advance) never both step a job that was due once.
    `polls_at_least`: likewise for polls progression (a step resets the count, so a concurrent poll that
    also reached the threshold finds it reset and does not step again).
    A job whose processor would wait (its media download is not done, `services.job_ready`) is not stepped:
    the scheduler and polls try again later; a control-plane step (neither condition) waits for it outside
    the lock and then steps.
    """
    wait = due_at_or_before is None and polls_at_least is None
    for _ in range(2):
        moved = _step_locked(services, job_id, fail_reason, due_at_or_before, polls_at_least, force)
        if moved is not None:
            return moved
        if not wait:
            return False
        _wait_ready(services, job_id)
    return False


def _step_locked(
    services: Services,
    job_id: str,
    fail_reason: str | None,
    due_at_or_before: float | None,
    polls_at_least: int | None,
    force: bool,
) -> bool | None:
    """step_job under the job lock; None when the job's processor is not ready to run without waiting."""
    with services.processing_lock:
        with services.db.session() as session:
            job = jobs_repo.find_job(session, job_id)
            if job is None or lifecycle.is_terminal(job.status):
                return False
            if due_at_or_before is not None and not lifecycle.due_by_time(
                progression=job.progression, due_at=job.due_at, now=due_at_or_before
            ):
                return False
            if polls_at_least is not None and not lifecycle.due_by_polls(
                progression=job.progression, polls=job.polls, polls_per_step=polls_at_least
            ):
                return False
            if fail_reason is None and jobs_repo.earlier_unfinished_exists(session, job):
                return False  # an earlier append to this conversation runs first
            if (
                fail_reason is None
                and not force
                and job.status == JobStatus.SCHEDULED
                and jobs_repo.count_in_progress(session, job.account, job.namespace)
                >= services.settings.max_concurrent_jobs
            ):
                return False  # waits behind the account's concurrent-jobs limit
            if fail_reason is not None:
                _finish(services, session, job, JobStatus.FAILED, fail_reason)
            elif job.status == JobStatus.SCHEDULED:
                job.status = JobStatus.IN_PROGRESS.value
                _set_conversation_status(session, job)
                _touch(services, session, job)
            else:
                check = services.job_ready.get(job.kind)
                if check is not None and not check(services, job, False):
                    return None
                _run(services, session, job)
            session.refresh(job)
        _notify(services, job, job.status)
        return True


def _wait_ready(services: Services, job_id: str) -> None:
    """Block (holding no lock) until the job's processor could run without waiting, e.g. for its download."""
    with services.db.session() as session:
        job = jobs_repo.find_job(session, job_id)
        check = services.job_ready.get(job.kind) if job is not None else None
    if job is not None and check is not None:
        check(services, job, True)


def _touch(services: Services, session: Session, job: Job) -> None:
    job.updated_at = services.clock.now()
    job.due_at = services.clock.time() + job.step_seconds
    job.polls = 0
    session.add(job)
    session.commit()


def _set_conversation_status(session: Session, job: Job) -> None:
    conv = conv_repo.find_conversation(session, job.conversation_id)
    if conv is not None:
        conv.status = job.status
        session.add(conv)


def _finish(
    services: Services, session: Session, job: Job, status: JobStatus, error: str | None = None
) -> None:
    job.status = status.value
    job.error = error
    _set_conversation_status(session, job)
    _touch(services, session, job)


def _run(services: Services, session: Session, job: Job) -> None:
    """Process an in-progress job: processor -> messages -> insights -> completed (or failed)."""
    conv = conv_repo.find_conversation(session, job.conversation_id)
    if conv is None:
        _finish(services, session, job, JobStatus.FAILED, "The conversation was deleted.")
        return
    if job.forced_outcome == JobStatus.FAILED:
        _finish(services, session, job, JobStatus.FAILED, "Failed as scripted by the control plane.")
        return
    processor = services.processors.get(job.kind)
    try:
        script = services.job_script  # control plane: results queued by a test (admin.results)
        lines = script(services, job) if script else None
        if lines is None:
            if processor is None:
                raise JobFailed(f"No processor for job kind {job.kind!r}.")
            lines = processor(services, job, conv)
        request = json.loads(job.request_json)
        conv_repo.append_messages(session, conv, lines)
        # The insights are not computed here but on first read, from options frozen now (jobs/deferred.py):
        # the NLP would otherwise be most of the job's time.
        conv.options_json = json.dumps(request.get("_options", _option_fields(request)))
        session.add(conv)
        options = build_options(services, session, conv)
        conv_repo.delete_bundle(session, conv.id)
        services.deferred.defer(conv.id, options)
    except JobFailed as exc:
        session.rollback()
        job = jobs_repo.find_job(session, job.id) or job
        _finish(services, session, job, JobStatus.FAILED, str(exc))
        return
    except Exception as exc:  # never leave a job stuck: any bug ends it failed, logged
        log.exception("job %s failed while processing", job.id)
        session.rollback()
        job = jobs_repo.find_job(session, job.id) or job
        _finish(services, session, job, JobStatus.FAILED, f"Processing error: {exc}")
        return
    _finish(services, session, job, JobStatus.COMPLETED)


def recompute_insights(
    services: Services, session: Session, conv: conv_repo.Conversation, request: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Recompute and store the conversation's insight bundle from all its messages."""
    if request is not None:
        conv.options_json = json.dumps(request.get("_options", _option_fields(request)))
        session.add(conv)
    options = build_options(services, session, conv)
    messages = conv_repo.load_messages(session, conv.id)
    # Imported here, not at module level: the engine pulls in yake/numpy/networkx (~0.5 s), which would
    # otherwise sit on every server's cold start (bench/bench_coldstart.py).
    from mock_symbl.insights import engine

    bundle = engine.compute_bundle(messages, options)
    conv_repo.save_bundle(session, conv, bundle, services.clock.now())
    services.deferred.discard(conv.id)  # computed now: any deferred computation is superseded
    return bundle


# Request fields that change insights; kept on the conversation so a refresh recomputes the same way.
OPTION_FIELDS = (
    "confidenceThreshold",
    "detectPhrases",
    "detectEntities",
    "enableSummary",
    "languageCode",
    "customVocabulary",
    "trackers",
    "enableAllTrackers",
    "entities",
    "features",
    "conversationType",
    "metadata",
)


def _option_fields(request: dict[str, Any]) -> dict[str, Any]:
    return {k: request[k] for k in OPTION_FIELDS if k in request and request[k] is not None}


def poll(services: Services, tenant: Tenant, job_id: str) -> Job:
    """GET /v1/job: the tenant's job (NotFound otherwise) after counting this poll, which may step it."""
    with services.db.session() as session:
        jobs_repo.get_job(session, tenant, job_id)
    record_poll(services, job_id)
    with services.db.session() as session:
        return jobs_repo.get_job(session, tenant, job_id)


def record_poll(services: Services, job_id: str) -> None:
    """A GET /v1/job poll: may step the job (polls mode) or catch up a due step (time mode)."""
    with services.db.session() as session:
        job = jobs_repo.find_job(session, job_id)
        if job is None or lifecycle.is_terminal(job.status):
            return
        jobs_repo.increment_polls(session, job_id)
        session.commit()
        session.refresh(job)
        by_polls = lifecycle.due_by_polls(
            progression=job.progression, polls=job.polls, polls_per_step=services.settings.job_polls_per_step
        )
        by_time = lifecycle.due_by_time(
            progression=job.progression, due_at=job.due_at, now=services.clock.time()
        )
    per_step = services.settings.job_polls_per_step
    if by_polls:  # re-checked under the lock: a concurrent poll may have taken this step
        step_job(services, job_id, polls_at_least=per_step)
    elif by_time:  # re-checked under the lock: the scheduler may have taken this step meanwhile
        step_job(services, job_id, due_at_or_before=services.clock.time())


def advance_due(services: Services) -> int:
    """One scheduler tick: step every job whose time has come; returns how many moved."""
    now = services.clock.time()
    with services.db.session() as session:
        due = jobs_repo.due_job_ids(session, now)  # only due jobs, tenants interleaved (fair scheduling)
    return sum(1 for job_id in due if step_job(services, job_id, due_at_or_before=now))


def scheduler_tick(services: Services) -> bool:
    """One scheduler tick: step the due jobs, then say whether any job is left for the scheduler to move."""
    advance_due(services)
    with services.db.session() as session:
        return jobs_repo.has_scheduled_work(session)
