"""Wire format of the bookmark routes (rest.md §5.23): bodies checked as Symbl's Joi validation did (strict
types, unknown keys refused), answers typed as the Go SDK's `Bookmark` reads them."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from mock_symbl.conversations.insights_schemas import MessageRef
from mock_symbl.errors import rule_violation
from mock_symbl.wire import Answer


class BookmarkUser(Answer):
    name: str | None = None
    userId: str | None = None
    email: str | None = None


class Bookmark(Answer):
    id: str
    label: str | None = None
    description: str | None = None
    user: BookmarkUser | None = None
    beginTimeOffset: int | None = Field(None, description="Whole seconds from the conversation start.")
    duration: int | None = Field(None, description="Whole seconds.")
    messageRefs: list[MessageRef] = Field(default_factory=list)


class BookmarkWithList(Bookmark):
    """GET by id: the docs show the bare object, the Go SDK reads `bookmarks[]`; both are present."""

    bookmarks: list[Bookmark]


class BookmarkList(Answer):
    bookmarks: list[Bookmark]


class BookmarkReference(Answer):
    id: str


class BookmarkSummaryItem(Answer):
    id: str
    text: str
    messageRefs: list[MessageRef] = Field(default_factory=list)
    startTime: str | None = None
    endTime: str | None = None
    bookmarkReference: BookmarkReference


class BookmarkSummary(Answer):
    summary: list[BookmarkSummaryItem]


class BookmarkSummaries(Answer):
    bookmarkId: str
    summary: list[BookmarkSummaryItem]


class BookmarksSummary(Answer):
    bookmarksSummary: list[BookmarkSummaries]


# --- request bodies


class _In(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")


class BookmarkUserIn(_In):
    """The create guide spells the user's id `userId`, the update guide `id`: both are accepted."""

    id: str | None = None
    name: str | None = None
    userId: str | None = None
    email: str | None = None


class MessageRefIn(BaseModel):
    # A ref as the answers show it ({id, startTime, text, ...}): only its id is read.
    model_config = ConfigDict(strict=True, extra="ignore")

    id: str = Field(min_length=1)


class BookmarkRequest(_In):
    """Body of POST .../bookmarks, each item of POST .../bookmarks/bulk, and PUT .../bookmarks/{id}.

    A window (`beginTimeOffset` + `duration`, seconds) or a run of sequential `messageRefs`; which one, and
    the account's default duration, are decided by the service (they need the conversation).
    """

    id: str | None = None
    label: str | None = None
    description: str
    user: BookmarkUserIn | None = None
    beginTimeOffset: float | None = None
    duration: float | None = None
    messageRefs: list[MessageRefIn] | None = None

    @field_validator("description")
    @classmethod
    def _not_empty(cls, value: str) -> str:
        if not value.strip():
            raise rule_violation('"description" is not allowed to be empty')
        return value

    @field_validator("beginTimeOffset", "duration")
    @classmethod
    def _seconds(cls, value: float | None, info: ValidationInfo) -> float | None:
        if value is None:
            return None
        if info.field_name == "duration" and value <= 0:
            raise rule_violation('"duration" must be greater than 0')
        if value < 0:
            raise rule_violation(f'"{info.field_name}" must be greater than or equal to 0')
        return value

    @field_validator("messageRefs", mode="before")
    @classmethod
    def _bare_ids(cls, value: Any) -> Any:
        # A ref may be given as its bare id string.
        if isinstance(value, list):
            return [{"id": ref} if isinstance(ref, str) else ref for ref in value]
        return value
