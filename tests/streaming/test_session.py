"""The streaming state machine: audio clock, due lines, interim/final results, insight diffs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import pytest

from mock_symbl.streaming import protocol
from mock_symbl.streaming.session import StreamSession, audio_seconds, split_words

T0 = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Line:
    speaker: str
    email: str | None
    text: str
    start: float
    end: float


@dataclass(frozen=True)
class Transcript:
    name: str
    title: str
    lines: tuple[Line, ...]
    duration: float


SCRIPT = Transcript(
    "t",
    "T",
    (
        Line("Alice", "alice@example.com", "Hello everyone.", 0.0, 2.0),
        Line("Bob", None, "Can you send the report by Friday?", 2.5, 6.0),
        Line("Alice", "alice@example.com", "Sure.", 6.5, 7.0),
    ),
    7.0,
)


def started(**start: object) -> StreamSession:
    session = StreamSession("conn", SCRIPT)
    session.start(protocol.parse_start({"type": "start_request", **start}), "111", T0)
    return session


def pcm(seconds: float, rate: int = 16000) -> int:
    return int(seconds * rate) * 2


def test_start_messages_in_order() -> None:
    session = StreamSession("conn", SCRIPT)
    out = session.start(protocol.parse_start({"type": "start_request"}), "42", T0)
    assert [m["message"]["type"] for m in out] == [
        "started_listening",
        "conversation_created",
        "recognition_started",
    ]
    assert out[1]["message"]["data"]["conversationId"] == "42"
    assert session.state == "started"


def test_audio_before_start_is_ignored() -> None:
    session = StreamSession("conn", SCRIPT)
    assert session.audio(pcm(10), 0.0) == []
    assert session.position == 0.0


@pytest.mark.parametrize(
    ("encoding", "rate", "nbytes", "seconds"),
    [
        ("LINEAR16", 16000, 32000, 1.0),
        ("LINEAR16", 8000, 32000, 2.0),
        ("MULAW", 8000, 8000, 1.0),
        ("OPUS", 48000, 999, 0.0),
    ],
)
def test_audio_seconds(encoding: str, rate: int, nbytes: int, seconds: float) -> None:
    assert audio_seconds(nbytes, encoding, rate) == seconds


def test_split_words_covers_the_line() -> None:
    words = split_words("a bb ccc", 1.0, 4.0)
    assert [w.word for w in words] == ["a", "bb", "ccc"]
    assert words[0].start == 1.0
    assert words[-1].end == pytest.approx(4.0)
    assert all(a.end == pytest.approx(b.start, abs=1e-3) for a, b in zip(words, words[1:], strict=False))


def test_ten_seconds_of_audio_give_the_lines_within_ten_seconds() -> None:
    session = started(config={"speechRecognition": {"sampleRateHertz": 16000}})
    finals = []
    for _ in range(10):
        finals += [r for r in session.audio(pcm(0.5), 0.0) if r.is_final]
    assert [r.text for r in finals] == ["Hello everyone."]  # 5 s of audio: line 2 ends at 6.0
    for _ in range(4):
        finals += [r for r in session.audio(pcm(0.5), 0.0) if r.is_final]
    assert [r.seq for r in finals] == [0, 1, 2]
    assert session.position == pytest.approx(7.0)


def test_interim_results_grow_word_by_word_then_final() -> None:
    session = started()
    results = []
    for _ in range(70):
        results += session.audio(pcm(0.1), 0.0)
    line1 = [r for r in results if r.seq == 1]
    interim = [r for r in line1 if not r.is_final]
    assert interim, "expected interim results"
    assert [len(r.words) for r in interim] == sorted(len(r.words) for r in interim)
    assert line1[-1].is_final
    assert line1[-1].text == "Can you send the report by Friday?"
    message = line1[-1].recognition_result()
    assert message["message"]["isFinal"] is True
    assert message["message"]["user"]["name"] == "Bob"


def test_interim_results_can_be_disabled() -> None:
    session = started(config={"speechRecognition": {"interimResults": False}})
    assert all(r.is_final for _ in range(70) for r in session.audio(pcm(0.1), 0.0))


def test_mulaw_and_sample_rate_modify() -> None:
    session = started(config={"speechRecognition": {"encoding": "MULAW", "sampleRateHertz": 8000}})
    session.audio(8000, 0.0)
    assert session.position == pytest.approx(1.0)
    modified = session.modify("LINEAR16", 16000)
    assert modified["message"]["type"] == "session_modified"
    session.audio(32000, 0.0)
    assert session.position == pytest.approx(2.0)


def test_opus_is_timed_by_wall_clock() -> None:
    session = started(config={"speechRecognition": {"encoding": "OPUS", "sampleRateHertz": 48000}})
    session.audio(200, 100.0)
    assert [r.seq for r in session.audio(200, 102.5) if r.is_final] == [0]
    assert session.position == pytest.approx(2.5)
    finals = [r for r in session.audio(200, 107.0) if r.is_final]
    assert [r.seq for r in finals] == [1, 2]


def test_transcript_loops_when_audio_outlasts_it() -> None:
    session = started()
    finals = [r for r in session.audio(pcm(16.5), 0.0) if r.is_final]
    assert [r.seq for r in finals] == [0, 1, 2, 3, 4, 5]
    assert finals[3].text == "Hello everyone."
    assert finals[3].start == pytest.approx(8.0)  # 7 s transcript + 1 s gap


def test_play_all_is_one_pass() -> None:
    session = started()
    finals = session.play_all()
    assert [r.seq for r in finals] == [0, 1, 2]
    assert all(r.is_final for r in finals)


def test_speaker_of_start_request_owns_all_lines() -> None:
    session = started(speaker={"userId": "jane@example.com", "name": "Jane"})
    finals = [r for r in session.audio(pcm(7), 0.0) if r.is_final]
    assert {r.user.name for r in finals if r.user} == {"Jane"}
    assert {r.speaker_email for r in finals} == {"jane@example.com"}


def test_fixture_speakers_without_start_speaker() -> None:
    session = started()
    finals = [r for r in session.audio(pcm(7), 0.0) if r.is_final]
    assert [r.speaker_name for r in finals] == ["Alice", "Bob", "Alice"]
    first, last = finals[0].user, finals[2].user
    assert first is not None
    assert last is not None
    assert first.id == last.id
    assert first.user_id == "alice@example.com"


def test_stop_finalises_partial_line_and_closing_order() -> None:
    session = started()
    session.audio(pcm(4.0), 0.0)
    flushed = session.stop()
    assert len(flushed) == 1
    assert flushed[0].is_final
    assert flushed[0].seq == 1
    assert flushed[0].text.startswith("Can you")
    assert flushed[0].text != "Can you send the report by Friday?"
    assert session.state == "stopped"
    assert session.audio(pcm(5), 0.0) == []
    closing = session.closing_messages("http://x/s")
    assert [m["message"]["type"] for m in closing] == ["conversation_completed", "recognition_stopped"]


def test_restart_same_conversation_continues_the_clock() -> None:
    session = started()
    session.audio(pcm(3.0), 0.0)
    session.stop()
    session.start(protocol.parse_start({"type": "start_request"}), "111", T0)
    finals = [r for r in session.audio(pcm(4.0), 0.0) if r.is_final]
    assert [r.seq for r in finals] == [2]


def test_message_response_and_sequence_numbers() -> None:
    session = started(config={"sentiment": True})
    finals = [r for r in session.audio(pcm(7), 0.0) if r.is_final]
    first = session.message_response(finals[:1], ["m0"], sentiment=lambda text: 0.4)
    second = session.message_response(finals[1:], ["m1", "m2"])
    assert first["type"] == "message_response"
    assert (first["sequenceNumber"], second["sequenceNumber"]) == (0, 1)
    entry = first["messages"][0]
    assert entry["id"] == "m0"
    assert entry["payload"]["content"] == "Hello everyone."
    assert entry["from"]["name"] == "Alice"
    assert entry["duration"] == {
        "startTime": "2024-05-01T12:00:00.000Z",
        "endTime": "2024-05-01T12:00:02.000Z",
    }
    assert entry["sentiment"]["suggested"] == "positive"
    assert "sentiment" not in second["messages"][0]


BUNDLE = {
    "questions": [
        {
            "id": "q1",
            "text": "Can you send the report by Friday?",
            "score": 0.9,
            "messageIds": ["m1"],
            "from": {"name": "Bob"},
        }
    ],
    "actionItems": [
        {
            "id": "a1",
            "text": "Send the report by Friday.",
            "messageIds": ["m1"],
            "dueBy": "2024-05-03T00:00:00.000Z",
            "entities": [{"type": "date", "text": "Friday", "offset": 25, "value": "2024-05-03"}],
            "assignee": {"name": "Alice", "email": "alice@example.com"},
        }
    ],
    "followUps": [],
    "topics": [{"id": "t1", "text": "report", "score": 0.7, "messageIds": ["m1", "m0"]}],
    "trackers": [
        {
            "name": "Deadline",
            "matches": [
                {
                    "type": "vocabulary",
                    "value": "by Friday",
                    "messageRefs": [{"id": "m1", "text": "x", "offset": 24}],
                    "insightRefs": [],
                }
            ],
        }
    ],
    "entities": [
        {
            "type": "date",
            "subType": "day",
            "category": "Managed",
            "matches": [{"detectedValue": "Friday", "messageRefs": [{"id": "m1", "offset": 25}]}],
        }
    ],
}


def test_insight_messages_only_new_and_filtered_by_type() -> None:
    session = started(insightTypes=["question", "action_item"], config={"detectEntities": True})
    index = {"m0": 0, "m1": 1}
    out = session.insight_messages(BUNDLE, index)
    types = [m["type"] for m in out]
    assert types == ["insight_response", "topic_response", "tracker_response", "entity_response"]
    insights = out[0]["insights"]
    assert [i["type"] for i in insights] == ["question", "action_item"]
    action = insights[1]
    assert action["payload"]["content"] == action["text"] == "Send the report by Friday."
    assert action["messageReference"] == {"id": "m1"}
    assert action["dueBy"] == {"value": "2024-05-03T00:00:00.000Z"}
    assert action["assignee"]["userId"] == "alice@example.com"
    assert action["tags"][0]["beginOffset"] == 25
    topic = out[1]["topics"][0]
    assert topic["messageIndex"] == 0
    assert isinstance(topic["messageIndex"], int)
    assert topic["messageReferences"][0] == {"id": "m1", "relation": "text instance"}
    assert out[2]["trackers"][0]["matches"][0]["messageRefs"][0]["offset"] == 24
    assert session.insight_messages(BUNDLE, index) == []


def test_insights_not_asked_are_not_sent() -> None:
    session = started(insightTypes=[])
    out = session.insight_messages(BUNDLE, {"m1": 0})
    assert [m["type"] for m in out] == ["topic_response", "tracker_response"]


def test_audio_clock_has_no_float_drift_on_frame_boundaries() -> None:
    session = started()
    for _ in range(30):
        session.audio(pcm(0.1), 0.0)
    assert session.position == 3.0  # exactly: 30 frames of 100 ms, not 2.9999999999999996
