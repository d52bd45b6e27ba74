"""Repository for conversations, members, messages and stored insight bundles."""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from datetime import datetime, timedelta
from types import SimpleNamespace
from typing import Any

from sqlalchemy import delete
from sqlalchemy import insert as sa_insert
from sqlalchemy import select as sa_select
from sqlmodel import Session, SQLModel, col, select

from mock_symbl import messages as shared
from mock_symbl.errors import NotFound
from mock_symbl.ids import stable_numeric_id, stable_uuid
from mock_symbl.job_lifecycle import JobStatus
from mock_symbl.store.tables import Conversation, InsightSet, Member, Message
from mock_symbl.store.tables.replay import RecordedAnswer
from mock_symbl.tenancy import Tenant, owns

# Speaking pace used to place messages that arrive without timings (150 words per minute).
WORDS_PER_SECOND = 2.5
MIN_MESSAGE_SECONDS = 0.5


def find_conversation(session: Session, conversation_id: str) -> Conversation | None:
    """Any tenant's conversation by id (job processing, deferred insights), or None."""
    return session.get(Conversation, conversation_id)


def completed_without_bundle(session: Session) -> list[str]:
    """Ids of completed conversations with no stored insight bundle (pending work lost with a process)."""
    return list(
        session.execute(
            sa_select(col(Conversation.id))
            .outerjoin(InsightSet, col(InsightSet.conversation_id) == col(Conversation.id))
            .where(col(Conversation.status) == JobStatus.COMPLETED, col(InsightSet.conversation_id).is_(None))
        ).scalars()
    )


def get_conversation(session: Session, tenant: Tenant, conversation_id: str) -> Conversation:
    """The tenant's conversation, or NotFound (another tenant's id is indistinguishable from none)."""
    conv = session.get(Conversation, conversation_id)
    if conv is None or not owns(tenant, conv.account, conv.namespace):
        raise NotFound()
    return conv


def create_conversation(
    session: Session,
    tenant: Tenant,
    *,
    conversation_id: str,
    now: datetime,
    name: str | None = None,
    source: str = "text",
    metadata: dict[str, Any] | None = None,
    media_url: str | None = None,
) -> Conversation:
    conv = Conversation(
        id=conversation_id,
        account=tenant.account,
        namespace=tenant.namespace,
        name=name or conversation_id,
        source=source,
        start_time=now,
        end_time=now,
        created_at=now,
        metadata_json=json.dumps(metadata or {}),
        media_url=media_url,
    )
    session.add(conv)
    return conv


def _speaker(row: Any) -> shared.Speaker | None:
    if row.member_id is None:
        return None
    return shared.Speaker(
        id=row.member_id, name=row.speaker_name, user_id=row.speaker_user_id, email=row.speaker_email
    )


def to_model(row: Any) -> shared.Message:
    """A stored message (an ORM row, or a column row of `_MESSAGE_COLUMNS`) as the engine's model."""
    return shared.Message(
        id=row.id,
        seq=row.seq,
        text=row.text,
        start=row.start_time,
        end=row.end_time,
        time_offset=row.time_offset,
        duration=row.duration,
        speaker=_speaker(row),
        conversation_id=row.conversation_id,
    )


# Selecting columns instead of the entity skips ORM instance construction, which was most of the cost of
# GET .../messages (about 0.1 ms per message; bench/bench_throughput.py). Still ORM-enabled, so it autoflushes.
_MESSAGE_COLUMNS = tuple(
    col(c)
    for c in (
        Message.id,
        Message.seq,
        Message.text,
        Message.start_time,
        Message.end_time,
        Message.time_offset,
        Message.duration,
        Message.member_id,
        Message.speaker_name,
        Message.speaker_user_id,
        Message.speaker_email,
        Message.conversation_id,
    )
)


def load_messages(session: Session, conversation_id: str) -> list[shared.Message]:
    rows = session.execute(
        sa_select(*_MESSAGE_COLUMNS)
        .where(col(Message.conversation_id) == conversation_id)
        .order_by(col(Message.seq))
    ).all()
    out = []
    # Positional unpacking: named attribute access on result rows cost more than the query itself.
    for mid, seq, text, start, end, offset, duration, member_id, name, user_id, email, conv_id in rows:
        speaker = (
            shared.Speaker(id=member_id, name=name, user_id=user_id, email=email)
            if member_id is not None
            else None
        )
        out.append(
            shared.Message(
                id=mid,
                seq=seq,
                text=text,
                start=start,
                end=end,
                time_offset=offset,
                duration=duration,
                speaker=speaker,
                conversation_id=conv_id,
            )
        )
    return out


