"""Inbound parsing (every SDK variant) and outbound typing rules of the streaming protocol."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from mock_symbl.streaming import protocol
from mock_symbl.streaming.protocol import User, Word


def test_ping_is_recognised() -> None:
    assert protocol.parse_inbound("__PING__").kind == "ping"


@pytest.mark.parametrize(
    "frame",
    ['{"type":"stop_request"}', "{'type': 'stop_request'}", "  {'type':'stop_request'}  ", "stop_request???"],
)
def test_stop_variants_including_python_repr(frame: str) -> None:
    assert protocol.parse_inbound(frame).kind == "stop"


@pytest.mark.parametrize("frame", ["not json", "[1, 2]", "42", "", "{'a': ", '"start_request"'])
def test_malformed_frames_are_invalid_not_exceptions(frame: str) -> None:
    parsed = protocol.parse_inbound(frame)
    assert parsed.kind == "invalid"
    assert parsed.error


def test_unknown_type() -> None:
    parsed = protocol.parse_inbound('{"type":"dance_request"}')
    assert parsed.kind == "unknown"
    assert "dance_request" in (parsed.error or "")


def test_modify_request() -> None:
    parsed = protocol.parse_inbound('{"speechRecognition":{"sampleRateHertz":8000},"type":"modify_request"}')
    assert parsed.kind == "modify"
    assert protocol.parse_modify(parsed.data) == (None, 8000)
    assert protocol.parse_modify({"speechRecognition": {"encoding": "mulaw"}}) == ("MULAW", None)
    with pytest.raises(ValueError):
        protocol.parse_modify({"speechRecognition": {"sampleRateHertz": 100}})


def test_start_request_js_shape() -> None:
    frame = {
        "type": "start_request",
        "insightTypes": ["question", "action_item"],
        "config": {
            "meetingTitle": "Probe",
            "confidenceThreshold": 0.7,
            "timezoneOffset": 480,
            "languageCode": "en-US",
            "speechRecognition": {"sampleRateHertz": 16000},
        },
        "speaker": {"userId": "jane@example.com", "name": "Jane"},
    }
    start = protocol.parse_inbound(json.dumps(frame)).start
    assert start is not None
    assert start.insight_types == ("question", "action_item")
    assert start.meeting_title == "Probe"
    assert start.confidence_threshold == 0.7
    assert start.timezone_offset == 480
    assert (start.encoding, start.sample_rate) == ("LINEAR16", 16000)
    assert start.speaker == protocol.Speaker("jane@example.com", "Jane")
    assert start.disconnect_on_stop is True


def test_start_request_python_defaults_with_nulls() -> None:
    frame = {
        "type": "start_request",
        "insightTypes": [],
        "speaker": None,
        "trackers": None,
        "config": {
            "confidenceThreshold": 0.5,
            "languageCode": "en-US",
            "speechRecognition": {"encoding": "LINEAR16", "sampleRateHertz": 44100},
        },
    }
    start = protocol.parse_start(frame)
    assert start.speaker is None
    assert start.trackers == ()
    assert start.sample_rate == 44100


def test_start_request_go_shape_tolerated() -> None:
    frame = {
        "type": "start_request",
        "insightTypes": ["question", "action_item", "follow_up", "topic"],
        "config": {"speechRecognition": {}, "trackers": {}, "sentiment": True, "detectEntities": True},
        "speaker": {"userId": "", "name": ""},
        "noConnectionTimeout": False,
        "enableAllTrackers": True,
    }
    start = protocol.parse_start(frame)
    assert start.speaker is None
    assert start.no_connection_timeout is None
    assert (start.encoding, start.sample_rate) == ("LINEAR16", 16000)
    assert start.sentiment
    assert start.detect_entities
    assert start.enable_all_trackers


@pytest.mark.parametrize("frame", [{"type": "start_request"}, {"type": "start_request", "config": None}])
def test_start_request_missing_or_empty_config(frame: dict[str, object]) -> None:
    start = protocol.parse_start(frame)
    assert start.language_code == "en-US"
    assert start.insight_types == ()


def test_start_request_top_level_title_web_encoding_and_options() -> None:
    start = protocol.parse_start(
        {
            "type": "start_request",
            "meetingTitle": "Browser",
            "config": {"speechRecognition": {"encoding": "opus", "sampleRateHertz": 48000}},
            "trackers": [{"name": "Price", "vocabulary": ["price", "cost"]}, {"bad": 1}],
            "disconnectOnStopRequest": False,
            "disconnectOnStopRequestTimeout": 30,
            "noConnectionTimeout": 60,
            "mockTranscript": "sales-call",
        }
    )
    assert start.meeting_title == "Browser"
    assert (start.encoding, start.sample_rate) == ("OPUS", 48000)
    assert start.trackers == (protocol.TrackerSpec("Price", ("price", "cost")),)
    assert start.disconnect_on_stop is False
    assert start.disconnect_on_stop_timeout == 30
    assert start.no_connection_timeout == 60
    assert start.transcript == "sales-call"


def test_start_request_bad_values_are_invalid() -> None:
    bad_rate = '{"type":"start_request","config":{"speechRecognition":{"sampleRateHertz":4}}}'
    parsed = protocol.parse_inbound(bad_rate)
    assert parsed.kind == "invalid"
    assert "sampleRateHertz" in (parsed.error or "")
    parsed = protocol.parse_inbound('{"type":"start_request","config":{"confidenceThreshold":3}}')
    assert parsed.kind == "invalid"


def test_platform_messages_shapes() -> None:
    assert protocol.started_listening() == {"type": "message", "message": {"type": "started_listening"}}
    created = protocol.conversation_created("123")
    assert created["message"] == {"type": "conversation_created", "data": {"conversationId": "123"}}
    completed = protocol.conversation_completed("123", "http://x/summary")
    assert completed["message"]["conversationId"] == "123"
    assert completed["message"]["summaryUrl"] == "http://x/summary"
    assert completed["message"]["data"] == {"conversationId": "123"}
    assert protocol.recognition_stopped("123")["message"]["data"]["conversationId"] == "123"
    err = protocol.error("boom")
    assert err["type"] == "message"
    assert err["message"]["type"] == "error"
    assert err["message"]["details"] == "boom"


def test_recognition_result_typing() -> None:
    words = [Word("Hello", 3.8, 4.2), Word("world.", 4.2, 4.75)]
    msg = protocol.recognition_result(words, is_final=True, user=User("u1", "Jane", "jane@x"))
    inner = msg["message"]
    assert inner["type"] == "recognition_result"
    assert inner["isFinal"] is True
    word = inner["payload"]["raw"]["alternatives"][0]["words"][0]
    assert word["startTime"] == {"seconds": "3", "nanos": "800000000"}
    assert isinstance(word["endTime"]["seconds"], str)
    assert inner["punctuated"]["transcript"] == "Hello world."
    assert isinstance(msg["timeOffset"], int)
    assert msg["timeOffset"] == 3800
    assert inner["user"] == {"id": "u1", "name": "Jane", "userId": "jane@x"}


def test_stream_message_words_is_a_string_and_sentiment() -> None:
    start = datetime(2024, 1, 1, tzinfo=UTC)
    entry = protocol.stream_message(
        message_id="m1",
        text="Hi there",
        user=None,
        words=[Word("Hi", 0.0, 0.5), Word("there", 0.5, 1.0)],
        start=start,
        end=start,
        conversation_start=start,
        sentiment=0.5,
    )
    assert isinstance(entry["metadata"]["words"], str)
    assert json.loads(entry["metadata"]["words"])[1]["word"] == "there"
    assert entry["sentiment"] == {"polarity": {"score": 0.5}, "suggested": "positive"}
    assert entry["duration"]["startTime"] == "2024-01-01T00:00:00.000Z"
    assert entry["channel"] == {"id": "realtime-api"}


def test_duration_pb_rounding() -> None:
    assert protocol.duration_pb(0) == {"seconds": "0", "nanos": "0"}
    assert protocol.duration_pb(1.5) == {"seconds": "1", "nanos": "500000000"}
    assert protocol.duration_pb(-2) == {"seconds": "0", "nanos": "0"}


def test_dumps_is_compact_json() -> None:
    assert protocol.dumps({"a": "é"}) == '{"a":"é"}'
