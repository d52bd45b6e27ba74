"""Date and time phrases resolved against the conversation start ("by Friday" -> the next Friday)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache

MONTHS = {
    name: i
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
WEEKDAYS = {
    d: i for i, d in enumerate(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])
}

_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?:,?\s+(?P<year>(?:19|20)\d\d))?"
_WEEKDAY = r"(?P<weekday>" + "|".join(WEEKDAYS) + r")"

# Order matters: longer, more specific phrases first; a span is claimed by the first pattern that covers it.
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("iso", re.compile(r"\b(?P<y>(?:19|20)\d\d)-(?P<m>[01]?\d)-(?P<d>[0-3]?\d)\b")),
    ("slash", re.compile(r"\b(?P<m>[01]?\d)/(?P<d>[0-3]?\d)(?:/(?P<y>(?:19|20)?\d\d))?\b")),
    ("month_day", re.compile(r"\b" + _MONTH + r"\s+" + _DAY + _YEAR + r"\b", re.IGNORECASE)),
    ("day_month", re.compile(r"\b" + _DAY + r"\s+of\s+" + _MONTH + _YEAR + r"\b", re.IGNORECASE)),
    ("day_after", re.compile(r"\bday after tomorrow\b", re.IGNORECASE)),
    ("relative_day", re.compile(r"\b(?P<word>today|tonight|tomorrow|yesterday)\b", re.IGNORECASE)),
    ("end_of", re.compile(r"\bend of (?:the )?(?P<unit>day|week|month)\b", re.IGNORECASE)),
    ("eod", re.compile(r"\b(?P<abbr>eod|eow)\b", re.IGNORECASE)),
    ("next_weekday", re.compile(r"\bnext\s+" + _WEEKDAY + r"\b", re.IGNORECASE)),
    ("weekday", re.compile(r"\b" + _WEEKDAY + r"\b", re.IGNORECASE)),
    ("next_unit", re.compile(r"\bnext (?P<unit>week|month)\b", re.IGNORECASE)),
    ("in_n", re.compile(r"\bin (?P<n>\d{1,3}|a|one|two|three) (?P<unit>days?|weeks?)\b", re.IGNORECASE)),
]
_SMALL = {"a": 1, "one": 1, "two": 2, "three": 3}

TIME_RE = re.compile(
    r"\b(?:(?P<h>[01]?\d|2[0-3])(?::(?P<mi>[0-5]\d))?\s*(?P<ampm>a\.?m\.?|p\.?m\.?)(?![\w])"
    r"|(?P<h24>[01]?\d|2[0-3]):(?P<mi24>[0-5]\d)\b|(?P<word>noon|midnight))",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class DateHit:
    """A date phrase found in a text and the calendar date it means."""

    text: str
    start: int
    end: int
    value: date


@dataclass(frozen=True)
class TimeHit:
    text: str
    start: int
    end: int
    value: str  # HH:MM:SS


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _year(raw: str | None, anchor: date) -> int:
    if not raw:
        return anchor.year
    value = int(raw)
    return value + 2000 if value < 100 else value


def _resolve(kind: str, m: re.Match[str], anchor: date) -> date | None:
    g = m.groupdict()
    if kind == "iso":
        return _safe_date(int(g["y"]), int(g["m"]), int(g["d"]))
    if kind == "slash":
        return _safe_date(_year(g["y"], anchor), int(g["m"]), int(g["d"]))
    if kind in ("month_day", "day_month"):
        return _safe_date(_year(g["year"], anchor), MONTHS[g["month"].lower()], int(g["day"]))
    if kind == "day_after":
        return anchor + timedelta(days=2)
    if kind == "relative_day":
        word = g["word"].lower()
        return anchor + timedelta(days={"today": 0, "tonight": 0, "tomorrow": 1, "yesterday": -1}[word])
    if kind in ("end_of", "eod"):
        unit = (g.get("unit") or {"eod": "day", "eow": "week"}[(g.get("abbr") or "eod").lower()]).lower()
        if unit == "day":
            return anchor
        if unit == "week":
            return anchor + timedelta(days=max(0, 4 - anchor.weekday()))
        first_next = date(anchor.year + (anchor.month == 12), anchor.month % 12 + 1, 1)
        return first_next - timedelta(days=1)
    if kind == "next_weekday":
        monday_next = anchor + timedelta(days=7 - anchor.weekday())
        return monday_next + timedelta(days=WEEKDAYS[g["weekday"].lower()])
    if kind == "weekday":
        ahead = (WEEKDAYS[g["weekday"].lower()] - anchor.weekday()) % 7 or 7
        return anchor + timedelta(days=ahead)
    if kind == "next_unit":
        if g["unit"].lower() == "week":
            return anchor + timedelta(days=7 - anchor.weekday())
        return date(anchor.year + (anchor.month == 12), anchor.month % 12 + 1, 1)
    if kind == "in_n":
        raw = g["n"].lower()
        n = _SMALL[raw] if raw in _SMALL else int(raw)
        return anchor + timedelta(days=n * (7 if g["unit"].lower().startswith("week") else 1))
    return None


def anchor_date(start: datetime) -> date:
    """The calendar date (UTC) relative phrases are resolved against."""
    return (start if start.tzinfo else start.replace(tzinfo=UTC)).astimezone(UTC).date()


# Every pattern above needs a digit or one of these substrings ("day" covers weekdays, today, yesterday);
# most sentences have neither, and substring tests are far cheaper than the patterns.
_TRIGGER_WORDS = ("day", "tonight", "tomorrow", "end of", "eod", "eow", "next ", "in ")
_DIGIT = re.compile(r"\d")


def find_dates(text: str, anchor: date) -> list[DateHit]:
    """Every date phrase in `text`, left to right, non-overlapping."""
    lower = text.lower()
    if _DIGIT.search(text) or any(w in lower for w in _TRIGGER_WORDS):
        return list(_find_dates(text, anchor))
    return []


_MONTH_TRIGGER = re.compile(r"\b(?:" + "|".join(MONTHS) + r")", re.IGNORECASE)
_RELATIVE_WORDS = ("today", "tonight", "tomorrow", "yesterday")


def _wanted(kind: str, lower: str, digit: bool, month: bool) -> bool:
    """Cheap substring tests that rule a pattern out before running it (most sentences have no date)."""
    if kind in ("iso", "slash", "in_n") or kind.startswith(("month", "day_")):
        if kind == "iso":
            return digit and "-" in lower
        if kind == "slash":
            return digit and "/" in lower
        if kind == "in_n":
            return "in " in lower
        if kind == "day_after":
            return "day after" in lower
        return digit and month
    if kind == "relative_day":
        return any(w in lower for w in _RELATIVE_WORDS)
    if kind == "end_of":
        return "end of" in lower
    if kind == "eod":
        return "eod" in lower or "eow" in lower
    if kind in ("next_weekday", "weekday"):
        return "day" in lower
    return "next " in lower


@lru_cache(maxsize=4096)
def _find_dates(text: str, anchor: date) -> tuple[DateHit, ...]:
    hits: list[DateHit] = []
    taken: list[tuple[int, int]] = []
    lower = text.lower()
    digit = _DIGIT.search(text) is not None
    month = bool(_MONTH_TRIGGER.search(text)) if digit else False
    for kind, pattern in _PATTERNS:
        if not _wanted(kind, lower, digit, month):
            continue
        for m in pattern.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            value = _resolve(kind, m, anchor)
            if value is None:
                continue
            taken.append((m.start(), m.end()))
            hits.append(DateHit(m.group(0), m.start(), m.end(), value))
    return tuple(sorted(hits, key=lambda h: h.start))


def find_times(text: str) -> list[TimeHit]:
    """Clock times: '3 pm', '10:30', '9:15 a.m.', 'noon', 'midnight'."""
    out: list[TimeHit] = []
    if not _DIGIT.search(text):
        lower = text.lower()
        if "noon" not in lower and "midnight" not in lower:
            return out
    for m in TIME_RE.finditer(text):
        g = m.groupdict()
        if g["word"]:
            value = "12:00:00" if g["word"].lower() == "noon" else "00:00:00"
        elif g["h24"] is not None:
            value = f"{int(g['h24']):02d}:{g['mi24']}:00"
        else:
            hour = int(g["h"]) % 12 + (12 if g["ampm"].lower().startswith("p") else 0)
            if int(g["h"]) > 12:
                continue
            value = f"{hour:02d}:{g['mi'] or '00'}:00"
        out.append(TimeHit(m.group(0), m.start(), m.end(), value))
    return out


# Parts of the day as time ranges; afternoon and evening span what the docs' follow-up example shows.
PARTS_OF_DAY = {
    "morning": ("08:00:00", "12:00:00"),
    "afternoon": ("12:00:00", "15:00:00"),
    "evening": ("16:00:00", "20:00:00"),
}
_PART_RE = re.compile(r"\b(?P<part>" + "|".join(PARTS_OF_DAY) + r")\b", re.IGNORECASE)


@dataclass(frozen=True)
class RangeHit:
    """A part of the day: a `timerange`, or a `datetimerange` when a date phrase comes right before it."""

    kind: str  # timerange | datetimerange
    text: str
    start: int
    end: int
    begin: str  # "HH:MM:SS", or "YYYY-MM-DD HH:MM:SS" for a datetimerange
    finish: str


def find_time_ranges(text: str, date_spans: Sequence[tuple[int, int, str]]) -> list[RangeHit]:
    """'afternoon' -> 12:00:00-15:00:00; 'yesterday evening' (date span, then the part) -> a datetimerange."""
    out: list[RangeHit] = []
    for m in _PART_RE.finditer(text):
        begin, finish = PARTS_OF_DAY[m.group("part").lower()]
        day = next((d for d in date_spans if d[1] <= m.start() and not text[d[1] : m.start()].strip()), None)
        if day is None:
            out.append(RangeHit("timerange", m.group(0), m.start(), m.end(), begin, finish))
        else:
            start, _, iso_day = day
            out.append(
                RangeHit(
                    "datetimerange",
                    text[start : m.end()],
                    start,
                    m.end(),
                    f"{iso_day} {begin}",
                    f"{iso_day} {finish}",
                )
            )
    return out


def due_datetime(value: date) -> str:
    """dueBy on the wire: midnight UTC of the resolved date."""
    return f"{value.isoformat()}T00:00:00.000Z"
