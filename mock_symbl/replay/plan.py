"""From recorded exchanges to conversation plans: what to store, under which ids, and what to skip (why).

Reading is two passes so that memory follows the largest conversation, not the file: `Collector.add`
scans a recording and keeps only where each conversation's answers are (plus the small job bodies);
`Collector.plans` then loads one conversation's answers at a time and builds its plan. A conversation
with any unusable answer is skipped whole, with the reason: never half of one.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from mock_symbl import textcheck
from mock_symbl.clock import parse_iso
from mock_symbl.ids import stable_numeric_id, stable_uuid
from mock_symbl.job_lifecycle import JobStatus
from mock_symbl.replay.exchange import Exchange, RecordingError
from mock_symbl.replay.routes import Route, classify

_SURROGATE = re.compile(r"\\u[dD][89a-fA-F]|[\ud800-\udfff]")
WORDS_PER_SECOND = 2.5  # the store's pace for messages recorded without timings
# The list each resource's answer carries (None: a bare JSON array, "trackers").
LIST_FIELDS = {
    "messages": "messages",
    "members": "members",
    "topics": "topics",
    "questions": "questions",
    "action-items": "actionItems",
    "follow-ups": "followUps",
    "entities": "entities",
    "summary": "summary",
}
JOB_KINDS = ("text", "audio", "audio_url", "video", "video_url")


class Recording(Protocol):
    source: str
    format: str

    def scan(self) -> Iterator[tuple[Any, Exchange]]: ...

    def load(self, locator: Any) -> Exchange: ...


@dataclass(frozen=True)
class Skipped:
    source: str
    item: str
    reason: str


@dataclass
class MemberPlan:
    id: str
    name: str | None
    email: str | None = None
    user_id: str | None = None


@dataclass
class MessagePlan:
    id: str
    text: str
    member_id: str | None
    start: datetime
    end: datetime
    time_offset: float
    duration: float


@dataclass
class JobPlan:
    id: str
    kind: str
    status: str


@dataclass
class ConversationPlan:
    conversation_id: str
    name: str
    type: str
    start: datetime
    end: datetime
    metadata: dict[str, Any]
    members: list[MemberPlan]
    messages: list[MessagePlan]
    jobs: list[JobPlan]
    answers: dict[str, Any]  # answer key ("topics", "messages?sentiment=true") -> recorded body
    sources: list[str]


class PlanError(Exception):
    """The conversation cannot be imported whole; the message says why."""


def _body(ex: Exchange) -> Any:
    text = ex.response_body
    if text is None or not text.strip():
        raise PlanError(f"{ex.where}: the recorded answer has no body")
    try:
        body = json.loads(text)
    except ValueError as exc:
        raise PlanError(f"{ex.where}: the recorded answer is not JSON ({exc})") from exc
    if _SURROGATE.search(text) and not textcheck.encodable(body):  # it could never be stored or served
        raise PlanError(f"{ex.where}: the recorded answer holds text that is not valid Unicode")
    return body


def check_shape(resource: str, body: Any, conversation_id: str) -> str | None:
    """Why `body` is not an answer of `resource` (None when it has the shape Symbl's docs give)."""
    if resource == "trackers":
        ok = isinstance(body, list) or (isinstance(body, dict) and isinstance(body.get("trackers"), list))
        return None if ok else "trackers answer must be a JSON array"
    if not isinstance(body, dict):
        return f"{resource} answer must be a JSON object"
    if resource == "conversation":
        if "id" in body and str(body["id"]) != conversation_id:
            return f"conversation answer is for conversation {body['id']}, not {conversation_id}"
        return None
    if resource == "analytics":
        return None if ("metrics" in body or "members" in body) else 'analytics answer needs "metrics"'
    key = LIST_FIELDS[resource]
    items = body.get(key)
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        return f'{resource} answer needs "{key}": a list of objects'
    if resource == "messages" and not all(isinstance(m.get("text"), str) for m in items):
        return 'every message needs a "text" string'
    if resource == "members" and not all(isinstance(m.get("id"), str | int) for m in items):
        return 'every member needs an "id"'
    return None


@dataclass
class _Pending:
    refs: list[tuple[int, Any, str, str]] = field(default_factory=list)  # recording, locator, resource, key
    jobs: dict[str, str] = field(default_factory=dict)  # job id -> kind
    sources: set[str] = field(default_factory=set)
    broken: str | None = None


class Collector:
    """Pass 1 over any number of recordings; then plans() builds each conversation."""

    def __init__(self) -> None:
        self.recordings: list[Recording] = []
        self.skipped: list[Skipped] = []
        self.counts: list[int] = []
        self._conversations: dict[str, _Pending] = {}
        self._job_status: dict[str, str] = {}

    def _pending(self, conversation_id: str) -> _Pending:
        return self._conversations.setdefault(conversation_id, _Pending())

    def add(self, recording: Recording) -> None:
        """Scan one recording; a RecordingError (malformed file) leaves nothing of it collected."""
        staged = Collector()
        index = len(self.recordings)
        count = 0
        for locator, ex in recording.scan():
            count += 1
            staged._take(index, recording.source, locator, ex, classify(ex))
        self.recordings.append(recording)
        self.counts.append(count)
        self.skipped.extend(staged.skipped)
        self._job_status.update(staged._job_status)
        for cid, pending in staged._conversations.items():
            mine = self._pending(cid)
            mine.refs.extend(pending.refs)
            mine.jobs.update(pending.jobs)
            mine.sources |= pending.sources
            mine.broken = mine.broken or pending.broken

    def _take(self, index: int, source: str, locator: Any, ex: Exchange, route: Route) -> None:
        item = f"{ex.method} {ex.url}"
        if route.kind == "skip":
            self.skipped.append(Skipped(source, item, route.reason or "skipped"))
        elif route.kind in ("resource", "jobs") and route.conversation_id:
            pending = self._pending(route.conversation_id)
            pending.refs.append((index, locator, route.resource or "jobs", route.key or "jobs"))
            pending.sources.add(source)
        elif route.kind == "submit":
            self._take_submit(source, item, ex, route)
        elif route.kind == "job" and route.job_id:
            try:
                status = _body(ex).get("status")
            except (PlanError, AttributeError):
                status = None
            if isinstance(status, str):
                self._job_status[route.job_id] = status
            else:
                self.skipped.append(Skipped(source, item, 'job answer without a "status"'))

    def _take_submit(self, source: str, item: str, ex: Exchange, route: Route) -> None:
        try:
            body = _body(ex)
            cid, job_id = str(body["conversationId"]), str(body["jobId"])
        except (PlanError, KeyError, TypeError) as exc:
            reason = f"submission answer without conversationId and jobId ({exc})"
            if route.conversation_id:  # an append to a known conversation: that conversation is incomplete
                self._pending(route.conversation_id).broken = reason
            self.skipped.append(Skipped(source, item, reason))
            return
        pending = self._pending(cid)
        pending.jobs[job_id] = route.job_kind or "text"
        pending.sources.add(source)

    def conversation_ids(self) -> list[str]:
        return list(self._conversations)

    def plans(self, now: datetime) -> Iterator[ConversationPlan | Skipped]:
        """Each conversation's plan, or why it is skipped whole; loads one conversation at a time."""
        for cid, pending in self._conversations.items():
            sources = sorted(pending.sources)
            where = sources[0] if sources else "-"
            if pending.broken:
                yield Skipped(where, f"conversation {cid}", pending.broken)
                continue
            try:
                yield self._plan(cid, pending, now, sources)
            except (PlanError, RecordingError) as exc:
                yield Skipped(where, f"conversation {cid}", str(exc))

    def _plan(self, cid: str, pending: _Pending, now: datetime, sources: list[str]) -> ConversationPlan:
        answers: dict[str, Any] = {}
        recorded_jobs: list[Any] = []
        for index, locator, resource, key in pending.refs:  # recording order: the last answer wins
            ex = self.recordings[index].load(locator)
            body = _body(ex)
            if resource == "jobs":
                if not isinstance(body, list):
                    raise PlanError(f"{ex.where}: jobs.json must be a list of {{id, status}}")
                recorded_jobs = body
                continue
            problem = check_shape(resource, body, cid)
            if problem:
                raise PlanError(f"{ex.where}: {problem}")
            answers[key] = body
        if not answers:
            raise PlanError("only job ids were recorded, no conversation data")
        jobs = _jobs(pending.jobs, recorded_jobs, self._job_status)
        return build_plan(cid, answers, jobs, now, sources)


def _final_status(status: str | None) -> str:
    # A recording may stop while a job is still running; its conversation data is there, so it ended.
    return JobStatus.FAILED if status == JobStatus.FAILED else JobStatus.COMPLETED


def _jobs(submitted: dict[str, str], listed: list[Any], statuses: dict[str, str]) -> list[JobPlan]:
    out: dict[str, JobPlan] = {}
    for job_id, kind in submitted.items():
        out[job_id] = JobPlan(job_id, kind, _final_status(statuses.get(job_id)))
    for item in listed:
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            raise PlanError('every job in jobs.json needs an "id"')
        job_kind = str(item["kind"]) if item.get("kind") in JOB_KINDS else "text"
        out[item["id"]] = JobPlan(item["id"], job_kind, _final_status(item.get("status")))
    return list(out.values())


def _time(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return parse_iso(value)
    except ValueError:
        return None


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _opt_str(value: Any) -> str | None:
    return str(value) if isinstance(value, str | int) and str(value) else None


def build_plan(
    cid: str, answers: dict[str, Any], jobs: list[JobPlan], now: datetime, sources: list[str]
) -> ConversationPlan:
    """The rows to store for one conversation, from its recorded answers."""
    conv = answers.get("conversation") or {}
    message_key = next((k for k in answers if k.split("?")[0] == "messages"), None)
    raw_messages: list[dict[str, Any]] = answers[message_key]["messages"] if message_key else []
    starts = [t for m in raw_messages if (t := _time(m.get("startTime")))]
    start = _time(conv.get("startTime")) or (min(starts) if starts else now)
    members: dict[str, MemberPlan] = {}
    for source in (answers.get("members") or {}).get("members") or conv.get("members") or []:
        if isinstance(source, dict) and _opt_str(source.get("id")):
            mid = str(source["id"])
            email = _opt_str(source.get("email"))
            members[mid] = MemberPlan(
                mid, _opt_str(source.get("name")), email, _opt_str(source.get("userId"))
            )
    messages: list[MessagePlan] = []
    cursor = start
    seen: set[str] = set()
    for seq, raw in enumerate(raw_messages):
        mid = _opt_str(raw.get("id")) or stable_numeric_id(cid, "message", seq)
        if mid in seen:
            raise PlanError(f"message id {mid} appears twice in the recorded messages")
        seen.add(mid)
        text = raw["text"]
        member_id = _member_for(cid, raw.get("from"), members)
        m_start, m_end = _times(raw, start, cursor, text)
        offset = _number(raw.get("timeOffset"))
        duration = _number(raw.get("duration"))
        messages.append(
            MessagePlan(
                mid,
                text,
                member_id,
                m_start,
                m_end,
                offset if offset is not None else round((m_start - start).total_seconds(), 3),
                duration if duration is not None else round((m_end - m_start).total_seconds(), 3),
            )
        )
        cursor = max(cursor, m_end)
    end = _time(conv.get("endTime")) or max([m.end for m in messages], default=start)
    raw_metadata = conv.get("metadata")
    metadata: dict[str, Any] = raw_metadata if isinstance(raw_metadata, dict) else {}
    return ConversationPlan(
        conversation_id=cid,
        name=_opt_str(conv.get("name")) or cid,
        type=_opt_str(conv.get("type")) or "meeting",
        start=start,
        end=max(end, start),
        metadata=metadata,
        members=list(members.values()),
        messages=messages,
        jobs=jobs,
        answers=answers,
        sources=sources,
    )


def _times(raw: dict[str, Any], start: datetime, cursor: datetime, text: str) -> tuple[datetime, datetime]:
    m_start, m_end = _time(raw.get("startTime")), _time(raw.get("endTime"))
    offset, duration = _number(raw.get("timeOffset")), _number(raw.get("duration"))
    if m_start is None and offset is not None:
        m_start = start + timedelta(seconds=offset)
    if m_start is None:
        m_start = cursor
    if m_end is None or m_end < m_start:
        seconds = duration if duration is not None else max(0.5, len(text.split()) / WORDS_PER_SECOND)
        m_end = m_start + timedelta(seconds=seconds)
    return m_start, m_end


def _member_for(cid: str, sender: Any, members: dict[str, MemberPlan]) -> str | None:
    """The member a message's `from` names (added when the recording listed no such member)."""
    if not isinstance(sender, dict):
        return None
    mid = _opt_str(sender.get("id"))
    name, user_id = _opt_str(sender.get("name")), _opt_str(sender.get("userId"))
    email = _opt_str(sender.get("email")) or (user_id if user_id and "@" in user_id else None)
    if mid is None:
        key = (user_id or email or name or "").strip().lower()
        if not key:
            return None
        match = next((m for m in members.values() if name and m.name == name), None)
        if match is not None:
            return match.id
        mid = stable_uuid(cid, "member", key)
    if mid not in members:
        members[mid] = MemberPlan(mid, name or user_id or email, email, user_id)
    elif members[mid].user_id is None and user_id:
        members[mid].user_id = user_id
    return mid
