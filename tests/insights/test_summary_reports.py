"""Summary minimums and refresh, call score criteria, lm-insights."""

from __future__ import annotations

from mock_symbl.insights import engine, summary
from mock_symbl.insights.models import ScorecardSpec

from .build import bundle, messages, options

LONG = [
    "Thanks for joining, today we review the migration plan for the billing service.",
    "The billing service migration needs a new database schema first.",
    "What is the timeline for the database schema change?",
    "The schema change takes two weeks and blocks the billing migration.",
    "I will write the migration runbook for the billing service by Friday.",
    "Our main challenge is the downtime during the billing cutover.",
    "Can you share the pricing of the managed database?",
    "The managed database costs more but removes the downtime problem.",
    "Let's schedule a follow-up call next week to decide.",
    "Great, I'm happy with this plan.",
    "Me too, this migration plan looks solid.",
]


def test_minimums() -> None:
    assert bundle(["One short line.", "Another one.", "Third one."])["summary"] == []  # < 50 words
    fifty = " ".join(["word"] * 60)
    assert bundle([fifty, fifty])["summary"] == []  # < 3 sentences
    assert summary.eligible(messages(LONG))


def test_summary_items_are_central_messages_in_order() -> None:
    items = bundle(LONG)["summary"]
    assert len(items) == summary.item_count(len(LONG)) == 2
    ids = [i["messageRefs"][0]["id"] for i in items]
    assert ids == sorted(ids)
    assert all("billing" in i["text"] for i in items)
    assert items[0]["text"].startswith(("John Doe: ", "Mary Smith: "))


def test_refresh_incremental_and_full() -> None:
    msgs = messages(LONG)
    b = engine.compute_bundle(msgs[:1], options())
    assert b["summary"] == []
    assert b["summaryMessageCount"] == 1
    engine.refresh_summary(b, msgs, full=False)  # only the messages added since the last summary
    assert b["summaryMessageCount"] == len(LONG)
    assert b["summary"] == summary.summarize(b["conversationId"], msgs[1:])
    engine.refresh_summary(b, msgs, full=True)
    assert b["summary"] == summary.summarize(b["conversationId"], msgs)
    assert b["summary"][0]["messageRefs"] == [{"id": msgs[0].id}]


def test_default_call_score_has_four_managed_criteria() -> None:
    score = bundle(LONG)["callScore"]
    names = [c["name"] for c in score["criteria"]]
    assert names == ["Communication and Engagement", "Question Handling", "Forward Motion", "Sales Process"]
    assert score["score"] == round(sum(c["score"] for c in score["criteria"]) / 4)
    qh = score["criteria"][1]
    assert qh["score"] == 100
    assert qh["summary"].startswith("2 of 2")
    sales = score["criteria"][3]
    assert sales["score"] == 75  # discovery (challenge), pricing, next steps (schedule); no demo words
    for c in score["criteria"]:
        assert set(c["feedback"]) == {"positive", "negative"}


def test_custom_scorecard_checklist() -> None:
    card = ScorecardSpec(
        id="sc1",
        criteria=(
            {
                "id": "c1",
                "name": "Runbook",
                "checklist": [
                    {"question": "Did they mention a migration runbook?", "priority": "high"},
                    {"question": "Did they discuss kubernetes autoscaling?", "priority": "low"},
                ],
            },
            {"id": "Symbl.Forward_Motion", "name": "Forward Motion"},
        ),
    )
    score = bundle(LONG, scorecard=card)["callScore"]
    runbook, forward = score["criteria"]
    assert runbook["name"] == "Runbook"
    assert runbook["score"] == 75
    assert forward["name"] == "Forward Motion"
    assert forward["score"] == 100


def test_lm_insights_report() -> None:
    report = bundle(LONG)["lmInsights"]
    assert [a["name"] for a in report["attendees"]] == ["John Doe", "Mary Smith"]
    qa = report["callQuestionAndAnswers"]["questionsAndAnswers"]
    assert qa[0]["question"] == LONG[2]
    assert qa[0]["answer"] == LONG[3]
    assert qa[0]["questionBy"] == "John Doe"
    chunks = report["callSentiment"]["chunks"]
    assert len(chunks) == 2
    assert chunks[0]["startTime"] == "2020-07-08T10:00:00.000Z"
    assert report["callNextSteps"]["nextSteps"]
    assert report["callScore"]["criteria"]
