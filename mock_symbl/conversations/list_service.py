"""Conversation listing (rest.md §5.1) and group membership (§5.24): paging, ordering, time window, RSQL.

Time window: `startTime`/`endTime` bound the conversation's start time. Symbl ties `endTime` to the
conversation's end, but a mock conversation's end lies in the future while its job runs, so bounding the
start keeps a just-processed conversation visible in the default window (the last 7 days up to now).
The default window applies when neither a filter nor a time is given (the docs: "when no filter is
provided, it falls back to the default criteria of startTime and endTime").
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from mock_symbl.clock import parse_iso
from mock_symbl.conversations.service import conversation_out
from mock_symbl.errors import BadRequest
from mock_symbl.manage import service_groups as groups
from mock_symbl.rsql import filters as rsql
from mock_symbl.services import Services
from mock_symbl.store import rsql_sql
from mock_symbl.store.db import Session
from mock_symbl.tenancy import Tenant

MAX_LIMIT = 65536
DEFAULT_LIMIT = 20
DEFAULT_WINDOW = timedelta(days=7)


# Joi's largest "safe" number; also keeps OFFSET inside SQLite's 64-bit INTEGER (bigger raised a 500).
MAX_SAFE_INTEGER = 2**53 - 1


def _int(value: str | None, name: str, default: int, low: int, high: int | None) -> int:
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise BadRequest(f'"{name}" must be a number') from None
    if number < low or (high is not None and number > high):
        bound = f"between {low} and {high}" if high is not None else f"greater than or equal to {low}"
        raise BadRequest(f'"{name}" must be {bound}')
    return number


def _time(value: str | None, name: str) -> datetime | None:
    if value is None or value == "":
        return None
    try:
        parsed = parse_iso(value)
    except ValueError:
        raise BadRequest(f'"{name}" must be a valid ISO 8601 date') from None
    if not rsql.MIN_YEAR <= parsed.year <= rsql.MAX_YEAR:
        raise BadRequest(f'"{name}" must be between the years {rsql.MIN_YEAR} and {rsql.MAX_YEAR}')
    return parsed


def _sort(value: str | None) -> tuple[str, ...]:
    if not value:
        return ("startTime",)
    fields: list[str] = []
    for raw in value.split(","):
        name = raw.strip()
        if name.lower().startswith("conversation."):
            name = name[len("conversation.") :]
        match = next((f for f in rsql_sql.SORTABLE if f.lower() == name.lower()), None)
        if match is None:
            allowed = ", ".join(f"conversation.{f}" for f in rsql_sql.SORTABLE)
            raise BadRequest(f'"sort" field {raw.strip()!r} is not supported; use {allowed}')
        fields.append(match)
    return tuple(fields)


def _filter(text: str | None, name: str = "filter") -> rsql.Filter | None:
    if text is None or not text.strip():
        return None
    try:
        return rsql.compile_filter(text)
    except rsql.RsqlError as error:
        raise BadRequest(f'"{name}" is invalid: {error}') from None


def build_query(
    services: Services, tenant: Tenant, params: dict[str, str | None], extra: tuple[rsql.Filter, ...] = ()
) -> rsql_sql.ListQuery:
    """Validate the query parameters of a list route into a ListQuery (400 on anything invalid)."""
    order = (params.get("order") or "asc").strip().lower()
    if order not in ("asc", "desc"):
        raise BadRequest('"order" must be one of [asc, desc]')
    user_filter = _filter(params.get("filter"))
    start = _time(params.get("startTime"), "startTime")
    end = _time(params.get("endTime"), "endTime")
    if user_filter is None and start is None and end is None:
        end = services.clock.now()
    if start is None and end is not None and user_filter is None:
        start = end - DEFAULT_WINDOW
    if start is not None and end is not None and start > end:
        raise BadRequest('"startTime" must be before "endTime"')
    filters = (*extra, user_filter) if user_filter is not None else extra
    return rsql_sql.ListQuery(
        account=tenant.account,
        namespace=tenant.namespace,
        filters=filters,
        start_time=start,
        end_time=end,
        sort=_sort(params.get("sort")),
        descending=order == "desc",
        limit=_int(params.get("limit"), "limit", DEFAULT_LIMIT, 0, MAX_LIMIT),
        offset=_int(params.get("offset"), "offset", 0, 0, MAX_SAFE_INTEGER),
    )


def _render(session: Session, query: rsql_sql.ListQuery) -> list[dict[str, Any]]:
    rows = rsql_sql.list_conversations(session, query)
    members = rsql_sql.members_of(session, [row.id for row in rows])
    return [conversation_out(row, members[row.id]) for row in rows]


def list_conversations(
    services: Services, session: Session, tenant: Tenant, params: dict[str, str | None]
) -> list[dict[str, Any]]:
    return _render(session, build_query(services, tenant, params))


def group_conversations(
    services: Services, session: Session, tenant: Tenant, group_id: str, params: dict[str, str | None]
) -> list[dict[str, Any]]:
    """Conversations matching the group's criteria (404 for an unknown group) and the list parameters."""
    criteria = groups.criteria_filter(session, tenant, group_id)
    return _render(session, build_query(services, tenant, params, (criteria,)))
