"""Sentiment from the VADER lexicon model: compound score in [-1, 1], suggested label at +/-0.3."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer, SentiText

POSITIVE_ABOVE = 0.3
NEGATIVE_BELOW = -0.3


@lru_cache(maxsize=1)
def _analyzer() -> SentimentIntensityAnalyzer:
    # Loading the lexicon takes ~50 ms; one analyzer per process, it holds no per-call state.
    return SentimentIntensityAnalyzer()


@lru_cache(maxsize=65536)
def polarity(text: str) -> float:
    """VADER compound score of `text`, rounded to 3 decimals (0.0 for empty text)."""
    if not text.strip() or _no_lexicon_word(text):
        return 0.0
    value = round(float(_analyzer().polarity_scores(text)["compound"]), 3)
    return 0.0 if value == 0 else value


def _no_lexicon_word(text: str) -> bool:
    """True when VADER would score 0: an ASCII text (no emoji) none of whose tokens is in its lexicon.

    VADER only gives valence to lexicon tokens (split on whitespace, punctuation stripped as it strips it),
    so skipping the full analysis then is exact, and most sentences of a meeting carry no sentiment word.
    """
    if not text.isascii():
        return False
    lexicon = _analyzer().lexicon
    return all(SentiText._strip_punc_if_word(token).lower() not in lexicon for token in text.split())


def suggested(score: float) -> str:
    """Symbl's label: > 0.3 positive, < -0.3 negative, neutral in between."""
    if score > POSITIVE_ABOVE:
        return "positive"
    if score < NEGATIVE_BELOW:
        return "negative"
    return "neutral"


def sentiment_object(score: float) -> dict[str, Any]:
    """The wire shape `{"polarity": {"score": s}, "suggested": label}`."""
    return {"polarity": {"score": score}, "suggested": suggested(score)}
