"""Symbl's real-time wire protocol, pure: parse inbound text frames, build every outbound message.

Typing rules (realtime-and-sdks.md §1.6, Go's strict decoder): word `seconds`/`nanos` are strings,
recognition `timeOffset` is an int, `metadata.words` is a JSON *string*, offsets/indices are ints, list keys are
always lists (never null). Only JSON text frames go out (JS `JSON.parse`s every frame unguarded), except `__PONG__`.
"""

from __future__ import annotations

import ast
import json
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Literal

from mock_symbl import textcheck
from mock_symbl.clock import iso
from mock_symbl.insights.models import (
    DEFAULT_CONFIDENCE_THRESHOLD,
    MAX_CONFIDENCE_THRESHOLD,
    MIN_CONFIDENCE_THRESHOLD,
)

PING = "__PING__"
PONG = "__PONG__"

InboundKind = Literal["start", "stop", "modify", "ping", "unknown", "invalid"]

RECOGNITION_CONFIDENCE = 0.92  # the confidence reported for every recognised (scripted) word
DEFAULT_SAMPLE_RATE = 16000
DEFAULT_ENCODING = "LINEAR16"
KNOWN_ENCODINGS = ("LINEAR16", "MULAW", "OPUS", "FLAC")
ALL_INSIGHT_TYPES = ("question", "action_item", "follow_up")
# Symbl's text when an account is over its concurrent connections (streaming and telephony alike).
LIMIT_MESSAGE = (
    "This API has a limit of maximum of {limit} number of concurrent connections per account. If you are looking"
    " to scale, and need more concurrent connections than this limit, please contact us at support@symbl.ai"
)


@dataclass(frozen=True)
class Speaker:
    """The `speaker` of a start_request (who talks on this connection)."""

    user_id: str | None = None
    name: str | None = None


@dataclass(frozen=True)
class TrackerSpec:
    name: str
    vocabulary: tuple[str, ...]


@dataclass(frozen=True)
class StartRequest:
    """A start_request with every SDK variant normalised (§1.3); unknown keys are ignored."""

    insight_types: tuple[str, ...] = ()
    custom_vocabulary: tuple[str, ...] = ()
    confidence_threshold: float = DEFAULT_CONFIDENCE_THRESHOLD
    language_code: str = "en-US"
    meeting_title: str | None = None
    timezone_offset: int = 0
    encoding: str = DEFAULT_ENCODING
    sample_rate: int = DEFAULT_SAMPLE_RATE
    sentiment: bool = False
    detect_entities: bool = False
    interim_results: bool = True
    speaker: Speaker | None = None
    trackers: tuple[TrackerSpec, ...] = ()
    enable_all_trackers: bool = False
    no_connection_timeout: float | None = None
    disconnect_on_stop: bool = True
    disconnect_on_stop_timeout: float | None = None
    transcript: str | None = None  # mock extension: name of a fixture transcript to play
    raw: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Inbound:
    """One parsed text frame."""

    kind: InboundKind
    data: Mapping[str, Any] = field(default_factory=dict)
    start: StartRequest | None = None
    error: str | None = None


def _loads(text: str) -> Any:
    try:
        return json.loads(text)
    except RecursionError:  # absurdly nested (a hostile frame): not a message, and not worth literal_eval
        return None
    except ValueError:
        pass
    # The Python SDK sends `str(dict)`: {'type': 'stop_request'} (single quotes, not JSON).
    try:
        return ast.literal_eval(text.strip())
    except (ValueError, SyntaxError, MemoryError, RecursionError, TypeError):
        return None


def parse_inbound(text: str) -> Inbound:
    """Classify a client text frame; never raises."""
    if text.strip() == PING:
        return Inbound("ping")
    data = _loads(text)
    if not isinstance(data, dict):
        if "stop_request" in text:
            return Inbound("stop")
        return Inbound("invalid", error="Malformed message: expected a JSON object.")
    if not textcheck.encodable(data):  # e.g. a meetingTitle of "\ud800": it could never be stored
        return Inbound("invalid", error=textcheck.MESSAGE)
    kind = data.get("type")
    if kind == "start_request":
        try:
            return Inbound("start", data, start=parse_start(data))
        except ValueError as exc:
            return Inbound("invalid", data, error=str(exc))
    if kind == "stop_request":
        return Inbound("stop", data)
    if kind == "modify_request":
        return Inbound("modify", data)
    return Inbound("unknown", data, error=f"Unknown message type: {kind!r}.")


