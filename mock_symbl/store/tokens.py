"""Repository for revoked tokens (mirrored in memory by services.revoked)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, select

from mock_symbl.store.tables import RevokedToken


def revoke(session: Session, *, jti: str, account: str, at: datetime) -> None:
    """Record a revoked token id (idempotent)."""
    if session.get(RevokedToken, jti) is None:
        session.add(RevokedToken(jti=jti, account=account, revoked_at=at))


def revoked_ids(session: Session) -> set[str]:
    return set(session.exec(select(RevokedToken.jti)).all())
