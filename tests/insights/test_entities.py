"""Entity rules and both wire formats."""

from __future__ import annotations

from datetime import date

import pytest

from mock_symbl.insights import views
from mock_symbl.insights.entities import Detector
from mock_symbl.insights.models import CustomEntitySpec

from .build import bundle

DETECTOR = Detector(
    ["John Doe", "Speaker 2"],
    [CustomEntitySpec("Vehicle", ("Model X", "Model S"), "TeslaModel")],
    date(2020, 7, 8),
)


def kinds(text: str) -> list[tuple[str, str, str]]:
    return [(h.kind, h.text, h.value) for h in DETECTOR.detect(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Write to jane.roe@example.org today",
            [("email", "jane.roe@example.org", "jane.roe@example.org"), ("date", "today", "2020-07-08")],
        ),
        ("Call (415) 555-0123", [("phone", "(415) 555-0123", "+14155550123")]),
        ("It costs $69.99 per month", [("money", "$69.99", "$69.99")]),
        ("about 300 dollars", [("money", "300 dollars", "300 dollars")]),
        ("My SSN is 123-45-6789", [("ssn", "123-45-6789", "123-45-6789")]),
        ("card 4111 1111 1111 1111", [("card", "4111 1111 1111 1111", "4111111111111111")]),
        ("We have 42 seats", [("number", "42", "42")]),
        ("at 3 pm", [("time", "3 pm", "15:00:00")]),
        ("John Doe joined", [("person", "John Doe", "John Doe")]),
        ("Ask Mr. Anderson", [("person", "Anderson", "Anderson")]),
        ("Sarah agreed", [("person", "Sarah", "Sarah")]),
        ("They work at Acme Corp now", [("organization", "Acme Corp", "Acme Corp")]),
        ("We moved from Salesforce", [("organization", "Salesforce", "Salesforce")]),
        ("I drive a model x", [("custom", "model x", "Model X")]),
        ("", []),
        ("nothing to see", []),
    ],
)
def test_detection_rules(text: str, expected: list[tuple[str, str, str]]) -> None:
    assert kinds(text) == expected


def test_diarized_speaker_names_are_not_people() -> None:
    assert kinds("Speaker said hi") == []


def test_card_needs_luhn() -> None:
    assert [k for k, _, _ in kinds("card 4111 1111 1111 1112")] != ["card"]


def test_2023_format_groups_by_type_and_subtype() -> None:
    b = bundle(
        ["Call me at (415) 555-0123 or 415-555-0199.", "I love my Model X."],
        custom_entities=(CustomEntitySpec("Vehicle", ("Model X",), "TeslaModel"),),
    )
    out = views.entities(b, "2023")["entities"]
    phone = next(e for e in out if e["subType"] == "PHONE_NUMBER")
    assert phone["category"] == "Managed"
    assert phone["type"] == "phone_number"
    assert [m["detectedValue"] for m in phone["matches"]] == ["+14155550123", "+14155550199"]
    ref = phone["matches"][0]["messageRefs"][0]
    assert set(ref) == {"id", "startTime", "endTime", "text", "offset"}
    assert ref["offset"] == 11
    custom = next(e for e in out if e["category"] == "Custom")
    assert (custom["type"], custom["subType"]) == ("Vehicle", "TeslaModel")
    assert custom["matches"][0]["messageRefs"][0]["id"] == "1000000000000001"


def test_2022_format_is_flat_with_custom_type() -> None:
    b = bundle(["I love my Model X."], custom_entities=(CustomEntitySpec("Vehicle", ("Model X",)),))
    [item] = views.entities(b, "2022")["entities"]
    assert item == {
        "type": "custom",
        "customType": "Vehicle",
        "value": "Model X",
        "text": "Model X",
        "messageRefs": [{"id": "1000000000000000", "text": "I love my Model X.", "offset": 10}],
    }


def test_detect_entities_false_keeps_custom_only() -> None:
    b = bundle(
        ["Email a@b.co about the Model X."],
        detect_entities=False,
        custom_entities=(CustomEntitySpec("Vehicle", ("Model X",)),),
    )
    assert [e["category"] for e in b["entities"]] == ["Custom"]


def test_bundle_entities_are_in_the_2023_shape() -> None:
    """The stored shape is what the streaming session forwards (type, subType, category, matches)."""
    b = bundle(["Call (415) 555-0123 now.", "Or (415) 555-0123 later."])
    [phone] = b["entities"]
    assert set(phone) >= {"id", "type", "subType", "category", "matches"}
    [match] = phone["matches"]
    assert match["detectedValue"] == "+14155550123"
    assert [r["id"] for r in match["messageRefs"]] == ["1000000000000000", "1000000000000001"]


@pytest.mark.parametrize("name", ["IBM", "HubSpot", "LinkedIn", "Google"])
def test_known_organisations_in_any_case_shape(name: str) -> None:
    assert kinds(f"We moved to {name} last year") == [("organization", name, name)]
