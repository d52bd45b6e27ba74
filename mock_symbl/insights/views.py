"""Render each route's answer from a stored bundle (no NLP at read time, except custom topic terms)."""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Iterable, Mapping, Sequence
from datetime import timedelta
from typing import Any

from mock_symbl.clock import iso
from mock_symbl.insights import sentiment as sentiment_mod
from mock_symbl.insights import topics as topics_mod
from mock_symbl.messages import Message

Bundle = Mapping[str, Any]
WORD_SCORE_FLOOR = 0.7  # word confidences of recognized speech fall in 0.70-0.99, as in the docs' example


def _from(message: Message) -> dict[str, Any]:
    if message.speaker is None:
        return {}
    out: dict[str, Any] = {"id": message.speaker.id, "name": message.speaker.name}
    if message.speaker.user_id:
        out["userId"] = message.speaker.user_id
    if message.speaker.email:
        out["email"] = message.speaker.email
    return out


def redact_text(text: str, spans: Iterable[Sequence[Any]], exclude: Sequence[str]) -> str:
    """Replace each detected entity with `[SUBTYPE]` unless its subType or type is in `exclude`."""
    skip = {e.strip().upper() for e in exclude}
    out = text
    for start, end, sub_type, etype in sorted(spans, key=lambda s: s[0], reverse=True):
        if str(sub_type).upper() in skip or str(etype).upper() in skip:
            continue
        out = out[:start] + f"[{str(sub_type).upper()}]" + out[end:]
    return out


def word_score(message: Message, index: int, word: str) -> float:
    """A recognition confidence for a word of audio or video, 0.70-0.99, a stable function of the word."""
    digest = hashlib.blake2b(f"{message.id}:{index}:{word}".encode(), digest_size=2).digest()
    return round(WORD_SCORE_FLOOR + (int.from_bytes(digest, "big") % 30) / 100, 2)


def words_of(message: Message, text: str, *, scored: bool = False) -> list[dict[str, Any]]:
    """Word timings: the message's duration shared by the words in proportion to (characters + 1).

    `scored` (audio and video) adds each word's `score`; the docs: a text conversation returns none.
    """
    tokens = text.split()
    if not tokens:
        return []
    weights = [len(t) + 1 for t in tokens]
    total = float(sum(weights))
    out, elapsed = [], 0.0
    for index, (token, weight) in enumerate(zip(tokens, weights, strict=True)):
        start = elapsed
        elapsed += message.duration * weight / total
        word: dict[str, Any] = {
            "word": token,
            "startTime": iso(message.start + timedelta(seconds=start)),
            "endTime": iso(message.start + timedelta(seconds=elapsed)),
            "timeOffset": round(message.time_offset + start, 2),
            "duration": round(elapsed - start, 2),
        }
        if scored:
            word["score"] = word_score(message, index, token)
        out.append(word)
    return out


def render_messages(
    messages: Sequence[Message],
    bundle: Bundle,
    *,
    verbose: bool,
    sentiment: bool,
    redact: bool,
    exclude: Sequence[str],
    detect_phrases: bool,
    word_scores: bool = False,
) -> list[dict[str, Any]]:
    """GET .../messages items; per-message facts come from the bundle (recomputed if missing)."""
    facts: Mapping[str, Any] = bundle.get("messages") or {}
    out = []
    for message in messages:
        info = facts.get(message.id) or {}
        text = redact_text(message.text, info.get("redact", []), exclude) if redact else message.text
        item: dict[str, Any] = {
            "id": message.id,
            "text": text,
            "from": _from(message),
            "startTime": iso(message.start),
            "endTime": iso(message.end),
            "timeOffset": round(message.time_offset, 2),
            "duration": round(message.duration, 2),
            "conversationId": message.conversation_id,
            "phrases": [{"type": "action_phrase", "text": p} for p in info.get("phrases", [])]
            if detect_phrases
            else [],
        }
        if sentiment:
            score = info.get("sentiment")
            item["sentiment"] = sentiment_mod.sentiment_object(
                float(score) if score is not None else sentiment_mod.polarity(message.text)
            )
        if verbose:
            item["words"] = words_of(message, text, scored=word_scores)
        out.append(item)
    return out


def _items(bundle: Bundle, key: str) -> list[dict[str, Any]]:
    return copy.deepcopy(list(bundle.get(key) or []))


def questions(bundle: Bundle) -> dict[str, Any]:
    return {"questions": _items(bundle, "questions")}


def action_items(bundle: Bundle) -> dict[str, Any]:
    return {"actionItems": _items(bundle, "actionItems")}


def follow_ups(bundle: Bundle) -> dict[str, Any]:
    return {"followUps": _items(bundle, "followUps")}


