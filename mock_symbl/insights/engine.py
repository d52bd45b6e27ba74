"""Engine entry point: messages + options -> the JSON-ready insight bundle stored per conversation."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from mock_symbl.insights.models import InsightOptions, Message

BUNDLE_VERSION = 1


def compute_bundle(messages: Sequence[Message], options: InsightOptions) -> dict[str, Any]:
    """Compute every insight for `messages` (pure and deterministic)."""
    return {
        "version": BUNDLE_VERSION,
        "conversationId": options.conversation_id,
        "questions": [],
        "actionItems": [],
        "followUps": [],
        "topics": [],
        "entities": [],
        "trackers": [],
        "messageCount": len(messages),
    }
