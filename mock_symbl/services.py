"""The per-app singletons, built once by boot.build_services and reachable as app.state.services."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from mock_symbl.clock import Clock
from mock_symbl.ids import IdFactory
from mock_symbl.jobs.deferred import DeferredInsights
from mock_symbl.settings import Settings
from mock_symbl.store.answers import AnswerCache
from mock_symbl.store.db import Database

if TYPE_CHECKING:
    from mock_symbl.messages import MessageInput
    from mock_symbl.store.tables import Conversation, Job

# (services, job, conversation) -> the sentences the job adds to the conversation
Processor = Callable[["Services", "Job", "Conversation"], "list[MessageInput]"]
# (services, job, new_status) -> None, called after each committed status change
JobListener = Callable[["Services", "Job", str], None]


@dataclass
class Services:
    settings: Settings
    db: Database
    clock: Clock
    ids: IdFactory
    transcripts: Any = None  # transcripts.library.TranscriptLibrary once loaded
    processors: dict[str, Processor] = field(default_factory=dict)
    job_listeners: list[JobListener] = field(default_factory=list)
    revoked: set[str] = field(default_factory=set)  # revoked token ids (mirrors the table)
    # Serialises job processing: appends to one conversation must not interleave.
    processing_lock: threading.RLock = field(default_factory=threading.RLock)
    labs_ports: set[int] = field(default_factory=set)  # ports whose requests are the Labs host
    scheduler_running: bool = False
    answers: AnswerCache = field(default_factory=AnswerCache)  # rendered read answers (store/answers.py)
    deferred: DeferredInsights = field(default_factory=DeferredInsights)  # bundles computed on first read
    extras: dict[str, Any] = field(default_factory=dict)  # area singletons; "startup"/"shutdown" hooks
