"""Sentence splitting: Symbl stores submitted content as one message per sentence."""

from __future__ import annotations

from segtok.segmenter import split_multi


def split_sentences(text: str) -> list[str]:
    """Split `text` into trimmed sentences; text with no sentence boundary stays one message."""
    sentences = [s.strip() for s in split_multi(text or "") if s and s.strip()]
    return sentences or ([text.strip()] if text and text.strip() else [])
