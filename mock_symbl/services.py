"""The per-app singletons, built once by boot.build_services and reachable as app.state.services."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from mock_symbl.clock import Clock
from mock_symbl.ids import IdFactory
from mock_symbl.settings import Settings
from mock_symbl.store.answers import AnswerCache
from mock_symbl.store.db import Database

# The area types are named for the type checker only: this container sits below every service that uses it,
# so it imports none of them at run time (the areas create their singletons at boot).
if TYPE_CHECKING:
    from mock_symbl.admin.state import AdminState
    from mock_symbl.jobs.deferred import DeferredInsights
    from mock_symbl.messages import MessageInput
    from mock_symbl.process.media_processor import Prefetcher
    from mock_symbl.store.tables import Conversation, Job
    from mock_symbl.streaming.hub import Hub
    from mock_symbl.telephony.service import Call
    from mock_symbl.transcripts.library import TranscriptLibrary
    from mock_symbl.webhooks.delivery import WebhookDispatcher

# (services, job, conversation) -> the sentences the job adds to the conversation
Processor = Callable[["Services", "Job", "Conversation"], "list[MessageInput]"]
# (services, job, wait) -> whether the job's processor would run without waiting (e.g. for a download); with
# wait, block until it would. Consulted outside the job lock, so no job waits on another's I/O.
ReadyCheck = Callable[["Services", "Job", bool], bool]
# (services, job, new_status) -> None, called after each committed status change
JobListener = Callable[["Services", "Job", str], None]
# (services, job) -> scripted sentences, None (run the processor), or raises JobFailed (admin.results)
JobScript = Callable[["Services", "Job"], "list[MessageInput] | None"]
# (services) -> None or an awaitable, run at lifespan start or stop
Hook = Callable[["Services"], Any]


@dataclass
class Services:
    settings: Settings
    db: Database
    clock: Clock
    ids: IdFactory
    jwt_key: str  # signs and checks tokens (auth/keys.py: jwt_secret or the data directory's random key)
    deferred: DeferredInsights  # bundles computed on first read (jobs/deferred.py)
    transcripts: TranscriptLibrary  # the fixture library, validated and never empty
    processors: dict[str, Processor] = field(default_factory=dict)
    job_ready: dict[str, ReadyCheck] = field(default_factory=dict)  # per job kind; absent = always ready
    job_listeners: list[JobListener] = field(default_factory=list)
    revoked: set[str] = field(default_factory=set)  # revoked token ids (mirrors the table)
    # Serialises job processing: appends to one conversation must not interleave.
    processing_lock: threading.RLock = field(default_factory=threading.RLock)
    labs_ports: set[int] = field(default_factory=set)  # ports whose requests are the Labs host
    own_ports: set[int] = field(default_factory=set)  # every port the server listens on (outbound guard)
    scheduler_running: bool = False
    # Tells a sleeping scheduler that a job it moves may exist now (set by scheduler.Scheduler.start); safe
    # from any thread. The job service calls it after a submission, the control plane after changing jobs.
    wake_scheduler: Callable[[], None] = field(default=lambda: None)
    answers: AnswerCache = field(default_factory=AnswerCache)  # rendered read answers (store/answers.py)
    # (data generation, whether any imported recorded answer is stored then): conversations/recorded.py
    recorded_any: tuple[int, bool] | None = None
    # Area singletons, set by each area's install/register at boot (or on first use: the streaming hub).
    admin: AdminState | None = None  # the control plane's journal, faults and results (admin.install)
    job_script: JobScript | None = None  # consulted before a job's processor (admin.results.job_script)
    webhooks: WebhookDispatcher | None = None  # webhooks.delivery.install
    prefetcher: Prefetcher | None = None  # media URL downloads started at submission (media_processor)
    hub: Hub | None = None  # live streaming connections and subscribers (streaming.hub.get_hub)
    calls: dict[str, Call] = field(default_factory=dict)  # telephony calls by connection id
    tracker_locks: dict[str, threading.Lock] = field(default_factory=dict)  # one tracker write per tenant
    startup: list[Hook] = field(default_factory=list)
    shutdown: list[Hook] = field(default_factory=list)
