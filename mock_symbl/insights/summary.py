"""Extractive summary: the most central sentences (by shared content words), in conversation order."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from math import sqrt
from typing import Any

from mock_symbl.ids import stable_numeric_id
from mock_symbl.insights.index import MessageIndex
from mock_symbl.insights.text import stem, words
from mock_symbl.messages import Message

MIN_WORDS = 50
MIN_SENTENCES = 3
MIN_SENTENCE_WORDS = 4
MAX_ITEMS = 10


def eligible(messages: Sequence[Message], index: MessageIndex | None = None) -> bool:
    """Symbl's documented minimum: no summary below 50 words or 3 sentences."""
    total = index.total_words if index is not None else sum(len(words(m.text)) for m in messages)
    return len(messages) >= MIN_SENTENCES and total >= MIN_WORDS


def item_count(n_messages: int) -> int:
    """One summary sentence per 10 messages, at least 1, at most 10."""
    return max(1, min(MAX_ITEMS, -(-n_messages // 10)))


def summarize(
    conversation_id: str, messages: Sequence[Message], index: MessageIndex | None = None
) -> list[dict[str, Any]]:
    """Summary items `{id, text, messageRefs: [{id}]}`; [] when the conversation is below the minimums."""
    index = index if index is not None else MessageIndex(messages)
    if not eligible(messages, index):
        return []
    bags = [[stem(w) for w in content] for content in index.content]
    freq: Counter[str] = Counter(s for bag in bags for s in set(bag))
    scored = []
    for position, (ws, bag) in enumerate(zip(index.words, bags, strict=True)):
        if len(ws) < MIN_SENTENCE_WORDS or not bag:
            continue
        centrality = sum(freq[s] for s in set(bag)) / sqrt(len(bag))
        scored.append((-round(centrality, 6), position))
    chosen = sorted(position for _, position in sorted(scored)[: item_count(len(messages))])
    items: list[dict[str, Any]] = []
    for position in chosen:
        message = messages[position]
        speaker = message.speaker.name if message.speaker and message.speaker.name else None
        text = f"{speaker}: {message.text}" if speaker else message.text
        items.append(
            {
                "id": stable_numeric_id(conversation_id, "summary", message.id),
                "text": text,
                "messageRefs": [{"id": message.id}],
            }
        )
    return items
