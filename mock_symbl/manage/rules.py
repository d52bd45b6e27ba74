"""Validation rules the Management API documents (rest.md §8, §11), as pure functions.

Each `check_*` returns the normalised value or raises `RuleError` (a ValueError with a Joi-like message
naming the field); the request models in manage/schemas.py run them as validators, so it becomes the 400's
message. No fastapi, no SQL, no settings.

Choices where the sources are loose (kept here so they are visible in one place):
- Tracker vocabulary: the FAQ/tutorial say "at least 5 and at most 50 terms", but Symbl's own create-tracker
  examples use 3-4 terms, so only the maximum (50) is enforced; at least one term is required.
- Punctuation in vocabulary: create-tracker allows `.` and `'`, the tutorial adds `-`; all three are accepted.
- Duplicate vocabulary terms are compared case-insensitively after collapsing whitespace (tracker matching
  itself is case-insensitive, so "Hello" and "hello" are the same term).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

MAX_TRACKERS_PER_ACCOUNT = 500
MAX_VOCABULARY_TERMS = 50
MAX_TERM_LENGTH = 512
MAX_TRACKER_NAME_LENGTH = 256
MAX_BODY_BYTES = 1024 * 1024
MAX_GROUP_NAME_LENGTH = 128
MAX_GROUP_DESCRIPTION_LENGTH = 512
MAX_METADATA_VALUE_LENGTH = 128
DEFAULT_TRACKER_LANGUAGES = ("en-US",)

_TERM_PUNCTUATION = frozenset(".'-")
# Letters (any script), digits, spaces, '-', '_' and the quote characters the group docs mention.
_GROUP_NAME_EXTRA = frozenset(' -_"”“')
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


class RuleError(ValueError):
    """A value breaking a documented rule; the message is the 400 body's `message`."""


def _require_string(value: Any, field: str, *, allow_empty: bool = False) -> str:
    if not isinstance(value, str):
        raise RuleError(f'"{field}" must be a string')
    if not allow_empty and not value.strip():
        raise RuleError(f'"{field}" is not allowed to be empty')
    return value


def _require_list(value: Any, field: str) -> list[Any]:
    if not isinstance(value, list):
        raise RuleError(f'"{field}" must be an array')
    return value


def normalise_term(term: str) -> str:
    """The comparison key for duplicate detection: case-folded, whitespace collapsed."""
    return " ".join(term.split()).casefold()


def check_tracker_name(value: Any) -> str:
    name = _require_string(value, "name").strip()
    if len(name) > MAX_TRACKER_NAME_LENGTH:
        raise RuleError(
            f'"name" length must be less than or equal to {MAX_TRACKER_NAME_LENGTH} characters long'
        )
    return name


def check_vocabulary_term(term: Any, field: str = "vocabulary") -> str:
    text = _require_string(term, f"{field} item")
    text = " ".join(text.split())
    if len(text) > MAX_TERM_LENGTH:
        raise RuleError(f'"{field}" terms must be at most {MAX_TERM_LENGTH} characters long')
    for char in text:
        if char.isspace() or char in _TERM_PUNCTUATION:
            continue
        category = unicodedata.category(char)
        if category[0] in ("L", "N", "M"):
            continue
        raise RuleError(
            f'"{field}" term {text!r} contains {char!r}: only letters, digits, spaces and the punctuation '
            ". ' - are allowed"
        )
    return text


def check_vocabulary(value: Any, field: str = "vocabulary", *, allow_empty: bool = False) -> list[str]:
    """A tracker's phrases: 1..50 unique terms (0 allowed for excludeVocabulary)."""
    items = _require_list(value, field)
    if not items and not allow_empty:
        raise RuleError(f'"{field}" must contain at least 1 items')
    if len(items) > MAX_VOCABULARY_TERMS:
        raise RuleError(f'"{field}" must contain less than or equal to {MAX_VOCABULARY_TERMS} items')
    terms: list[str] = []
    seen: set[str] = set()
    for item in items:
        term = check_vocabulary_term(item, field)
        key = normalise_term(term)
        if key in seen:
            raise RuleError(f'"{field}" contains a duplicate value: {term!r}')
        seen.add(key)
        terms.append(term)
    return terms


def check_string_list(value: Any, field: str) -> list[str]:
    items = _require_list(value, field)
    return [_require_string(item, f"{field} item").strip() for item in items]


def check_languages(value: Any) -> list[str]:
    if value is None:
        return list(DEFAULT_TRACKER_LANGUAGES)
    languages = check_string_list(value, "languages")
    for code in languages:
        if not _LANGUAGE.match(code):
            raise RuleError(f'"languages" item {code!r} is not a language code like "en-US"')
    return languages or list(DEFAULT_TRACKER_LANGUAGES)


def check_optional_text(value: Any, field: str, max_length: int | None = None) -> str | None:
    if value is None:
        return None
    text = _require_string(value, field, allow_empty=True)
    if max_length is not None and len(text) > max_length:
        raise RuleError(f'"{field}" length must be less than or equal to {max_length} characters long')
    return text


def check_group_name(value: Any) -> str:
    name = _require_string(value, "name").strip()
    if len(name) > MAX_GROUP_NAME_LENGTH:
        raise RuleError(
            f'"name" length must be less than or equal to {MAX_GROUP_NAME_LENGTH} characters long'
        )
    for char in name:
        if char in _GROUP_NAME_EXTRA or unicodedata.category(char)[0] in ("L", "N"):
            continue
        raise RuleError(
            f'"name" contains {char!r}: only letters, digits, spaces, "-", "_" and quotes are allowed'
        )
    return name


def check_group_description(value: Any) -> str | None:
    return check_optional_text(value, "description", MAX_GROUP_DESCRIPTION_LENGTH)


def check_metadata(items: Iterable[tuple[Any, Any]] | Mapping[Any, Any]) -> dict[str, str]:
    """Conversation metadata: string keys, string values of at most 128 characters, no duplicate keys.

    Takes pairs (as `json.loads(..., object_pairs_hook=list)` yields) so duplicates can still be seen.
    """
    pairs = list(items.items()) if isinstance(items, Mapping) else list(items)
    out: dict[str, str] = {}
    for key, value in pairs:
        if not isinstance(key, str) or not key.strip():
            raise RuleError('"metadata" keys must be non-empty strings')
        if key in out:
            raise RuleError(f'"metadata" contains a duplicate key: {key!r}')
        if not isinstance(value, str):
            raise RuleError(f'"metadata.{key}" must be a string')
        if len(value) > MAX_METADATA_VALUE_LENGTH:
            raise RuleError(
                f'"metadata.{key}" length must be less than or equal to {MAX_METADATA_VALUE_LENGTH} characters long'
            )
        out[key] = value
    return out


def check_entity_values(value: Any) -> list[str]:
    items = _require_list(value, "values")
    if not items:
        raise RuleError('"values" must contain at least 1 items')
    values: list[str] = []
    seen: set[str] = set()
    for item in items:
        text = _require_string(item, "values item").strip()
        if text in seen:
            raise RuleError(f'"values" contains a duplicate value: {text!r}')
        seen.add(text)
        values.append(text)
    return values
