"""Wire format of the audio/video routes (rest.md §3.1, §3.3–3.6): file params in the query, URL params in the body."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from mock_symbl.insights.models import MAX_CONFIDENCE_THRESHOLD, MIN_CONFIDENCE_THRESHOLD
from mock_symbl.process.schemas import QUERY_PARAMS, CommonParams, Loose

# Async audio/video languages (rest.md §11); insights are English only, diarization English and Spanish only.
LANGUAGE_CODES = (
    "en-US", "en-GB", "en-AU", "en-IE", "en-IN", "en-ZA", "ru-RU", "fr-CA", "fr-FR", "de-DE",
    "it-IT", "nl-NL", "ja-JP", "es-US", "es-ES", "ar-SA", "hi-IN", "pt-BR", "pt-PT", "fa-IR",
)  # fmt: skip
_LANGUAGES_LOWER = {code.lower(): code for code in LANGUAGE_CODES}
DIARIZATION_LANGUAGES = ("en", "es")


class ChannelSpeakerInput(Loose):
    name: str | None = None
    email: str | None = None


class ChannelMetadataInput(Loose):
    channel: int = Field(..., ge=1, le=32)
    speaker: ChannelSpeakerInput


class MediaParams(CommonParams):
    """Parameters of the audio and video routes (file: query string; URL: JSON body, some also in the query)."""

    customVocabulary: list[str] | None = None
    languageCode: str | None = None
    mode: Literal["phone", "default"] | None = None
    enableSeparateRecognitionPerChannel: bool | None = None
    channelMetadata: list[ChannelMetadataInput] | None = None
    enableSpeakerDiarization: bool | None = None
    diarizationSpeakerCount: int | None = Field(None, ge=1, le=50)
    timezoneOffset: int | None = Field(None, ge=-1440, le=1440)

    @field_validator("customVocabulary", mode="before")
    @classmethod
    def _vocabulary_list(cls, value: Any) -> Any:
        # One term sent as `customVocabulary=word` arrives as a string.
        if isinstance(value, str):
            return [value] if value.strip() else []
        if isinstance(value, list):
            flat: list[Any] = []
            for item in value:  # repeated keys whose values are themselves JSON arrays
                flat.extend(item if isinstance(item, list) else [item])
            return [str(v) if isinstance(v, int | float) and not isinstance(v, bool) else v for v in flat]
        return value

    @field_validator("languageCode")
    @classmethod
    def _known_language(cls, value: str | None) -> str | None:
        if value is None:
            return None
        code = _LANGUAGES_LOWER.get(value.strip().lower())
        if code is None:
            raise ValueError(f"must be one of [{', '.join(LANGUAGE_CODES)}]")
        return code

    @field_validator("confidenceThreshold")
    @classmethod
    def _threshold(cls, value: float | None) -> float | None:
        # Documented range 0.5–1.0 (older pages: 0.0–1.0; both accepted, rest.md §12): outside -> 400.
        if value is not None and not 0.0 <= value <= 1.0:
            raise ValueError(f"must be between {MIN_CONFIDENCE_THRESHOLD} and {MAX_CONFIDENCE_THRESHOLD}")
        return value

    @model_validator(mode="after")
    def _diarization_language(self) -> MediaParams:
        if self.enableSpeakerDiarization and self.languageCode:
            if self.languageCode.split("-")[0] not in DIARIZATION_LANGUAGES:
                raise ValueError(
                    f"enableSpeakerDiarization is supported for English and Spanish only, not {self.languageCode}"
                )
        return self


class MediaUrlRequest(MediaParams):
    """Body of POST/PUT /v1/process/{audio,video}/url."""

    url: str = Field(..., min_length=1)


# Query parameters read by the file routes (everything the REST client, SDKs and docs send).
FILE_QUERY_PARAMS = (
    *QUERY_PARAMS,
    "customVocabulary",
    "languageCode",
    "mode",
    "enableSeparateRecognitionPerChannel",
    "channelMetadata",
    "enableSpeakerDiarization",
    "diarizationSpeakerCount",
    "timezoneOffset",
)
# The URL routes take everything in the body, but the REST client and tutorials put these in the query.
URL_QUERY_PARAMS = (
    "enableSpeakerDiarization",
    "diarizationSpeakerCount",
    "enableSummary",
    "webhookUrl",
    "name",
    "customVocabulary",
    "languageCode",
    "mode",
)
