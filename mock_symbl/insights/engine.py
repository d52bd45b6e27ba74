"""Engine entry point: messages + options -> the JSON-ready insight bundle stored per conversation.

Guarantee: the bundle is a pure function of (messages, options); no clock, no randomness, ids are stable
hashes of (conversation id, kind, content). Views (views.py) render every route's answer from it.
"""

from __future__ import annotations

import dataclasses
import gc
import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from typing import Any

from mock_symbl.clock import iso, parse_iso
from mock_symbl.ids import stable_numeric_id
from mock_symbl.insights import actions, dates, reports, sentiment, summary, topics, trackers
from mock_symbl.insights.analytics import compute_analytics
from mock_symbl.insights.entities import Detector, EntityHit
from mock_symbl.insights.models import CustomEntitySpec, InsightOptions, ScorecardSpec, TrackerSpec
from mock_symbl.insights.text import words
from mock_symbl.messages import Message, Speaker

INTENT_SCORE = 0.9  # an intent is matched by its phrasing, so it is reported with one fixed score
BUNDLE_VERSION = 5  # bump when the bundle's shape changes: stored bundles are recomputed on read


def members_of(messages: Sequence[Message]) -> list[Speaker]:
    """Distinct speakers in order of their first message."""
    seen: dict[str, Speaker] = {}
    for m in messages:
        if m.speaker is not None and m.speaker.id not in seen:
            seen[m.speaker.id] = m.speaker
    return list(seen.values())


def _entity_groups(
    cid: str, messages: Sequence[Message], hits: Sequence[Sequence[EntityHit]], detect_entities: bool
) -> list[dict[str, Any]]:
    """Entities in the 2023 shape (one object per category/type/subType, one match per value).

    Each match also keeps the first surface `text`, which the 2022 flat view needs.
    """
    entities: dict[tuple[str, str, str], dict[str, Any]] = {}
    matches: dict[tuple[str, ...], dict[str, Any]] = {}
    for message, message_hits in zip(messages, hits, strict=True):
        for hit in message_hits:
            if hit.category == "Managed" and not detect_entities:
                continue
            key = (hit.category, hit.type, hit.sub_type)
            entity = entities.get(key)
            if entity is None:
                entity = entities[key] = {
                    "id": stable_numeric_id(cid, "entity", *key),
                    "type": hit.type,
                    "subType": hit.sub_type,
                    "category": hit.category,
                    "matches": [],
                }
                if hit.custom_type:
                    entity["customType"] = hit.custom_type
            match = matches.get((*key, hit.value.lower()))
            if match is None:
                match = matches[(*key, hit.value.lower())] = {
                    "detectedValue": hit.value,
                    "text": hit.text,
                    "messageRefs": [],
                }
                entity["matches"].append(match)
            match["messageRefs"].append(
                {
                    "id": message.id,
                    "startTime": iso(message.start),
                    "endTime": iso(message.end),
                    "text": message.text,
                    "offset": hit.start,
                }
            )
    return list(entities.values())


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a bundle is built.

    A bundle is hundreds of thousands of small, acyclic, long-lived objects; each one pushes the collector
    towards a full pass over the whole process heap (about a fifth of the time for 10,000 messages).
    Reference counting still frees garbage; the collector is re-enabled only if we paused it.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def compute_bundle(messages: Sequence[Message], options: InsightOptions) -> dict[str, Any]:
    """Compute every insight for `messages` (pure and deterministic)."""
    if options.language_code.lower().startswith("en"):
        with _collector_paused():
            return _compute(messages, options)
    # Symbl derives insights for English only: other languages keep their transcript, with no insights.
    with _collector_paused():
        bundle = _compute((), options)
    bundle["wordCount"] = sum(len(words(m.text)) for m in messages)  # the transcript's, all the same
    return bundle


