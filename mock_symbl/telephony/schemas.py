"""Wire format of the Telephony API (rest.md §6, realtime-and-sdks.md §2): every SDK's body variant accepted."""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from mock_symbl.errors import rule_violation
from mock_symbl.wire import Answer

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
            raise rule_violation('"operation" must be one of [start, stop]')
        if self.operation == "stop":
            if not self.connectionId:
                raise rule_violation('"connectionId" is required')
            return self
        self.address()  # a start needs a reachable endpoint
        for action in self.actions:
            if not action.name or not action.invokeOn:
                raise rule_violation('"actions" items need "invokeOn" and "name".')
        return self

    def address(self) -> tuple[str, str]:
        """The endpoint's kind (pstn | sip) and its phone number digits or SIP URI."""
        endpoint = self.endpoint
        if endpoint is None:
            raise rule_violation('"endpoint" is required')
        kind = (endpoint.type or "").strip().lower()
        if kind == "pstn":
            number = (endpoint.phoneNumber or "").strip().lstrip("+")
            if not PHONE_DIGITS.match(number):
                raise rule_violation(
                    '"endpoint.phoneNumber" must be the phone number digits (E.164 without "+").'
                )
            return kind, number
        if kind == "sip":
            uri = (endpoint.uri or "").strip()
            if not uri.lower().startswith(("sip:", "sips:")):
                raise rule_violation('"endpoint.uri" must be a SIP URI starting with "sip:".')
            return kind, uri
        raise rule_violation('"endpoint.type" must be one of [pstn, sip]')

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


class SummaryUser(Answer):
    id: str
    userId: str
    name: str
    role: str


class SummaryInfo(Answer):
    user: SummaryUser
    url: str = Field(..., description="The conversation's summary URL.")


class ConnectResponse(Answer):
    """start (201) and stop (200, with summaryInfo) of POST /v1/endpoint:connect."""

    eventUrl: str
    resultWebSocketUrl: str
    connectionId: str
    conversationId: str
    summaryInfo: list[SummaryInfo] | None = None


class EventAccepted(Answer):
    """POST /v1/event/{connectionId}: an empty object."""
