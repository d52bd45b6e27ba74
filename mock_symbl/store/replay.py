"""Repository for imported recordings: write a conversation plan whole, recorded answers, export reads."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, or_
from sqlalchemy import insert as sa_insert
from sqlalchemy import select as sa_select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel, col, select

from mock_symbl.job_lifecycle import JobStatus, Progression
from mock_symbl.store import conversations as conv_repo
from mock_symbl.store.jobs import next_created_seq
from mock_symbl.store.tables import Conversation, Job, Member, Message
from mock_symbl.store.tables.replay import RecordedAnswer
from mock_symbl.tenancy import Tenant

if TYPE_CHECKING:  # only the type: store/ imports no area package at run time
    from mock_symbl.replay.plan import ConversationPlan

CHUNK = 500  # ids per IN (...): SQLite limits bound parameters
SOURCES = {"text": "text", "audio": "audio", "audio_url": "audio", "video": "video", "video_url": "video"}


class IdConflict(ValueError):
    """An id of the recording is already used by another tenant or conversation (nothing was written)."""


def recorded_answer(session: Session, conversation_id: str, key: str) -> str | None:
    """The recorded body (JSON text) served for this answer key, if one is stored."""
    return session.execute(
        sa_select(col(RecordedAnswer.body_json)).where(
            col(RecordedAnswer.conversation_id) == conversation_id, col(RecordedAnswer.key) == key
        )
    ).scalar_one_or_none()


def any_recorded(session: Session) -> bool:
    return session.execute(sa_select(col(RecordedAnswer.conversation_id)).limit(1)).first() is not None


def recorded_answers(session: Session, conversation_id: str) -> dict[str, Any]:
    rows = session.execute(
        sa_select(col(RecordedAnswer.key), col(RecordedAnswer.body_json)).where(
            col(RecordedAnswer.conversation_id) == conversation_id
        )
    ).all()
    return {key: json.loads(body) for key, body in rows}


def forget(session: Session, conversation_id: str, resources: Iterable[str] | None = None) -> None:
    """Drop recorded answers a write made stale: all of them, or those of `resources` (any parameters)."""
    stmt = delete(RecordedAnswer).where(col(RecordedAnswer.conversation_id) == conversation_id)
    if resources is not None:
        names = list(resources)
        stmt = stmt.where(
            or_(
                col(RecordedAnswer.key).in_(names),
                *(col(RecordedAnswer.key).startswith(f"{name}?") for name in names),
            )
        )
    session.execute(stmt)


def _taken(session: Session, column: Any, owner: Any, ids: Sequence[str], conversation_id: str) -> str | None:
    for start in range(0, len(ids), CHUNK):
        row = session.execute(
            sa_select(column, owner).where(column.in_(ids[start : start + CHUNK]), owner != conversation_id)
        ).first()
        if row is not None:
            return f"{row[0]} (used by conversation {row[1]})"
    return None


def _check_ids(session: Session, tenant: Tenant, plan: ConversationPlan) -> bool:
    """True when the conversation exists for this tenant (it is replaced); IdConflict when ids are taken."""
    cid = plan.conversation_id
    existing = session.get(Conversation, cid)
    if existing is not None and (existing.account, existing.namespace) != (tenant.account, tenant.namespace):
        raise IdConflict(
            f"conversation id {cid} already belongs to account {existing.account!r}"
            + (f" namespace {existing.namespace!r}" if existing.namespace else "")
        )
    checks = (
        ("message id", col(Message.id), col(Message.conversation_id), [m.id for m in plan.messages]),
        ("member id", col(Member.id), col(Member.conversation_id), [m.id for m in plan.members]),
        ("job id", col(Job.id), col(Job.conversation_id), [j.id for j in plan.jobs]),
    )
    for what, column, owner, ids in checks:
        clash = _taken(session, column, owner, ids, cid)
        if clash:
            raise IdConflict(f"{what} {clash}")
    return existing is not None


def write_plan(
    session: Session, tenant: Tenant, plan: ConversationPlan, *, options: dict[str, Any], now: datetime
) -> bool:
    """Store the conversation under its recorded ids (replacing this tenant's copy); True if replaced.

    Raises IdConflict, never a database error, when its ids are taken (flushed here, so the caller's commit
    cannot fail on them)."""
    try:
        replaced = _write_plan(session, tenant, plan, options=options, now=now)
        session.flush()
    except IntegrityError as exc:
        raise IdConflict("its ids collide with stored rows") from exc
    return replaced


def _write_plan(
    session: Session, tenant: Tenant, plan: ConversationPlan, *, options: dict[str, Any], now: datetime
) -> bool:
    replaced = _check_ids(session, tenant, plan)
    cid = plan.conversation_id
    if replaced:
        conv_repo.delete_conversation(session, conv_repo.get_conversation(session, tenant, cid))
        session.flush()
    kinds = [j.kind for j in plan.jobs]
    last_failed = bool(plan.jobs) and plan.jobs[-1].status == JobStatus.FAILED and not plan.messages
    conv = Conversation(
        id=cid,
        account=tenant.account,
        namespace=tenant.namespace,
        type=plan.type,
        name=plan.name,
        source=SOURCES.get(kinds[0], "text") if kinds else "text",
        status=JobStatus.FAILED if last_failed else JobStatus.COMPLETED,
        start_time=plan.start,
        end_time=plan.end,
        created_at=plan.start,
        metadata_json=json.dumps(plan.metadata),
        options_json=json.dumps(options),
        message_count=len(plan.messages),
    )
    session.add(conv)
    for seq, member in enumerate(plan.members):
        session.add(
            Member(
                id=member.id,
                conversation_id=cid,
                account=tenant.account,
                namespace=tenant.namespace,
                name=member.name,
                email=member.email,
                user_id=member.user_id,
                seq=seq,
            )
        )
    session.flush()
    speakers = {m.id: m for m in plan.members}
    rows = []
    for seq, msg in enumerate(plan.messages):
        who = speakers.get(msg.member_id) if msg.member_id else None
        rows.append(
            {
                "id": msg.id,
                "conversation_id": cid,
                "account": tenant.account,
                "namespace": tenant.namespace,
                "seq": seq,
                "text": msg.text,
                "member_id": who.id if who else None,
                "speaker_name": who.name if who else None,
                "speaker_email": who.email if who else None,
                "speaker_user_id": who.user_id if who else None,
                "start_time": msg.start,
                "end_time": msg.end,
                "time_offset": msg.time_offset,
                "duration": msg.duration,
            }
        )
    if rows:
        session.execute(sa_insert(SQLModel.metadata.tables[Message.__tablename__]), rows)
    seq_base = next_created_seq(session)
    for i, job in enumerate(plan.jobs):
        session.add(
            Job(
                id=job.id,
                account=tenant.account,
                namespace=tenant.namespace,
                conversation_id=cid,
                kind=job.kind,
                status=job.status,
                request_json=json.dumps({"_imported": True}),
                progression=Progression.IMMEDIATE,
                created_seq=seq_base + i,
                created_at=plan.start,
                updated_at=plan.end,
            )
        )
    answers = [
        {
            "conversation_id": cid,
            "key": key,
            "account": tenant.account,
            "namespace": tenant.namespace,
            "body_json": json.dumps(body, separators=(",", ":"), ensure_ascii=False),
        }
        for key, body in plan.answers.items()
    ]
    if answers:
        session.execute(sa_insert(SQLModel.metadata.tables[RecordedAnswer.__tablename__]), answers)
    return replaced


def conversations_of(session: Session, tenant: Tenant) -> list[str]:
    """The tenant's conversation ids, oldest first (export order)."""
    rows = session.execute(
        sa_select(col(Conversation.id))
        .where(col(Conversation.account) == tenant.account, col(Conversation.namespace) == tenant.namespace)
        .order_by(col(Conversation.start_time), col(Conversation.id))
    ).all()
    return [row[0] for row in rows]


def jobs_of(session: Session, conversation_id: str) -> list[Job]:
    return list(
        session.exec(
            select(Job).where(Job.conversation_id == conversation_id).order_by(col(Job.created_seq))
        ).all()
    )