def _compute(messages: Sequence[Message], options: InsightOptions) -> dict[str, Any]:
    messages = sorted(messages, key=lambda m: m.seq)
    cid = options.conversation_id
    anchor = dates.anchor_date(options.conversation_start)
    members = members_of(messages)
    detector = Detector((s.name or "" for s in members), options.custom_entities, anchor)
    rules = actions.Rules(members, anchor)
    threshold = options.confidence_threshold

    index = topics.MessageIndex(messages)
    per_message: dict[str, dict[str, Any]] = {}
    all_hits: list[list[EntityHit]] = []
    questions: list[dict[str, Any]] = []
    action_items: list[dict[str, Any]] = []
    follow_ups: list[dict[str, Any]] = []
    intents: list[dict[str, Any]] = []
    for message, ws in zip(messages, index.words, strict=True):
        hits = detector.detect(message.text)
        all_hits.append(hits)
        q_score = actions.is_question(message.text, ws)
        if q_score and q_score >= threshold:
            found = actions.Found("question", message, q_score)
            questions.append(actions.insight_json(found, cid, hits, options.detect_phrases))
        found_dates = [date.fromisoformat(h.value) for h in hits if h.kind == "date"]
        candidate = rules.action(message, q_score, ws, found_dates)
        phrases: list[str] = []
        if candidate is not None and candidate.score >= threshold:
            item = actions.insight_json(candidate, cid, hits, options.detect_phrases)
            (follow_ups if candidate.kind == "follow_up" else action_items).append(item)
            if candidate.phrase:
                phrases.append(candidate.phrase)
        intent = actions.intent_of(message.text)
        if intent:
            intents.append(
                {
                    "id": stable_numeric_id(cid, "intent", message.id, intent),
                    "text": message.text,
                    "type": "intent",
                    "score": INTENT_SCORE,
                    "messageIds": [message.id],
                    "intent": intent,
                    "alternatives": [],
                    "entities": [],
                }
            )
        per_message[message.id] = {
            "seq": message.seq,
            "sentiment": sentiment.polarity(message.text),
        }
        # Empty lists are left out: 10,000 messages mostly have neither, and the bundle is stored as JSON.
        if phrases:
            per_message[message.id]["phrases"] = phrases
        if hits:
            per_message[message.id]["redact"] = [[h.start, h.end, h.sub_type, h.type] for h in hits]

    # Topics are subjects, not people: member names and every detected person name are excluded.
    people = [s.name or "" for s in members] + [
        h.value for hits in all_hits for h in hits if h.kind == "person"
    ]
    names = frozenset(part.lower() for name in people for part in name.split())
    by_message: dict[str, list[dict[str, Any]]] = {}
    for insight in questions + action_items + follow_ups:
        by_message.setdefault(insight["messageIds"][0], []).append(insight)
    bundle: dict[str, Any] = {
        "version": BUNDLE_VERSION,
        "conversationId": cid,
        "options": options_to_json(options),
        "messageCount": len(messages),
        "wordCount": index.total_words,  # Call Score and the Insights UI need >= 50 (rest.md §5.21)
        "members": [dataclasses.asdict(s) for s in members],  # Speaker holds only str/None
        "messages": per_message,
        "questions": questions,
        "actionItems": action_items,
        "followUps": follow_ups,
        "intents": intents,
        "topics": [t for t in topics.extract_topics(cid, index, names) if t["score"] >= threshold],
        "customTopics": topics.vocabulary_topics(cid, options.custom_vocabulary, index),
        "abstractTopics": topics.abstract_topics(cid, index),
        "entities": _entity_groups(cid, messages, all_hits, options.detect_entities),
        "trackers": trackers.match_trackers(cid, options.trackers, index, by_message),
        "analytics": compute_analytics(messages, [len(ws) for ws in index.words]),
        "summary": summary.summarize(cid, messages, index),
        "summaryMessageCount": len(messages),
    }
    bundle["callScore"] = reports.CallScorer(messages, bundle, index).score(options.scorecard)
    bundle["lmInsights"] = reports.lm_insights(messages, bundle)
    return bundle


def refresh_summary(bundle: dict[str, Any], messages: Sequence[Message], *, full: bool) -> dict[str, Any]:
    """POST/GET summary with refresh: full=True re-summarizes everything, False only the new messages."""
    messages = sorted(messages, key=lambda m: m.seq)
    cid = bundle.get("conversationId", "")
    done = int(bundle.get("summaryMessageCount", 0))
    if full or done > len(messages):
        bundle["summary"] = summary.summarize(cid, messages)
    elif done < len(messages):
        bundle["summary"] = list(bundle.get("summary", [])) + summary.summarize(cid, messages[done:])
    bundle["summaryMessageCount"] = len(messages)
    return bundle


def options_to_json(options: InsightOptions) -> dict[str, Any]:
    """InsightOptions as plain JSON (stored in the bundle so a refresh recomputes with the same options)."""
    data = dataclasses.asdict(options)
    data["conversation_start"] = iso(options.conversation_start)
    out: dict[str, Any] = json.loads(json.dumps(data))  # tuples -> lists: the bundle is plain JSON
    return out


def options_from_json(data: dict[str, Any]) -> InsightOptions:
    """Inverse of options_to_json; unknown keys are ignored so older bundles still load."""
    fields = {f.name for f in dataclasses.fields(InsightOptions)}
    values = {k: v for k, v in data.items() if k in fields}
    start = values.get("conversation_start")
    values["conversation_start"] = (
        parse_iso(start) if isinstance(start, str) else datetime.fromtimestamp(0, tz=UTC)
    )
    values["custom_vocabulary"] = tuple(values.get("custom_vocabulary") or ())
    values["trackers"] = tuple(
        TrackerSpec(name=t["name"], vocabulary=tuple(t.get("vocabulary") or ()), id=t.get("id"))
        for t in values.get("trackers") or ()
    )
    values["custom_entities"] = tuple(
        CustomEntitySpec(
            type=e["type"],
            values=tuple(e.get("values") or ()),
            sub_type=e.get("sub_type"),
            category=e.get("category", "Custom"),
            id=e.get("id"),
        )
        for e in values.get("custom_entities") or ()
    )
    card = values.get("scorecard")
    values["scorecard"] = (
        ScorecardSpec(id=card["id"], criteria=tuple(card.get("criteria") or ()))
        if isinstance(card, dict)
        else None
    )
    values["metadata"] = dict(values.get("metadata") or {})
    return InsightOptions(**values)
