"""Symbl's four managed Call Score criteria (WEB criteria/scorecard pages): fixed ids, read-only.

The ids and names are Symbl's; the checklists are this mock's own wording of the published descriptions.
"""

from __future__ import annotations

from typing import Any

MANAGED_PREFIX = "Symbl."

MANAGED_CRITERIA: tuple[dict[str, Any], ...] = (
    {
        "id": "Symbl.Communication_And_Engagement",
        "name": "Communication and Engagement",
        "description": (
            "Gauges the representative's communication style and ability to engage the prospect: setting an "
            "agenda, creating alignment, active listening and a balanced conversation flow."
        ),
        "tags": ["managed", "sales"],
        "checklist": [
            {
                "question": "Did the representative set an agenda at the start of the call?",
                "priority": "high",
            },
            {"question": "Did the representative show active listening signals?", "priority": "medium"},
            {"question": "Was the talk time balanced between the participants?", "priority": "medium"},
            {
                "question": "Did the representative create alignment on the goals of the call?",
                "priority": "low",
            },
        ],
    },
    {
        "id": "Symbl.Question_Handling",
        "name": "Question Handling",
        "description": "Assesses how well the representative answers questions and handles objections.",
        "tags": ["managed", "sales"],
        "checklist": [
            {"question": "Were the prospect's questions answered clearly?", "priority": "high"},
            {"question": "Were objections acknowledged and addressed?", "priority": "high"},
            {"question": "Did the representative ask clarifying questions?", "priority": "medium"},
        ],
    },
    {
        "id": "Symbl.Forward_Motion",
        "name": "Forward Motion",
        "description": (
            "Evaluates whether the conversation moves towards a positive outcome such as a follow-up meeting, "
            "a commitment or a closed deal."
        ),
        "tags": ["managed", "sales"],
        "checklist": [
            {"question": "Were clear next steps agreed?", "priority": "high"},
            {"question": "Was a follow-up meeting or commitment secured?", "priority": "high"},
            {"question": "Were owners and dates given to the next steps?", "priority": "medium"},
        ],
    },
    {
        "id": "Symbl.Sales_Process",
        "name": "Sales Process",
        "description": (
            "Measures adherence to the sales process, checking that the prospect is qualified with BANT "
            "(budget, authority, need, timeline); applies to calls in the qualification stage."
        ),
        "tags": ["managed", "sales", "BANT"],
        "checklist": [
            {"question": "Was the prospect's budget discussed?", "priority": "high"},
            {"question": "Was the decision maker (authority) identified?", "priority": "high"},
            {"question": "Was the prospect's need established?", "priority": "medium"},
            {"question": "Was a timeline for the purchase discussed?", "priority": "medium"},
        ],
    },
)

MANAGED_BY_ID: dict[str, dict[str, Any]] = {c["id"]: c for c in MANAGED_CRITERIA}


def is_managed(criteria_id: str) -> bool:
    return criteria_id in MANAGED_BY_ID


def managed(criteria_id: str) -> dict[str, Any] | None:
    """A deep-enough copy so callers can never mutate the shared definition."""
    found = MANAGED_BY_ID.get(criteria_id)
    if found is None:
        return None
    return {**found, "tags": list(found["tags"]), "checklist": [dict(item) for item in found["checklist"]]}
