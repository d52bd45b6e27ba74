"""Insight bundles computed on first need instead of inside the job.

The NLP of a conversation (keyphrases, entities, sentiment...) costs tens of milliseconds per hundred
messages, more than everything else a job does. A job therefore ends `completed` as soon as its messages are
stored, with the engine options frozen at that moment (the account's trackers, entities and scorecard as
they were then), and the first read that needs the bundle computes it from exactly those options and stores
it; every later read reuses it. The answers are the same as if the job had computed them: same messages,
same options, same deterministic engine.

Pending work lives in memory; after a restart, completed conversations without a stored bundle are found
again at start-up (`recover`) and computed on first read with the options of that time.
"""

from __future__ import annotations

import itertools
import logging
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING

from mock_symbl.job_lifecycle import JobStatus
from mock_symbl.jobs.options import build_options
from mock_symbl.store import conversations as conv_repo

if TYPE_CHECKING:
    from mock_symbl.insights.models import InsightOptions
    from mock_symbl.services import Services

log = logging.getLogger("mock_symbl.jobs")


@dataclass(frozen=True)
class Pending:
    token: int
    options: InsightOptions | None  # None: build them when computing (recovered after a restart)


class DeferredInsights:
    """Conversation id -> the pending computation of its bundle (thread-safe)."""

    def __init__(self) -> None:
        self._pending: dict[str, Pending] = {}
        self._tokens = itertools.count(1)
        self._lock = threading.Lock()
        # One computation at a time: a second reader of the same conversation waits, then finds it done.
        self.compute_lock = threading.Lock()

    def defer(self, conversation_id: str, options: InsightOptions | None) -> None:
        with self._lock:
            self._pending[conversation_id] = Pending(next(self._tokens), options)

    def get(self, conversation_id: str) -> Pending | None:
        with self._lock:
            return self._pending.get(conversation_id)

    def discard(self, conversation_id: str, token: int | None = None) -> None:
        """Forget the pending work (only if it is still `token`, when given)."""
        with self._lock:
            current = self._pending.get(conversation_id)
            if current is not None and (token is None or current.token == token):
                del self._pending[conversation_id]

    def ids(self) -> list[str]:
        with self._lock:
            return list(self._pending)

    def clear(self) -> None:
        with self._lock:
            self._pending.clear()

    def __len__(self) -> int:
        with self._lock:
            return len(self._pending)


def ensure_bundle(services: Services, conversation_id: str) -> None:
    """Compute and store the conversation's bundle now if its job deferred it (a no-op otherwise)."""
    deferred = services.deferred
    if deferred.get(conversation_id) is None:  # the common case: one dict lookup
        return
    with deferred.compute_lock:
        pending = deferred.get(conversation_id)
        if pending is None:  # computed by the reader we waited for
            return
        # Imported here: the engine pulls in yake/numpy/networkx (~0.5 s), kept off the server's cold start.
        from mock_symbl.insights import engine

        with services.db.session() as session:  # one read transaction: messages and options agree
            conv = conv_repo.find_conversation(session, conversation_id)
            if conv is None:
                deferred.discard(conversation_id, pending.token)
                return
            if conv.status != JobStatus.COMPLETED:  # a newer job runs: it will defer again when it ends
                return
            options = pending.options or build_options(services, session, conv)
            messages = conv_repo.load_messages(session, conversation_id)
        bundle = engine.compute_bundle(messages, options)
        # Saved under the processing lock, and only if no job or refresh replaced the pending work meanwhile.
        with services.processing_lock, services.db.transaction() as session:
            current = deferred.get(conversation_id)
            conv = conv_repo.find_conversation(session, conversation_id)
            if current is None or current.token != pending.token or conv is None:
                return
            conv_repo.save_bundle(session, conv, bundle, services.clock.now())
        deferred.discard(conversation_id, pending.token)


def compute_all(services: Services) -> int:
    """Compute every pending bundle now (before a snapshot export, which must carry them)."""
    ids = services.deferred.ids()
    for conversation_id in ids:
        ensure_bundle(services, conversation_id)
    return len(ids)


def recover(services: Services) -> int:
    """At start-up: completed conversations whose bundle was never computed (pending work lost with the
    process) are deferred again, so their first read computes it. Returns how many."""
    with services.db.session() as session:
        found = conv_repo.completed_without_bundle(session)
    for conversation_id in found:
        services.deferred.defer(conversation_id, None)
    if found:
        log.info("%d conversations will compute their insights on first read", len(found))
    return len(found)
