"""The generic RSQL syntax tree (the whole language, as written) and RsqlError. Pure."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Op = Literal["==", "!=", "=in=", "=out=", "<", "<=", ">", ">="]

# FIQL spellings accepted as synonyms of the symbolic comparison operators.
OP_ALIASES: dict[str, Op] = {
    "==": "==",
    "!=": "!=",
    "=in=": "=in=",
    "=out=": "=out=",
    "<": "<",
    "=lt=": "<",
    "<=": "<=",
    "=le=": "<=",
    ">": ">",
    "=gt=": ">",
    ">=": ">=",
    "=ge=": ">=",
}


class RsqlError(ValueError):
    """An RSQL filter that does not parse or uses something outside the supported subset."""


@dataclass(frozen=True)
class Comparison:
    """`selector op argument(s)` exactly as written (operator normalised to its symbolic spelling)."""

    selector: str
    op: str
    arguments: tuple[str, ...]
    is_list: bool = False


@dataclass(frozen=True)
class And:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    children: tuple[Node, ...]


Node = Comparison | And | Or
