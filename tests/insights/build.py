"""Builders for engine inputs: a conversation from (speaker, text) lines with 4-second messages."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from mock_symbl.insights.engine import compute_bundle
from mock_symbl.insights.models import InsightOptions
from mock_symbl.messages import Message, Speaker

START = datetime(2020, 7, 8, 10, 0, tzinfo=UTC)  # a Wednesday
CID = "5815170693595136"
JOHN = Speaker(id="11111111-1111-4111-8111-111111111111", name="John Doe", email="john@example.com")
MARY = Speaker(id="22222222-2222-4222-8222-222222222222", name="Mary Smith", email="mary@example.com")
PEOPLE = {"john": JOHN, "mary": MARY, None: None}


def messages(
    lines: Sequence[tuple[str | None, str] | str], *, step: float = 4.5, duration: float = 4.0
) -> list[Message]:
    """Messages from lines; a bare string alternates John / Mary."""
    out = []
    for i, line in enumerate(lines):
        who, text = line if isinstance(line, tuple) else (("john", "mary")[i % 2], line)
        offset = i * step
        out.append(
            Message(
                id=f"{1000000000000000 + i}",
                seq=i,
                text=text,
                start=START + timedelta(seconds=offset),
                end=START + timedelta(seconds=offset + duration),
                time_offset=offset,
                duration=duration,
                speaker=PEOPLE[who],
                conversation_id=CID,
            )
        )
    return out


def options(**kwargs: Any) -> InsightOptions:
    return InsightOptions(conversation_id=CID, conversation_start=START, **kwargs)


def bundle(lines: Sequence[tuple[str | None, str] | str], **kwargs: Any) -> dict[str, Any]:
    return compute_bundle(messages(lines), options(**kwargs))
