"""Page data for the conversation pages, read from the stored insight bundle through insights.views."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from mock_symbl.clock import iso
from mock_symbl.insights import views
from mock_symbl.jobs.deferred import ensure_bundle
from mock_symbl.services import Services
from mock_symbl.store import conversations as repo
from mock_symbl.store import web as web_repo
from mock_symbl.tenancy import Tenant
from mock_symbl.web import charts

VIDEO_EXTENSIONS = (".mp4", ".webm", ".mov", ".m4v", ".ogv")
ALL_SECTIONS = frozenset(
    {"summary", "topics", "insights", "transcript", "trackers", "entities", "analytics", "callscore", "jobs"}
)


@dataclass
class PageOptions:
    """What a page shows and how it looks (experience options or the admin defaults)."""

    sections: frozenset[str] = ALL_SECTIONS
    title: str = "Conversation"
    logo: str | None = None
    favicon: str | None = None
    colors: dict[str, str] = field(default_factory=dict)
    font: str | None = None
    read_only: bool = True
    media_url: str | None = None
    media_kind: str | None = None  # "video" | "audio"; guessed from the URL when None
    experience: str | None = None  # the experience name, for the page's data attribute
    admin: bool = False


def media_kind_of(url: str) -> str:
    path = urlsplit(url).path.lower()
    return "video" if path.endswith(VIDEO_EXTENSIONS) else "audio"


def _speakers(members: list[Any]) -> list[dict[str, Any]]:
    return [
        {
            "id": m.id,
            "name": m.name or m.email or "Unknown speaker",
            "email": m.email,
            "color": charts.color(i),
        }
        for i, m in enumerate(members)
    ]


def _analytics(
    bundle: dict[str, Any], speakers: list[dict[str, Any]], transcript: list[dict[str, Any]], span: float
) -> dict[str, Any]:
    data = views.analytics(bundle)
    colors = {s["id"]: s["color"] for s in speakers}
    metrics = {m.get("type"): m for m in data.get("metrics", [])}
    members = data.get("members", [])
    talk = [
        charts.Bar(
            m.get("name") or "Unknown",
            float(m.get("talkTime", {}).get("percentage", 0)),
            colors.get(m.get("id"), "#7b8a99"),
        )
        for m in members
    ]
    pace = [
        charts.Bar(
            m.get("name") or "Unknown",
            float(m.get("pace", {}).get("wpm", 0)),
            colors.get(m.get("id"), "#7b8a99"),
        )
        for m in members
    ]
    share = [
        charts.Bar("Talk time", float(metrics.get("total_talk_time", {}).get("seconds", 0)), "#4f6bed", " s"),
        charts.Bar("Silence", float(metrics.get("total_silence", {}).get("seconds", 0)), "#c3ccd6", " s"),
        charts.Bar("Overlap", float(metrics.get("total_overlap", {}).get("seconds", 0)), "#f2a33a", " s"),
    ]
    lane_of = {s["id"]: i for i, s in enumerate(speakers)}
    lanes = [(s["name"], s["color"]) for s in speakers]
    segments = [
        charts.Segment(lane_of[m["from"]["id"]], m["timeOffset"], m["timeOffset"] + m["duration"], m["text"])
        for m in transcript
        if m.get("from", {}).get("id") in lane_of
    ]
    points = [
        (m["timeOffset"], float(m.get("sentiment", {}).get("polarity", {}).get("score", 0.0)))
        for m in transcript
    ]
    return {
        "metrics": metrics,
        "members": members,
        "talk_chart": charts.hbars(talk, unit="%", maximum=100, title="Talk time per speaker"),
        "pace_chart": charts.hbars(
            pace, unit=" wpm", maximum=max([200.0, *(b.value for b in pace)]), title="Pace per speaker"
        ),
        "share_chart": charts.donut(share, title="Talk, silence and overlap"),
        "timeline_chart": charts.timeline(lanes, segments, span),
        "sentiment_chart": charts.sentiment_line(points, span),
    }


def _annotate(
    transcript: list[dict[str, Any]], bundle: dict[str, Any], speakers: list[dict[str, Any]]
) -> None:
    """Link each message to its speaker colour, the topics and insights that reference it."""
    colors = {s["id"]: s["color"] for s in speakers}
    topic_refs: dict[str, list[str]] = {}
    for topic in bundle.get("topics") or []:
        for mid in topic.get("messageIds", []):
            topic_refs.setdefault(mid, []).append(topic["id"])
    kinds: dict[str, list[str]] = {}
    for key in ("questions", "actionItems", "followUps"):
        for item in bundle.get(key) or []:
            for mid in item.get("messageIds", []):
                kinds.setdefault(mid, []).append(item.get("type", key))
    for m in transcript:
        sender = m.get("from") or {}
        m["color"] = colors.get(sender.get("id"), "#7b8a99")
        m["speaker"] = sender.get("name") or "Unknown speaker"
        m["clock"] = charts.clock(m["timeOffset"])
        m["topics"] = " ".join(topic_refs.get(m["id"], []))
        m["kinds"] = sorted(set(kinds.get(m["id"], [])))


def conversation_context(services: Services, tenant: Tenant, conversation_id: str) -> dict[str, Any]:
    """Everything a conversation page renders; raises errors.NotFound for another tenant's id."""
    ensure_bundle(services, conversation_id)
    with services.db.session() as session:
        conv = repo.get_conversation(session, tenant, conversation_id)
        members = repo.list_members(session, conv.id)
        rows = repo.load_messages(session, conv.id)
        bundle = repo.get_bundle(session, conv.id)
        jobs = web_repo.list_jobs(session, tenant, conversation_id=conv.id, limit=50)
    speakers = _speakers(members)
    ready = bundle is not None
    bundle = bundle or {}
    transcript = views.render_messages(
        rows, bundle, verbose=False, sentiment=True, redact=False, exclude=[], detect_phrases=False
    )
    _annotate(transcript, bundle, speakers)
    span = max((m["timeOffset"] + m["duration"] for m in transcript), default=0.0)
    metadata = json.loads(conv.metadata_json or "{}")
    return {
        "conversation": {
            "id": conv.id,
            "name": conv.name or conv.id,
            "type": conv.type,
            "source": conv.source,
            "status": conv.status,
            "startTime": iso(conv.start_time),
            "endTime": iso(conv.end_time),
            "duration": charts.clock((conv.end_time - conv.start_time).total_seconds()),
            "media_url": conv.media_url,
            "metadata": metadata,
            "account": conv.account,
            "namespace": conv.namespace,
        },
        "ready": ready,
        "word_count": bundle.get("wordCount"),  # None for a bundle stored before the count existed
        "speakers": speakers,
        "transcript": transcript,
        "times": {m["id"]: m["timeOffset"] for m in transcript},
        "topics": views.topics(bundle)["topics"],
        "questions": views.questions(bundle)["questions"],
        "action_items": views.action_items(bundle)["actionItems"],
        "follow_ups": views.follow_ups(bundle)["followUps"],
        "trackers": views.trackers(bundle),
        "entities": views.entities(bundle, "2023")["entities"],
        "summary": views.summary(bundle)["summary"],
        "callscore": views.callscore(bundle),
        "callscore_gauge": charts.gauge(float(views.callscore(bundle).get("score", 0))),
        "analytics": _analytics(bundle, speakers, transcript, span),
        "jobs": [
            {
                "id": j.id,
                "kind": j.kind,
                "status": j.status,
                "created": iso(j.created_at),
                "updated": iso(j.updated_at),
                "error": j.error,
            }
            for j in jobs
        ],
    }


def conversation_stats(services: Services, conversation_ids: list[str]) -> dict[str, dict[str, Any]]:
    """Per conversation of a list page: participants, insight counts and call score from the stored bundle."""
    out: dict[str, dict[str, Any]] = {}
    for cid in conversation_ids:
        ensure_bundle(services, cid)
    with services.db.session() as session:
        for cid in conversation_ids:
            bundle = repo.get_bundle(session, cid) or {}
            members = repo.list_members(session, cid)
            out[cid] = {
                "participants": [m.name or m.email or "Unknown" for m in members],
                "questions": len(bundle.get("questions") or []),
                "action_items": len(bundle.get("actionItems") or []),
                "follow_ups": len(bundle.get("followUps") or []),
                "topics": [t.get("text", "") for t in (bundle.get("topics") or [])[:4]],
                "score": views.callscore(bundle).get("score") if bundle else None,
                "words": bundle.get("wordCount"),
            }
    return out


def owner_of(services: Services, conversation_id: str) -> Tenant | None:
    """The tenant a conversation belongs to (admin pages may open a conversation by id alone)."""
    with services.db.session() as session:
        return web_repo.tenant_of(session, conversation_id)
