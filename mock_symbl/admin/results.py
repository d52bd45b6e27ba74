"""Scripted results: what the next job(s) of a tenant will produce, queued by a test.

The job service asks `services.job_script` when it processes a job; the head of the tenant's
queue then replaces the job's processor (a transcript of lines or a fixture) or fails the job.
"""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from mock_symbl.errors import BadRequest
from mock_symbl.insights.segment import split_sentences
from mock_symbl.job_lifecycle import JobStatus
from mock_symbl.jobs.service import JobFailed
from mock_symbl.messages import MessageInput

if TYPE_CHECKING:
    from mock_symbl.services import Services
    from mock_symbl.store.tables import Job

SCRIPTED_FAILURE = "Failed as scripted by the control plane."


@dataclass
class ScriptedLine:
    text: str
    speaker: str | None = None
    email: str | None = None


@dataclass
class ScriptedResult:
    account: str
    namespace: str = ""
    lines: list[ScriptedLine] = field(default_factory=list)
    fixture: str | None = None
    outcome: str = JobStatus.COMPLETED  # completed | failed
    reason: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class ResultQueue:
    """FIFO of scripted results per (account, namespace)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._queues: dict[tuple[str, str], deque[ScriptedResult]] = {}

    def push(self, result: ScriptedResult) -> int:
        with self._lock:
            queue = self._queues.setdefault((result.account, result.namespace), deque())
            queue.append(result)
            return len(queue)

    def pop(self, account: str, namespace: str) -> ScriptedResult | None:
        with self._lock:
            queue = self._queues.get((account, namespace))
            return queue.popleft() if queue else None

    def list(self) -> list[ScriptedResult]:
        with self._lock:
            return [r for q in self._queues.values() for r in q]

    def clear(self, *, account: str | None = None, namespace: str | None = None) -> None:
        with self._lock:
            for key in list(self._queues):
                if (account is None or key[0] == account) and (namespace is None or key[1] == namespace):
                    del self._queues[key]


def validate(services: Services, result: ScriptedResult) -> None:
    """Refuse a result naming a transcript fixture that is not loaded."""
    if result.fixture is not None:
        library = services.transcripts
        if result.fixture not in library.names():
            raise BadRequest(f'"fixture" {result.fixture!r} is not a loaded transcript fixture')


def _inputs(services: Services, result: ScriptedResult) -> list[MessageInput]:
    """Sentence-level inputs, as the processors produce (one message per sentence)."""
    source: list[tuple[str | None, str | None, str]]
    if result.fixture is not None:
        source = [(ln.speaker, ln.email, ln.text) for ln in services.transcripts.get(result.fixture).lines]
    else:
        source = [(ln.speaker, ln.email, ln.text) for ln in result.lines]
    return [
        MessageInput(text=sentence, speaker_name=speaker, speaker_email=email)
        for speaker, email, text in source
        for sentence in (split_sentences(text) or [text])
    ]


def job_script(services: Services, job: Job) -> list[MessageInput] | None:
    """The job-service hook: the scripted lines for this job, JobFailed, or None (run the processor)."""
    state = services.admin
    if state is None:
        return None
    result = state.results.pop(job.account, job.namespace)
    if result is None:
        return None
    if result.outcome == JobStatus.FAILED:
        raise JobFailed(result.reason or SCRIPTED_FAILURE)
    return _inputs(services, result)
