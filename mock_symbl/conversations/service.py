"""Conversation core: read, update metadata, delete, messages and members."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from mock_symbl.clock import iso
from mock_symbl.conversations.insights_service import require_processed
from mock_symbl.errors import MSG_CONVERSATION_NOT_FOUND, BadRequest, NotFound
from mock_symbl.insights import views
from mock_symbl.jobs.deferred import ensure_bundle
from mock_symbl.manage import service as manage
from mock_symbl.services import Services
from mock_symbl.store import conversations as repo
from mock_symbl.store import replay as replay_repo
from mock_symbl.store.tables import Conversation, Member
from mock_symbl.tenancy import Tenant

METADATA_VALUE_MAX = 128
# Conversations transcribed from speech: their words carry a recognition score (a text one's do not).
RECOGNIZED_SOURCES = frozenset({"audio", "video"})


def member_out(member: Member) -> dict[str, Any]:
    out: dict[str, Any] = {"id": member.id, "name": member.name}
    if member.email:
        out["email"] = member.email
    return out


def conversation_out(conv: Conversation, members: Sequence[Member]) -> dict[str, Any]:
    return {
        "id": conv.id,
        "type": conv.type,
        "name": conv.name,
        "startTime": iso(conv.start_time),
        "endTime": iso(conv.end_time),
        "members": [member_out(m) for m in members],
        "metadata": json.loads(conv.metadata_json or "{}"),
    }


def get(services: Services, tenant: Tenant, conversation_id: str) -> dict[str, Any]:
    with services.db.session() as session:
        conv = repo.get_conversation(session, tenant, conversation_id)
        return conversation_out(conv, repo.list_members(session, conv.id))


def validate_metadata(metadata: dict[str, Any]) -> dict[str, str]:
    """Metadata values are strings of at most 128 characters (conversation-groups intro)."""
    out: dict[str, str] = {}
    for key, value in metadata.items():
        if not isinstance(value, str):
            raise BadRequest(f'"metadata.{key}" must be a string')
        if len(value) > METADATA_VALUE_MAX:
            raise BadRequest(
                f'"metadata.{key}" length must be less than or equal to {METADATA_VALUE_MAX} characters long'
            )
        out[str(key)] = value
    return out


def update_metadata(
    services: Services, tenant: Tenant, conversation_id: str, metadata: dict[str, Any]
) -> dict[str, Any]:
    clean = validate_metadata(metadata)
    with services.db.transaction() as session:
        conv = repo.get_conversation(session, tenant, conversation_id)
        merged = {**json.loads(conv.metadata_json or "{}"), **clean}
        conv.metadata_json = json.dumps(merged)
        session.add(conv)
        replay_repo.forget(
            session, conv.id, ["conversation"]
        )  # an imported answer would show the old metadata
        return conversation_out(conv, repo.list_members(session, conv.id))


def delete(services: Services, tenant: Tenant, conversation_id: str) -> None:
    with services.db.transaction() as session:
        try:
            conv = repo.get_conversation(session, tenant, conversation_id)
        except NotFound as exc:
            raise NotFound(MSG_CONVERSATION_NOT_FOUND) from exc
        repo.delete_conversation(session, conv)


def members(services: Services, tenant: Tenant, conversation_id: str) -> list[dict[str, Any]]:
    with services.db.session() as session:
        conv = repo.get_conversation(session, tenant, conversation_id)
        return [member_out(m) for m in repo.list_members(session, conv.id)]


def messages(
    services: Services,
    tenant: Tenant,
    conversation_id: str,
    *,
    verbose: bool = False,
    sentiment: bool = False,
    redact: bool | None = None,
    exclude: Sequence[str] = (),
) -> list[dict[str, Any]]:
    """Render the transcript; `redact=None` follows the account's redaction settings."""
    ensure_bundle(services, conversation_id)
    with services.db.session() as session:
        conv = repo.get_conversation(session, tenant, conversation_id)
        require_processed(conv)
        enabled, masked = manage.effective_redaction(session, tenant, redact=redact, exclude=list(exclude))
        rows = repo.load_messages(session, conv.id)
        bundle = repo.get_bundle_shared(session, conv.id) or {}  # read-only: render_messages never mutates
        options = json.loads(conv.options_json or "{}")
        recognized = conv.source in RECOGNIZED_SOURCES
    return views.render_messages(
        rows,
        bundle,
        verbose=verbose,
        sentiment=sentiment,
        redact=enabled,
        exclude=masked,
        detect_phrases=bool(options.get("detectPhrases")),
        word_scores=recognized,
    )
