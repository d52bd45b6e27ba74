"""Wire format of the Telephony API (rest.md §6, realtime-and-sdks.md §2): every SDK's body variant accepted."""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

PHONE_DIGITS = re.compile(r"^\d{5,15}$")


def _obj(container: dict[str, Any], key: str) -> dict[str, Any]:
    value = container.get(key)
    return value if isinstance(value, dict) else {}


class Loose(BaseModel):
    model_config = ConfigDict(extra="allow", populate_by_name=True)


class Endpoint(Loose):
    type: str | None = None
    phoneNumber: str | None = None
    dtmf: str | None = None
    uri: str | None = None
    providerName: str | None = None

    @field_validator("phoneNumber", mode="before")
    @classmethod
    def _number_as_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


class Action(Loose):
    invokeOn: str | None = None
    name: str | None = None
    parameters: dict[str, Any] = Field(default_factory=dict)


class ConnectRequest(Loose):
    operation: str
    connectionId: str | None = None
    endpoint: Endpoint | None = None
    actions: list[Action] = Field(default_factory=list)
    data: dict[str, Any] = Field(default_factory=dict)
    languages: list[Any] = Field(default_factory=list)
    timezone: str | None = None
    pushSpeakerEvents: bool | None = None

    @field_validator("actions", mode="before")
    @classmethod
    def _actions_object(cls, value: Any) -> Any:
        # The Python SDK's default is {} (an object), and one action may come unwrapped.
        if value is None or value == {}:
            return []
        return [value] if isinstance(value, dict) else value

    @field_validator("data", mode="before")
    @classmethod
    def _data_null(cls, value: Any) -> Any:
        return value or {}

    @field_validator("languages", mode="before")
    @classmethod
    def _languages_shapes(cls, value: Any) -> Any:
        if value is None:
            return []
        return [value] if isinstance(value, str | dict) else value

    @model_validator(mode="after")
    def _operation(self) -> ConnectRequest:
        self.operation = self.operation.strip().lower()
        if self.operation not in ("start", "stop"):
            raise ValueError('"operation" must be one of [start, stop]')
        return self

    def language(self) -> str:
        """First language code; `["en-US"]` (docs, Python) and `[{"code": "en-US"}]` (REST model, JS)."""
        for item in self.languages:
            code = item.get("code") if isinstance(item, dict) else item
            if isinstance(code, str) and code.strip():
                return code.strip()
        return "en-US"

    def time_zone(self) -> str:
        zone = _obj(_obj(_obj(self.data, "session"), "location"), "timeZone")
        return str(self.timezone or zone.get("name") or "UTC")

    def session_name(self) -> str | None:
        name = _obj(self.data, "session").get("name")
        return str(name) if name else None


class SpeakerUser(Loose):
    userId: str | None = None
    name: str | None = None
    id: str | None = None


class SpeakerEvent(Loose):
    """`POST /v1/event/{connectionId}` and `/events` socket frames (JS SpeakerEvent.toJSON())."""

    topic: str | None = "speaker"
    type: str
    user: SpeakerUser | None = None
    timestamp: str | None = None


class ConnectResponse(BaseModel):
    eventUrl: str
    resultWebSocketUrl: str
    connectionId: str
    conversationId: str
    summaryInfo: list[dict[str, Any]] | None = None
