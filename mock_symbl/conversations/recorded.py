"""Answers imported from recorded Symbl traffic: served exactly as recorded until a write makes them stale.

`admin/replay.py` stores them (`store/replay.py`); the read routes ask `lookup` first and derive the answer
from the stored messages only when nothing was recorded for that resource and those parameters. Writes that
change what an answer says drop it (`forget`): an append or a speaker change drops them all (every insight
depends on the messages and speakers), a metadata update drops the conversation's own answer, a summary or
topics refresh drops the summary or topics.
"""

from __future__ import annotations

from collections.abc import Iterable

from mock_symbl.replay.routes import answer_key
from mock_symbl.services import Services
from mock_symbl.store import conversations as repo
from mock_symbl.store import replay as replay_repo
from mock_symbl.tenancy import Tenant

_MEMO = "replay.any_recorded"


def _any_recorded(services: Services) -> bool:
    """Whether any recorded answer is stored: asked once per data generation, so the reads of a server that
    imported nothing cost no query (any write to a content table moves the generation; store/answers.py)."""
    generation = services.answers.generation
    memo = services.extras.get(_MEMO)
    if memo is not None and memo[0] == generation:
        return bool(memo[1])
    with services.db.session() as session:
        found = replay_repo.any_recorded(session)
    services.extras[_MEMO] = (generation, found)
    return found


def lookup(
    services: Services,
    tenant: Tenant,
    conversation_id: str,
    resource: str,
    params: Iterable[tuple[str, str]] = (),
) -> bytes | None:
    """The recorded body for this resource and parameters, or None (404 for another tenant's id)."""
    if not _any_recorded(services):
        return None
    key = answer_key(resource, params)
    with services.db.session() as session:
        repo.get_conversation(session, tenant, conversation_id)
        text = replay_repo.recorded_answer(session, conversation_id, key)
    return text.encode("utf-8") if text is not None else None
