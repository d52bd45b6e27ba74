"""AsyncAPI 3.0 description of the WebSocket protocol (realtime-and-sdks.md §1.3–1.5), served at /asyncapi.json."""

from __future__ import annotations

import copy
from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from mock_symbl import __version__
from mock_symbl.web.asyncapi_messages import MESSAGES, SCHEMAS

router = APIRouter(include_in_schema=False)

RESULTS = (
    "recognitionResult",
    "messageResponse",
    "insightResponse",
    "topicResponse",
    "trackerResponse",
    "entityResponse",
)
LIFECYCLE = (
    "startedListening", "conversationCreated", "recognitionStarted", "sessionModified",
    "conversationCompleted", "recognitionStopped", "error", "pong",
)  # fmt: skip
CONNECTION_ID = {
    "connectionId": {"description": "Chosen by the client (UUID, base64 text or any path segment)."}
}
AUTH_NOTE = (
    "The token travels as ?access_token=, an X-API-KEY header, or as the Sec-WebSocket-Protocol "
    "(echoed on accept)."
)


def _refs(names: tuple[str, ...], channel: str) -> dict[str, Any]:
    return {n: {"$ref": f"#/components/messages/{n}"} for n in names}


def _channel(address: str, description: str, names: tuple[str, ...]) -> dict[str, Any]:
    return {
        "address": address,
        "description": description,
        "parameters": copy.deepcopy(CONNECTION_ID),
        "messages": _refs(names, address),
    }


STREAM_IN = ("startRequest", "stopRequest", "modifyRequest", "audioChunk", "ping")
STREAM_OUT = LIFECYCLE + RESULTS

CHANNELS: dict[str, Any] = {
    "streaming": _channel(
        "/v1/streaming/{connectionId}", "Streaming API. " + AUTH_NOTE, STREAM_IN + STREAM_OUT
    ),
    "realtimeInsights": _channel(
        "/v1/realtime/insights/{connectionId}",
        "Older name of the Streaming API, used by every SDK.",
        STREAM_IN + STREAM_OUT,
    ),
    "subscribe": _channel(
        "/v1/subscribe/{connectionId}",
        "Subscribe API: a read-only copy of a streaming connection.",
        STREAM_OUT,
    ),
    "telephonySession": _channel(
        "/session/subscribe/{connectionId}",
        "Live events of a telephony call started with POST /v1/endpoint:connect.",
        (
            "conversationCreated",
            "transcriptResponse",
            "messageResponse",
            "insightResponse",
            "topicResponse",
            "trackerResponse",
            "entityResponse",
            "conversationCompleted",
            "error",
            "pong",
        ),
    ),  # fmt: skip
    "telephonyEvents": _channel(
        "/events/{connectionId}",
        "resultWebSocketUrl of a telephony call: speaker events pushed by the client.",
        ("speakerEvent", "ping", "pong", "error"),
    ),  # fmt: skip
}


def _operation(action: str, channel: str, names: tuple[str, ...], summary: str) -> dict[str, Any]:
    return {
        "action": action,
        "channel": {"$ref": f"#/channels/{channel}"},
        "summary": summary,
        "messages": [{"$ref": f"#/channels/{channel}/messages/{n}"} for n in names],
    }


OPERATIONS: dict[str, Any] = {
    "sendStreamingRequests": _operation(
        "receive", "streaming", STREAM_IN, "The server receives control frames and audio."
    ),
    "sendStreamingResults": _operation(
        "send", "streaming", STREAM_OUT, "The server sends lifecycle events and results."
    ),
    "sendLegacyRequests": _operation(
        "receive", "realtimeInsights", STREAM_IN, "Same as streaming (older path)."
    ),
    "sendLegacyResults": _operation(
        "send", "realtimeInsights", STREAM_OUT, "Same as streaming (older path)."
    ),
    "sendSubscribedResults": _operation(
        "send", "subscribe", STREAM_OUT, "Copies of a live connection's events."
    ),
    "sendTelephonyEvents": _operation(
        "send", "telephonySession", tuple(CHANNELS["telephonySession"]["messages"]), "Live telephony events."
    ),
    "receiveSpeakerEvents": _operation(
        "receive", "telephonyEvents", ("speakerEvent", "ping"), "Speaker events."
    ),
    "answerSpeakerEvents": _operation(
        "send",
        "telephonyEvents",
        ("pong", "error"),
        "Keep-alive answers and errors (unknown connection, bad event).",
    ),
}


def document() -> dict[str, Any]:
    """The AsyncAPI document (a fresh copy; callers may mutate it)."""
    return copy.deepcopy(
        {
            "asyncapi": "3.0.0",
            "info": {
                "title": "mock-symbl WebSocket API",
                "version": __version__,
                "description": "Symbl.ai's real-time protocol as emulated by mock-symbl: Streaming, Subscribe and "
                "Telephony sockets. Control messages are JSON text frames, audio is binary frames.",
            },
            "defaultContentType": "application/json",
            "servers": {
                "local": {"host": "127.0.0.1:8080", "protocol": "ws", "description": "The mock's main port."}
            },
            "channels": CHANNELS,
            "operations": OPERATIONS,
            "components": {"schemas": SCHEMAS, "messages": MESSAGES},
        }
    )


@router.get("/asyncapi.json")
def asyncapi_json() -> JSONResponse:
    """The AsyncAPI 3.0 document of the WebSocket protocol."""
    return JSONResponse(document())
