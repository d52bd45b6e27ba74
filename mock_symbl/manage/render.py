"""Management rows as their answers' JSON (validated by the models in manage/schemas.py on the way out)."""

from __future__ import annotations

import json
from typing import Any

from mock_symbl.clock import iso
from mock_symbl.store.manage import (
    CallScoreCriteria,
    ConversationGroup,
    ManagedEntity,
    ManagedTracker,
    Scorecard,
)


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
