"""Wire format of the Management API: the JSON body reader (1 MB cap) and the renderers of each resource."""

from __future__ import annotations

import json
import math
from typing import Any

from fastapi import Request

from mock_symbl.clock import iso
from mock_symbl.errors import BadRequest, PayloadTooLarge
from mock_symbl.manage.rules import MAX_BODY_BYTES
from mock_symbl.store.manage import (
    CallScoreCriteria,
    ConversationGroup,
    ManagedEntity,
    ManagedTracker,
    Scorecard,
)

MSG_TOO_LARGE = "Request Entity Too Large: the request body must not exceed 1 MB."


async def json_body(request: Request) -> Any:
    """The request's JSON body (any JSON type: several routes take an object or an array).

    413 past 1 MB (Management API limit), 400 for a missing or malformed body.
    """
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise PayloadTooLarge(MSG_TOO_LARGE)
    raw = await request.body()
    if len(raw) > MAX_BODY_BYTES:
        raise PayloadTooLarge(MSG_TOO_LARGE)
    if not raw.strip():
        raise BadRequest("Request body is required.")
    try:
        body = json.loads(raw, parse_constant=_reject_constant, parse_int=_int, parse_float=_float)
        # Lone surrogates ("\ud800") parse but cannot be stored or answered as UTF-8.
        json.dumps(body, ensure_ascii=False).encode("utf-8")
    except _NumberOutOfRange:
        raise BadRequest(MSG_NUMBER) from None
    except (ValueError, UnicodeError, RecursionError):
        raise BadRequest("Malformed JSON in request body.") from None
    return body


MSG_NUMBER = "Numbers in the request body must be finite and at most 2^53 - 1 in magnitude."
_MAX_SAFE = 2**53 - 1


class _NumberOutOfRange(ValueError):
    pass


def _reject_constant(name: str) -> Any:
    # NaN and Infinity are not JSON; accepting them would make the answer unserialisable.
    raise ValueError(f"{name} is not valid JSON")


def _int(text: str) -> int:
    if len(text) > 17 or abs(int(text)) > _MAX_SAFE:
        raise _NumberOutOfRange(text)
    return int(text)


def _float(text: str) -> float:
    value = float(text)
    if math.isinf(value) or abs(value) > _MAX_SAFE:
        raise _NumberOutOfRange(text)
    return value


async def optional_json_body(request: Request) -> Any:
    """Like json_body, but an empty body is None (clients that post an empty model)."""
    if not (await request.body()).strip():
        return None
    return await json_body(request)


def _load(text: str | None, default: Any) -> Any:
    return json.loads(text) if text else default


def tracker_v1(row: ManagedTracker) -> dict[str, Any]:
    """Gen-1 shape (2022 docs): {id, name, vocabulary}."""
    return {"id": row.id, "name": row.name, "vocabulary": _load(row.vocabulary_json, [])}


def tracker_v2(row: ManagedTracker) -> dict[str, Any]:
    """Gen-2 shape (Go SDK Tracker): adds description, categories, languages and timestamps."""
    out: dict[str, Any] = {"id": row.id, "name": row.name}
    if row.description is not None:
        out["description"] = row.description
    out["categories"] = _load(row.categories_json, [])
    out["languages"] = _load(row.languages_json, ["en-US"])
    out["vocabulary"] = _load(row.vocabulary_json, [])
    exclude = _load(row.exclude_vocabulary_json, [])
    if exclude:
        out["excludeVocabulary"] = exclude
    out["createdOn"] = iso(row.created_at)
    out["updatedOn"] = iso(row.updated_at)
    return out


def entity(row: ManagedEntity) -> dict[str, Any]:
    return {
        "id": row.id,
        "type": row.type,
        "subType": row.sub_type,
        "category": row.category,
        "values": _load(row.values_json, []),
    }


def group(row: ConversationGroup) -> dict[str, Any]:
    out: dict[str, Any] = {"id": row.id, "name": row.name}
    if row.description is not None:
        out["description"] = row.description
    out["criteria"] = row.criteria
    return out


def criteria(row: CallScoreCriteria) -> dict[str, Any]:
    out: dict[str, Any] = {"id": row.id, "name": row.name}
    if row.description is not None:
        out["description"] = row.description
    out["tags"] = _load(row.tags_json, [])
    out["checklist"] = _load(row.checklist_json, [])
    return out


def scorecard(row: Scorecard) -> dict[str, Any]:
    out: dict[str, Any] = {"id": row.id, "name": row.name}
    if row.description is not None:
        out["description"] = row.description
    out["tags"] = _load(row.tags_json, [])
    out["criteriaList"] = _load(row.criteria_list_json, [])
    return out


def deleted(row_id: str, kind: str) -> dict[str, Any]:
    """Symbl's delete acknowledgement (delete-tracker / delete-group docs)."""
    return {"id": row_id, "type": kind, "deleted": True}
