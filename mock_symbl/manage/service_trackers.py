"""Account trackers (rest.md §8.1): both API generations over the same rows.

Rules: names unique and case-sensitive per tenant (409), vocabulary rules (400, see rules.py), at most 500
trackers per account (400), create/update concurrency 1 per account (429), bodies over 1 MB (413, in the
body reader). Gen-2 PATCH applies RFC 6902 operations with `jsonpatch`.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import jsonpatch
import jsonpointer
from sqlmodel import Session

from mock_symbl.errors import BadRequest, Conflict, TooManyRequests
from mock_symbl.manage import rules
from mock_symbl.manage.rules import RuleError
from mock_symbl.services import Services
from mock_symbl.store import manage as repo
from mock_symbl.store.manage import ManagedTracker
from mock_symbl.tenancy import Tenant

MSG_NOT_FOUND = "Tracker with the given trackerId does not exist."
MSG_LIMIT = f"You can create up to {rules.MAX_TRACKERS_PER_ACCOUNT} trackers per account."
MSG_BUSY = (
    "This API has a maximum concurrency of 1 request. Please retry after the previous request completes."
)

_V1_KEYS = frozenset({"id", "name", "vocabulary"})
_V2_KEYS = frozenset(
    {"id", "name", "description", "categories", "languages", "vocabulary", "excludeVocabulary"}
)
_LIST_PATHS = frozenset({"/categories", "/languages", "/vocabulary", "/excludeVocabulary"})
_PATCH_ROOTS = frozenset({"/name", "/description"}) | _LIST_PATHS
_PATCH_OPS = frozenset({"add", "replace", "remove"})


def _conflict(name: str) -> Conflict:
    return Conflict(f"Tracker with name '{name}' already exists.")


@contextmanager
def _exclusive(services: Services, tenant: Tenant) -> Iterator[None]:
    """Symbl allowed one create/update at a time per account; a concurrent one gets 429."""
    locks: dict[str, threading.Lock] = services.extras.setdefault("manage.tracker_locks", {})
    lock = locks.setdefault(f"{tenant.account}\x1f{tenant.namespace}", threading.Lock())
    if not lock.acquire(blocking=False):
        raise TooManyRequests(MSG_BUSY)
    try:
        yield
    finally:
        lock.release()


def _fields(body: Any, allowed: frozenset[str]) -> dict[str, Any]:
    """Validate one tracker body into column values; raises BadRequest with a Joi-like message."""
    if not isinstance(body, dict):
        raise BadRequest('"tracker" must be an object')
    for key in body:
        if key not in allowed:
            raise BadRequest(f'"{key}" is not allowed')
    if "name" not in body:
        raise BadRequest('"name" is required')
    if "vocabulary" not in body:
        raise BadRequest('"vocabulary" is required')
    try:
        return {
            "name": rules.check_tracker_name(body["name"]),
            "vocabulary": rules.check_vocabulary(body["vocabulary"]),
            "description": rules.check_optional_text(body.get("description"), "description"),
            "categories": rules.check_string_list(body.get("categories") or [], "categories"),
            "languages": rules.check_languages(body.get("languages")),
            "excludeVocabulary": rules.check_vocabulary(
                body.get("excludeVocabulary") or [], "excludeVocabulary", allow_empty=True
            ),
        }
    except RuleError as error:
        raise BadRequest(str(error)) from None


def _apply(row: ManagedTracker, fields: dict[str, Any]) -> None:
    row.name = fields["name"]
    row.vocabulary_json = json.dumps(fields["vocabulary"])
    row.description = fields["description"]
    row.categories_json = json.dumps(fields["categories"])
    row.languages_json = json.dumps(fields["languages"])
    row.exclude_vocabulary_json = json.dumps(fields["excludeVocabulary"])


def _create_rows(
    services: Services, session: Session, tenant: Tenant, bodies: list[Any], allowed: frozenset[str]
) -> list[ManagedTracker]:
    if not bodies:
        raise BadRequest('"trackers" must contain at least 1 items')
    if repo.count_rows(session, ManagedTracker, tenant) + len(bodies) > rules.MAX_TRACKERS_PER_ACCOUNT:
        raise BadRequest(MSG_LIMIT)
    validated = [_fields(body, allowed) for body in bodies]
    names = [f["name"] for f in validated]
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise _conflict(name)
        seen.add(name)
    existing = repo.trackers_named(session, tenant, names)
    if existing:
        raise _conflict(existing[0].name)
    now = services.clock.now()
    seq = repo.next_seq(session, ManagedTracker, tenant)
    rows: list[ManagedTracker] = []
    for offset, fields in enumerate(validated):
        row = ManagedTracker(
            id=services.ids.numeric(),
            account=tenant.account,
            namespace=tenant.namespace,
            name=fields["name"],
            created_at=now,
            updated_at=now,
            seq=seq + offset,
        )
        _apply(row, fields)
        repo.add(session, row)
        rows.append(row)
    session.commit()
    return rows


def create_one(
    services: Services, session: Session, tenant: Tenant, *, body: Any, gen2: bool
) -> ManagedTracker:
    """POST /v1/manage/tracker (Gen-1) or POST /v1/manage/trackers with an object (Gen-2)."""
    with _exclusive(services, tenant):
        return _create_rows(services, session, tenant, [body], _V2_KEYS if gen2 else _V1_KEYS)[0]


def create_many(services: Services, session: Session, tenant: Tenant, *, body: Any) -> list[ManagedTracker]:
    """Bulk create (Gen-1 array on /trackers, Gen-2 /trackers/bulk): all or nothing."""
    if not isinstance(body, list):
        raise BadRequest('"value" must be an array')
    with _exclusive(services, tenant):
        return _create_rows(services, session, tenant, body, _V2_KEYS)


def get(session: Session, tenant: Tenant, tracker_id: str) -> ManagedTracker:
    return repo.get_row(session, ManagedTracker, tenant, tracker_id, MSG_NOT_FOUND)


def list_all(session: Session, tenant: Tenant, *, name: str | None = None) -> list[ManagedTracker]:
    if name is not None:
        found = repo.tracker_by_name(session, tenant, name)
        return [found] if found else []
    return repo.list_rows(session, ManagedTracker, tenant)


def _check_rename(session: Session, tenant: Tenant, row: ManagedTracker, name: str) -> None:
    other = repo.tracker_by_name(session, tenant, name)
    if other is not None and other.id != row.id:
        raise _conflict(name)


def replace(
    services: Services, session: Session, tenant: Tenant, tracker_id: str, *, body: Any
) -> ManagedTracker:
    """Gen-1 PUT: name and vocabulary replaced (other Gen-2 fields are kept)."""
    with _exclusive(services, tenant):
        row = get(session, tenant, tracker_id)
        if isinstance(body, dict) and "id" in body and str(body["id"]) != tracker_id:
            raise BadRequest('"id" does not match the trackerId of the path')
        # Fields Gen-1 does not know (description, categories...) are kept from the stored tracker.
        document = {**_document(row), **body} if isinstance(body, dict) else body
        fields = _fields(document, _V2_KEYS)
        _check_rename(session, tenant, row, fields["name"])
        _apply(row, fields)
        row.updated_at = services.clock.now()
        session.add(row)
        session.commit()
        return row


def _document(row: ManagedTracker) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "name": row.name,
        "categories": json.loads(row.categories_json),
        "languages": json.loads(row.languages_json),
        "vocabulary": json.loads(row.vocabulary_json),
        "excludeVocabulary": json.loads(row.exclude_vocabulary_json),
    }
    if row.description is not None:
        doc["description"] = row.description
    return doc


def _translate(operation: Any, doc: dict[str, Any]) -> dict[str, Any]:
    """Check one operation; map the Go SDK's string values on list paths onto RFC 6902 list edits."""
    if not isinstance(operation, dict):
        raise BadRequest("Each operation must be an object with op, path and value.")
    op, path = operation.get("op"), operation.get("path")
    if not isinstance(op, str) or op not in _PATCH_OPS:
        raise BadRequest(f'"op" must be one of [add, replace, remove], got {op!r}')
    if not isinstance(path, str) or not path.startswith("/"):
        raise BadRequest('"path" must be a JSON pointer such as "/vocabulary"')
    root = "/" + path[1:].split("/", 1)[0]
    if (
        root not in _PATCH_ROOTS
        or root == "/name"
        and path != "/name"
        or root == "/description"
        and path != "/description"
    ):
        raise BadRequest(f'"path" {path!r} is not allowed; use one of {", ".join(sorted(_PATCH_ROOTS))}')
    if op != "remove" and "value" not in operation:
        raise BadRequest(f'"value" is required for "{op}"')
    value = operation.get("value")
    if path in _LIST_PATHS and isinstance(value, str):
        if op == "add":
            return {"op": "add", "path": path + "/-", "value": value}
        if op == "replace":
            return {"op": "replace", "path": path, "value": [value]}
        terms = doc.get(path[1:], [])
        keys = [rules.normalise_term(t) for t in terms]
        if rules.normalise_term(value) not in keys:
            raise BadRequest(f"{value!r} is not in {path[1:]}")
        return {"op": "remove", "path": f"{path}/{keys.index(rules.normalise_term(value))}"}
    if op == "replace" and path in ("/name", "/description"):
        op = "add"  # RFC 6902 add sets a member whether or not it exists; a first description is common
    out: dict[str, Any] = {"op": op, "path": path}
    if op != "remove":
        out["value"] = value
    return out


def patch(
    services: Services, session: Session, tenant: Tenant, tracker_id: str, *, body: Any
) -> ManagedTracker:
    """Gen-2 PATCH with [{op, path, value}] applied by jsonpatch, then the same rules as create."""
    if isinstance(body, dict):
        body = [body]
    if not isinstance(body, list) or not body:
        raise BadRequest('"value" must be a non-empty array of operations')
    with _exclusive(services, tenant):
        row = get(session, tenant, tracker_id)
        doc = _document(row)
        try:
            for operation in body:
                doc = jsonpatch.apply_patch(doc, [_translate(operation, doc)])
        except (jsonpatch.JsonPatchException, jsonpointer.JsonPointerException) as error:
            raise BadRequest(f"Invalid patch operation: {error}") from None
        if "name" not in doc:
            raise BadRequest('"name" cannot be removed')
        fields = _fields(doc, _V2_KEYS)
        _check_rename(session, tenant, row, fields["name"])
        _apply(row, fields)
        row.updated_at = services.clock.now()
        session.add(row)
        session.commit()
        return row


def delete(services: Services, session: Session, tenant: Tenant, tracker_id: str) -> str:
    row = get(session, tenant, tracker_id)
    repo.remove(session, row)
    session.commit()
    return tracker_id
