"""Webhook delivery (rest.md §4.3): POST {"jobId", "status"} to a job's webhookUrl on every status change.

A job listener (called in whatever thread changed the job) hands each call to an asyncio dispatcher in the
app's event loop. Calls of one job go out strictly in order on their own task; jobs never wait for each
other, so a slow or dead receiver only delays its own job's later calls. Each attempt has a timeout and
failed attempts are retried with exponential backoff; every attempt is logged in `webhook_deliveries`.
Targets go through the outbound guard (mock_symbl/outbound): checked after DNS, one deadline per attempt,
a few KB of each reply read at most.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
from collections import deque
from dataclasses import dataclass
from functools import partial
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

import anyio

from mock_symbl.outbound.client import Refused, new_client, open_stream, policy_for, read_capped
from mock_symbl.outbound.policy import UNREACHABLE
from mock_symbl.services import Services
from mock_symbl.store import webhooks as repo

if TYPE_CHECKING:
    import httpx
from mock_symbl import job_lifecycle as lifecycle
from mock_symbl.errors import NotFound, ServiceUnavailable
from mock_symbl.job_lifecycle import JobStatus

log = logging.getLogger("mock_symbl.webhooks")

USER_AGENT = "mock-symbl-webhooks/1"
HEADERS = {"user-agent": USER_AGENT}
CAPTURED = "not sent (webhook_capture_only)"
REPLY_BYTES = 4096  # of a receiver's reply: read (and dropped) so the connection ends cleanly, never more


@dataclass(frozen=True)
class Call:
    """One status change to announce."""

    job_id: str
    account: str
    namespace: str
    conversation_id: str | None
    url: str
    status: str
    body: dict[str, Any]


def _retryable(status_code: int | None) -> bool:
    # Network errors and server errors are retried; a 4xx means the receiver rejected the call itself.
    return status_code is None or status_code >= 500 or status_code in (408, 425, 429)


class WebhookDispatcher:
    def __init__(self, services: Services) -> None:
        self.services = services
        self._loop: asyncio.AbstractEventLoop | None = None
        self._client: httpx.AsyncClient | None = None
        self._queues: dict[str, deque[Call]] = {}
        self._tasks: dict[str, asyncio.Task[None]] = {}
        self._pending: list[Call] = []  # calls made before the dispatcher started
        self._lock = threading.Lock()
        self._idle = threading.Condition(self._lock)
        self._outstanding = 0

    # --- called from any thread -------------------------------------------------------------------------

    def listener(self, services: Services, job: Any, status: str) -> None:
        """The `services.job_listeners` entry: queue a call when the job has a webhookUrl."""
        url = getattr(job, "webhook_url", None)
        if not url:
            return
        call = self._call(job, url, status)
        with self._lock:
            self._outstanding += 1
            loop = self._loop
            if loop is None:
                self._pending.append(call)
                return
        try:
            loop.call_soon_threadsafe(self._enqueue, call)
        except RuntimeError:  # the loop closed under us (shutdown): the call is dropped
            self._done()

    def _call(self, job: Any, url: str, status: str) -> Call:
        body: dict[str, Any] = {"jobId": job.id, "status": status}
        if self.services.settings.webhook_include_id:
            body["id"] = job.id
        return Call(job.id, job.account, job.namespace, job.conversation_id, url, status, body)

    def lost_calls(self) -> list[Call]:
        """Calls a previous process queued but never attempted: it was killed between a job's committed status
        change and the delivery (the queue lives in memory). Resent at start, so no status is skipped; a call
        that was sent but not yet logged is sent twice (at least once, like Symbl's retries)."""
        with self.services.db.session() as session:
            jobs = repo.jobs_with_webhooks(session)
            attempted = repo.attempted_statuses(session)
        lost: list[Call] = []
        for job in jobs:
            path: list[str] = [JobStatus.SCHEDULED]
            if (
                job.status in (JobStatus.IN_PROGRESS, JobStatus.COMPLETED)
                or (
                    job.id,
                    JobStatus.IN_PROGRESS,
                )
                in attempted
            ):
                path.append(JobStatus.IN_PROGRESS)
            if lifecycle.is_terminal(job.status):
                path.append(job.status)
            lost += [self._call(job, job.webhook_url or "", s) for s in path if (job.id, s) not in attempted]
        return lost

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """Block until every queued call has finished its attempts (tests and the control plane)."""
        deadline = time.monotonic() + timeout
        with self._idle:
            while self._outstanding:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._idle.wait(remaining)
        return True

    def _done(self) -> None:
        with self._idle:
            self._outstanding -= 1
            self._idle.notify_all()

    # --- event loop side --------------------------------------------------------------------------------

    async def start(self, services: Services) -> None:
        lost = await anyio.to_thread.run_sync(self.lost_calls)
        with self._lock:
            self._loop = asyncio.get_running_loop()
            pending, self._pending = self._pending, []
            queued = {(c.job_id, c.status) for c in pending}
            lost = [c for c in lost if (c.job_id, c.status) not in queued]
            self._outstanding += len(lost)
        if lost:
            log.warning("restart: resending %d webhook calls a previous process never attempted", len(lost))
        for call in lost + pending:  # the older statuses first, so each job's calls stay in lifecycle order
            self._enqueue(call)

    async def stop(self, services: Services) -> None:
        with self._lock:
            self._loop = None
        tasks = list(self._tasks.values())
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        dropped = sum(len(q) for q in self._queues.values())
        if dropped:
            log.warning("shutdown: %d webhook calls not delivered", dropped)
        for queue in self._queues.values():
            for _ in queue:
                self._done()
        self._queues.clear()
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    def _enqueue(self, call: Call) -> None:
        self._queues.setdefault(call.job_id, deque()).append(call)
        if call.job_id not in self._tasks:
            self._tasks[call.job_id] = asyncio.create_task(
                self._chain(call.job_id), name=f"webhook-{call.job_id}"
            )

    async def _chain(self, job_id: str) -> None:
        queue = self._queues[job_id]
        try:
            while queue:
                call = queue[0]
                try:
                    await self._deliver(call)
                except asyncio.CancelledError:
                    raise
                except Exception:  # never let one bad call stop the job's later calls
                    log.exception("webhook delivery crashed for job %s", job_id)
                queue.popleft()
                self._done()
        finally:
            self._tasks.pop(job_id, None)
            if not queue:
                self._queues.pop(job_id, None)

    async def _deliver(self, call: Call) -> None:
        settings = self.services.settings
        if self._client is None:
            self._client = new_client(settings.webhook_timeout_seconds)
        if settings.webhook_capture_only:
            # Offline mode: log what would have been sent, send nothing.
            await anyio.to_thread.run_sync(partial(self._record, call, 1, None, CAPTURED, 0.0))
            return
        for attempt in range(1, settings.webhook_max_attempts + 1):
            started = time.monotonic()
            status_code, error, retry = await self._attempt(call)
            await anyio.to_thread.run_sync(
                partial(self._record, call, attempt, status_code, error, (time.monotonic() - started) * 1000)
            )
            if error is None or not retry:
                return
            if attempt < settings.webhook_max_attempts:
                await asyncio.sleep(settings.webhook_backoff_seconds * 2 ** (attempt - 1))

    async def _attempt(self, call: Call) -> tuple[int | None, str | None, bool]:
        """(status code, error, worth retrying) of one POST, all of it within webhook_timeout_seconds.

        The target is checked by the outbound policy after DNS (never the mock's own control plane, never cloud
        metadata); at most REPLY_BYTES of the reply are read, so a receiver answering 400 MB costs nothing.
        """
        import httpx  # on the first delivery: httpx is ~60 ms of server start-up most runs never need

        assert self._client is not None
        timeout = self.services.settings.webhook_timeout_seconds
        status_code: int | None = None
        try:
            async with asyncio.timeout(timeout):
                policy = policy_for(self.services)
                async with open_stream(
                    self._client, "POST", call.url, policy=policy, headers=HEADERS, json=call.body
                ) as reply:
                    status_code = reply.status_code
                    await read_capped(reply, REPLY_BYTES)
        except Refused as exc:  # the same words for every cause; asking again cannot change a policy refusal
            return None, UNREACHABLE, not exc.by_policy
        except TimeoutError:
            if status_code is None:
                return None, f"Timeout: no answer within {timeout:g} s", True
            # The status came in time; only the (ignored) rest of the reply was slow.
        except httpx.HTTPError as exc:
            if status_code is None:
                return None, f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__, True
        if not 200 <= status_code < 300:
            return status_code, f"HTTP {status_code}", _retryable(status_code)
        return status_code, None, False

    def _record(
        self, call: Call, attempt: int, status_code: int | None, error: str | None, ms: float
    ) -> None:
        try:
            with self.services.db.transaction() as session:
                repo.record_attempt(
                    session,
                    account=call.account,
                    namespace=call.namespace,
                    job_id=call.job_id,
                    conversation_id=call.conversation_id,
                    status=call.status,
                    url=call.url,
                    body=call.body,
                    attempt=attempt,
                    status_code=status_code,
                    error=error,
                    duration_ms=ms,
                    at=self.services.clock.now(),
                )
        except Exception:  # the log is best effort (e.g. the database is closing)
            log.exception("could not record webhook attempt for job %s", call.job_id)


def install(services: Services) -> WebhookDispatcher:
    """Create the dispatcher, listen to job changes and start/stop with the app (idempotent)."""
    if services.webhooks is not None:
        return services.webhooks
    dispatcher = services.webhooks = WebhookDispatcher(services)
    services.job_listeners.append(dispatcher.listener)
    services.startup.append(dispatcher.start)
    services.shutdown.append(dispatcher.stop)
    return dispatcher


def dispatcher_of(services: Services) -> WebhookDispatcher | None:
    return services.webhooks


def deliveries(
    services: Services,
    *,
    account: str | None = None,
    namespace: str | None = None,
    job_id: str | None = None,
    limit: int = 200,
    offset: int = 0,
) -> list[dict[str, Any]]:
    """The delivery log as JSON-ready dicts, oldest first (for the control plane)."""
    with services.db.session() as session:
        rows = repo.list_deliveries(
            session, account=account, namespace=namespace, job_id=job_id, limit=limit, offset=offset
        )
        return [repo.to_dict(row) for row in rows]


def redeliver(services: Services, delivery_id: int) -> dict[str, Any]:
    """Send one logged call again (a new attempt is logged); NotFound / ServiceUnavailable otherwise."""
    with services.db.session() as session:
        row = repo.get_delivery(session, delivery_id)
    if row is None:
        raise NotFound(f"Webhook delivery {delivery_id} not found.")
    dispatcher = services.webhooks
    if dispatcher is None:
        raise ServiceUnavailable("Webhook delivery is not running.")
    job = SimpleNamespace(
        id=row.job_id,
        webhook_url=row.url,
        account=row.account,
        namespace=row.namespace,
        conversation_id=row.conversation_id,
    )
    dispatcher.listener(services, job, row.status)
    return {"redelivering": delivery_id, "jobId": row.job_id, "status": row.status, "url": row.url}
