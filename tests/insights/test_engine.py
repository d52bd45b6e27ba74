"""Whole-engine guarantees: determinism, edge cases, options round trip."""

from __future__ import annotations

import json

import pytest

from mock_symbl.insights import engine
from mock_symbl.insights.models import CustomEntitySpec, ScorecardSpec, TrackerSpec

from .build import CID, bundle, messages, options

CALL = [
    "Hi Mary, thanks for joining the pricing call.",
    "What is the price of the enterprise plan?",
    "It is $69.99 per seat, I will send the quote by Friday.",
    "Can you call me tomorrow at 3 pm?",
    "Sure, my email is john@example.com.",
]
RICH = {
    "detect_phrases": True,
    "trackers": (TrackerSpec("Pricing", ("price",)),),
    "custom_entities": (CustomEntitySpec("Plan", ("enterprise plan",), "Tier"),),
    "custom_vocabulary": ("quote",),
    "scorecard": ScorecardSpec("sc", ({"id": "Symbl.Question_Handling", "name": "Question Handling"},)),
}


def test_same_input_same_bytes() -> None:
    first = json.dumps(bundle(CALL, **RICH), sort_keys=True)
    second = json.dumps(bundle(CALL, **RICH), sort_keys=True)
    assert first == second
    assert json.loads(first)["questions"][0]["id"] == bundle(CALL)["questions"][0]["id"]


def test_ids_depend_on_conversation() -> None:
    msgs = messages(CALL)
    other = engine.compute_bundle(
        msgs, options().__class__(conversation_id="42", conversation_start=msgs[0].start)
    )
    assert other["questions"][0]["id"] != bundle(CALL)["questions"][0]["id"]


def test_message_order_is_by_seq_not_input_order() -> None:
    msgs = messages(CALL)
    assert engine.compute_bundle(list(reversed(msgs)), options()) == engine.compute_bundle(msgs, options())


def test_bundle_is_json_ready() -> None:
    b = bundle(CALL, **RICH)
    assert json.loads(json.dumps(b)) == b


@pytest.mark.parametrize(
    "lines",
    [
        [],
        ["Hi"],
        ["?"],
        ["   "],
        ["Ünïcödé façade — naïve café? 日本語のテキスト。 Emoji 🎉 rocks!"],
        [" ".join(["word"] * 5000) + " will you send it?"],
        [(None, "Nobody knows who said this, send the file.")],
    ],
)
def test_edge_cases_do_not_crash(lines: list) -> None:
    b = bundle(lines, **RICH)
    assert b["messageCount"] == len(lines)
    assert set(b["analytics"]) == {"metrics", "members"}
    json.dumps(b)


def test_options_round_trip() -> None:
    opts = options(**RICH, metadata={"salesStage": "demo"}, confidence_threshold=0.7)
    data = json.loads(json.dumps(engine.options_to_json(opts)))
    assert engine.options_from_json(data) == opts


def test_prefix_is_cheap_and_consistent() -> None:
    msgs = messages(CALL)
    prefix = engine.compute_bundle(msgs[:2], options())
    full = engine.compute_bundle(msgs, options())
    assert prefix["questions"][0] == full["questions"][0]


def test_conversation_id_and_version() -> None:
    b = bundle(CALL)
    assert b["conversationId"] == CID
    assert b["version"] == engine.BUNDLE_VERSION


def test_collector_state_is_restored() -> None:
    import gc

    assert gc.isenabled()
    bundle(CALL)
    assert gc.isenabled()
    gc.disable()
    try:
        bundle(CALL)
        assert not gc.isenabled()  # a caller's choice is left alone
    finally:
        gc.enable()


def test_insights_are_english_only() -> None:
    english = bundle(CALL)
    assert english["questions"] and english["actionItems"]
    for code in ("es-ES", "fr-FR", "ja-JP"):
        other = bundle(CALL, language_code=code)
        assert other["questions"] == [] and other["actionItems"] == [] and other["followUps"] == []
        assert other["topics"] == [] and other["summary"] == []
    assert bundle(CALL, language_code="en-GB")["questions"] == english["questions"]
