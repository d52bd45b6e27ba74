"""Per-message word facts computed once per bundle (tokenizing dominates the engine's cost)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from mock_symbl.insights.text import STOP_WORDS, stem, words
from mock_symbl.messages import Message


def is_content(word: str) -> bool:
    return word not in STOP_WORDS and len(word) > 1 and not word.isdigit()


class MessageIndex:
    """Words, stems and content words of every message, plus stem -> message positions postings.

    'Contains all words of a phrase, any inflection' is then an intersection of postings, not a scan.
    """

    def __init__(self, messages: Sequence[Message]) -> None:
        self.messages = list(messages)
        self.words = [words(m.text) for m in self.messages]
        self.stem_lists = [[stem(w) for w in ws] for ws in self.words]
        self.stem_sets = [frozenset(s) for s in self.stem_lists]
        stop = STOP_WORDS  # inlined is_content: this runs once per word of the conversation
        self.content = [
            [w for w in ws if w not in stop and len(w) > 1 and not w.isdigit()] for ws in self.words
        ]
        self.total_words = sum(len(ws) for ws in self.words)
        self.postings: dict[str, list[int]] = {}
        for position, stems in enumerate(self.stem_sets):
            for s in stems:
                self.postings.setdefault(s, []).append(position)

    def positions(self, stems: Iterable[str]) -> list[int]:
        """Positions (ascending) of the messages containing every stem."""
        lists = sorted((self.postings.get(s, []) for s in set(stems)), key=len)
        if not lists:
            return []
        found = set(lists[0])
        for more in lists[1:]:
            found.intersection_update(more)
            if not found:
                return []
        return sorted(found)

    def containing(self, phrase: str) -> list[Message]:
        """Messages containing every word of `phrase` (any inflection)."""
        return [self.messages[p] for p in self.positions(stem(w) for w in words(phrase))]
