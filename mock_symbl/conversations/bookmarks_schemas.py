"""Wire format of the bookmark routes (rest.md §5.23), typed as the Go SDK's `Bookmark` reads them."""

from __future__ import annotations

from pydantic import Field

from mock_symbl.conversations.insights_schemas import MessageRef
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
