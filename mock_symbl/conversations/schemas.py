"""Wire format of the conversation core routes (rest.md §5.1–5.6): conversations, members, messages.

Number types follow the official SDKs (Go `interfaces.Message`/`Member`, symbl_rest `ConversationMessage`).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from mock_symbl.wire import Answer


class MemberOut(Answer):
    id: str
    name: str | None = None
    email: str | None = Field(None, description="Left out when the member has no email.")


class ConversationOut(Answer):
    id: str
    type: str
    name: str
    startTime: str
    endTime: str
    members: list[MemberOut]
    metadata: dict[str, Any] = Field(default_factory=dict)


class ConversationList(Answer):
    conversations: list[ConversationOut]


class ConversationUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")  # only metadata is updatable (id, type are not)

    metadata: dict[str, Any]


class DeleteResponse(Answer):
    message: str


class MembersResponse(Answer):
    members: list[MemberOut]


class Person(Answer):
    """`from` of a message or an insight: every key optional (`{}` when the speaker is unknown)."""

    id: str | None = None
    name: str | None = None
    userId: str | None = None
    email: str | None = None


class Polarity(Answer):
    score: float


class Sentiment(Answer):
    polarity: Polarity
    suggested: str


class Phrase(Answer):
    type: str
    text: str


class Word(Answer):
    word: str
    startTime: str
    endTime: str
    timeOffset: float
    duration: float
    score: float | None = Field(None, description="Recognition confidence, on audio and video conversations.")
    speakerTag: int | None = None


class Message(Answer):
    id: str
    text: str
    from_: Person = Field(alias="from")
    startTime: str
    endTime: str
    timeOffset: float
    duration: float
    conversationId: str
    phrases: list[Phrase]
    sentiment: Sentiment | None = None
    words: list[Word] | None = None


class MessagesResponse(Answer):
    messages: list[Message]
