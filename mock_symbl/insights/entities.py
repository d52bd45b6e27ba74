"""Entity detection by transparent rules: regexes, phonenumbers, member names and custom vocabularies."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

import phonenumbers

from mock_symbl.insights import dates
from mock_symbl.insights.models import CustomEntitySpec

# type (2022 flat `type`, 2023 `type`) and subType (2023 `subType`, redaction label) per managed kind.
MANAGED: dict[str, tuple[str, str]] = {
    "email": ("email", "EMAIL_ADDRESS"),
    "phone": ("phone_number", "PHONE_NUMBER"),
    "ssn": ("ssn", "SSN"),
    "card": ("credit_card_number", "CREDIT_CARD_NUMBER"),
    "money": ("money", "MONEY"),
    "date": ("date", "DATE"),
    "time": ("time", "TIME"),
    "person": ("person", "PERSON_NAME"),
    "organization": ("organization", "ORGANIZATION"),
    "number": ("number", "NUMBER"),
}

COMMON_FIRST_NAMES = frozenset(
    """Aaron Adam Alex Alice Amanda Amy Andrew Anna Anthony Ben Brian Carlos Carol Charles Chris Daniel David
    Emily Emma Eric Frank George Grace Hannah Henry Jack James Jane Jason Jennifer Jessica John Joseph Julia
    Karen Kevin Laura Linda Lisa Lucy Maria Mark Mary Matt Matthew Michael Michelle Mike Nancy Natalie Nick
    Olivia Paul Peter Rachel Richard Robert Roger Sam Sarah Scott Sophia Steve Susan Thomas Tom Vikram William
    Priya Raj Wei Yuki Ahmed Fatima""".split()
)
KNOWN_ORGS = frozenset(
    """Google Microsoft Apple Amazon Salesforce Zoom Symbl Facebook Meta Netflix IBM Oracle Intel Tesla Slack
    Twilio Stripe Uber Airbnb Adobe Cisco Dell HubSpot LinkedIn Shopify Spotify Twitter Walmart""".split()
)
# Title-case known organisations are picked up by the capitalised-word pass; IBM, HubSpot... need a pattern.
_UPPER_ORGS = tuple(sorted(o for o in KNOWN_ORGS if not re.fullmatch(r"[A-Z][a-z]+", o)))
_UPPER_ORG_RE = re.compile(r"\b(?:" + "|".join(_UPPER_ORGS) + r")\b")
_TITLES = ("Mr", "Ms", "Dr", "Prof")
_ORG_SUFFIX = re.compile(
    r"\b(?:[A-Z][\w&\-]*\s+){1,3}(?:Inc|Corp|Corporation|LLC|Ltd|Limited|Co|Company|Group|Technologies|"
    r"Labs|Bank|University|Systems|Solutions|Partners)\b\.?"
)
# Every organisation suffix starts with one of these: a substring test before the backtracking pattern.
_ORG_PREFIXES = (
    "Inc",
    "Co",
    "LLC",
    "Ltd",
    "Limited",
    "Group",
    "Technologies",
    "Labs",
    "Bank",
    "University",
    "Systems",
    "Solutions",
    "Partners",
)
_DIGIT = re.compile(r"\d")
_NON_DIGIT = re.compile(r"\D")
_TITLE_NAME = re.compile(r"\b(?:Mr|Mrs|Ms|Dr|Prof)\.?\s+(?P<name>[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)")
_CAP_WORD = re.compile(r"\b[A-Z][a-z]+\b")
_NEXT_CAP = re.compile(r"\s+([A-Z][a-z]+)\b")
EMAIL_RE = re.compile(r"\b[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+\b")
SSN_RE = re.compile(r"\b\d{3}-\d{2}-\d{4}\b")
CARD_RE = re.compile(r"\b(?:\d[ \-]?){12,18}\d\b")
MONEY_RE = re.compile(
    r"(?:[$€£]\s?\d[\d,]*(?:\.\d+)?(?:\s?(?:k|m|million|billion|thousand)\b)?"
    r"|\b\d[\d,]*(?:\.\d+)?\s?(?:dollars|bucks|euros|pounds|usd|eur)\b)",
    re.IGNORECASE,
)
NUMBER_RE = re.compile(r"\b\d[\d,]*(?:\.\d+)?%?")


@dataclass(frozen=True)
class EntityHit:
    """One entity occurrence in one message."""

    kind: str  # a MANAGED key, or "custom"
    type: str
    sub_type: str
    category: str  # "Managed" | "Custom"
    text: str
    start: int
    end: int
    value: str
    custom_type: str | None = None


def _luhn(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch)
        if i % 2:
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return total % 10 == 0


class Detector:
    """Finds entities in message texts; built once per conversation (member names, custom vocabularies)."""

    def __init__(self, member_names: Iterable[str], custom: Sequence[CustomEntitySpec], anchor: date) -> None:
        names: set[str] = set()
        for full in member_names:
            full = (full or "").strip()
            if not full or full.lower().startswith("speaker"):
                continue
            names.add(full)
            names.update(part for part in full.split() if len(part) > 1 and part[0].isupper())
        self.member_names = names
        self.custom = tuple(custom)
        self.anchor = anchor
        # One alternation for every custom value (longest first); the first spec listing a value owns it.
        self._custom_values: dict[str, tuple[CustomEntitySpec, str]] = {}
        for spec in self.custom:
            for value in spec.values:
                if value.strip():
                    self._custom_values.setdefault(value.strip().lower(), (spec, value.strip()))
        alternatives = sorted(self._custom_values, key=lambda v: (-len(v), v))
        self._custom_re = (
            re.compile(
                r"(?<!\w)(?:" + "|".join(re.escape(v) for v in alternatives) + r")(?!\w)", re.IGNORECASE
            )
            if alternatives
            else None
        )

    def detect(self, text: str) -> list[EntityHit]:
        """All entities of `text`, sorted by offset; a character belongs to at most one entity."""
        hits: list[EntityHit] = []
        taken: list[tuple[int, int]] = []

        def add(kind: str, start: int, end: int, value: str, *, spec: CustomEntitySpec | None = None) -> None:
            if start >= end or any(start < e and s < end for s, e in taken):
                return
            taken.append((start, end))
            if spec is not None:
                sub = spec.sub_type or spec.type
                hits.append(
                    EntityHit(
                        "custom", spec.type, sub, spec.category, text[start:end], start, end, value, spec.type
                    )
                )
                return
            etype, sub = MANAGED[kind]
            hits.append(EntityHit(kind, etype, sub, "Managed", text[start:end], start, end, value))

        if "@" in text:
            for m in EMAIL_RE.finditer(text):
                add("email", m.start(), m.end(), m.group(0).lower())
        digits = len(_DIGIT.findall(text))
        if digits:
            # A phone number has at least 7 digits; phonenumbers' matcher is slow, so only run it then.
            matches = phonenumbers.PhoneNumberMatcher(text, "US") if digits >= 7 else ()
            for match in matches:
                e164 = phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
                add("phone", match.start, match.end, e164)
            for m in SSN_RE.finditer(text) if digits >= 9 else ():
                add("ssn", m.start(), m.end(), m.group(0))
            for m in CARD_RE.finditer(text) if digits >= 13 else ():
                number = _NON_DIGIT.sub("", m.group(0))
                if 13 <= len(number) <= 19 and _luhn(number):
                    add("card", m.start(), m.end(), number)
            for m in MONEY_RE.finditer(text):
                add("money", m.start(), m.end(), m.group(0))
        for d in dates.find_dates(text, self.anchor):
            add("date", d.start, d.end, d.value.isoformat())
        for t in dates.find_times(text):
            add("time", t.start, t.end, t.value)
        for m in self._custom_re.finditer(text) if self._custom_re else ():
            spec, value = self._custom_values[m.group(0).lower()]
            add("custom", m.start(), m.end(), value, spec=spec)
        if any(t in text for t in _TITLES):
            for m in _TITLE_NAME.finditer(text):
                add("person", m.start("name"), m.end("name"), m.group("name"))
        known_orgs: list[re.Match[str]] = []
        for m in _CAP_WORD.finditer(text):
            first = m.group(0)
            if first not in self.member_names and first not in COMMON_FIRST_NAMES:
                if first in KNOWN_ORGS:
                    known_orgs.append(m)
                continue
            end = m.end()
            following = _NEXT_CAP.match(text, end)
            if following and f"{first} {following.group(1)}" in self.member_names:
                end = following.end()
            add("person", m.start(), end, text[m.start() : end])
        for m in _ORG_SUFFIX.finditer(text) if any(p in text for p in _ORG_PREFIXES) else ():
            add("organization", m.start(), m.end(), m.group(0).rstrip("."))
        if any(u in text for u in _UPPER_ORGS):
            known_orgs.extend(_UPPER_ORG_RE.finditer(text))
        for m in known_orgs:
            add("organization", m.start(), m.end(), m.group(0))
        if digits:
            for m in NUMBER_RE.finditer(text):
                add("number", m.start(), m.end(), m.group(0).rstrip("%").replace(",", ""))
        return sorted(hits, key=lambda h: h.start)
