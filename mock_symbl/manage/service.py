"""The Management API as seen by other areas: account trackers, entities, scorecards and settings.

The job service calls these when it builds InsightOptions (`jobs/options.py`); the messages route and
redaction read `account_settings`.
"""

from __future__ import annotations

import json
from typing import Any

from mock_symbl.insights.models import CustomEntitySpec, ScorecardSpec, TrackerSpec
from mock_symbl.manage import service_callscore, service_settings
from mock_symbl.store import manage as repo
from mock_symbl.store.db import Session
from mock_symbl.store.manage import ManagedEntity, ManagedTracker
from mock_symbl.tenancy import Tenant


def account_trackers(session: Session, tenant: Tenant) -> list[TrackerSpec]:
    """Every managed tracker of the tenant (what `enableAllTrackers` turns on)."""
    return [
        TrackerSpec(name=row.name, vocabulary=tuple(json.loads(row.vocabulary_json)), id=row.id)
        for row in repo.list_rows(session, ManagedTracker, tenant)
    ]


def account_entities(session: Session, tenant: Tenant) -> list[CustomEntitySpec]:
    """Every custom entity of the tenant, for entity detection."""
    return [
        CustomEntitySpec(
            type=row.type,
            values=tuple(json.loads(row.values_json)),
            sub_type=row.sub_type,
            category=row.category,
            id=row.id,
        )
        for row in repo.list_rows(session, ManagedEntity, tenant)
    ]


def get_scorecard(session: Session, tenant: Tenant, scorecard_id: str) -> ScorecardSpec | None:
    """The named scorecard with its criteria resolved (managed `Symbl.*` or custom), None if unknown."""
    return service_callscore.scorecard_spec(session, tenant, scorecard_id)


def account_settings(session: Session, tenant: Tenant) -> dict[str, Any]:
    """The tenant's settings document (`{}` until PATCHed): redaction defaults, bookmark duration."""
    return service_settings.account_settings(session, tenant)


def effective_redaction(
    session: Session, tenant: Tenant, *, redact: bool | None, exclude: list[str]
) -> tuple[bool, list[str]]:
    """Apply the account's redaction settings to a messages request.

    `redact=None` (the query parameter was not given) takes `redaction.default`; the account's
    `redaction.exclude` entity types are added to the request's `exclude`.
    """
    redaction = account_settings(session, tenant).get("redaction") or {}
    enabled = bool(redaction.get("default", False)) if redact is None else redact
    extra = [str(e) for e in redaction.get("exclude") or [] if isinstance(e, str)]
    return enabled, list(dict.fromkeys([*exclude, *extra]))
