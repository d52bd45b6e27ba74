"""AsyncAPI payload schemas and messages of the WebSocket protocol (realtime-and-sdks.md §1.3–1.5)."""

from __future__ import annotations

from typing import Any

STR = {"type": "string"}
INT = {"type": "integer"}
NUM = {"type": "number"}
BOOL = {"type": "boolean"}
ISO = {"type": "string", "format": "date-time"}


def obj(required: tuple[str, ...] = (), **properties: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        out["required"] = list(required)
    return out


def arr(items: dict[str, Any]) -> dict[str, Any]:
    return {"type": "array", "items": items}


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def const(value: str) -> dict[str, Any]:
    return {"type": "string", "const": value}


def platform(event: str, **fields: Any) -> dict[str, Any]:
    """A lifecycle event wrapped as {"type": "message", "message": {"type": event, ...}}."""
    return obj(
        ("type", "message"), type=const("message"), message=obj(("type",), type=const(event), **fields)
    )


CONVERSATION_DATA = obj(("conversationId",), conversationId=STR)
USER = obj(userId=STR, name=STR, id=STR)
MESSAGE_REF = obj(("id",), id=STR, text=STR, offset=INT)

SCHEMAS: dict[str, Any] = {
    "User": USER,
    "SpeechRecognition": obj(
        encoding={"type": "string", "enum": ["LINEAR16", "FLAC", "MULAW", "Opus", "OPUS"]},
        sampleRateHertz={"type": "integer", "minimum": 8000, "maximum": 48000},
    ),
    "StartRequest": obj(
        ("type",),
        type=const("start_request"),
        insightTypes=arr({"type": "string", "enum": ["question", "action_item", "follow_up", "topic"]}),
        customVocabulary=arr(STR),
        config=obj(
            confidenceThreshold={"type": "number", "minimum": 0.5, "maximum": 1.0},
            languageCode=STR,
            meetingTitle=STR,
            timezoneOffset=INT,
            sentiment=BOOL,
            detectEntities=BOOL,
            speechRecognition=ref("SpeechRecognition"),
            trackers=obj(interimResults=BOOL, enableAllTrackers=BOOL),
            redaction=obj(identifyContent=BOOL, redactContent=BOOL, redactionString=STR),
        ),
        speaker={"oneOf": [obj(userId=STR, name=STR), {"type": "null"}]},
        trackers={
            "oneOf": [
                arr(obj(("name",), name=STR, vocabulary=arr(STR))),
                {"type": "null"},
                {"type": "object"},
            ]
        },
        enableAllTrackers=BOOL,
        meetingTitle=STR,
        noConnectionTimeout={"description": "0..1800 seconds (the Go SDK sends a boolean)."},
        disconnectOnStopRequest=BOOL,
        disconnectOnStopRequestTimeout={"type": "integer", "minimum": 0, "maximum": 1800},
    ),
    "StopRequest": obj(("type",), type=const("stop_request")),
    "ModifyRequest": obj(("type",), type=const("modify_request"), speechRecognition=ref("SpeechRecognition")),
    "Duration": obj(("seconds", "nanos"), seconds=STR, nanos=STR),
    "StreamMessage": obj(
        ("id", "payload", "from"),
        id=STR,
        payload=obj(content=STR, contentType=const("text/plain")),
        **{"from": USER},
        channel=obj(id=STR),
        metadata=obj(
            disablePunctuation=BOOL,
            timezoneOffset=INT,
            originalContent=STR,
            words={"type": "string", "description": "A JSON-encoded array of {word, startTime, endTime}."},
            originalMessageId=STR,
        ),
        dismissed=BOOL,
        duration=obj(startTime=ISO, endTime=ISO),
        sentiment=obj(polarity=obj(score=NUM), suggested=STR),
    ),
    "Insight": obj(
        ("id", "type"),
        id=STR,
        confidence=NUM,
        messageReference=obj(id=STR),
        hints=arr(obj(key=STR, value=STR)),
        type={"type": "string", "enum": ["question", "action_item", "follow_up"]},
        assignee=USER,
        dueBy=obj(value=ISO),
        tags=arr(obj(type=STR, text=STR, beginOffset=INT, value={"type": "object"})),
        dismissed=BOOL,
        payload=obj(content=STR, contentType=STR),
        **{"from": USER},
        text=STR,
    ),
    "Topic": obj(
        ("id", "phrases"),
        id=STR,
        messageReferences=arr(obj(id=STR, relation=STR)),
        phrases=STR,
        rootWords=arr(obj(text=STR)),
        score=NUM,
        type=STR,
        messageIndex=INT,
    ),
    "Tracker": obj(
        ("name", "matches"),
        name=STR,
        matches=arr(
            obj(type=STR, value=STR, messageRefs=arr(MESSAGE_REF), insightRefs=arr({"type": "object"}))
        ),
    ),
    "Entity": obj(
        type=STR, subType=STR, category=STR, matches=arr(obj(detectedValue=STR, messageRefs=arr(MESSAGE_REF)))
    ),
    "SpeakerEvent": obj(
        ("type",),
        topic=const("speaker"),
        type={
            "type": "string",
            "enum": ["started_speaking", "stopped_speaking", "joined", "left", "stopped"],
        },
        user=obj(userId=STR, name=STR),
        timestamp=ISO,
    ),
}

WORD = obj(word=STR, startTime=ref("Duration"), endTime=ref("Duration"))


def _message(
    name: str, summary: str, payload: dict[str, Any], content_type: str = "application/json"
) -> dict[str, Any]:
    return {"name": name, "title": name, "summary": summary, "contentType": content_type, "payload": payload}


MESSAGES: dict[str, Any] = {
    # client -> server
    "startRequest": _message("start_request", "Starts recognition; must precede audio.", ref("StartRequest")),
    "stopRequest": _message(
        "stop_request", "Ends recognition (the Python SDK sends it as Python repr text).", ref("StopRequest")
    ),
    "modifyRequest": _message(
        "modify_request", "Changes the audio sample rate mid-stream.", ref("ModifyRequest")
    ),
    "audioChunk": _message(
        "audio",
        "Raw audio in the declared encoding (LINEAR16: 16-bit little-endian mono PCM).",
        {"type": "string", "format": "binary"},
        "application/octet-stream",
    ),  # fmt: skip
    "ping": _message(
        "__PING__", "Keep-alive text frame sent by the JS SDK.", const("__PING__"), "text/plain"
    ),
    "speakerEvent": _message(
        "speaker_event", "Telephony speaker event pushed by the JS SDK.", ref("SpeakerEvent")
    ),
    # server -> client: lifecycle
    "startedListening": _message(
        "started_listening", "First answer to start_request.", platform("started_listening")
    ),
    "conversationCreated": _message(
        "conversation_created",
        "Carries the new conversationId.",
        platform("conversation_created", data=CONVERSATION_DATA),
    ),
    "recognitionStarted": _message(
        "recognition_started",
        "Recognition is running.",
        platform("recognition_started", data=CONVERSATION_DATA),
    ),
    "sessionModified": _message(
        "session_modified", "Answer to modify_request.", platform("session_modified", data={"type": "object"})
    ),
    "conversationCompleted": _message(
        "conversation_completed",
        "First answer to stop_request.",
        platform("conversation_completed", conversationId=STR, summaryUrl=STR, data=CONVERSATION_DATA),
    ),
    "recognitionStopped": _message(
        "recognition_stopped",
        "Sent after conversation_completed; then close 1000.",
        platform("recognition_stopped", data=CONVERSATION_DATA),
    ),  # fmt: skip
    "error": _message("error", "A request error (nested form).", platform("error", details=STR, message=STR)),
    "pong": _message("__PONG__", "Answer to __PING__.", const("__PONG__"), "text/plain"),
    # server -> client: results
    "recognitionResult": _message(
        "recognition_result",
        "Interim and final speech recognition results.",
        obj(
            ("type", "message"),
            type=const("message"),
            timeOffset=INT,
            message=obj(
                ("type", "isFinal"),
                type=const("recognition_result"),
                isFinal=BOOL,
                payload=obj(raw=obj(alternatives=arr(obj(words=arr(WORD), transcript=STR, confidence=NUM)))),
                punctuated=obj(transcript=STR),
                user=USER,
            ),
        ),
    ),
    "messageResponse": _message(
        "message_response",
        "Final messages.",
        obj(
            ("type", "messages"),
            type=const("message_response"),
            messages=arr(ref("StreamMessage")),
            sequenceNumber=INT,
        ),
    ),  # fmt: skip
    "insightResponse": _message(
        "insight_response",
        "Questions, action items and follow-ups.",
        obj(
            ("type", "insights"),
            type=const("insight_response"),
            insights=arr(ref("Insight")),
            sequenceNumber=INT,
        ),
    ),  # fmt: skip
    "topicResponse": _message(
        "topic_response",
        "Topics so far.",
        obj(("type", "topics"), type=const("topic_response"), topics=arr(ref("Topic"))),
    ),
    "trackerResponse": _message(
        "tracker_response",
        "Tracker matches.",
        obj(
            ("type", "trackers"),
            type=const("tracker_response"),
            isFinal=BOOL,
            trackers=arr(ref("Tracker")),
            sequenceNumber=INT,
        ),
    ),  # fmt: skip
    "entityResponse": _message(
        "entity_response",
        "Detected entities.",
        obj(
            ("type", "entities"),
            type=const("entity_response"),
            entities=arr(ref("Entity")),
            sequenceNumber=INT,
        ),
    ),  # fmt: skip
    "transcriptResponse": _message(
        "transcript_response",
        "Telephony live transcript.",
        obj(
            ("type", "payload"),
            type=const("transcript_response"),
            isFinal=BOOL,
            payload=obj(content=STR, contentType=STR),
            user=USER,
        ),
    ),  # fmt: skip
}
