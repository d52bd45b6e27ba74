"""Questions, action items, follow-ups and intents: one test per rule."""

from __future__ import annotations

import pytest

from mock_symbl.insights import actions

from .build import JOHN, MARY, bundle


@pytest.mark.parametrize(
    ("text", "score"),
    [
        ("What is the price of the plan?", 0.9),
        ("Do you have a minute?", 0.9),
        ("You are coming tomorrow?", 0.8),
        ("how much does it cost", 0.7),
        ("can we move the meeting", 0.7),
        ("The price is fine.", 0.0),
        ("Really?", 0.0),
        ("Okay, right?", 0.0),
        ("What a great day.", 0.0),
    ],
)
def test_question_score(text: str, score: float) -> None:
    assert actions.is_question(text) == score


def test_questions_point_at_their_message_and_speaker() -> None:
    b = bundle(["Hello there everyone.", "What is the price of the enterprise plan?"])
    [q] = b["questions"]
    assert q["text"] == "What is the price of the enterprise plan?"
    assert q["messageIds"] == ["1000000000000001"]
    assert q["from"] == {"id": MARY.id, "name": "Mary Smith", "userId": "mary@example.com"}
    assert q["type"] == "question"
    assert q["score"] == 0.9


def test_unpunctuated_question_is_dropped_above_threshold() -> None:
    assert bundle(["how much does it cost"])["questions"][0]["score"] == 0.7
    assert bundle(["how much does it cost"], confidence_threshold=0.8)["questions"] == []


def test_first_person_commitment_is_definitive_and_assigned_to_speaker() -> None:
    [item] = bundle(["I will send the contract to the legal team by Friday."])["actionItems"]
    assert item["definitive"] is True
    assert item["assignee"]["id"] == JOHN.id
    assert item["dueBy"] == "2020-07-10T00:00:00.000Z"
    assert item["score"] == 0.95


def test_should_is_not_definitive() -> None:
    [item] = bundle(["We should review the onboarding document."])["actionItems"]
    assert item["definitive"] is False
    assert item["score"] == 0.65
    assert "dueBy" not in item


def test_hedge_makes_it_tentative() -> None:
    [item] = bundle(["Maybe I'll prepare a draft."])["actionItems"]
    assert item["definitive"] is False


def test_named_member_is_assignee() -> None:
    [item] = bundle(["Mary will prepare the budget report.", "Okay then."])["actionItems"]
    assert item["assignee"] == {"id": MARY.id, "name": "Mary Smith", "email": "mary@example.com"}
    persons = [e for e in item["entities"] if e["type"] == "person"]
    assert persons == [
        {"type": "person", "text": "Mary", "offset": 0, "value": {"assignee": True, "name": "Mary"}}
    ]


def test_named_member_after_an_interjection() -> None:
    [item] = bundle(["Sure, Mary will prepare the budget report.", "Okay then."])["actionItems"]
    assert item["assignee"]["id"] == MARY.id


def test_name_comma_imperative() -> None:
    [item] = bundle(["John, please review the slides."])["actionItems"]
    assert item["assignee"]["id"] == JOHN.id


def test_imperative_goes_to_the_other_member_of_two() -> None:
    [item] = bundle(["Send me the updated deck.", "Fine."])["actionItems"]
    assert item["assignee"]["id"] == MARY.id


def test_imperative_with_one_member_has_no_assignee() -> None:
    [item] = bundle(["Send me the updated deck."])["actionItems"]
    assert item["assignee"] == {}


def test_named_non_member_gets_a_name_only_assignee() -> None:
    [item] = bundle(["Vikram will draft the agreement."])["actionItems"]
    assert item["assignee"] == {"name": "Vikram"}


def test_request_question_is_both_question_and_action() -> None:
    b = bundle([("mary", "Could you prepare the invoice for us?"), ("john", "Sure thing.")])
    assert len(b["questions"]) == 1
    [item] = b["actionItems"]
    assert item["assignee"]["id"] == JOHN.id


def test_lets_is_assigned_to_speaker() -> None:
    [item] = bundle(["Let's finalize the proposal."])["actionItems"]
    assert item["assignee"]["id"] == JOHN.id


@pytest.mark.parametrize(
    "text",
    ["The weather is nice.", "I will be late.", "We'll see what happens.", "I will not sign it.", "Hi."],
)
def test_statements_are_not_action_items(text: str) -> None:
    b = bundle([text])
    assert b["actionItems"] == []
    assert b["followUps"] == []


@pytest.mark.parametrize(
    "text",
    [
        "I will call you tomorrow.",
        "I'll email the summary to the team.",
        "Let's schedule a meeting for next week.",
        "We need to set up a sync with finance.",
        "I will follow up with the vendor.",
    ],
)
def test_follow_up_rule(text: str) -> None:
    b = bundle([text])
    assert len(b["followUps"]) == 1
    assert b["actionItems"] == []
    assert b["followUps"][0]["type"] == "follow_up"


def test_phrases_only_with_detect_phrases() -> None:
    lines = ["I will send the contract to Acme Corp by Friday."]
    assert bundle(lines)["actionItems"][0]["phrases"] == []
    item = bundle(lines, detect_phrases=True)["actionItems"][0]
    assert item["phrases"] == [{"type": "action_phrase", "text": "send the contract to Acme Corp"}]


def test_threshold_filters_action_items() -> None:
    lines = ["We should review the onboarding document."]  # score 0.65
    assert bundle(lines, confidence_threshold=0.7)["actionItems"] == []
    assert len(bundle(lines, confidence_threshold=0.6)["actionItems"]) == 1


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("Please leave a message after the beep.", "answering_machine"),
        ("Do not call this number again.", "do_not_call"),
        ("Sorry, I'm not interested.", "not_interested"),
        ("That sounds good, tell me more.", "interested"),
    ],
)
def test_intents(text: str, intent: str) -> None:
    [item] = bundle([text])["intents"]
    assert item["intent"] == intent
    assert item["messageIds"] == ["1000000000000000"]


def test_no_speakers_means_no_assignee() -> None:
    b = bundle([(None, "Send the report by Friday.")])
    [item] = b["actionItems"]
    assert item["assignee"] == {}
    assert item["from"] == {}


def test_question_request_needs_an_action_verb() -> None:
    b = bundle(["Can you hear me okay?", "Yes, loud and clear."])
    assert len(b["questions"]) == 1
    assert b["actionItems"] == []
    assert b["followUps"] == []


def test_farewell_with_a_name_is_not_an_action() -> None:
    b = bundle(["Thank you Mary, talk soon.", "Bye John."])
    assert b["actionItems"] == []


@pytest.mark.parametrize("text", ["Morning everyone, let's get started.", "Okay, let's go."])
def test_meeting_openers_are_not_actions(text: str) -> None:
    assert bundle([text])["actionItems"] == []
