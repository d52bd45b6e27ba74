"""Repository functions behind the insight routes: latest job, member edits, speaker re-attribution."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import Session, col, select

from mock_symbl.ids import stable_uuid
from mock_symbl.store.tables import Conversation, Job, Member, Message


@dataclass(frozen=True)
class SpeakerSpan:
    """Messages whose midpoint falls in [start, end) seconds belong to this user."""

    start: float
    end: float
    name: str | None
    email: str | None
    user_id: str | None


def latest_job(session: Session, conversation_id: str) -> Job | None:
    stmt = (
        select(Job)
        .where(Job.conversation_id == conversation_id)
        .order_by(col(Job.created_seq).desc(), col(Job.created_at).desc())
        .limit(1)
    )
    return session.exec(stmt).first()


def get_member(session: Session, conversation_id: str, member_id: str) -> Member | None:
    member = session.get(Member, member_id)
    return member if member is not None and member.conversation_id == conversation_id else None


def _messages(session: Session, conversation_id: str) -> list[Message]:
    stmt = select(Message).where(Message.conversation_id == conversation_id).order_by(col(Message.seq))
    return list(session.exec(stmt).all())


def update_member(session: Session, member: Member, *, name: str, email: str | None) -> None:
    """Rename a member; the speaker copy on each of its messages follows."""
    member.name = name
    if email is not None:
        member.email = email
    session.add(member)
    for row in _messages(session, member.conversation_id):
        if row.member_id == member.id:
            row.speaker_name = member.name
            row.speaker_email = member.email
            session.add(row)


def _member_for(session: Session, conv: Conversation, span: SpeakerSpan) -> Member:
    key = next(k for k in (span.user_id, span.email, span.name, "unknown") if k).strip().lower()
    member_id = stable_uuid(conv.id, "member", key)
    member = session.get(Member, member_id)
    if member is None:
        count = len(list(session.exec(select(Member.id).where(Member.conversation_id == conv.id)).all()))
        member = Member(
            id=member_id,
            conversation_id=conv.id,
            account=conv.account,
            namespace=conv.namespace,
            name=span.name or span.user_id or span.email,
            email=span.email,
            user_id=span.user_id,
            seq=count,
        )
        session.add(member)
        session.flush()
    return member


def reassign_speakers(session: Session, conv: Conversation, spans: Sequence[SpeakerSpan]) -> int:
    """Attribute each message to the span containing its midpoint; returns how many messages changed."""
    members = [(span, _member_for(session, conv, span)) for span in spans]
    changed = 0
    for row in _messages(session, conv.id):
        middle = row.time_offset + row.duration / 2.0
        for span, member in members:
            if span.start <= middle < span.end:
                if row.member_id != member.id:
                    changed += 1
                row.member_id = member.id
                row.speaker_name = member.name
                row.speaker_email = member.email
                row.speaker_user_id = member.user_id
                session.add(row)
                break
    return changed
