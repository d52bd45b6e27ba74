"""Small text helpers shared by the rules: word tokens with offsets, stems, stop words, rounding."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

WORD_RE = re.compile(r"[\w][\w'’\-]*", re.UNICODE)

STOP_WORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before being below
    between both but by can could did do does doing down during each few for from further get got had has have
    having he her here hers herself him himself his how i if in into is it its itself just let lets let's me
    more most my myself no nor not now of off on once only or other our ours ourselves out over own really
    right same she should so some such than that that's the their theirs them themselves then there these they
    this those through to too under until up very was we well were what when where which while who whom why
    will with would yeah yes you your yours yourself yourselves okay ok oh um uh hmm like going gonna want
    know think thing things something anything everything one two sure actually maybe just kind sort lot
    i'm i'll i've i'd you're you'll we're we'll we've they're it's don't didn't can't won't isn't aren't
    hello hi hey thanks thank please good great go need us much many say said see next today tomorrow
    yesterday tonight week weeks month day days time times year monday tuesday wednesday thursday friday
    saturday sunday nice meet glad soon sounds talk lot bit anyway sorry may might must shall january
    february march april june july august september october november december""".split()
)


@functools.cache
def _stemmer() -> Any:
    # Imported on first use: loading the stemmers costs ~50 ms of every server start otherwise.
    import snowballstemmer

    return snowballstemmer.stemmer("english")


@dataclass(frozen=True)
class Token:
    """A word of a message with its character offset."""

    text: str
    start: int
    end: int

    @property
    def lower(self) -> str:
        return self.text.lower()


def tokens(text: str) -> list[Token]:
    """Word tokens (letters, digits, inner apostrophes and hyphens) with character offsets."""
    return [Token(m.group(0), m.start(), m.end()) for m in WORD_RE.finditer(text)]


def words(text: str) -> list[str]:
    """Lower-cased word tokens (curly apostrophes normalised)."""
    lowered = text.lower()
    if "’" in lowered:
        lowered = lowered.replace("’", "'")
    return WORD_RE.findall(lowered)


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Snowball (Porter 2) stem of one lower-cased word: 'pricing', 'prices' and 'priced' all give 'price'."""
    return str(_stemmer().stemWord(word.lower().replace("’", "'")))


def stems(text: str) -> list[str]:
    return [stem(w) for w in words(text)]


def content_words(text: str) -> list[str]:
    """Lower-cased words that are not stop words, digits or single letters."""
    return [w for w in words(text) if w not in STOP_WORDS and len(w) > 1 and not w.isdigit()]


def find_phrase(text: str, phrase: str) -> int:
    """Offset of `phrase` in `text` as whole words, case-insensitive; -1 when absent."""
    if not phrase.strip():
        return -1
    pattern = r"(?<![\w])" + re.escape(phrase.strip()) + r"(?![\w])"
    match = re.search(pattern, text, re.IGNORECASE)
    return match.start() if match else -1


def r2(value: float) -> float:
    """Round for the wire (2 decimals) without returning -0.0."""
    out = round(value, 2)
    return 0.0 if out == 0 else out


def r3(value: float) -> float:
    out = round(value, 3)
    return 0.0 if out == 0 else out
