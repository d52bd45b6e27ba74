"""Per-message word facts computed once per bundle (tokenizing dominates the engine's cost)."""

from __future__ import annotations

from collections.abc import Sequence

from mock_symbl.insights.models import Message
from mock_symbl.insights.text import STOP_WORDS, stem, words


def is_content(word: str) -> bool:
    return word not in STOP_WORDS and len(word) > 1 and not word.isdigit()


class MessageIndex:
    """Words, stems and content words of every message; 'all words of a phrase, any inflection' is a subset test."""

    def __init__(self, messages: Sequence[Message]) -> None:
        self.messages = list(messages)
        self.words = [words(m.text) for m in self.messages]
        self.stem_lists = [[stem(w) for w in ws] for ws in self.words]
        self.stem_sets = [frozenset(s) for s in self.stem_lists]
        self.content = [[w for w in ws if is_content(w)] for ws in self.words]
        self.total_words = sum(len(ws) for ws in self.words)

    def containing(self, phrase: str) -> list[Message]:
        wanted = {stem(w) for w in words(phrase)}
        if not wanted:
            return []
        return [m for m, s in zip(self.messages, self.stem_sets, strict=True) if wanted <= s]
