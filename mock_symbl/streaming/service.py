"""Storage side of live conversations (streaming and telephony); plain sync functions run in a worker thread."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from mock_symbl.errors import SymblError
from mock_symbl.job_lifecycle import JobStatus
from mock_symbl.jobs import service as jobs_service
from mock_symbl.messages import Message, MessageInput
from mock_symbl.services import Services
from mock_symbl.store import conversations as conv_repo
from mock_symbl.streaming.protocol import StartRequest
from mock_symbl.streaming.session import Result, TranscriptLike
from mock_symbl.tenancy import Tenant


class UnknownTranscript(SymblError):
    status_code = 400
    default_message = "Unknown transcript."


def choose_transcript(
    services: Services, *, name: str | None, keys: Sequence[str], choose_key: str
) -> TranscriptLike:
    """A named fixture, else one registered for `keys` (url-style registrations), else one chosen by hash."""
    library = services.transcripts  # never empty: TranscriptLibrary.load refuses an empty library
    if name:
        found: TranscriptLike | None = library.find(name)
        if found is None:
            raise UnknownTranscript(f"Unknown transcript {name!r}; known: {', '.join(library.names())}.")
        return found
    for key in keys:
        registered = library.registered_for_url(key)
        if registered is not None:
            return registered
    return library.choose(choose_key)


def options_for(request: StartRequest) -> dict[str, Any]:
    """The stored insight options (the job service's OPTION_FIELDS vocabulary) of a live conversation."""
    return {
        "confidenceThreshold": request.confidence_threshold,
        "languageCode": request.language_code,
        "customVocabulary": list(request.custom_vocabulary),
        "trackers": [{"name": t.name, "vocabulary": list(t.vocabulary)} for t in request.trackers],
        "enableAllTrackers": request.enable_all_trackers,
        "enableSummary": True,
    }


def open_conversation(
    services: Services,
    tenant: Tenant,
    *,
    name: str | None,
    source: str,
    options: dict[str, Any],
    metadata: dict[str, Any] | None = None,
    conversation_id: str | None = None,
    now: datetime | None = None,
) -> tuple[str, datetime]:
    """Create the conversation a live session writes into; returns its id and start time."""
    conversation_id = conversation_id or services.ids.numeric()
    now = now or services.clock.now()
    with services.db.transaction() as session:
        conv = conv_repo.create_conversation(
            session,
            tenant,
            conversation_id=conversation_id,
            now=now,
            name=name,
            source=source,
            metadata=metadata,
        )
        conv.status = JobStatus.IN_PROGRESS
        conv.options_json = json.dumps(options)
        session.add(conv)
    return conversation_id, now


def append_results(
    services: Services, tenant: Tenant, conversation_id: str, start: datetime, finals: Sequence[Result]
) -> list[Message]:
    """Store final results as messages (timings from the audio clock); returns them as stored."""
    lines = [
        MessageInput(
            text=r.text,
            speaker_name=r.speaker_name,
            speaker_email=r.speaker_email if r.speaker_email and "@" in r.speaker_email else None,
            speaker_user_id=r.speaker_email,
            start=start + timedelta(seconds=r.start),
            end=start + timedelta(seconds=r.end),
        )
        for r in finals
    ]
    with services.processing_lock, services.db.transaction() as session:
        conv = conv_repo.get_conversation(session, tenant, conversation_id)
        return conv_repo.append_messages(session, conv, lines)


def refresh_insights(
    services: Services, tenant: Tenant, conversation_id: str, *, status: str | None = None
) -> tuple[dict[str, Any], list[str]]:
    """Recompute and store the bundle from every stored message; returns it and the message ids in order."""
    with services.processing_lock, services.db.transaction() as session:
        conv = conv_repo.get_conversation(session, tenant, conversation_id)
        if status is not None:
            conv.status = status
            conv.end_time = (
                max(conv.end_time, services.clock.now()) if status == JobStatus.COMPLETED else conv.end_time
            )
            session.add(conv)
        bundle = jobs_service.recompute_insights(services, session, conv)
        ids = [m.id for m in conv_repo.load_messages(session, conversation_id)]
    return bundle, ids
