"""Wire format of the Experience API (rest.md §5.20–5.21)."""

from __future__ import annotations

from typing import Any

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, model_validator

from mock_symbl.conversations.insights_schemas import SummaryList
from mock_symbl.wire import Answer

EXPERIENCE_NAMES = ("verbose-text-summary", "video-summary", "audio-summary")
HEX_COLOR = r"^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$"
DEFAULT_EXPIRES_IN = 2_592_000  # 30 days (experience pages)


class ColorOptions(BaseModel):
    model_config = ConfigDict(extra="ignore")

    background: str | None = Field(None, description="Page background (hex colour).", examples=["#0A2136"])
    topicsFilter: str | None = Field(
        None, description="Topic filter chips (hex colour).", examples=["#FF0000"]
    )
    insightsFilter: str | None = Field(
        None, description="Insight filter chips (hex colour).", examples=["#FF0000"]
    )


class FontOptions(BaseModel):
    model_config = ConfigDict(extra="ignore")

    family: str | None = Field(
        None, description="Font family name (a Google Fonts name).", examples=["roboto"]
    )


class ExperienceRequest(BaseModel):
    """POST /v1/conversations/{conversationId}/experiences body; unknown keys are ignored."""

    model_config = ConfigDict(
        extra="ignore",
        populate_by_name=True,
        json_schema_extra={
            "examples": [
                {
                    "name": "video-summary",
                    "videoUrl": "https://example.com/meeting.mp4",
                    "logo": "https://example.com/logo.png",
                    "color": {
                        "background": "#0A2136",
                        "topicsFilter": "#FF0000",
                        "insightsFilter": "#FF0000",
                    },
                    "font": {"family": "roboto"},
                    "summaryURLExpiresIn": 0,
                    "readOnly": True,
                }
            ]
        },
    )

    name: str = Field(
        ...,
        description="verbose-text-summary | video-summary | audio-summary",
        json_schema_extra={"enum": list(EXPERIENCE_NAMES)},
    )
    videoUrl: str | None = Field(None, description="Required for video-summary.")
    audioUrl: str | None = Field(
        None,
        validation_alias=AliasChoices("audioUrl", "audioURL"),
        description="Required for audio-summary (the docs spell it audioUrl and audioURL).",
    )
    logo: str | None = Field(None, description="Public URL of a logo shown in the page header.")
    favicon: str | None = Field(None, description="Public URL of the page's favicon.")
    color: ColorOptions | None = None
    font: FontOptions | None = None
    summaryURLExpiresIn: int | None = Field(
        None, ge=0, description="Seconds until the URL expires; 0 = never; default 2592000 (30 days)."
    )
    readOnly: bool = Field(False, description="A non-editable page.")
    enableCustomDomain: bool = Field(False, description="Accepted; the URL is always on the mock's own host.")
    disableSummaryURLAuthentication: bool | None = Field(None, description="Not supported (400 when true).")


class ExperienceResponse(Answer):
    name: str
    url: str


class MediaUrlRequest(BaseModel):
    """PUT /v1/conversations/{conversationId}/experiences/url body."""

    model_config = ConfigDict(extra="ignore")

    url: str = Field(..., description="The audio or video URL played by the Insights UI.")


class UrlResponse(Answer):
    url: str


class SummaryRequest(BaseModel):
    """Optional body of POST .../summary: none, or the Experience API's (with `name`), validated as such."""

    model_config = ConfigDict(extra="allow")

    name: Any = None  # any value, even null, makes this the Experience API's body (validated as that)

    @model_validator(mode="before")
    @classmethod
    def _not_json_is_no_body(cls, data: Any) -> Any:
        # A body that is not JSON (a form, plain text) arrives as bytes: it carries no options, as before.
        return {} if isinstance(data, bytes | str) else data


# POST .../summary answers the summary, or (a body with `name`) the Experience API's answer.
SummaryAnswer = SummaryList | ExperienceResponse
