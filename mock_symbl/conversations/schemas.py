"""Wire format of the conversation core routes (rest.md §5.2–5.6)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class MemberOut(BaseModel):
    id: str
    name: str | None = None
    email: str | None = None


class ConversationOut(BaseModel):
    id: str
    type: str
    name: str
    startTime: str
    endTime: str
    members: list[MemberOut]
    metadata: dict[str, Any] = Field(default_factory=dict)


class ConversationUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")  # only metadata is updatable (id, type are not)

    metadata: dict[str, Any]


class DeleteResponse(BaseModel):
    message: str


class MembersResponse(BaseModel):
    members: list[MemberOut]


class MessagesResponse(BaseModel):
    messages: list[dict[str, Any]]
