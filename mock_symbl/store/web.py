"""Read-mostly queries behind the web UI and the Experience API (dashboard lists, media URL)."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import Session, col, select

from mock_symbl.store.tables import Conversation, Job
from mock_symbl.tenancy import Tenant


def tenants_with_data(session: Session) -> list[tuple[Tenant, int]]:
    """Every (account, namespace) that owns at least one conversation, with its conversation count."""
    rows = session.exec(
        select(Conversation.account, Conversation.namespace, func.count())
        .group_by(col(Conversation.account), col(Conversation.namespace))
        .order_by(col(Conversation.account), col(Conversation.namespace))
    ).all()
    return [(Tenant(account=a, namespace=n), int(c)) for a, n, c in rows]


def list_conversations(session: Session, tenant: Tenant, limit: int = 200) -> list[Conversation]:
    """The tenant's conversations, newest first."""
    return list(
        session.exec(
            select(Conversation)
            .where(Conversation.account == tenant.account, Conversation.namespace == tenant.namespace)
            .order_by(col(Conversation.created_at).desc(), col(Conversation.id))
            .limit(limit)
        ).all()
    )


def list_jobs(
    session: Session, tenant: Tenant, limit: int = 200, conversation_id: str | None = None
) -> list[Job]:
    """The tenant's jobs (optionally of one conversation), latest submission first."""
    query = select(Job).where(Job.account == tenant.account, Job.namespace == tenant.namespace)
    if conversation_id is not None:
        query = query.where(Job.conversation_id == conversation_id)
    return list(session.exec(query.order_by(col(Job.created_seq).desc()).limit(limit)).all())


def tenant_of(session: Session, conversation_id: str) -> Tenant | None:
    """The tenant owning a conversation id (admin pages look conversations up by id alone)."""
    conv = session.get(Conversation, conversation_id)
    return Tenant(account=conv.account, namespace=conv.namespace) if conv is not None else None


def set_media_url(session: Session, conversation: Conversation, url: str) -> None:
    """Record the audio/video URL the Insights UI plays for this conversation."""
    conversation.media_url = url
    session.add(conversation)
