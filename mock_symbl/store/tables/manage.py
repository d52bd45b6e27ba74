"""Management API tables: trackers, custom entities, groups, call-score criteria and scorecards, settings,
bookmarks and metric entries. List-valued fields are JSON text; every row has account + namespace."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel, col

from mock_symbl.store.tables.core import Conversation

# GET /v1/conversations (default sort: startTime, then id) reads a page straight off this index; without the
# id in the key SQLite sorts every conversation of the window to break start-time ties.
Index(
    "ix_conversations_tenant_start_id",
    col(Conversation.account),
    col(Conversation.namespace),
    col(Conversation.start_time),
    col(Conversation.id),
)
# GET /v1/conversations?sort=conversation.name walks this index instead of sorting the account's rows
# (id is the tie-breaker of every listing order, so it is part of the key).
Index(
    "ix_conversations_tenant_name",
    col(Conversation.account),
    col(Conversation.namespace),
    col(Conversation.name),
    col(Conversation.id),
)


class ManagedTracker(SQLModel, table=True):
    """An account tracker (both API generations read and write the same rows)."""

    __tablename__ = "manage_trackers"
    __table_args__ = (Index("ux_manage_trackers_name", "account", "namespace", "name", unique=True),)

    id: str = Field(primary_key=True)
    account: str = Field(index=True)
    namespace: str = ""
    name: str
    description: str | None = None
    categories_json: str = "[]"
    languages_json: str = '["en-US"]'
    vocabulary_json: str = "[]"
    exclude_vocabulary_json: str = "[]"
    created_at: datetime
    updated_at: datetime
    seq: int = 0


class ManagedEntity(SQLModel, table=True):
    __tablename__ = "manage_entities"
    __table_args__ = (
        Index("ux_manage_entities_type", "account", "namespace", "type", "sub_type", unique=True),
    )

    id: str = Field(primary_key=True)
    account: str = Field(index=True)
    namespace: str = ""
    type: str
    sub_type: str
    category: str = "Custom"
    values_json: str = "[]"
    seq: int = 0


class ConversationGroup(SQLModel, table=True):
    __tablename__ = "manage_groups"

    id: str = Field(primary_key=True)
    account: str = Field(index=True)
    namespace: str = ""
    name: str
    description: str | None = None
    criteria: str
    seq: int = 0


class CallScoreCriteria(SQLModel, table=True):
    __tablename__ = "manage_callscore_criteria"

    id: str = Field(primary_key=True)
    account: str = Field(index=True)
    namespace: str = ""
    name: str
    description: str | None = None
    tags_json: str = "[]"
    checklist_json: str = "[]"
    seq: int = 0


class Scorecard(SQLModel, table=True):
    __tablename__ = "manage_scorecards"

    id: str = Field(primary_key=True)
    account: str = Field(index=True)
    namespace: str = ""
    name: str
    description: str | None = None
    tags_json: str = "[]"
    criteria_list_json: str = "[]"
    seq: int = 0


class AccountSettings(SQLModel, table=True):
    """One settings document per tenant (GET/PATCH /v1/manage/settings)."""

    __tablename__ = "manage_settings"

    account: str = Field(primary_key=True)
    namespace: str = Field(default="", primary_key=True)
    id: str
    settings_json: str = "{}"


class Bookmark(SQLModel, table=True):
    __tablename__ = "bookmarks"
    __table_args__ = (Index("ix_bookmarks_conversation", "conversation_id", "seq"),)

    id: str = Field(primary_key=True)
    account: str
    namespace: str = ""
    conversation_id: str
    label: str | None = None
    description: str | None = None
    user_json: str = "{}"
    begin_time_offset: float | None = None
    duration: float | None = None
    message_ids_json: str = "[]"
    seq: int = 0
    created_at: datetime


class MetricEntry(SQLModel, table=True):
    __tablename__ = "metric_entries"
    __table_args__ = (Index("ix_metric_entries_metric", "account", "namespace", "metric_id"),)

    id: str = Field(primary_key=True)
    account: str
    namespace: str = ""
    metric_id: str
    value: float | None = None
    value_string: str | None = None
    labels_json: str = "[]"
    identity_id: str | None = None
    timestamp: datetime
