"""Request rewrites of a transcript: custom vocabulary, diarization labels, channel speakers."""

from __future__ import annotations

import pytest

from mock_symbl.transcripts.library import transcript_from_data
from mock_symbl.transcripts.transform import ChannelSpeaker, apply_custom_vocabulary, assign_channels, diarize

T = transcript_from_data(
    {
        "name": "t",
        "title": "T",
        "speakers": [
            {"name": "Ann", "email": "ann@x.io"},
            {"name": "Bob", "email": "bob@x.io"},
            {"name": "Cy", "email": None},
        ],
        "lines": [
            {"speaker": "Ann", "text": "We moved Northwind Traders to Salesforce last week."},
            {"speaker": "Bob", "text": "Did the Terraform module ship?"},
            {"speaker": "Cy", "text": "Yes, Brightwave signed off."},
            {"speaker": "Ann", "text": "Great, thanks."},
            {"speaker": "Bob", "text": "Bye."},
        ],
    }
)


def test_vocabulary_respells_similar_words_and_keeps_punctuation() -> None:
    v = apply_custom_vocabulary(T, ["SalesForce", "North Wind Traders", "BrightWave", "Kubernetes"])
    assert v.lines[0].text == "We moved North Wind Traders to SalesForce last week."
    assert v.lines[2].text == "Yes, BrightWave signed off."
    assert "Kubernetes" not in " ".join(line.text for line in v.lines)


def test_vocabulary_does_not_swallow_neighbours() -> None:
    v = apply_custom_vocabulary(T, ["terraform"])
    assert v.lines[1].text == "Did the terraform module ship?"


def test_empty_vocabulary_is_identity() -> None:
    assert apply_custom_vocabulary(T, ["", "  "]) is T


@pytest.mark.parametrize(("count", "labels"), [(None, 3), (2, 2), (1, 1), (5, 5)])
def test_diarize_labels(count: int | None, labels: int) -> None:
    d = diarize(T, count) if count != 5 else diarize(T.__class__(T.name, T.title, T.lines * 3, T.duration), 5)
    names = {line.speaker for line in d.lines}
    assert names == {f"Speaker {i}" for i in range(1, labels + 1)}
    assert all(line.email is None for line in d.lines)


def test_channels_name_speakers_from_metadata() -> None:
    c = assign_channels(T, [ChannelSpeaker(1, "Agent", "agent@x.io"), ChannelSpeaker(2, "Caller", None)], 2)
    assert [line.speaker for line in c.lines] == ["Agent", "Caller", "Agent", "Agent", "Caller"]
    assert c.lines[0].email == "agent@x.io"
    bare = assign_channels(T, [], 2)
    assert bare.lines[1].speaker == "Channel 2"
