"""Topics (YAKE), custom topic vocabulary, hierarchy and Labs abstract topics."""

from __future__ import annotations

from mock_symbl.insights import topics, views

from .build import bundle, messages

PRICING_CALL = [
    "Let's talk about the enterprise plan pricing today.",
    "The enterprise plan includes single sign-on and audit logs.",
    "Pricing for the enterprise plan starts at forty dollars per seat.",
    "Is the pricing negotiable for a three year contract?",
    "We can discuss a discount on the enterprise plan for three years.",
    "Our security team also needs the audit logs exported daily.",
    "Audit logs can be exported to your storage bucket.",
    "Great, then the enterprise plan fits our security needs.",
]


def test_topic_count_rule() -> None:
    assert [topics.topic_count(n) for n in (0, 39, 40, 120, 10_000)] == [1, 1, 1, 3, 10]


def test_topics_point_at_messages_containing_all_their_words() -> None:
    b = bundle(PRICING_CALL)
    texts = [t["text"] for t in b["topics"]]
    assert "enterprise plan" in texts
    ids = {m.id: m.text.lower() for m in messages(PRICING_CALL)}
    for topic in b["topics"]:
        assert topic["type"] == "topic"
        assert topic["messageIds"]
        for mid in topic["messageIds"]:
            assert all(w[:4] in ids[mid] for w in topic["text"].split())


def test_scores_descend_from_one_and_follow_coverage() -> None:
    b = bundle(PRICING_CALL)
    scores = [t["score"] for t in b["topics"]]
    assert scores[0] == 1.0
    assert scores == sorted(scores, reverse=True)
    coverage = [len(t["messageIds"]) for t in b["topics"]]
    assert coverage == sorted(coverage, reverse=True)


def test_member_names_are_not_topics() -> None:
    b = bundle(["Mary Mary Mary, the roadmap roadmap is ready.", "Thanks John, the roadmap looks good."])
    texts = [t["text"] for t in b["topics"]]
    assert "roadmap" in texts  # the most said word that is not a name
    assert not [t for t in texts if "mary" in t or "john" in t]


def test_view_strips_optional_fields_unless_asked() -> None:
    """Sentiment only on request; parentRefs always present, and empty unless parentRefs=true."""
    b = bundle(PRICING_CALL)
    plain = views.topics(b)["topics"]
    assert plain and all("sentiment" not in t for t in plain)
    # the docs' examples always carry parentRefs; the hierarchy is filled only with parentRefs=true
    assert all(t["parentRefs"] == [] for t in plain)
    rich = views.topics(b, sentiment=True)["topics"][0]
    assert rich["sentiment"]["suggested"] in ("positive", "neutral", "negative")


def test_parent_refs_link_general_to_specific() -> None:
    items = [{"text": "plan"}, {"text": "enterprise plan"}, {"text": "audit logs"}]
    topics.link_parents(items)
    assert items[1]["parentRefs"] == [{"type": "topic", "text": "plan"}]
    assert items[0]["parentRefs"] == []
    assert items[2]["parentRefs"] == []


def test_parent_refs_view_drops_sentiment() -> None:
    out = views.topics(bundle(PRICING_CALL), sentiment=True, parent_refs=True)["topics"]
    assert [t["text"] for t in out][:1] == ["enterprise plan"]
    for topic in out:
        assert isinstance(topic["parentRefs"], list)
        assert "sentiment" not in topic


def test_custom_vocabulary_terms_said_become_first_topics() -> None:
    b = bundle(PRICING_CALL, custom_vocabulary=("discounts", "kubernetes"))
    out = views.topics(b, vocabulary=[])["topics"]
    assert out[0]["text"] == "discounts"
    assert out[0]["score"] == 1.0
    assert "kubernetes" not in [t["text"] for t in out]
    explicit = views.topics(b, messages(PRICING_CALL), vocabulary=["security"])["topics"]
    assert explicit[0]["text"] == "security"
    assert len(explicit[0]["messageIds"]) == 2


def test_abstract_topics_are_most_said_words() -> None:
    b = bundle(PRICING_CALL)
    first = b["abstractTopics"][0]
    assert first["type"] == "abstract_topic"
    assert first["text"] == "enterprise"
    assert first["score"] == 1.0
    assert len(first["messageIds"]) == 5


def test_no_topics_for_empty_conversation() -> None:
    b = bundle([])
    assert b["topics"] == []
    assert b["abstractTopics"] == []


def test_people_named_in_the_text_are_not_topics() -> None:
    lines = [
        f"Linda wants the {w} report and Linda will review the {w} budget." for w in ("sales", "marketing")
    ]
    b = bundle(lines * 3)
    assert b["topics"]
    assert all("linda" not in t["text"] for t in b["topics"])
