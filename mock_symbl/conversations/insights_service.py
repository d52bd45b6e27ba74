"""Insight reads (rendered from the stored bundle), summary refresh, member and speaker re-attribution."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from mock_symbl.errors import BadRequest, NotFound
from mock_symbl.insights import transcript, views
from mock_symbl.job_lifecycle import UNFINISHED, JobStatus
from mock_symbl.jobs import service as jobs_service
from mock_symbl.jobs.deferred import ensure_bundle
from mock_symbl.messages import Message
from mock_symbl.services import Services
from mock_symbl.store import conversations as repo
from mock_symbl.store import insights as insights_repo
from mock_symbl.store import replay as replay_repo
from mock_symbl.store.tables import Conversation
from mock_symbl.tenancy import Tenant

if TYPE_CHECKING:
    from mock_symbl.store.db import Session

# One answer on every read of messages and insights while a job (or a live stream) is still working on the
# conversation: the 404 Symbl documents for the summary ("with a message indicating that it is in progress"),
# applied to all of them rather than 200 [] on some and 404 on others. docs/INSIGHTS.md, "In progress".
MSG_IN_PROGRESS = (
    "The conversation is still in progress; its messages and insights will be available when processing "
    "completes."
)
MSG_NOT_READY = "The conversation is still in progress; {what} will be available when processing completes."
# Call Score and the Insights UI need a transcript of at least 50 words (rest.md §5.21 and §11); below it
# Symbl has nothing to score, so the mock answers 400 rather than a score or a page from too little text.
MIN_WORDS = 50


@dataclass
class Snapshot:
    """What a read needs: the conversation row, its messages (optional) and the stored bundle."""

    conversation: Conversation
    bundle: dict[str, Any]
    messages: list[Message]
    latest_job_id: str | None = None


def require_processed(conv: Conversation) -> None:
    """404 MSG_IN_PROGRESS while the conversation is in progress (see MSG_IN_PROGRESS)."""
    if conv.status in UNFINISHED:
        raise NotFound(MSG_IN_PROGRESS)


def snapshot(
    services: Services,
    tenant: Tenant,
    conversation_id: str,
    *,
    with_messages: bool = False,
    any_status: bool = False,
) -> Snapshot:
    """The conversation's data for a read; 404 while it is in progress unless `any_status`."""
    ensure_bundle(services, conversation_id)
    with services.db.session() as session:
        conv = repo.get_conversation(session, tenant, conversation_id)
        if not any_status:
            require_processed(conv)
        bundle = repo.get_bundle(session, conv.id) or {}
        messages = repo.load_messages(session, conv.id) if with_messages else []
        job = insights_repo.latest_job(session, conv.id)
    if bundle:
        from mock_symbl.insights import engine  # lazily, as below: keeps numpy/yake out of server start

        if bundle.get("version") != engine.BUNDLE_VERSION:
            bundle = _upgrade(services, tenant, conversation_id)
    return Snapshot(conv, bundle, messages, job.id if job else None)


def _upgrade(services: Services, tenant: Tenant, conversation_id: str) -> dict[str, Any]:
    """A bundle stored by an older engine (a kept database file) is recomputed once, on first read."""
    with services.processing_lock, services.db.transaction() as session:
        conv = repo.get_conversation(session, tenant, conversation_id)
        return _recompute(services, session, conv)


def render(
    services: Services, tenant: Tenant, conversation_id: str, view: Callable[[dict[str, Any]], Any]
) -> Any:
    """Render a bundle view for the tenant's conversation (empty insights until a job has completed)."""
    return view(snapshot(services, tenant, conversation_id).bundle)


def _recompute(services: Services, session: Session, conv: Conversation) -> dict[str, Any]:
    return jobs_service.recompute_insights(services, session, conv)


def topics(
    services: Services,
    tenant: Tenant,
    conversation_id: str,
    *,
    sentiment: bool,
    parent_refs: bool,
    vocabulary: Sequence[str] | None,
    refresh: bool,
) -> dict[str, Any]:
    """Topics; `vocabulary` [] means 'the job's customVocabulary', a list of terms overrides it."""
    if refresh:
        with services.processing_lock, services.db.transaction() as session:
            conv = repo.get_conversation(session, tenant, conversation_id)
            replay_repo.forget(session, conv.id, ["topics"])  # an imported answer is replaced too
            _recompute(services, session, conv)
    snap = snapshot(services, tenant, conversation_id, with_messages=bool(vocabulary))
    return views.topics(
        snap.bundle,
        snap.messages if vocabulary else None,
        sentiment=sentiment,
        parent_refs=parent_refs,
        vocabulary=vocabulary,
    )


def entities(services: Services, tenant: Tenant, conversation_id: str) -> dict[str, Any]:
    bundle = snapshot(services, tenant, conversation_id).bundle
    return views.entities(bundle, services.settings.entities_format)


def summary(
    services: Services, tenant: Tenant, conversation_id: str, *, refresh: bool | None
) -> dict[str, Any]:
    """Stored summary; refresh=True re-summarizes all messages, False only those added since (POST)."""
    ensure_bundle(services, conversation_id)
    with services.processing_lock, services.db.transaction() as session:
        conv = repo.get_conversation(session, tenant, conversation_id)
        require_processed(conv)
        bundle = repo.get_bundle(session, conv.id)
        if bundle is None:
            bundle = _recompute(services, session, conv)
        if refresh is not None:
            from mock_symbl.insights import engine  # lazily: the engine is heavy to import (cold start)

            messages = repo.load_messages(session, conv.id)
            engine.refresh_summary(bundle, messages, full=refresh)
            replay_repo.forget(session, conv.id, ["summary"])  # an imported summary is replaced too
            repo.save_bundle(session, conv, bundle, services.clock.now())
        return views.summary(bundle)


