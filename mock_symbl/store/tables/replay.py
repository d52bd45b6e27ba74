"""Answers imported from recorded Symbl traffic, served verbatim until a write makes them stale."""

from __future__ import annotations

from sqlmodel import Field, SQLModel


class RecordedAnswer(SQLModel, table=True):
    __tablename__ = "recorded_answers"

    conversation_id: str = Field(primary_key=True)
    key: str = Field(primary_key=True)  # "topics", "messages?sentiment=true" (replay.routes.answer_key)
    account: str
    namespace: str = ""
    body_json: str
