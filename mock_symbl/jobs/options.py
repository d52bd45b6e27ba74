"""Build the insight engine's options from a conversation's stored request options and its account."""

from __future__ import annotations

import json
from typing import Any

from mock_symbl.insights.models import (
    DEFAULT_CONFIDENCE_THRESHOLD,
    CustomEntitySpec,
    InsightOptions,
    ScorecardSpec,
    TrackerSpec,
)
from mock_symbl.manage import service as manage
from mock_symbl.services import Services
from mock_symbl.store.db import Session
from mock_symbl.store.tables import Conversation
from mock_symbl.tenancy import Tenant


def _as_bool(value: Any, default: bool) -> bool:
    if value is None:
        return default
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1", "yes")
    return bool(value)


def _as_threshold(value: Any) -> float:
    """confidenceThreshold from a body (number) or a query string (text); the default when absent or unreadable."""
    if isinstance(value, bool) or value is None:
        return DEFAULT_CONFIDENCE_THRESHOLD
    try:
        return float(value)
    except (TypeError, ValueError):
        return DEFAULT_CONFIDENCE_THRESHOLD


def _request_trackers(raw: Any) -> list[TrackerSpec]:
    out: list[TrackerSpec] = []
    for item in raw or []:
        if isinstance(item, dict) and item.get("name"):
            vocab = tuple(str(v) for v in item.get("vocabulary") or [] if str(v).strip())
            out.append(TrackerSpec(name=str(item["name"]), vocabulary=vocab, id=item.get("id")))
    return out


def _request_entities(raw: Any) -> list[CustomEntitySpec]:
    out: list[CustomEntitySpec] = []
    for item in raw or []:
        if isinstance(item, dict) and item.get("customType") and item.get("text"):
            out.append(CustomEntitySpec(type=str(item["customType"]), values=(str(item["text"]),)))
    return out


def _account_extras(
    session: Session, tenant: Tenant, opts: dict[str, Any]
) -> tuple[list[TrackerSpec], list[CustomEntitySpec], ScorecardSpec | None]:
    """Account trackers (only with enableAllTrackers), custom entities and the named scorecard."""
    trackers = (
        manage.account_trackers(session, tenant) if _as_bool(opts.get("enableAllTrackers"), False) else []
    )
    entities = manage.account_entities(session, tenant)
    features = opts.get("features")
    call_score = features.get("callScore") if isinstance(features, dict) else None
    scorecard_id = call_score.get("scorecardId") if isinstance(call_score, dict) else None
    scorecard = manage.get_scorecard(session, tenant, str(scorecard_id)) if scorecard_id else None
    return list(trackers), list(entities), scorecard


def build_options(services: Services, session: Session, conv: Conversation) -> InsightOptions:
    opts: dict[str, Any] = json.loads(conv.options_json or "{}")
    tenant = Tenant(conv.account, conv.namespace)
    acc_trackers, acc_entities, scorecard = _account_extras(session, tenant, opts)
    threshold = opts.get("confidenceThreshold")
    vocab = opts.get("customVocabulary") or []
    metadata = opts.get("metadata") if isinstance(opts.get("metadata"), dict) else {}
    return InsightOptions(
        conversation_id=conv.id,
        conversation_start=conv.start_time,
        confidence_threshold=_as_threshold(threshold),
        detect_phrases=_as_bool(opts.get("detectPhrases"), False),
        detect_entities=_as_bool(opts.get("detectEntities"), True),
        enable_summary=_as_bool(opts.get("enableSummary"), False),
        language_code=str(opts.get("languageCode") or "en-US"),
        custom_vocabulary=tuple(str(v) for v in vocab if isinstance(v, str)),
        trackers=tuple(_request_trackers(opts.get("trackers")) + acc_trackers),
        custom_entities=tuple(_request_entities(opts.get("entities")) + acc_entities),
        scorecard=scorecard,
        conversation_type=opts.get("conversationType"),
        metadata=dict(metadata or {}),
    )
