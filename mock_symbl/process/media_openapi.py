"""OpenAPI descriptions of the media routes, whose bodies are read by hand (streamed raw bytes, JSON)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from mock_symbl.process.media_schemas import FILE_QUERY_PARAMS, LANGUAGE_CODES, MediaUrlRequest

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


def _inlined(schema: Any, defs: dict[str, Any]) -> Any:
    """The schema with its local `#/$defs/...` references replaced by their definitions (none is recursive)."""
    if isinstance(schema, dict):
        ref = schema.get("$ref", "")
        if ref.startswith("#/$defs/"):
            return _inlined(defs[ref.rsplit("/", 1)[1]], defs)
        return {k: _inlined(v, defs) for k, v in schema.items()}
    if isinstance(schema, list):
        return [_inlined(item, defs) for item in schema]
    return schema


def model_schema(model: type[BaseModel]) -> dict[str, Any]:
    """A request model's JSON schema, self-contained, for a body the route reads itself."""
    schema = model.model_json_schema(mode="validation")
    defs = schema.pop("$defs", {})
    inlined: dict[str, Any] = _inlined(schema, defs)
    return inlined


URL_ROUTE: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                # The model the route validates the body with (after adding the query's parameters).
                "schema": model_schema(MediaUrlRequest)
            }
        },
    }
}