def list_members(session: Session, conversation_id: str) -> list[Member]:
    return list(
        session.exec(
            select(Member).where(Member.conversation_id == conversation_id).order_by(col(Member.seq))
        ).all()
    )


def _matches(member: Member, line: shared.MessageInput) -> bool:
    """Same speaker: same user id or email; by name only when the line names no id or email."""
    ids = {v.strip().lower() for v in (line.speaker_user_id, line.speaker_email) if v}
    known = {v.strip().lower() for v in (member.user_id, member.email) if v}
    if ids:
        return bool(ids & known) or (not known and _same_name(member.name, line.speaker_name))
    return _same_name(member.name, line.speaker_name)


def _same_name(a: str | None, b: str | None) -> bool:
    return bool(a and b and a.strip().lower() == b.strip().lower())


def _ensure_member(
    session: Session, conv: Conversation, line: shared.MessageInput, members: list[Member]
) -> tuple[Member | None, bool]:
    """The line's member (created if new) and whether a member was created or changed."""
    if not (line.speaker_user_id or line.speaker_email or line.speaker_name):
        return None, False
    for member in members:
        if _matches(member, line):
            if not member.user_id and line.speaker_user_id:  # learn the id the first time it is sent
                member.user_id = line.speaker_user_id
                member.email = member.email or (line.speaker_user_id if "@" in line.speaker_user_id else None)
                session.add(member)
                return member, True
            return member, False
    key = (line.speaker_user_id or line.speaker_email or line.speaker_name or "").strip().lower()
    email = line.speaker_email or (
        line.speaker_user_id if line.speaker_user_id and "@" in line.speaker_user_id else None
    )
    member = Member(
        id=stable_uuid(conv.id, "member", key),
        conversation_id=conv.id,
        account=conv.account,
        namespace=conv.namespace,
        name=line.speaker_name or line.speaker_user_id or line.speaker_email,
        email=email,
        user_id=line.speaker_user_id,
        seq=len(members),
    )
    session.add(member)
    members.append(member)
    return member, True


def _placement(line: shared.MessageInput, cursor: datetime) -> tuple[datetime, datetime]:
    if line.start is not None and line.end is not None and line.end >= line.start:
        return line.start, line.end
    words = max(1, len(line.text.split()))
    seconds = max(MIN_MESSAGE_SECONDS, words / WORDS_PER_SECOND)
    start = line.start or cursor
    return start, start + timedelta(seconds=seconds)


