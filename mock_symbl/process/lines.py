"""What a job processor produces: sentence-level message inputs, before they are stored."""

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
