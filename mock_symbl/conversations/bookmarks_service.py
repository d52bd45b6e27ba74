"""Bookmarks (rest.md §5.23): a labelled window of a conversation, by time (beginTimeOffset + duration,
the duration defaulting to the account setting) or by a run of sequential message ids.

Window bookmarks resolve their messages at read time, so messages appended later inside the window are
included; message-ref bookmarks keep exactly the ids given. Streaming `bookmark_request` messages can call
`create`/`update`/`delete` with the same bodies.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from typing import Any

from mock_symbl.clock import iso
from mock_symbl.conversations.bookmarks_schemas import BookmarkRequest, BookmarkUserIn, MessageRefIn
from mock_symbl.errors import MSG_CONVERSATION_NOT_FOUND, BadRequest, NotFound
from mock_symbl.ids import stable_numeric_id
from mock_symbl.manage import service_settings
from mock_symbl.messages import Message
from mock_symbl.services import Services
from mock_symbl.store import conversations as conv_repo
from mock_symbl.store import manage as repo
from mock_symbl.store.db import Session
from mock_symbl.store.manage import Bookmark
from mock_symbl.tenancy import Tenant

MSG_NOT_FOUND = "Bookmark with the given bookmarkId does not exist."
SUMMARY_WORDS = 60
OVERLAP = 0.001


def _conversation(session: Session, tenant: Tenant, conversation_id: str) -> None:
    try:
        conv_repo.get_conversation(session, tenant, conversation_id)
    except NotFound:
        raise NotFound(MSG_CONVERSATION_NOT_FOUND) from None


def _user(user: BookmarkUserIn | None) -> dict[str, str]:
    if user is None:
        return {}
    out = {k: v for k, v in user.model_dump(exclude_none=True).items() if v}
    # The update guide spells the user's id `user.id`, the create guide `user.userId`: one field.
    if "id" in out:
        out.setdefault("userId", out.pop("id"))
    return out


def _ref_ids(refs: Sequence[MessageRefIn], messages: Sequence[Message]) -> list[str]:
    """Message refs must name messages of this conversation forming one sequential run."""
    ids = [ref.id for ref in refs]
    by_id = {m.id: m.seq for m in messages}
    unknown = [i for i in ids if i not in by_id]
    if unknown:
        raise BadRequest(
            f'"messageRefs" contains an id that is not a message of this conversation: {unknown[0]!r}'
        )
    seqs = sorted(by_id[i] for i in ids)
    if len(set(seqs)) != len(seqs) or seqs[-1] - seqs[0] != len(seqs) - 1:
        raise BadRequest('"messageRefs" must be a run of sequential messages of the conversation')
    chosen = set(seqs)
    return [m.id for m in messages if m.seq in chosen]


def _fields(
    session: Session, tenant: Tenant, body: BookmarkRequest, messages: Sequence[Message]
) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "label": body.label,
        "description": body.description,
        "user_json": json.dumps(_user(body.user)),
    }
    if body.messageRefs:
        ids = _ref_ids(body.messageRefs, messages)
        wanted = set(ids)
        chosen = [m for m in messages if m.id in wanted]
        begin = chosen[0].time_offset
        fields.update(
            message_ids_json=json.dumps(ids),
            begin_time_offset=begin,
            duration=round(max(m.time_offset + m.duration for m in chosen) - begin, 3),
        )
        return fields
    offset = body.beginTimeOffset
    if offset is None:
        if body.duration is None:
            raise BadRequest('Either "beginTimeOffset" and "duration" or "messageRefs" must be provided')
        offset = 0  # the Go SDK omits a zero offset (`omitempty`)
    duration = body.duration
    if duration is None:
        duration = service_settings.bookmark_default_duration(session, tenant)
        if duration is None:
            raise BadRequest(
                '"duration" is required (or set intelligence.bookmarks.duration in /v1/manage/settings)'
            )
    fields.update(message_ids_json="[]", begin_time_offset=float(offset), duration=float(duration))
    return fields


def _messages_of(row: Bookmark, messages: Sequence[Message]) -> list[Message]:
    ids = json.loads(row.message_ids_json or "[]")
    if ids:
        wanted = set(ids)
        return [m for m in messages if m.id in wanted]
    begin = row.begin_time_offset or 0.0
    end = begin + (row.duration or 0.0)
    # A message belongs to the window when it overlaps it by more than a millisecond (offsets are rounded).
    return [m for m in messages if min(end, m.time_offset + m.duration) - max(begin, m.time_offset) > OVERLAP]


def _ref(message: Message) -> dict[str, Any]:
    return {
        "id": message.id,
        "startTime": iso(message.start),
        "endTime": iso(message.end),
        "text": message.text,
    }


def render(row: Bookmark, messages: Sequence[Message]) -> dict[str, Any]:
    out: dict[str, Any] = {"id": row.id}
    if row.label is not None:
        out["label"] = row.label
    out["description"] = row.description
    out["user"] = json.loads(row.user_json or "{}")
    # Whole seconds on the wire (the Go SDK's Bookmark has integers): the window rounded outwards.
    begin = row.begin_time_offset or 0.0
    out["beginTimeOffset"] = math.floor(begin)
    out["duration"] = math.ceil(begin + (row.duration or 0.0)) - math.floor(begin)
    out["messageRefs"] = [_ref(m) for m in _messages_of(row, messages)]
    return out


def create_many(
    services: Services,
    session: Session,
    tenant: Tenant,
    conversation_id: str,
    *,
    bodies: Sequence[BookmarkRequest],
) -> list[dict[str, Any]]:
    """Create bookmarks (all or nothing) and render them."""
    _conversation(session, tenant, conversation_id)
    if not bodies:
        raise BadRequest('"value" must contain at least 1 items')
    messages = conv_repo.load_messages(session, conversation_id)
    validated = [_fields(session, tenant, body, messages) for body in bodies]
    seq = repo.next_bookmark_seq(session, conversation_id)
    rows: list[Bookmark] = []
    for offset, fields in enumerate(validated):
        row = Bookmark(
            id=services.ids.numeric(),
            account=tenant.account,
            namespace=tenant.namespace,
            conversation_id=conversation_id,
            seq=seq + offset,
            created_at=services.clock.now(),
            **fields,
        )
        repo.add(session, row)
        rows.append(row)
    session.commit()
    return [render(row, messages) for row in rows]


def _get(session: Session, tenant: Tenant, conversation_id: str, bookmark_id: str) -> Bookmark:
    _conversation(session, tenant, conversation_id)
    row = repo.find_row(session, Bookmark, tenant, bookmark_id)
    if row is None or row.conversation_id != conversation_id:
        raise NotFound(MSG_NOT_FOUND)
    return row


def get(session: Session, tenant: Tenant, conversation_id: str, bookmark_id: str) -> dict[str, Any]:
    row = _get(session, tenant, conversation_id, bookmark_id)
    return render(row, conv_repo.load_messages(session, conversation_id))


def list_all(session: Session, tenant: Tenant, conversation_id: str) -> list[dict[str, Any]]:
    _conversation(session, tenant, conversation_id)
    messages = conv_repo.load_messages(session, conversation_id)
    return [render(row, messages) for row in repo.list_bookmarks(session, tenant, conversation_id)]


def update(
    session: Session, tenant: Tenant, conversation_id: str, bookmark_id: str, *, body: BookmarkRequest
) -> dict[str, Any]:
    """Full replace: omitted fields are cleared (update-bookmarks guide)."""
    row = _get(session, tenant, conversation_id, bookmark_id)
    messages = conv_repo.load_messages(session, conversation_id)
    for key, value in _fields(session, tenant, body, messages).items():
        setattr(row, key, value)
    session.add(row)
    session.commit()
    return render(row, messages)


def delete(session: Session, tenant: Tenant, conversation_id: str, bookmark_id: str) -> None:
    repo.remove(session, _get(session, tenant, conversation_id, bookmark_id))
    session.commit()


def _summary(row: Bookmark, messages: Sequence[Message]) -> list[dict[str, Any]]:
    """A deterministic extractive summary of the bookmark's messages (empty when it holds none)."""
    chosen = _messages_of(row, messages)
    if not chosen:
        return []
    words: list[str] = []
    for message in chosen:
        words.extend(message.text.split())
        if len(words) >= SUMMARY_WORDS:
            break
    text = " ".join(words[:SUMMARY_WORDS])
    if len(words) > SUMMARY_WORDS and not text.endswith((".", "!", "?")):
        text += "..."
    return [
        {
            "id": stable_numeric_id(row.conversation_id, "bookmark-summary", row.id, text),
            "text": text,
            "messageRefs": [{"id": m.id} for m in chosen],
            "startTime": iso(chosen[0].start),
            "endTime": iso(chosen[-1].end),
            "bookmarkReference": {"id": row.id},
        }
    ]


def summary(session: Session, tenant: Tenant, conversation_id: str, bookmark_id: str) -> list[dict[str, Any]]:
    row = _get(session, tenant, conversation_id, bookmark_id)
    return _summary(row, conv_repo.load_messages(session, conversation_id))


def summaries(
    session: Session, tenant: Tenant, conversation_id: str, bookmark_ids: Sequence[str] = ()
) -> list[dict[str, Any]]:
    """Summaries of every bookmark of the conversation (or of the ids given)."""
    _conversation(session, tenant, conversation_id)
    messages = conv_repo.load_messages(session, conversation_id)
    wanted = set(bookmark_ids)
    return [
        {"bookmarkId": row.id, "summary": _summary(row, messages)}
        for row in repo.list_bookmarks(session, tenant, conversation_id)
        if not wanted or row.id in wanted
    ]
