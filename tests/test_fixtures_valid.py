"""The shipped fixtures load, validate and cover every insight type."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from mock_symbl.settings import REPO_ROOT
from mock_symbl.transcripts.library import TranscriptFile, TranscriptLibrary

FIXTURES = REPO_ROOT / "fixtures"


def test_library_loads_with_at_least_six_transcripts() -> None:
    library = TranscriptLibrary.load(FIXTURES)
    assert len(library.names()) >= 6


@pytest.mark.parametrize("path", sorted((FIXTURES / "transcripts").glob("*.json")), ids=lambda p: p.stem)
def test_each_transcript_is_realistic(path: Path) -> None:
    raw = json.loads(path.read_text())
    TranscriptFile.model_validate(raw)
    lines = raw["lines"]
    assert 40 <= len(lines) <= 120
    assert len({line["speaker"] for line in lines}) >= 2
    text = " ".join(line["text"] for line in lines)
    assert "?" in text  # questions
    assert re.search(
        r"\b(I will|I'll) (send|write|email|set up|draft|break|book|open|add|scale|check)\b", text
    )
    assert re.search(r"\b[Ll]et's (schedule|set up)\b", text)  # follow-ups
    assert re.search(r"\d", text)  # numbers
    starts = [line["start"] for line in lines]
    assert starts == sorted(starts)


def test_library_as_a_whole_covers_every_entity_kind() -> None:
    text = " ".join(
        line["text"]
        for p in (FIXTURES / "transcripts").glob("*.json")
        for line in json.loads(p.read_text())["lines"]
    )
    assert re.search(r"\$\d", text)  # money
    assert re.search(r"[\w.]+@[\w.]+\.\w+", text)  # emails
    assert re.search(r"\d{3}-\d{3}-\d{4}|\(\d{3}\) \d{3}-\d{4}", text)  # phone numbers
    assert re.search(r"\b(January|March|May|July|August|September|November|December) \d", text)  # dates
    assert re.search(r"\b(Monday|Tuesday|Wednesday|Thursday|Friday)\b", text)


def test_manifest_is_valid_json_with_media_list() -> None:
    manifest = json.loads((FIXTURES / "manifest.json").read_text())
    assert isinstance(manifest["media"], list)
