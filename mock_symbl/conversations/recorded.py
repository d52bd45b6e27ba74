"""Answers imported from recorded Symbl traffic: served exactly as recorded until a write makes them stale.

`admin/replay.py` stores them (`store/replay.py`); the read routes ask `lookup` first and derive the answer
from the stored messages only when nothing was recorded for that resource and those parameters. Writes that
change what an answer says drop it (`forget`): an append or a speaker change drops them all (every insight
depends on the messages and speakers), a metadata update drops the conversation's own answer, a summary or
topics refresh drops the summary or topics.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from mock_symbl.errors import NotFound
from mock_symbl.replay.routes import answer_key
from mock_symbl.services import Services
from mock_symbl.store import conversations as repo
from mock_symbl.store import replay as replay_repo
from mock_symbl.tenancy import Tenant

if TYPE_CHECKING:
    from sqlmodel import Session


def _any_recorded(services: Services) -> bool:
    """Whether any recorded answer is stored: asked once per data generation, so the reads of a server that
    imported nothing cost no query (any write to a content table moves the generation; store/answers.py)."""
    generation = services.answers.generation
    memo = services.recorded_any
    if memo is not None and memo[0] == generation:
        return bool(memo[1])
    with services.db.session() as session:
        found = replay_repo.any_recorded(session)
    services.recorded_any = (generation, found)
    return found


def lookup(
    services: Services,
    tenant: Tenant,
    conversation_id: str,
    resource: str,
    params: Iterable[tuple[str, str]] = (),
) -> bytes | None:
    """The recorded body for this resource and parameters, or None (then the route answers as usual, with
    its own 404 for an unknown id or another tenant's)."""
    if not _any_recorded(services):
        return None
    key = answer_key(resource, params)
    with services.db.session() as session:
        if not _visible(session, tenant, conversation_id):
            return None
        text = replay_repo.recorded_answer(session, conversation_id, key)
    return text.encode("utf-8") if text is not None else None


def _visible(session: Session, tenant: Tenant, conversation_id: str) -> bool:
    try:
        repo.get_conversation(session, tenant, conversation_id)
    except NotFound:
        return False
    return True


# GET .../insights lists the three kinds together: (resource, its list field, the items' type)
INSIGHT_PARTS = (
    ("questions", "questions", "question"),
    ("action-items", "actionItems", "action_item"),
    ("follow-ups", "followUps", "follow_up"),
)


def insights(
    services: Services, tenant: Tenant, conversation_id: str, derived: Callable[[], dict[str, Any]]
) -> dict[str, Any] | None:
    """GET .../insights of an imported conversation: the recorded questions, action items and follow-ups
    (derived ones for a kind not recorded), in transcript order; None when none of the three was recorded."""
    if not _any_recorded(services):
        return None
    with services.db.session() as session:
        if not _visible(session, tenant, conversation_id):
            return None
        texts = {r: replay_repo.recorded_answer(session, conversation_id, r) for r, _, _ in INSIGHT_PARTS}
        if all(text is None for text in texts.values()):
            return None
        order = {m.id: m.seq for m in repo.load_messages(session, conversation_id)}
    computed = derived()["insights"]
    items: list[dict[str, Any]] = []
    for resource, field, kind in INSIGHT_PARTS:
        text = texts[resource]
        items.extend(
            json.loads(text)[field] if text is not None else (i for i in computed if i["type"] == kind)
        )
    last = len(order)
    items.sort(key=lambda i: min((order.get(m, last) for m in i.get("messageIds") or []), default=last))
    return {"insights": items}
