"""Call score (transparent rules per criterion) and the lm-insights report built from the other insights."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from mock_symbl.clock import iso
from mock_symbl.insights import sentiment
from mock_symbl.insights.index import MessageIndex
from mock_symbl.insights.models import ScorecardSpec
from mock_symbl.insights.text import content_words, r3, stem
from mock_symbl.messages import Message

MANAGED_CRITERIA = {
    "Symbl.Communication_And_Engagement": "Communication and Engagement",
    "Symbl.Question_Handling": "Question Handling",
    "Symbl.Forward_Motion": "Forward Motion",
    "Symbl.Sales_Process": "Sales Process",
}
SALES_STAGES = {
    "discovery": ("challenge", "problem", "need", "pain", "goal", "currently"),
    "solution": ("demo", "show", "feature", "solution", "product", "platform"),
    "pricing": ("price", "pricing", "cost", "budget", "quote", "discount"),
    "next steps": ("next step", "follow up", "schedule", "contract", "proposal", "trial"),
}
PRIORITY_WEIGHT = {"high": 3, "medium": 2, "low": 1}
CHUNK_MESSAGES = 10


def answered_questions(
    messages: Sequence[Message], questions: Sequence[Mapping[str, Any]]
) -> list[tuple[Any, ...]]:
    """(question, answer message or None) pairs: the answer is the next message by another speaker."""
    position = {m.id: i for i, m in enumerate(messages)}
    out: list[tuple[Any, ...]] = []
    for q in questions:
        i = position.get(q["messageIds"][0], -1)
        speaker = messages[i].speaker if i >= 0 else None
        asker = speaker.id if speaker else None
        answer = None
        for m in messages[i + 1 : i + 4] if i >= 0 else []:
            if (m.speaker.id if m.speaker else None) != asker:
                answer = m
                break
        out.append((q, answer))
    return out


class CallScorer:
    """Scores each criterion 0-100 from facts already in the bundle; the call score is their mean."""

    def __init__(self, messages: Sequence[Message], bundle: Mapping[str, Any], index: MessageIndex) -> None:
        self.messages = messages
        self.bundle = bundle
        self.stems = {stem(w) for content in index.content for w in content}
        self.lower_text = " ".join(m.text.lower() for m in messages)

    def communication(self) -> tuple[int, str, str, str]:
        members = self.bundle["analytics"]["members"]
        shares = [mb["talkTime"]["percentage"] / 100.0 for mb in members]
        n = len(shares)
        balance = 0.5 if n < 2 else 1.0 - (max(shares) - 1.0 / n) / (1.0 - 1.0 / n)
        scores = [sentiment.polarity(m.text) for m in self.messages]
        positivity = (sum(scores) / len(scores) + 1.0) / 2.0 if scores else 0.5
        score = round(100 * (0.6 * balance + 0.4 * positivity))
        return (
            score,
            f"Talk balance {balance:.2f} across {n} participant(s); mean sentiment {2 * positivity - 1:.2f}.",
            "Participants shared the conversation." if balance >= 0.5 else "The tone stayed constructive.",
            "One participant dominated the talk time." if balance < 0.5 else "Sentiment could be warmer.",
        )

    def question_handling(self) -> tuple[int, str, str, str]:
        pairs = answered_questions(self.messages, self.bundle["questions"])
        answered = sum(1 for _, a in pairs if a is not None)
        score = 50 if not pairs else round(100 * answered / len(pairs))
        return (
            score,
            f"{answered} of {len(pairs)} question(s) were answered by another participant.",
            "Questions received answers." if answered else "No unanswered questions.",
            "Some questions were left unanswered." if answered < len(pairs) else "Few questions were asked.",
        )

    def forward_motion(self) -> tuple[int, str, str, str]:
        steps = list(self.bundle["actionItems"]) + list(self.bundle["followUps"])
        dated = sum(1 for s in steps if s.get("dueBy"))
        score = min(100, 25 * len(steps) + 25 * dated)
        return (
            score,
            f"{len(steps)} next step(s), {dated} with a due date.",
            "Next steps were agreed." if steps else "The call stayed on topic.",
            "Next steps lack due dates." if dated < len(steps) or not steps else "None.",
        )

    def sales_process(self) -> tuple[int, str, str, str]:
        covered = [
            stage for stage, cues in SALES_STAGES.items() if any(cue in self.lower_text for cue in cues)
        ]
        missing = [s for s in SALES_STAGES if s not in covered]
        return (
            25 * len(covered),
            f"Covered {len(covered)} of 4 sales stages: {', '.join(covered) or 'none'}.",
            f"Covered: {', '.join(covered)}." if covered else "None.",
            f"Missing: {', '.join(missing)}." if missing else "None.",
        )

    def custom(self, criterion: Mapping[str, Any]) -> tuple[int, str, str, str]:
        items = [c for c in criterion.get("checklist") or [] if isinstance(c, Mapping)]
        if not items:
            items = [{"question": f"{criterion.get('name', '')} {criterion.get('description') or ''}"}]
        total = got = 0
        for item in items:
            weight = PRIORITY_WEIGHT.get(str(item.get("priority", "medium")).lower(), 2)
            wanted = {stem(w) for w in content_words(str(item.get("question", "")))}
            total += weight
            if wanted and len(wanted & self.stems) * 2 >= len(wanted):
                got += weight
        score = round(100 * got / total) if total else 0
        return (
            score,
            f"{got} of {total} weighted checklist point(s) covered.",
            "Checklist items covered.",
            ("Checklist items not covered." if got < total else "None."),
        )

    def score(self, scorecard: ScorecardSpec | None) -> dict[str, Any]:
        criteria_specs: list[Mapping[str, Any]] = (
            list(scorecard.criteria)
            if scorecard
            else [{"id": k, "name": v} for k, v in MANAGED_CRITERIA.items()]
        )
        rules = {
            "Symbl.Communication_And_Engagement": self.communication,
            "Symbl.Question_Handling": self.question_handling,
            "Symbl.Forward_Motion": self.forward_motion,
            "Symbl.Sales_Process": self.sales_process,
        }
        by_name = {v.lower(): k for k, v in MANAGED_CRITERIA.items()}
        out: list[dict[str, Any]] = []
        for spec in criteria_specs:
            cid = str(spec.get("id") or "")
            name = str(spec.get("name") or MANAGED_CRITERIA.get(cid) or cid)
            rule = rules.get(cid) or rules.get(by_name.get(name.lower(), ""))
            value, summary, positive, negative = rule() if rule else self.custom(spec)
            out.append(
                {
                    "name": name,
                    "score": value,
                    "summary": summary,
                    "feedback": {"positive": {"summary": positive}, "negative": {"summary": negative}},
                }
            )
        total = round(sum(c["score"] for c in out) / len(out)) if out else 0
        return {
            "score": total,
            "summary": f"Call score {total}/100 over {len(out)} criteria.",
            "criteria": out,
        }


def lm_insights(messages: Sequence[Message], bundle: Mapping[str, Any]) -> dict[str, Any]:
    """The one element of GET /lm-insights (meetingName and videoUrl are filled in by the view)."""
    attendees: dict[str, dict[str, Any]] = {}
    for m in messages:
        if m.speaker and m.speaker.id not in attendees:
            attendees[m.speaker.id] = {
                "id": m.speaker.id,
                "name": m.speaker.name or "",
                "email": m.speaker.email,
            }
    qa = [
        {
            "question": q["text"],
            "answer": a.text if a is not None else "",
            "questionBy": (q.get("from") or {}).get("name", ""),
        }
        for q, a in answered_questions(messages, bundle["questions"])
    ]
    chunks = []
    for i in range(0, len(messages), CHUNK_MESSAGES):
        part = messages[i : i + CHUNK_MESSAGES]
        score = r3(sum(sentiment.polarity(m.text) for m in part) / len(part))
        chunks.append(
            {
                "startTime": iso(part[0].start),
                "endTime": iso(part[-1].end),
                "polarityScore": score,
                "sentiment": sentiment.suggested(score),
                "summary": max(part, key=lambda m: (len(m.text), -m.seq)).text,
            }
        )
    return {
        "meetingName": None,
        "videoUrl": None,
        "attendees": list(attendees.values()),
        "callSummary": {"longSummary": {"paragraphs": [s["text"] for s in bundle["summary"]]}},
        "callNextSteps": {
            "nextSteps": [
                {"step": a["text"]} for a in list(bundle["actionItems"]) + list(bundle["followUps"])
            ]
        },
        "callQuestionAndAnswers": {"questionsAndAnswers": qa},
        "callSentiment": {"chunks": chunks},
        "callScore": bundle["callScore"],
    }