def insights(bundle: Bundle) -> dict[str, Any]:
    """Questions, action items and follow-ups in one list, in conversation order."""
    items = _items(bundle, "questions") + _items(bundle, "actionItems") + _items(bundle, "followUps")
    order = {mid: info.get("seq", 0) for mid, info in (bundle.get("messages") or {}).items()}
    kinds = {"question": 0, "action_item": 1, "follow_up": 2}
    items.sort(key=lambda i: (order.get(i["messageIds"][0], 0), kinds.get(i["type"], 3)))
    return {"insights": items}


def intents(bundle: Bundle) -> dict[str, Any]:
    return {"intents": _items(bundle, "intents")}


def topics(
    bundle: Bundle,
    messages: Sequence[Message] | None = None,
    *,
    sentiment: bool = False,
    parent_refs: bool = False,
    vocabulary: Sequence[str] | None = None,
) -> dict[str, Any]:
    """Topics; custom vocabulary terms (found in the conversation) come first with score 1.0."""
    items = _items(bundle, "topics")
    custom: list[dict[str, Any]] = []
    if vocabulary is not None and messages is not None:
        index = topics_mod.MessageIndex(messages)
        custom = topics_mod.vocabulary_topics(str(bundle.get("conversationId", "")), vocabulary, index)
    elif vocabulary is not None:
        custom = _items(bundle, "customTopics")
    texts = {t["text"] for t in custom}
    items = custom + [t for t in items if t["text"] not in texts]
    if parent_refs:
        topics_mod.link_parents(items)
    for item in items:
        if not sentiment or parent_refs:  # the docs: parentRefs does not support sentiment
            item.pop("sentiment", None)
        if not parent_refs:
            item["parentRefs"] = []  # every docs example carries the key; links only with parentRefs=true
    return {"topics": items}


def abstract_topics(bundle: Bundle) -> dict[str, Any]:
    return {"abstractTopics": _items(bundle, "abstractTopics")}


def comprehensive_action_items(bundle: Bundle) -> dict[str, Any]:
    """Labs: action items and follow-ups as action items, with messageRefs instead of messageIds."""
    out = []
    for item in _items(bundle, "actionItems") + _items(bundle, "followUps"):
        item["type"] = "action_item"
        item["messageRefs"] = [{"id": mid} for mid in item.pop("messageIds", [])]
        item.pop("dueBy", None)
        out.append(item)
    return {"actionItems": out}


def entities(bundle: Bundle, fmt: str = "2023") -> dict[str, Any]:
    """2023: grouped by type/subType with matches; 2022: one flat object per detected value."""
    groups = _items(bundle, "entities")
    if fmt == "2022":
        flat = []
        for g in groups:
            for match in g["matches"]:
                item: dict[str, Any] = {
                    "type": "custom" if g["category"] == "Custom" else g["type"],
                    "value": match["detectedValue"],
                    "text": match.get("text", match["detectedValue"]),
                    "messageRefs": [
                        {"id": r["id"], "text": r["text"], "offset": r["offset"]}
                        for r in match["messageRefs"]
                    ],
                }
                if g["category"] == "Custom":
                    item["customType"] = g.get("customType") or g["type"]
                flat.append(item)
        return {"entities": flat}
    out = []
    for g in groups:
        custom_type = g.pop("customType", None)
        # The 2022 fields every docs example shows (value, text, messageRefs, customType) next to the 2023
        # ones, so clients of either generation read the answer; symbl_rest 1.0.14's EntitiesTag needs text.
        g["value"] = g["matches"][0]["detectedValue"] if g["matches"] else ""
        g["text"] = g["matches"][0].get("text", "") if g["matches"] else ""
        if g["category"] == "Custom":
            g["customType"] = custom_type or g["type"]
        g["messageRefs"] = [ref for match in g["matches"] for ref in match["messageRefs"]]
        for match in g["matches"]:
            match.pop("text", None)
        out.append(g)
    return {"entities": out}


def trackers(bundle: Bundle) -> list[dict[str, Any]]:
    return _items(bundle, "trackers")


def analytics(bundle: Bundle) -> dict[str, Any]:
    return copy.deepcopy(dict(bundle.get("analytics") or {"metrics": [], "members": []}))


def summary(bundle: Bundle) -> dict[str, Any]:
    return {"summary": _items(bundle, "summary")}


def callscore(bundle: Bundle) -> dict[str, Any]:
    return copy.deepcopy(dict(bundle.get("callScore") or {"score": 0, "summary": "", "criteria": []}))


def lm_insights(bundle: Bundle, *, meeting_name: str, video_url: str | None) -> list[dict[str, Any]]:
    report = copy.deepcopy(dict(bundle.get("lmInsights") or {}))
    report["meetingName"] = meeting_name
    report["videoUrl"] = video_url
    return [report]
