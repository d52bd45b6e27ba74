"""Topics from YAKE keyphrase extraction, abstract topics from word frequency, hierarchy from sub-phrases."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from mock_symbl.ids import stable_numeric_id
from mock_symbl.insights import sentiment
from mock_symbl.insights.index import MessageIndex
from mock_symbl.insights.text import STOP_WORDS, content_words, r3, stem, words
from mock_symbl.messages import Message

MAX_TOPICS = 10
WORDS_PER_TOPIC = 40
YAKE_MAX_CHARS = 5_000  # YAKE is O(text); longer conversations are sampled (every k-th message)
MAX_ABSTRACT = 5
# Verbs that start action phrases ("send the deck") rather than subjects of discussion.
TOPIC_SKIP_FIRST = frozenset(
    """send share email call schedule book review prepare update finish complete submit check confirm follow
    create draft write fix test sign pay ship order arrange organize plan reach contact forward talk discuss
    present deliver make take bring move cancel remind set get add start keep use""".split()
)


def topic_count(total_words: int) -> int:
    """How many topics a conversation gets: one per 40 words, at least 1, at most 10."""
    return max(1, min(MAX_TOPICS, total_words // WORDS_PER_TOPIC))


def _sampled_text(messages: Sequence[Message]) -> str:
    total = sum(len(m.text) + 1 for m in messages)
    stride = max(1, -(-total // YAKE_MAX_CHARS))
    return "\n".join(m.text for m in messages[::stride])


def _usable(phrase: str) -> bool:
    """A topic starts and ends with a content word and does not start with an action verb."""
    ws = words(phrase)
    if not ws or ws[0] in STOP_WORDS or ws[-1] in STOP_WORDS or ws[0] in TOPIC_SKIP_FIRST:
        return False
    return bool(content_words(phrase))


def _topic(conversation_id: str, text: str, score: float, hits: Sequence[Message]) -> dict[str, Any]:
    mean = sum(sentiment.polarity(m.text) for m in hits) / len(hits) if hits else 0.0
    return {
        "id": stable_numeric_id(conversation_id, "topic", text),
        "text": text,
        "type": "topic",
        "score": score,
        "messageIds": [m.id for m in hits],
        "sentiment": sentiment.sentiment_object(r3(mean)),
        "parentRefs": [],
    }


def extract_topics(
    conversation_id: str, index: MessageIndex, excluded: frozenset[str] = frozenset()
) -> list[dict[str, Any]]:
    """The K YAKE keyphrases (of its top 3K) said in the most messages; scores 1.0 down by 0.5/K.

    `excluded` holds lower-cased words (member names) that disqualify a phrase.
    """
    messages = index.messages
    if not any(index.content):
        return []
    k = topic_count(index.total_words)
    # Imported on first use: yake pulls in numpy and networkx (~0.5 s), which every server start would pay
    # through the routers that import this module (bench/bench_coldstart.py).
    import yake

    extractor = yake.KeywordExtractor(lan="en", n=3, dedupLim=0.8, top=k * 3 + 10)
    candidates = [str(kw).lower().strip() for kw, _ in extractor.extract_keywords(_sampled_text(messages))]
    ranked: list[tuple[int, int, str, list[Message]]] = []
    seen: set[frozenset[str]] = set()
    for rank, phrase in enumerate(candidates):
        key = frozenset(stem(w) for w in words(phrase))
        if not _usable(phrase) or key in seen or excluded.intersection(words(phrase)):
            continue
        hits = index.containing(phrase)
        if hits:
            seen.add(key)
            ranked.append((-len(hits), rank, phrase, hits))
    topics = [_topic(conversation_id, phrase, 0.0, hits) for _, _, phrase, hits in sorted(ranked)[:k]]
    for rank, topic in enumerate(topics):
        topic["score"] = round(1.0 - 0.5 * rank / len(topics), 2)
    link_parents(topics)
    return topics


def link_parents(topics: list[dict[str, Any]]) -> None:
    """parentRefs: a topic's parents are the other topics whose words are a strict subset of its own."""
    keys = [frozenset(stem(w) for w in words(t["text"])) for t in topics]
    for topic, key in zip(topics, keys, strict=True):
        topic["parentRefs"] = [
            {"type": "topic", "text": other["text"]}
            for other, other_key in zip(topics, keys, strict=True)
            if other_key < key
        ]


def vocabulary_topics(
    conversation_id: str, terms: Sequence[str], index: MessageIndex
) -> list[dict[str, Any]]:
    """Custom topic vocabulary: each term said in the conversation becomes a topic with score 1.0."""
    out: list[dict[str, Any]] = []
    for term in dict.fromkeys(t.strip() for t in terms if t and t.strip()):
        hits = index.containing(term)
        if hits:
            out.append(_topic(conversation_id, term.lower(), 1.0, hits))
    return out


def abstract_topics(conversation_id: str, index: MessageIndex) -> list[dict[str, Any]]:
    """Labs abstract topics: the 5 content words said in the most messages (at least 2), ties alphabetical."""
    # Stems of content words only; the postings give in how many messages each stem was said.
    content_stems = {stem(w) for content in index.content for w in content}
    counts = {s: len(index.postings[s]) for s in content_stems}
    ranked = sorted((item for item in counts.items() if item[1] >= 2), key=lambda kv: (-kv[1], kv[0]))
    top = ranked[:MAX_ABSTRACT]
    if not top:
        return []
    best = top[0][1]
    out = []
    for s, count in top:
        surface: Counter[str] = Counter(
            w for p in index.postings[s] for w in index.content[p] if stem(w) == s
        )
        text = sorted(surface.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
        ids = [index.messages[p].id for p in index.postings[s]]
        out.append(
            {
                "id": stable_numeric_id(conversation_id, "abstract_topic", s),
                "text": text,
                "type": "abstract_topic",
                "score": round(count / best, 2),
                "messageIds": ids,
            }
        )
    return out