def _dict(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _str_list(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,) if value else ()
    if isinstance(value, Sequence):
        return tuple(str(v) for v in value if isinstance(v, str | int | float) and str(v))
    return ()


def _number(value: Any) -> float | None:
    # Go sends `noConnectionTimeout` as a bool (its bug): anything non-numeric just means "not set".
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        out = float(value)
    except ValueError:
        return None
    return out if math.isfinite(out) else None


def _bool(value: Any, default: bool) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    return default


def normalise_encoding(value: Any) -> str:
    text = str(value or DEFAULT_ENCODING).strip().upper()
    return text if text in KNOWN_ENCODINGS else DEFAULT_ENCODING


def _sample_rate(value: Any) -> int:
    rate = _number(value)
    if rate is None or rate <= 0:
        return DEFAULT_SAMPLE_RATE
    if not 8000 <= rate <= 48000:
        raise ValueError(f"sampleRateHertz must be between 8000 and 48000, got {value}.")
    return int(rate)


def _trackers(value: Any) -> tuple[TrackerSpec, ...]:
    out = []
    for item in value if isinstance(value, list) else []:
        if isinstance(item, Mapping) and isinstance(item.get("name"), str):
            out.append(TrackerSpec(item["name"], _str_list(item.get("vocabulary"))))
    return tuple(out)


def parse_start(data: Mapping[str, Any]) -> StartRequest:
    """Normalise a start_request (config may be missing, empty or carry the JS/Go/web variants)."""
    config = _dict(data.get("config"))
    speech = _dict(config.get("speechRecognition"))
    tracker_cfg = _dict(config.get("trackers"))
    speaker_raw = _dict(data.get("speaker"))
    speaker = None
    if speaker_raw.get("userId") or speaker_raw.get("name"):
        speaker = Speaker(
            user_id=str(speaker_raw["userId"]) if speaker_raw.get("userId") else None,
            name=str(speaker_raw["name"]) if speaker_raw.get("name") else None,
        )
    threshold = _number(config.get("confidenceThreshold"))
    if threshold is not None and not 0.0 <= threshold <= 1.0:
        raise ValueError(
            f"confidenceThreshold must be between {MIN_CONFIDENCE_THRESHOLD} and {MAX_CONFIDENCE_THRESHOLD}."
        )
    title = config.get("meetingTitle") or data.get("meetingTitle")
    return StartRequest(
        insight_types=_str_list(data.get("insightTypes")),
        custom_vocabulary=_str_list(data.get("customVocabulary") or config.get("customVocabulary")),
        confidence_threshold=threshold if threshold is not None else DEFAULT_CONFIDENCE_THRESHOLD,
        language_code=str(config.get("languageCode") or "en-US"),
        meeting_title=str(title) if title else None,
        timezone_offset=int(_number(config.get("timezoneOffset")) or 0),
        encoding=normalise_encoding(speech.get("encoding") or config.get("encoding")),
        sample_rate=_sample_rate(speech.get("sampleRateHertz") or config.get("sampleRateHertz")),
        sentiment=_bool(config.get("sentiment"), False),
        detect_entities=_bool(config.get("detectEntities"), False),
        interim_results=_bool(speech.get("interimResults", config.get("interimResults")), True),
        speaker=speaker,
        trackers=_trackers(data.get("trackers")),
        enable_all_trackers=_bool(tracker_cfg.get("enableAllTrackers", data.get("enableAllTrackers")), False),
        no_connection_timeout=_number(data.get("noConnectionTimeout")),
        disconnect_on_stop=_bool(data.get("disconnectOnStopRequest"), True),
        disconnect_on_stop_timeout=_number(data.get("disconnectOnStopRequestTimeout")),
        transcript=str(data["mockTranscript"]) if isinstance(data.get("mockTranscript"), str) else None,
        raw=data,
    )


def parse_modify(data: Mapping[str, Any]) -> tuple[str | None, int | None]:
    """(encoding, sampleRate) asked by a modify_request; None where not given. Raises ValueError if invalid."""
    speech = _dict(data.get("speechRecognition"))
    encoding = normalise_encoding(speech["encoding"]) if speech.get("encoding") else None
    rate = _sample_rate(speech["sampleRateHertz"]) if speech.get("sampleRateHertz") is not None else None
    return encoding, rate


# ---------------------------------------------------------------- outbound


def dumps(message: Mapping[str, Any]) -> str:
    return json.dumps(message, separators=(",", ":"), ensure_ascii=False)


# Result frames stay well under 1 MiB (clients' default frame limits; a flood once made a 13.9 MB one): a
# bigger list response is sent as several of the same type, each with its own sequence number.
RESULT_FRAME_BUDGET = 512 * 1024
_LISTS = {
    "message_response": ("messages", "message"),
    "insight_response": ("insights", "insight"),
    "topic_response": ("topics", ""),
    "tracker_response": ("trackers", "tracker"),
    "entity_response": ("entities", "entity"),
}


def sequence_kind(message: Mapping[str, Any]) -> str:
    """The sequence a list response numbers ("message", "insight", ...; "" when it has none)."""
    return _LISTS.get(str(message.get("type")), ("", ""))[1]


def split_response(
    message: Mapping[str, Any], next_sequence: Callable[[], int], *, budget: int = RESULT_FRAME_BUDGET
) -> list[dict[str, Any]]:
    """`message` as list responses of at most about `budget` bytes each (one item over it goes alone).

    The first part keeps the message's sequence number; later parts take the next ones.
    """
    key = _LISTS.get(str(message.get("type")), ("", ""))[0]
    items = list(message.get(key) or []) if key else []
    if len(items) < 2:
        return [dict(message)]
    chunks: list[list[Any]] = [[]]
    used = 0
    for item in items:
        size = len(dumps(item)) + 1
        if chunks[-1] and used + size > budget:
            chunks.append([])
            used = 0
        chunks[-1].append(item)
        used += size
    out = []
    for index, chunk in enumerate(chunks):
        part = {**message, key: chunk}
        if index and "sequenceNumber" in message:
            part["sequenceNumber"] = next_sequence()
        out.append(part)
    return out


def _platform(event: str, **fields: Any) -> dict[str, Any]:
    return {"type": "message", "message": {"type": event, **fields}}


def started_listening() -> dict[str, Any]:
    return _platform("started_listening")


def conversation_created(conversation_id: str) -> dict[str, Any]:
    return _platform("conversation_created", data={"conversationId": conversation_id})


def recognition_started(conversation_id: str) -> dict[str, Any]:
    return _platform("recognition_started", data={"conversationId": conversation_id})


def recognition_stopped(conversation_id: str) -> dict[str, Any]:
    return _platform("recognition_stopped", data={"conversationId": conversation_id})


def conversation_completed(conversation_id: str, summary_url: str) -> dict[str, Any]:
    # JS/web read conversationId/summaryUrl at message level, Go reads data.conversationId: send both.
    return _platform(
        "conversation_completed",
        conversationId=conversation_id,
        summaryUrl=summary_url,
        data={"conversationId": conversation_id},
    )


def session_modified(encoding: str, sample_rate: int) -> dict[str, Any]:
    return _platform(
        "session_modified", data={"speechRecognition": {"encoding": encoding, "sampleRateHertz": sample_rate}}
    )


def error(message: str, details: str | None = None) -> dict[str, Any]:
    """Nested error form: JS rejects the pending promise on it, Python hands it to the "message" callback."""
    return _platform("error", message=message, details=details or message)


def duration_pb(seconds: float) -> dict[str, str]:
    """Protobuf Duration as Symbl sends it: both parts strings."""
    total_nanos = max(0, round(seconds * 1e9))
    return {"seconds": str(total_nanos // 10**9), "nanos": str(total_nanos % 10**9)}


@dataclass(frozen=True)
class Word:
    word: str
    start: float  # seconds from the conversation start
    end: float


@dataclass(frozen=True)
class User:
    """A speaking user as it appears in results (`id` is the member uuid)."""

    id: str
    name: str | None
    user_id: str | None

    def wire(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "userId": self.user_id}


def recognition_result(
    words: Sequence[Word], *, is_final: bool, user: User | None, confidence: float = RECOGNITION_CONFIDENCE
) -> dict[str, Any]:
    transcript = " ".join(w.word for w in words)
    offset_ms = int(round(words[0].start * 1000)) if words else 0
    message: dict[str, Any] = {
        "type": "recognition_result",
        "isFinal": is_final,
        "payload": {
            "raw": {
                "alternatives": [
                    {
                        "words": [
                            {"word": w.word, "startTime": duration_pb(w.start), "endTime": duration_pb(w.end)}
                            for w in words
                        ],
                        "transcript": transcript,
                        "confidence": confidence,
                    }
                ]
            }
        },
        "punctuated": {"transcript": transcript},
        "timeOffset": offset_ms,
    }
    if user is not None:
        message["user"] = user.wire()
    return {"type": "message", "message": message, "timeOffset": offset_ms}


def _words_string(words: Sequence[Word], conversation_start: datetime) -> str:
    return json.dumps(
        [
            {
                "word": w.word,
                "startTime": iso(conversation_start + timedelta(seconds=w.start)),
                "endTime": iso(conversation_start + timedelta(seconds=w.end)),
            }
            for w in words
        ],
        separators=(",", ":"),
    )


def stream_message(
    *,
    message_id: str,
    text: str,
    user: User | None,
    words: Sequence[Word],
    start: datetime,
    end: datetime,
    conversation_start: datetime,
    timezone_offset: int = 0,
    sentiment: float | None = None,
) -> dict[str, Any]:
    """One entry of message_response.messages."""
    sender = user.wire() if user else {"id": None, "name": None, "userId": None}
    out: dict[str, Any] = {
        "from": sender,
        "payload": {"content": text, "contentType": "text/plain"},
        "id": message_id,
        "channel": {"id": "realtime-api"},
        "metadata": {
            "disablePunctuation": True,
            "timezoneOffset": timezone_offset,
            "originalContent": text,
            "words": _words_string(words, conversation_start),
            "originalMessageId": message_id,
        },
        "dismissed": False,
        "duration": {"startTime": iso(start), "endTime": iso(end)},
    }
    if sentiment is not None:
        out["sentiment"] = {"polarity": {"score": sentiment}, "suggested": suggested_sentiment(sentiment)}
    return out


def suggested_sentiment(score: float) -> str:
    return "negative" if score < -0.3 else "positive" if score > 0.3 else "neutral"


def message_response(messages: Sequence[Mapping[str, Any]], sequence_number: int) -> dict[str, Any]:
    return {"type": "message_response", "messages": list(messages), "sequenceNumber": sequence_number}


def insight_response(insights: Sequence[Mapping[str, Any]], sequence_number: int) -> dict[str, Any]:
    return {"type": "insight_response", "insights": list(insights), "sequenceNumber": sequence_number}


def topic_response(topics: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    return {"type": "topic_response", "topics": list(topics)}


def tracker_response(trackers: Sequence[Mapping[str, Any]], sequence_number: int) -> dict[str, Any]:
    return {
        "type": "tracker_response",
        "isFinal": True,
        "trackers": list(trackers),
        "sequenceNumber": sequence_number,
    }


def entity_response(entities: Sequence[Mapping[str, Any]], sequence_number: int) -> dict[str, Any]:
    return {"type": "entity_response", "entities": list(entities), "sequenceNumber": sequence_number}


def transcript_response(text: str, *, is_final: bool, user: User | None) -> dict[str, Any]:
    """Telephony live transcript event on /session/subscribe (shape inferred, §1.5)."""
    out: dict[str, Any] = {
        "type": "transcript_response",
        "isFinal": is_final,
        "payload": {"content": text, "contentType": "text/plain"},
    }
    if user is not None:
        out["user"] = user.wire()
    return out
