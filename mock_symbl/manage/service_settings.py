"""Account settings (rest.md §8.5): one JSON document per tenant edited with RFC 6902 operations.

The patched document is checked by manage.schemas.SettingsDocument: `intelligence.bookmarks.duration`
(seconds, > 0) and `redaction` ({default, type, exclude, custom}). Operations are applied by
manage.patching (`add` creates missing parents; `replace` of a missing path is a 400 saying to use `add`).
"""

from __future__ import annotations

import json
from typing import Any

from mock_symbl.errors import BadRequest
from mock_symbl.ids import stable_numeric_id
from mock_symbl.manage import patching
from mock_symbl.manage.schemas import PatchOperation, SettingsDocument
from mock_symbl.store import manage as repo
from mock_symbl.store.db import Session
from mock_symbl.store.manage import AccountSettings
from mock_symbl.tenancy import Tenant
from mock_symbl.wire import validate

ROOTS = ("intelligence", "redaction")


def account_settings(session: Session, tenant: Tenant) -> dict[str, Any]:
    row = repo.get_settings_row(session, tenant)
    return json.loads(row.settings_json) if row else {}


def settings_id(tenant: Tenant) -> str:
    return stable_numeric_id(tenant.account, tenant.namespace, "settings")


def patch_settings(session: Session, tenant: Tenant, *, body: list[PatchOperation]) -> dict[str, Any]:
    """Apply the operations in order, check the result against SettingsDocument, store it."""
    for operation in body:
        if operation.path == "/" or operation.path.split("/")[1] not in ROOTS:
            raise BadRequest(
                f'"path" {operation.path!r} is not a supported setting; use /intelligence/... or /redaction'
            )
    doc = patching.apply(account_settings(session, tenant), [operation.as_dict() for operation in body])
    validate(SettingsDocument, doc, joi=True)
    row = repo.get_settings_row(session, tenant)
    if row is None:
        row = AccountSettings(account=tenant.account, namespace=tenant.namespace, id=settings_id(tenant))
    row.settings_json = json.dumps(doc)
    session.add(row)
    session.commit()
    return doc


def bookmark_default_duration(session: Session, tenant: Tenant) -> float | None:
    duration = account_settings(session, tenant).get("intelligence", {}).get("bookmarks", {}).get("duration")
    return float(duration) if isinstance(duration, int | float) and not isinstance(duration, bool) else None