def formatted_transcript(
    services: Services,
    tenant: Tenant,
    conversation_id: str,
    *,
    content_type: str,
    create_paragraphs: bool,
    show_speaker_separation: bool,
    highlight_insights: bool,
    highlight_all: bool,
) -> dict[str, Any]:
    if content_type not in transcript.CONTENT_TYPES:
        raise BadRequest('"contentType" must be one of [text/markdown, text/srt]')
    snap = snapshot(services, tenant, conversation_id, with_messages=True)
    if content_type == transcript.SRT:
        payload = transcript.subrip(snap.messages, show_speaker_separation=show_speaker_separation)
    else:
        phrases = transcript.key_phrases(
            snap.bundle, only_insights=highlight_insights, all_phrases=highlight_all
        )
        payload = transcript.markdown(
            snap.messages,
            create_paragraphs=create_paragraphs,
            show_speaker_separation=show_speaker_separation,
            phrases=phrases,
        )
    return {"transcript": {"payload": payload, "contentType": content_type}}


def _ready(snap: Snapshot, what: str) -> None:
    if snap.conversation.status == JobStatus.FAILED and not snap.bundle:
        raise NotFound(f"Processing of the conversation failed; {what} is not available.")
    if snap.conversation.status in UNFINISHED or not snap.bundle:
        raise NotFound(MSG_NOT_READY.format(what=what))


def too_short_message(what: str, count: int) -> str:
    plural = "" if count == 1 else "s"
    return f"{what} needs a transcript of at least {MIN_WORDS} words; this conversation has {count} word{plural}."


def require_words(bundle: dict[str, Any], what: str) -> None:
    """400 when the processed transcript is shorter than MIN_WORDS (Call Score, Insights UI)."""
    count = int(bundle.get("wordCount", 0))
    if count < MIN_WORDS:
        raise BadRequest(too_short_message(what, count))


def callscore(services: Services, tenant: Tenant, conversation_id: str) -> dict[str, Any]:
    snap = snapshot(services, tenant, conversation_id)
    _ready(snap, "the call score")
    require_words(snap.bundle, "Call Score")
    return views.callscore(snap.bundle)


def lm_insights(services: Services, tenant: Tenant, conversation_id: str) -> list[dict[str, Any]]:
    snap = snapshot(services, tenant, conversation_id)
    _ready(snap, "the insights")
    return views.lm_insights(
        snap.bundle, meeting_name=snap.conversation.name, video_url=snap.conversation.media_url
    )


def status(services: Services, tenant: Tenant, conversation_id: str) -> dict[str, Any]:
    """callscore/status and lm-insights/status: the latest job's id and the conversation's status."""
    snap = snapshot(services, tenant, conversation_id, any_status=True)
    out: dict[str, Any] = {"status": snap.conversation.status}
    if snap.latest_job_id:
        out["jobId"] = snap.latest_job_id
    return out


def update_member(
    services: Services, tenant: Tenant, conversation_id: str, member_id: str, *, name: str, email: str | None
) -> str:
    with services.processing_lock, services.db.transaction() as session:
        conv = repo.get_conversation(session, tenant, conversation_id)
        member = insights_repo.get_member(session, conv.id, member_id)
        if member is None:
            raise NotFound(f"Member with id: {member_id} for conversationId: {conversation_id} not found.")
        insights_repo.update_member(session, member, name=name, email=email)
        replay_repo.forget(session, conv.id)  # imported answers name the old member: derive them all now
        session.flush()
        _recompute(services, session, conv)
    return (
        f"Member with id: {member_id} for conversationId: {conversation_id} updated successfully! "
        "The update should be reflected in all messages and insights along with this conversation"
    )


def speaker_spans(events: Sequence[dict[str, Any]]) -> list[insights_repo.SpeakerSpan]:
    """started_speaking opens a span for its user, closed by that user's stopped_speaking or the next start."""
    timed = sorted(
        ((float(e["seconds"]), i, e) for i, e in enumerate(events)),
        key=lambda t: (t[0], t[1]),
    )
    spans: list[insights_repo.SpeakerSpan] = []
    for position, (start, _, event) in enumerate(timed):
        if event["type"] != "started_speaking":
            continue
        end = float("inf")
        for later, _, other in timed[position + 1 :]:
            if other["type"] == "started_speaking" or other["key"] == event["key"]:
                end = later
                break
        user = event["user"]
        spans.append(
            insights_repo.SpeakerSpan(
                start=start,
                end=end,
                name=user.get("name"),
                email=user.get("email"),
                user_id=user.get("userId") or user.get("id"),
            )
        )
    return spans


def speaker_events(
    services: Services, tenant: Tenant, conversation_id: str, events: Sequence[dict[str, Any]]
) -> str:
    spans = speaker_spans(events)
    with services.processing_lock, services.db.transaction() as session:
        conv = repo.get_conversation(session, tenant, conversation_id)
        insights_repo.reassign_speakers(session, conv, spans)
        replay_repo.forget(session, conv.id)  # imported answers name the old speakers: derive them all now
        session.flush()
        _recompute(services, session, conv)
    return (
        f"Speaker events associated for conversationId: {conversation_id} successfully! "
        "The update should be reflected in all messages and insights along with this conversation"
    )
