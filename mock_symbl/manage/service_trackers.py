"""Account trackers (rest.md §8.1): both API generations over the same rows.

Rules: names unique and case-sensitive per tenant (409), vocabulary rules (400, see rules.py), at most 500
trackers per account (400), create/update concurrency 1 per account (429), bodies over 1 MB (413, in
wire.CappedJsonRoute). Bodies arrive validated (manage/schemas.py); Gen-2 PATCH applies RFC 6902 operations
with manage.patching and validates the result with the same model as create.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from mock_symbl.errors import BadRequest, Conflict, TooManyRequests
from mock_symbl.manage import patching, rules
from mock_symbl.manage.schemas import TRACKER_DEFAULTS, PatchOperation, TrackerChanges, TrackerIn, TrackerV1In
from mock_symbl.services import Services
from mock_symbl.store import manage as repo
from mock_symbl.store.db import Session
from mock_symbl.store.manage import ManagedTracker
from mock_symbl.tenancy import Tenant
from mock_symbl.wire import validate

MSG_NOT_FOUND = "Tracker with the given trackerId does not exist."
MSG_LIMIT = f"You can create up to {rules.MAX_TRACKERS_PER_ACCOUNT} trackers per account."
MSG_BUSY = (
    "This API has a maximum concurrency of 1 request. Please retry after the previous request completes."
)

_LIST_PATHS = frozenset({"/categories", "/languages", "/vocabulary", "/excludeVocabulary"})
_PATCH_ROOTS = frozenset({"/name", "/description"}) | _LIST_PATHS


def _conflict(name: str) -> Conflict:
    return Conflict(f"Tracker with name '{name}' already exists.")


@contextmanager
def _exclusive(services: Services, tenant: Tenant) -> Iterator[None]:
    """Symbl allowed one create/update at a time per account; a concurrent one gets 429."""
    lock = services.tracker_locks.setdefault(f"{tenant.account}\x1f{tenant.namespace}", threading.Lock())
    if not lock.acquire(blocking=False):
        raise TooManyRequests(MSG_BUSY)
    try:
        yield
    finally:
        lock.release()


def _apply(row: ManagedTracker, fields: dict[str, Any]) -> None:
    row.name = fields["name"]
    row.vocabulary_json = json.dumps(fields["vocabulary"])
    row.description = fields["description"]
    row.categories_json = json.dumps(fields["categories"])
    row.languages_json = json.dumps(fields["languages"])
    row.exclude_vocabulary_json = json.dumps(fields["excludeVocabulary"])


def _create_rows(
    services: Services, session: Session, tenant: Tenant, bodies: Sequence[TrackerV1In | TrackerIn]
) -> list[ManagedTracker]:
    if not bodies:
        raise BadRequest('"trackers" must contain at least 1 items')
    if repo.count_rows(session, ManagedTracker, tenant) + len(bodies) > rules.MAX_TRACKERS_PER_ACCOUNT:
        raise BadRequest(MSG_LIMIT)
    validated = [
        {**TRACKER_DEFAULTS, **body.model_dump(exclude_unset=True, exclude={"id"})} for body in bodies
    ]
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
    services: Services, session: Session, tenant: Tenant, *, body: TrackerV1In | TrackerIn
) -> ManagedTracker:
    """POST /v1/manage/tracker (Gen-1) or POST /v1/manage/trackers with an object (Gen-2)."""
    with _exclusive(services, tenant):
        return _create_rows(services, session, tenant, [body])[0]


def create_many(
    services: Services, session: Session, tenant: Tenant, *, bodies: list[TrackerIn]
) -> list[ManagedTracker]:
    """Bulk create (Gen-1 array on /trackers, Gen-2 /trackers/bulk): all or nothing."""
    with _exclusive(services, tenant):
        return _create_rows(services, session, tenant, bodies)


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
    services: Services, session: Session, tenant: Tenant, tracker_id: str, *, body: TrackerChanges
) -> ManagedTracker:
    """Gen-1 PUT: name and vocabulary replaced (other Gen-2 fields are kept)."""
    with _exclusive(services, tenant):
        row = get(session, tenant, tracker_id)
        if body.id is not None and body.id != tracker_id:
            raise BadRequest('"id" does not match the trackerId of the path')
        # Fields Gen-1 does not know (description, categories...) are kept from the stored tracker.
        fields = {**_document(row), **body.given()}
        _check_rename(session, tenant, row, fields["name"])
        _apply(row, fields)
        row.updated_at = services.clock.now()
        session.add(row)
        session.commit()
        return row


def _document(row: ManagedTracker) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "name": row.name,
        "description": row.description,
        "categories": json.loads(row.categories_json),
        "languages": json.loads(row.languages_json),
        "vocabulary": json.loads(row.vocabulary_json),
        "excludeVocabulary": json.loads(row.exclude_vocabulary_json),
    }
    return doc


def _translate(operation: PatchOperation, doc: dict[str, Any]) -> dict[str, Any]:
    """Map the Go SDK's string values on list paths onto RFC 6902 list edits; only tracker fields."""
    op, path, value = operation.op, operation.path, operation.value
    root = "/" + path[1:].split("/", 1)[0]
    if (
        root not in _PATCH_ROOTS
        or root == "/name"
        and path != "/name"
        or root == "/description"
        and path != "/description"
    ):
        raise BadRequest(f'"path" {path!r} is not allowed; use one of {", ".join(sorted(_PATCH_ROOTS))}')
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
        return {"op": "add", "path": path, "value": value}  # add sets a member whether or not it exists
    return operation.as_dict()


def patch(
    services: Services, session: Session, tenant: Tenant, tracker_id: str, *, body: list[PatchOperation]
) -> ManagedTracker:
    """Gen-2 PATCH with [{op, path, value}] applied by manage.patching, then the same rules as create."""
    with _exclusive(services, tenant):
        row = get(session, tenant, tracker_id)
        doc = _document(row)
        for operation in body:  # one at a time: a Go SDK string `remove` looks up the current list
            doc = patching.apply(doc, [_translate(operation, doc)])
        if "name" not in doc:
            raise BadRequest('"name" cannot be removed')
        fields = {**TRACKER_DEFAULTS, **validate(TrackerIn, doc, joi=True).given()}
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
