"""Account settings (rest.md §8.5): one JSON document per tenant edited with RFC 6902 operations.

Known settings are type-checked after the patch: `intelligence.bookmarks.duration` (seconds, > 0) and
`redaction` ({default, type, exclude, custom}). `add` creates missing parent objects (the docs' first write
is `add /intelligence/bookmarks/duration` on an empty document); `replace` of a missing path is a 400 telling
the caller to use `add`, as the docs require.
"""

from __future__ import annotations

import json
from typing import Any

import jsonpatch
import jsonpointer
from sqlmodel import Session

from mock_symbl.errors import BadRequest
from mock_symbl.ids import stable_numeric_id
from mock_symbl.store import manage as repo
from mock_symbl.store.manage import AccountSettings
from mock_symbl.tenancy import Tenant

ROOTS = ("intelligence", "redaction")
OPS = ("add", "replace", "remove")
REDACTION_TYPES = ("default", "obfuscation", "custom")


def account_settings(session: Session, tenant: Tenant) -> dict[str, Any]:
    row = repo.get_settings_row(session, tenant)
    return json.loads(row.settings_json) if row else {}


def settings_id(tenant: Tenant) -> str:
    return stable_numeric_id(tenant.account, tenant.namespace, "settings")


def _check_operation(operation: Any) -> dict[str, Any]:
    if not isinstance(operation, dict):
        raise BadRequest("Each operation must be an object with op, path and value.")
    op, path = operation.get("op"), operation.get("path")
    if op not in OPS:
        raise BadRequest(f'"op" must be one of [add, replace, remove], got {op!r}')
    if not isinstance(path, str) or not path.startswith("/") or path == "/":
        raise BadRequest('"path" must be a JSON pointer such as "/intelligence/bookmarks/duration"')
    if path.split("/")[1] not in ROOTS:
        raise BadRequest(f'"path" {path!r} is not a supported setting; use /intelligence/... or /redaction')
    if op != "remove" and "value" not in operation:
        raise BadRequest(f'"value" is required for "{op}"')
    return {k: operation[k] for k in ("op", "path", "value") if k in operation}


def _ensure_parents(doc: dict[str, Any], path: str) -> None:
    node: Any = doc
    for part in jsonpointer.JsonPointer(path).parts[:-1]:
        if not isinstance(node, dict):
            return
        node = node.setdefault(part, {})


def _validate(doc: dict[str, Any]) -> None:
    intelligence = doc.get("intelligence")
    if intelligence is not None and not isinstance(intelligence, dict):
        raise BadRequest('"intelligence" must be an object')
    bookmarks = (intelligence or {}).get("bookmarks")
    if bookmarks is not None:
        if not isinstance(bookmarks, dict):
            raise BadRequest('"intelligence.bookmarks" must be an object')
        duration = bookmarks.get("duration")
        if duration is not None and (
            isinstance(duration, bool) or not isinstance(duration, int | float) or duration <= 0
        ):
            raise BadRequest('"intelligence.bookmarks.duration" must be a positive number of seconds')
    redaction = doc.get("redaction")
    if redaction is None:
        return
    if not isinstance(redaction, dict):
        raise BadRequest('"redaction" must be an object')
    if "default" in redaction and not isinstance(redaction["default"], bool):
        raise BadRequest('"redaction.default" must be a boolean')
    if "type" in redaction and redaction["type"] not in REDACTION_TYPES:
        raise BadRequest('"redaction.type" must be one of [default, obfuscation, custom]')
    exclude = redaction.get("exclude")
    if exclude is not None and (
        not isinstance(exclude, list) or not all(isinstance(e, str) for e in exclude)
    ):
        raise BadRequest('"redaction.exclude" must be an array of entity types')
    custom = redaction.get("custom")
    if custom is not None and (
        not isinstance(custom, dict) or not all(isinstance(v, str) for v in custom.values())
    ):
        raise BadRequest('"redaction.custom" must map entity types to replacement strings')


def patch_settings(session: Session, tenant: Tenant, *, body: Any) -> dict[str, Any]:
    """Apply the operations in order, validate the result, store it; returns the new document."""
    if isinstance(body, dict):
        body = [body]
    if not isinstance(body, list) or not body:
        raise BadRequest("The body must be a non-empty array of RFC 6902 operations.")
    doc = account_settings(session, tenant)
    for raw in body:
        operation = _check_operation(raw)
        if operation["op"] == "add":
            _ensure_parents(doc, operation["path"])
        try:
            doc = jsonpatch.apply_patch(doc, [operation])
        except jsonpatch.JsonPatchConflict as error:
            hint = ' (use "add" the first time a setting is written)' if operation["op"] == "replace" else ""
            raise BadRequest(f"Cannot {operation['op']} {operation['path']}: {error}{hint}") from None
        except (jsonpatch.JsonPatchException, jsonpointer.JsonPointerException) as error:
            raise BadRequest(f"Invalid patch operation: {error}") from None
    _validate(doc)
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
