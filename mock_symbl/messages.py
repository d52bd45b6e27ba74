"""The message values every layer shares: what a job produces (MessageInput), what is stored and what the
insights engine reads (Message, Speaker). Pure: they import nothing, so store/ and the engine both can."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class MessageInput:
    """One sentence to append; without start/end it is placed after the conversation's last message."""

    text: str
    speaker_name: str | None = None
    speaker_email: str | None = None
    speaker_user_id: str | None = None
    start: datetime | None = None
    end: datetime | None = None


@dataclass(frozen=True)
class Speaker:
    """Who said a message; `id` is the member id (a UUID string)."""

    id: str
    name: str | None = None
    user_id: str | None = None
    email: str | None = None


@dataclass(frozen=True)
class Message:
    """One sentence-level message of a conversation, as stored."""

    id: str
    seq: int  # position in the conversation, 0-based, stable across appends
    text: str
    start: datetime
    end: datetime
    time_offset: float  # seconds from the conversation start
    duration: float  # seconds
    speaker: Speaker | None = None
    conversation_id: str = ""
