"""Every library transcript, run through the insights engine, yields every insight type (the fixtures' purpose)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from mock_symbl.insights import engine
from mock_symbl.insights.models import InsightOptions
from mock_symbl.messages import Message, Speaker
from mock_symbl.settings import REPO_ROOT
from mock_symbl.transcripts.library import TranscriptLibrary

LIBRARY = TranscriptLibrary.load(REPO_ROOT / "fixtures")
START = datetime(2024, 3, 4, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize("name", LIBRARY.names())
def test_transcript_yields_every_insight_type(name: str) -> None:
    transcript = LIBRARY.get(name)
    messages = [
        Message(
            id=str(i),
            seq=i,
            text=line.text,
            start=START + timedelta(seconds=line.start),
            end=START + timedelta(seconds=line.end),
            time_offset=line.start,
            duration=line.end - line.start,
            speaker=Speaker(id=line.speaker, name=line.speaker, email=line.email),
            conversation_id=name,
        )
        for i, line in enumerate(transcript.lines)
    ]
    bundle = engine.compute_bundle(messages, InsightOptions(conversation_id=name, conversation_start=START))
    for key in ("questions", "actionItems", "followUps", "topics", "entities", "summary"):
        assert bundle[key], f"{name}: no {key}"
    assert len(bundle["members"]) == len(transcript.speakers)
