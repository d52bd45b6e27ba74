"""Turn the insights engine's bundle (Async API shapes) into the streaming result shapes, new items only."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

DEFAULT_INSIGHT_CONFIDENCE = 0.9  # an insight without a score of its own
_INSIGHT_KEYS = (("questions", "question"), ("actionItems", "action_item"), ("followUps", "follow_up"))


@dataclass
class Fresh:
    insights: list[dict[str, Any]] = field(default_factory=list)
    topics: list[dict[str, Any]] = field(default_factory=list)
    trackers: list[dict[str, Any]] = field(default_factory=list)
    entities: list[dict[str, Any]] = field(default_factory=list)


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _message_ids(item: Mapping[str, Any]) -> list[str]:
    ids = [str(i) for i in _list(item.get("messageIds"))]
    ids += [str(r["id"]) for r in _list(item.get("messageRefs")) if isinstance(r, Mapping) and "id" in r]
    return ids


def _person(value: Any) -> dict[str, Any]:
    value = value if isinstance(value, Mapping) else {}
    return {
        "id": value.get("id"),
        "name": value.get("name"),
        "userId": value.get("userId") or value.get("email"),
    }


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _tags(entities: Any) -> list[dict[str, Any]]:
    tags = []
    for entity in _list(entities):
        if not isinstance(entity, Mapping):
            continue
        value = entity.get("value")
        if not isinstance(value, Mapping):
            key = "datetime" if entity.get("type") in ("date", "datetime") else "text"
            value = {key: value if value is not None else entity.get("text")}
        tags.append(
            {
                "type": str(entity.get("type") or "entity"),
                "text": str(entity.get("text") or ""),
                "beginOffset": _int(entity.get("offset", entity.get("beginOffset"))),
                "value": {"value": dict(value)},
            }
        )
    return tags


def stream_insight(item: Mapping[str, Any], kind: str) -> dict[str, Any]:
    """Async insight (question/action item/follow-up) -> insight_response entry (JS `text` and web `payload`)."""
    text = str(item.get("text") or "")
    refs = _message_ids(item)
    out: dict[str, Any] = {
        "id": str(item.get("id")),
        "confidence": float(item.get("score") or item.get("confidence") or DEFAULT_INSIGHT_CONFIDENCE),
        "messageReference": {"id": refs[0] if refs else None},
        "hints": [],
        "type": kind,
        "assignee": _person(item.get("assignee") or item.get("from")),
        "tags": _tags(item.get("entities")),
        "dismissed": False,
        "payload": {"content": text, "contentType": "text/plain"},
        "from": _person(item.get("from")),
        "text": text,
    }
    due = item.get("dueBy")
    if isinstance(due, str) and due:
        out["dueBy"] = {"value": due}
    return out


def stream_topic(item: Mapping[str, Any], message_index: Mapping[str, int]) -> dict[str, Any]:
    text = str(item.get("text") or "")
    refs = _message_ids(item)
    return {
        "id": str(item.get("id")),
        "messageReferences": [{"id": ref, "relation": "text instance"} for ref in refs],
        "phrases": text,
        "rootWords": [{"text": word} for word in text.split()],
        "score": float(item.get("score") or 0.0),
        "type": "topic",
        "messageIndex": min((message_index.get(ref, 0) for ref in refs), default=0),
    }


def _match_refs(refs: Any) -> list[dict[str, Any]]:
    out = []
    for ref in _list(refs):
        if isinstance(ref, Mapping):
            out.append({**ref, "id": str(ref.get("id")), "offset": _int(ref.get("offset", -1))})
    return out


def new_items(bundle: Mapping[str, Any], sent: set[str], message_index: Mapping[str, int]) -> Fresh:
    """What `bundle` holds that is not in `sent` (keys are recorded in `sent`)."""
    fresh = Fresh()
    for key, kind in _INSIGHT_KEYS:
        for item in _list(bundle.get(key)):
            if isinstance(item, Mapping) and f"i:{item.get('id')}" not in sent:
                sent.add(f"i:{item.get('id')}")
                fresh.insights.append(stream_insight(item, kind))
    for item in _list(bundle.get("topics")):
        if isinstance(item, Mapping) and f"t:{item.get('id')}" not in sent:
            sent.add(f"t:{item.get('id')}")
            fresh.topics.append(stream_topic(item, message_index))
    for tracker in _list(bundle.get("trackers")):
        if not isinstance(tracker, Mapping):
            continue
        matches: list[dict[str, Any]] = []
        for match in _list(tracker.get("matches")):
            if not isinstance(match, Mapping):
                continue
            key = f"k:{tracker.get('name')}:{match.get('value')}:{_message_ids(match)}"
            if key not in sent:
                sent.add(key)
                matches.append(
                    {
                        "type": str(match.get("type") or "vocabulary"),
                        "value": str(match.get("value") or ""),
                        "messageRefs": _match_refs(match.get("messageRefs")),
                        "insightRefs": _match_refs(match.get("insightRefs")),
                    }
                )
        if matches:
            fresh.trackers.append({"name": str(tracker.get("name") or ""), "matches": matches})
    for entity in _list(bundle.get("entities")):
        if not isinstance(entity, Mapping):
            continue
        found: list[dict[str, Any]] = []
        for match in _list(entity.get("matches")):
            if not isinstance(match, Mapping):
                continue
            key = f"e:{entity.get('type')}:{entity.get('subType')}:{match.get('detectedValue')}:{_message_ids(match)}"
            if key not in sent:
                sent.add(key)
                found.append(
                    {
                        "detectedValue": match.get("detectedValue"),
                        "messageRefs": _match_refs(match.get("messageRefs")),
                    }
                )
        if found:
            fresh.entities.append(
                {
                    "type": entity.get("type"),
                    "subType": entity.get("subType"),
                    "category": entity.get("category") or "Managed",
                    "matches": found,
                }
            )
    return fresh


def message_index(ids: Sequence[str]) -> dict[str, int]:
    return {mid: index for index, mid in enumerate(ids)}
