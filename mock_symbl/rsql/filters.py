"""RSQL filters for conversation lists and group criteria (rest.md §5.1, §8.3): parse, then validate.

`parse` reads the whole RSQL language (jirutka/rsql-parser grammar: `;`/`and`, `,`/`or`, groups, any
`=name=` operator) into a small AST, so that `validate` can say precisely what lies outside the subset
Symbl allowed: no OR, at most two distinct parameters, the operators ==, !=, =in=, =out=, <, <=, >, >=
(and their FIQL spellings =lt=, =le=, =gt=, =ge=), on conversation fields and `conversation.metadata.*`.
`compile_filter` does both and returns a `Filter`, a flat conjunction the store turns into SQL.

Pure: no fastapi, no SQL, no settings. Errors are `RsqlError` (a ValueError); services map it to a 400.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from mock_symbl.clock import parse_iso
from mock_symbl.rsql.ast import OP_ALIASES, Comparison, Node, Op, Or, RsqlError

MAX_PARAMETERS = 2
MIN_YEAR = 1900
MAX_YEAR = 9000
MAX_FILTER_LENGTH = 4096

Field = Literal["id", "type", "name", "startTime", "endTime", "metadata"]


# Selector spellings -> conversation field. `startDate`/`endDate` appear in Symbl's own default filter text.
_FIELDS: dict[str, Field] = {
    "id": "id",
    "type": "type",
    "name": "name",
    "starttime": "startTime",
    "startdate": "startTime",
    "endtime": "endTime",
    "enddate": "endTime",
}
DATE_FIELDS: frozenset[str] = frozenset({"startTime", "endTime"})


def parse(text: str) -> Node:
    """Parse RSQL text into the generic AST; raise RsqlError on syntax errors."""
    if not isinstance(text, str) or not text.strip():
        raise RsqlError("Invalid filter: it is empty.")
    if len(text) > MAX_FILTER_LENGTH:
        raise RsqlError(f"Invalid filter: longer than {MAX_FILTER_LENGTH} characters.")
    # The Lark side lives in rsql/syntax.py, imported on the first filter: Lark and its grammar compilation are
    # ~30 ms of server start-up that most runs never use.
    from mock_symbl.rsql.syntax import parse_tree

    return parse_tree(text.strip())


# ---------------------------------------------------------------- the supported subset


@dataclass(frozen=True)
class Selector:
    """A conversation field; `key` is set only for `metadata` (conversation.metadata.<key>)."""

    field: Field
    key: str | None = None

    def label(self) -> str:
        return (
            f"conversation.metadata.{self.key}" if self.field == "metadata" else f"conversation.{self.field}"
        )


Value = str | datetime


@dataclass(frozen=True)
class Condition:
    """One supported comparison; `values` has one item except for =in= / =out=."""

    selector: Selector
    op: Op
    values: tuple[Value, ...]


@dataclass(frozen=True)
class Filter:
    """A conjunction of conditions (the subset has no OR, so every filter flattens to this)."""

    conditions: tuple[Condition, ...]

    def parameters(self) -> tuple[Selector, ...]:
        seen: dict[Selector, None] = {}
        for condition in self.conditions:
            seen.setdefault(condition.selector, None)
        return tuple(seen)


def parse_selector(raw: str) -> Selector:
    """Map `conversation.startTime`, `conversation.metadata.agentId` (prefix optional) to a Selector."""
    parts = raw.split(".")
    if parts[0].lower() == "conversation":
        parts = parts[1:]
    if not parts or any(not part for part in parts):
        raise RsqlError(f"Invalid filter: unknown parameter {raw!r}.")
    if parts[0].lower() == "metadata":
        if len(parts) < 2:
            raise RsqlError(f"Invalid filter: {raw!r} needs a key, e.g. conversation.metadata.agentId.")
        return Selector("metadata", ".".join(parts[1:]))
    field = _FIELDS.get(parts[0].lower()) if len(parts) == 1 else None
    if field is None:
        allowed = "conversation.id, conversation.type, conversation.name, conversation.startTime, "
        allowed += "conversation.endTime, conversation.metadata.<key>"
        raise RsqlError(f"Invalid filter: unknown parameter {raw!r}; use one of {allowed}.")
    return Selector(field)


def _flatten(node: Node) -> list[Comparison]:
    if isinstance(node, Comparison):
        return [node]
    if isinstance(node, Or):
        raise RsqlError("Invalid filter: the OR operator (',' or 'or') is not supported.")
    out: list[Comparison] = []
    for child in node.children:
        out.extend(_flatten(child))
    return out


def _condition(comparison: Comparison) -> Condition:
    selector = parse_selector(comparison.selector)
    op = OP_ALIASES.get(comparison.op)
    if op is None:
        raise RsqlError(
            f"Invalid filter: operator {comparison.op!r} is not supported "
            "(use ==, !=, =in=, =out=, <, <=, >, >=)."
        )
    if op in ("=in=", "=out="):
        if not comparison.arguments:
            raise RsqlError(f"Invalid filter: {op} needs at least one value.")
    elif comparison.is_list and len(comparison.arguments) != 1:
        raise RsqlError(f"Invalid filter: {op} takes a single value, not a list.")
    values: tuple[Value, ...] = comparison.arguments
    if selector.field in DATE_FIELDS:
        values = tuple(_as_datetime(value, selector) for value in comparison.arguments)
    return Condition(selector, op, values)


def _as_datetime(value: str, selector: Selector) -> datetime:
    try:
        parsed = parse_iso(value)
    except ValueError:
        raise RsqlError(
            f"Invalid filter: {selector.label()} needs an ISO-8601 timestamp, got {value!r}."
        ) from None
    if not MIN_YEAR <= parsed.year <= MAX_YEAR:
        # Far dates overflow once converted to UTC or moved by a window; no conversation lives there.
        raise RsqlError(
            f"Invalid filter: {selector.label()} must lie between the years {MIN_YEAR} and {MAX_YEAR}."
        )
    return parsed


def validate(node: Node) -> Filter:
    """Check a parsed filter against the supported subset and type its values."""
    conditions = tuple(_condition(c) for c in _flatten(node))
    result = Filter(conditions)
    parameters = result.parameters()
    if len(parameters) > MAX_PARAMETERS:
        names = ", ".join(p.label() for p in parameters)
        raise RsqlError(
            f"Invalid filter: at most {MAX_PARAMETERS} parameters are allowed, got {len(parameters)} ({names})."
        )
    return result


def compile_filter(text: str) -> Filter:
    """Parse and validate; the one entry point services use."""
    return validate(parse(text))
