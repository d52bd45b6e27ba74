"""Wire format of the Async API requests shared by text, audio and video (rest.md §3.1)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from mock_symbl.errors import BadRequest
from mock_symbl.job_lifecycle import Progression
from mock_symbl.wire import Answer


class Loose(BaseModel):
    # Unknown keys are accepted and ignored: newer SDKs send fields we do not know (the Azurite lesson).
    model_config = ConfigDict(extra="allow", populate_by_name=True)


class TrackerInput(Loose):
    name: str = Field(..., min_length=1)
    vocabulary: list[str] = Field(default_factory=list)


class CustomEntityInput(Loose):
    customType: str = Field(..., min_length=1)
    text: str = Field(..., min_length=1)
    value: Any = None


class Features(Loose):
    featureList: list[str] = Field(default_factory=list)
    callScore: dict[str, Any] | None = None


# Optional text options of the Async routes (body or query) for which "" means "not set".
EMPTY_IS_UNSET = frozenset(
    {"name", "webhookUrl", "conversationType", "languageCode", "mode", "timezoneOffset"}
)


def _blank(value: Any) -> bool:
    return isinstance(value, str) and not value.strip()


class CommonParams(Loose):
    """Parameters every Async route accepts (in the body or, where documented, the query)."""

    name: str | None = None
    webhookUrl: str | None = None
    confidenceThreshold: float | None = Field(None, ge=0.0, le=1.0)
    detectPhrases: bool | None = None
    detectEntities: bool | None = None
    enableSummary: bool | None = None
    enableAllTrackers: bool | None = None
    trackers: list[TrackerInput] | None = None
    entities: list[CustomEntityInput] | None = None
    features: Features | None = None
    conversationType: str | None = None
    metadata: dict[str, Any] | None = None

    @model_validator(mode="before")
    @classmethod
    def _empty_is_unset(cls, data: Any) -> Any:
        # The docs' own example bodies send `"webhookUrl": ""` and the Go SDK sends `webhookUrl=`: an empty
        # string option means "not set", never a 400 (issue 13, point 3). Applies to every optional text option.
        if isinstance(data, dict):
            return {k: v for k, v in data.items() if not (k in EMPTY_IS_UNSET and _blank(v))}
        return data

    @field_validator("webhookUrl")
    @classmethod
    def _http_webhook(cls, value: str | None) -> str | None:
        if value is not None and not value.lower().startswith(("http://", "https://")):
            raise ValueError("must be an http or https URL")
        return value


class TextPayload(Loose):
    content: str = Field(..., min_length=1)
    contentType: str | None = "text/plain"


class FromPayload(Loose):
    name: str | None = None
    userId: str | None = None
    id: str | None = None
    email: str | None = None


class DurationPayload(Loose):
    startTime: str
    endTime: str


class TextMessage(Loose):
    payload: TextPayload
    from_: FromPayload | None = Field(None, alias="from")
    duration: DurationPayload | None = None


class TextRequest(CommonParams):
    """Body of POST /v1/process/text and PUT /v1/process/text/{conversationId}."""

    messages: list[TextMessage] = Field(..., min_length=1)


class ProcessResponse(Answer):
    conversationId: str
    jobId: str


QUERY_PARAMS = (
    "name",
    "webhookUrl",
    "confidenceThreshold",
    "detectPhrases",
    "detectEntities",
    "enableSummary",
    "enableAllTrackers",
    "trackers",
    "entities",
    "features",
    "conversationType",
    "metadata",
)


def progression_header(value: str | None) -> Progression | None:
    """Validate the X-Mock-Job-Progression override."""
    if value is None or not value.strip():
        return None
    try:
        return Progression(value.strip().lower())
    except ValueError:
        names = ", ".join(Progression)
        raise BadRequest(f'"X-Mock-Job-Progression" must be one of [{names}]') from None
