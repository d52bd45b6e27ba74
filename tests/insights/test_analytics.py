"""Analytics from message timings."""

from __future__ import annotations

from datetime import timedelta

from mock_symbl.insights.analytics import compute_analytics
from mock_symbl.messages import Message

from .build import JOHN, MARY, START, messages


def msg(
    i: int, speaker: object, offset: float, duration: float, text: str = "one two three four five"
) -> Message:
    return Message(
        id=str(i),
        seq=i,
        text=text,
        start=START + timedelta(seconds=offset),
        end=START + timedelta(seconds=offset + duration),
        time_offset=offset,
        duration=duration,
        speaker=speaker,
    )  # type: ignore[arg-type]


def metric(out: dict, kind: str) -> dict:
    return next(m for m in out["metrics"] if m["type"] == kind)


def test_talk_silence_and_listen() -> None:
    out = compute_analytics([msg(0, JOHN, 0, 10), msg(1, MARY, 15, 5)])
    assert metric(out, "total_talk_time") == {"type": "total_talk_time", "percent": 75.0, "seconds": 15.0}
    assert metric(out, "total_silence") == {"type": "total_silence", "percent": 25.0, "seconds": 5.0}
    john, mary = out["members"]
    assert john["talkTime"] == {"percentage": 66.667, "seconds": 10.0}
    assert john["listenTime"] == {"percentage": 33.333, "seconds": 5.0}
    assert mary["pace"] == {"wpm": 60}  # 5 words in 5 seconds


def test_overlap_between_members() -> None:
    out = compute_analytics([msg(0, JOHN, 0, 10), msg(1, MARY, 6, 10)])
    assert metric(out, "total_overlap")["seconds"] == 4.0
    assert metric(out, "total_overlap")["percent"] == 25.0  # of 16 s of talk
    john = out["members"][0]
    assert john["overlap"]["overlapDuration"] == 4.0
    [other] = john["overlap"]["overlappingMembers"]
    assert other["id"] == MARY.id
    assert other["seconds"] == 4.0
    assert other["percent"] == 40.0


def test_same_speaker_overlap_is_not_counted() -> None:
    out = compute_analytics([msg(0, JOHN, 0, 10), msg(1, JOHN, 5, 10)])
    assert metric(out, "total_overlap")["seconds"] == 0.0
    assert out["members"][0]["talkTime"]["seconds"] == 15.0


def test_unknown_speaker_and_empty() -> None:
    out = compute_analytics([msg(0, None, 0, 2)])
    assert out["members"][0]["name"] == "Unknown Speaker"
    assert "id" not in out["members"][0]
    empty = compute_analytics([])
    assert empty["members"] == []
    assert all(m["seconds"] == 0.0 for m in empty["metrics"])


def test_pace_uses_all_words_of_member() -> None:
    out = compute_analytics(messages(["a b c d", "x"], step=10, duration=2))
    assert out["members"][0]["pace"]["wpm"] == 120


def test_three_way_overlap_is_counted_once_in_total() -> None:
    from mock_symbl.messages import Speaker

    carol = Speaker(id="33333333-3333-4333-8333-333333333333", name="Carol")
    out = compute_analytics([msg(0, JOHN, 0, 10), msg(1, MARY, 4, 10), msg(2, carol, 6, 2)])
    assert metric(out, "total_overlap")["seconds"] == 6.0  # 4-10 s, whoever overlaps
    john = out["members"][0]
    assert john["overlap"]["overlapDuration"] == 6.0
    seconds = {o["name"]: o["seconds"] for o in john["overlap"]["overlappingMembers"]}
    assert seconds == {"Mary Smith": 6.0, "Carol": 2.0}
