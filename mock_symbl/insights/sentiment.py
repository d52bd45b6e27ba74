"""Sentiment from the VADER lexicon model: compound score in [-1, 1], suggested label at +/-0.3."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

POSITIVE_ABOVE = 0.3
NEGATIVE_BELOW = -0.3


@lru_cache(maxsize=1)
def _analyzer() -> SentimentIntensityAnalyzer:
    # Loading the lexicon takes ~50 ms; one analyzer per process, it holds no per-call state.
    return SentimentIntensityAnalyzer()


@lru_cache(maxsize=65536)
def polarity(text: str) -> float:
    """VADER compound score of `text`, rounded to 3 decimals (0.0 for empty text)."""
    if not text.strip():
        return 0.0
    value = round(float(_analyzer().polarity_scores(text)["compound"]), 3)
    return 0.0 if value == 0 else value


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