def append_messages(
    session: Session, conv: Conversation, lines: Sequence[shared.MessageInput]
) -> list[shared.Message]:
    """Store `lines` after the conversation's last message; timings continue its timeline.

    Rows go in as one bulk INSERT of plain values: building an ORM object per message was most of a
    100-message job's storage time (bench/bench_jobs.py). Returns the stored messages as the engine reads them (messages.Message).
    """
    last = session.execute(
        sa_select(col(Message.seq), col(Message.end_time))
        .where(col(Message.conversation_id) == conv.id)
        .order_by(col(Message.seq).desc())
        .limit(1)
    ).first()
    seq = last[0] + 1 if last else 0
    if last is None:
        explicit = [ln.start for ln in lines if ln.start is not None]
        if explicit:
            conv.start_time = min(min(explicit), conv.start_time)
    cursor = last[1] if last else conv.start_time
    members = list_members(session, conv.id)
    # Plain locals: ORM attribute reads cost more than the rest of the loop at hundreds of lines per job.
    conv_id, account, namespace, conv_start = conv.id, conv.account, conv.namespace, conv.start_time
    # Speaker -> its member's fields (a 1-tuple, so None can be cached), valid until a member is created or learns an id (then recomputed,
    # so the result is exactly that of matching every line against the members in order).
    seen: dict[tuple[str | None, ...], tuple[shared.Speaker | None]] = {}
    values: list[dict[str, Any]] = []
    for line in lines:
        text = line.text.strip()
        if not text:
            continue
        start, end = _placement(line, cursor)
        who = (line.speaker_user_id, line.speaker_email, line.speaker_name)
        known = seen.get(who)
        if known is None:
            member, changed = _ensure_member(session, conv, line, members)
            if changed:
                seen.clear()
            known = seen[who] = (
                shared.Speaker(id=member.id, name=member.name, user_id=member.user_id, email=member.email)
                if member
                else None,
            )
        speaker = known[0]
        message_id = stable_numeric_id(conv_id, "message", seq)
        offset = round((start - conv_start).total_seconds(), 3)
        duration = round((end - start).total_seconds(), 3)
        values.append(
            {
                "id": message_id,
                "conversation_id": conv_id,
                "account": account,
                "namespace": namespace,
                "seq": seq,
                "text": text,
                "member_id": speaker.id if speaker else None,
                "speaker_name": speaker.name if speaker else None,
                "speaker_email": speaker.email if speaker else None,
                "speaker_user_id": speaker.user_id if speaker else None,
                "start_time": start,
                "end_time": end,
                "time_offset": offset,
                "duration": duration,
            }
        )
        cursor = max(cursor, end)
        seq += 1
    if values:
        # A Core insert of the table: the ORM's bulk path spends more time collecting rows than SQLite inserting.
        session.execute(sa_insert(SQLModel.metadata.tables[Message.__tablename__]), values)
        # Answers imported from a recording described the recorded messages only: from now on every
        # resource is derived from all the messages (docs/REPLAY.md).
        session.execute(delete(RecordedAnswer).where(col(RecordedAnswer.conversation_id) == conv_id))
        conv.end_time = max(conv.end_time, max(row["end_time"] for row in values))
        conv.message_count = seq
        session.add(conv)
    return [to_model(SimpleNamespace(**row)) for row in values]  # as load_messages would read them back


def get_bundle(session: Session, conversation_id: str) -> dict[str, Any] | None:
    row = session.get(InsightSet, conversation_id)
    return json.loads(row.bundle_json) if row else None


@functools.lru_cache(maxsize=32)
def _parsed_bundle(text: str) -> dict[str, Any]:
    parsed: dict[str, Any] = json.loads(text)
    return parsed


def get_bundle_shared(session: Session, conversation_id: str) -> dict[str, Any] | None:
    """The stored bundle, parsed once per distinct content and SHARED between callers: never mutate it.

    For hot read paths (GET .../messages): parsing a 100-message bundle (~150 KB) cost more than the rest of
    the request. Keyed by the bundle's text itself, so a recomputed bundle is never served stale.
    """
    text = session.execute(
        sa_select(col(InsightSet.bundle_json)).where(col(InsightSet.conversation_id) == conversation_id)
    ).scalar_one_or_none()
    return _parsed_bundle(text) if text is not None else None


def delete_bundle(session: Session, conversation_id: str) -> None:
    """Drop a stored bundle that no longer matches the messages (a job appended more)."""
    session.execute(delete(InsightSet).where(col(InsightSet.conversation_id) == conversation_id))


def save_bundle(session: Session, conv: Conversation, bundle: dict[str, Any], now: datetime) -> None:
    row = session.get(InsightSet, conv.id)
    text = json.dumps(bundle, separators=(",", ":"), sort_keys=True)
    if row is None:
        session.add(
            InsightSet(
                conversation_id=conv.id,
                account=conv.account,
                namespace=conv.namespace,
                bundle_json=text,
                computed_at=now,
            )
        )
    else:
        row.bundle_json = text
        row.computed_at = now
        session.add(row)


def delete_conversation(session: Session, conv: Conversation) -> None:
    """Remove the conversation and every row derived from it, in any area's table."""
    # Any table with a conversation_id column (messages, members, insights, jobs, bookmarks, ...) is cleared,
    # so a table added by a later area cannot leak rows of a deleted conversation.
    for table in SQLModel.metadata.sorted_tables:
        column = table.c.get("conversation_id")
        if column is not None and table.name != Conversation.__tablename__:
            session.execute(delete(table).where(column == conv.id))
    session.delete(conv)
