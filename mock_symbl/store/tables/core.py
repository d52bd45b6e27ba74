"""Core tables: conversations, their members and messages, jobs, stored insights, tokens."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from mock_symbl.job_lifecycle import JobStatus


class MetaEntry(SQLModel, table=True):
    """Key/value facts about the database itself (schema version)."""

    __tablename__ = "meta"
    key: str = Field(primary_key=True)
    value: str


class Conversation(SQLModel, table=True):
    __tablename__ = "conversations"
    __table_args__ = (Index("ix_conversations_tenant_start", "account", "namespace", "start_time"),)

    id: str = Field(primary_key=True)
    account: str = Field(index=True)
    namespace: str = Field(default="")
    type: str = "meeting"
    name: str = ""
    source: str = "text"  # text | audio | video | streaming | telephony
    status: str = JobStatus.SCHEDULED  # status of the latest job (in_progress reads: summary 404)
    start_time: datetime
    end_time: datetime
    created_at: datetime
    metadata_json: str = "{}"
    options_json: str = "{}"  # insight options of the latest job (trackers, entities, thresholds...)
    media_url: str | None = None
    message_count: int = 0


class Member(SQLModel, table=True):
    __tablename__ = "members"
    __table_args__ = (Index("ix_members_conversation", "conversation_id"),)

    id: str = Field(primary_key=True)
    conversation_id: str
    account: str
    namespace: str = ""
    name: str | None = None
    email: str | None = None
    user_id: str | None = None
    seq: int = 0


class Message(SQLModel, table=True):
    __tablename__ = "messages"
    __table_args__ = (Index("ix_messages_conversation_seq", "conversation_id", "seq", unique=True),)

    id: str = Field(primary_key=True)
    conversation_id: str
    account: str
    namespace: str = ""
    seq: int
    text: str
    member_id: str | None = None
    speaker_name: str | None = None
    speaker_email: str | None = None
    speaker_user_id: str | None = None
    start_time: datetime
    end_time: datetime
    time_offset: float
    duration: float


class Job(SQLModel, table=True):
    __tablename__ = "jobs"
    __table_args__ = (
        Index("ix_jobs_unfinished", "status", "due_at"),
        Index("ix_jobs_tenant", "account", "namespace", "status"),
        Index("ix_jobs_conversation", "conversation_id", "created_seq"),
    )

    id: str = Field(primary_key=True)
    account: str
    namespace: str = ""
    conversation_id: str
    kind: str  # text | audio | audio_url | video | video_url
    status: str = JobStatus.SCHEDULED
    request_json: str = "{}"
    webhook_url: str | None = None
    progression: str = "time"
    step_seconds: float = 0.0
    polls: int = 0
    created_seq: int = 0  # submission order, so appends to one conversation run in order
    created_at: datetime
    updated_at: datetime
    due_at: float = 0.0  # clock seconds when the next step is due (time progression)
    error: str | None = None
    forced_outcome: str | None = None  # "failed" when a test scripted the outcome


class InsightSet(SQLModel, table=True):
    __tablename__ = "insight_sets"

    conversation_id: str = Field(primary_key=True)
    account: str
    namespace: str = ""
    bundle_json: str
    computed_at: datetime


class RevokedToken(SQLModel, table=True):
    __tablename__ = "revoked_tokens"

    jti: str = Field(primary_key=True)
    account: str
    revoked_at: datetime
