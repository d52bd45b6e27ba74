"""Trackers: exact matches carry their offset, other inflections -1, insightRefs to questions/actions."""

from __future__ import annotations

from mock_symbl.insights.models import TrackerSpec

from .build import bundle

PRICING = TrackerSpec("Pricing", ("price", "enterprise plan", "kubernetes"))


def test_exact_match_has_character_offset() -> None:
    [tracker] = bundle(["The price is right."], trackers=(PRICING,))["trackers"]
    assert tracker["name"] == "Pricing"
    assert len(tracker["id"]) == 16
    [match] = tracker["matches"]
    assert match["type"] == "vocabulary"
    assert match["value"] == "price"
    assert match["messageRefs"] == [{"id": "1000000000000000", "text": "The price is right.", "offset": 4}]


def test_other_inflection_is_offset_minus_one() -> None:
    [tracker] = bundle(["Prices went up again."], trackers=(PRICING,))["trackers"]
    assert tracker["matches"][0]["messageRefs"][0]["offset"] == -1


def test_multiword_term_must_be_contiguous() -> None:
    b = bundle(["The plan is enterprise grade."], trackers=(TrackerSpec("T", ("enterprise plan",)),))
    assert b["trackers"] == []
    b = bundle(["Our enterprise plans are cheaper."], trackers=(TrackerSpec("T", ("enterprise plan",)),))
    assert b["trackers"][0]["matches"][0]["messageRefs"][0]["offset"] == -1


def test_insight_refs_point_at_questions_and_action_items() -> None:
    b = bundle(
        ["What is the price of the enterprise plan?", "I will send the price list by Friday."],
        trackers=(PRICING,),
    )
    [tracker] = b["trackers"]
    price = tracker["matches"][0]
    types = sorted(r["type"] for r in price["insightRefs"])
    assert types == ["action_item", "question"]
    q_id = b["questions"][0]["id"]
    assert {"text": b["questions"][0]["text"], "offset": 12, "type": "question", "id": q_id} in price[
        "insightRefs"
    ]


def test_unmatched_terms_and_trackers_are_absent() -> None:
    b = bundle(["Nothing relevant here."], trackers=(PRICING, TrackerSpec("Empty", ())))
    assert b["trackers"] == []


def test_duplicate_names_keep_the_first_and_managed_ids_are_kept() -> None:
    specs = (
        TrackerSpec("Pricing", ("price",)),
        TrackerSpec("Pricing", ("cost",), id="999"),
        TrackerSpec("Cost", ("cost",), id="4242"),
    )
    b = bundle(["The price and the cost."], trackers=specs)
    assert [(t["name"], t["id"]) for t in b["trackers"]][1] == ("Cost", "4242")
    assert len(b["trackers"]) == 2
