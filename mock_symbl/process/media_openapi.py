"""OpenAPI descriptions of the media routes, whose bodies are read by hand (streamed raw bytes, JSON)."""

from __future__ import annotations

from typing import Any

from mock_symbl.process.media_schemas import FILE_QUERY_PARAMS, LANGUAGE_CODES

_BINARY = {"type": "string", "format": "binary"}
_MULTIPART = {"schema": {"type": "object", "properties": {"file": _BINARY}, "required": ["file"]}}

_TYPES: dict[str, dict[str, Any]] = {
    "name": {"type": "string"},
    "webhookUrl": {"type": "string", "format": "uri"},
    "customVocabulary": {"type": "array", "items": {"type": "string"}},
    "confidenceThreshold": {"type": "number", "minimum": 0, "maximum": 1, "default": 0.5},
    "languageCode": {"type": "string", "enum": list(LANGUAGE_CODES), "default": "en-US"},
    "mode": {"type": "string", "enum": ["phone", "default"]},
    "diarizationSpeakerCount": {"type": "integer", "minimum": 1},
    "timezoneOffset": {"type": "integer"},
    "conversationType": {"type": "string"},
}
_JSON_PARAMS = {"trackers", "entities", "features", "metadata", "channelMetadata"}


def _schema(name: str) -> dict[str, Any]:
    if name in _TYPES:
        return _TYPES[name]
    if name in _JSON_PARAMS:
        return {"type": "string", "description": "JSON"}
    return {"type": "boolean"}


def _query_parameters() -> list[dict[str, Any]]:
    return [{"name": n, "in": "query", "required": False, "schema": _schema(n)} for n in FILE_QUERY_PARAMS]


def file_route(content_types: tuple[str, ...]) -> dict[str, Any]:
    content: dict[str, Any] = {ct: {"schema": _BINARY} for ct in content_types}
    content["multipart/form-data"] = _MULTIPART
    return {"parameters": _query_parameters(), "requestBody": {"required": True, "content": content}}


AUDIO_FILE = file_route(("audio/wav", "audio/wave", "audio/mpeg", "audio/mp3", "application/octet-stream"))
VIDEO_FILE = file_route(("video/mp4",))

_URL_PROPERTIES: dict[str, Any] = {
    "url": {"type": "string", "format": "uri"},
    **{n: _schema(n) for n in FILE_QUERY_PARAMS},
    "channelMetadata": {"type": "array", "items": {"type": "object"}},
    "trackers": {"type": "array", "items": {"type": "object"}},
    "entities": {"type": "array", "items": {"type": "object"}},
    "features": {"type": "object"},
    "metadata": {"type": "object"},
}
URL_ROUTE: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {"type": "object", "required": ["url"], "properties": _URL_PROPERTIES}
            }
        },
    }
}
