"""Bookmark routes under /v1/conversations/{conversationId} (rest.md §5.23)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

from mock_symbl.conversations import bookmarks_service as bookmarks
from mock_symbl.conversations.bookmarks_schemas import (
    Bookmark,
    BookmarkList,
    BookmarkRequest,
    BookmarksSummary,
    BookmarkSummary,
    BookmarkWithList,
)
from mock_symbl.deps import ServicesDep, SessionDep, TenantDep
from mock_symbl.wire import CappedJsonRoute

router = APIRouter(
    prefix="/v1/conversations/{conversationId}",
    tags=["Conversation API: bookmarks"],
    route_class=CappedJsonRoute,
)


@router.post("/bookmarks", response_model=Bookmark)
def create_bookmark(
    conversationId: str, body: BookmarkRequest, tenant: TenantDep, services: ServicesDep, session: SessionDep
) -> dict[str, Any]:
    """Create a bookmark from a time window or a run of message ids."""
    return bookmarks.create_many(services, session, tenant, conversationId, bodies=[body])[0]


@router.post("/bookmarks/bulk", response_model=BookmarkList)
def create_bookmarks(
    conversationId: str,
    body: list[BookmarkRequest],
    tenant: TenantDep,
    services: ServicesDep,
    session: SessionDep,
) -> dict[str, Any]:
    """Create several bookmarks (array body); all or nothing."""
    return {"bookmarks": bookmarks.create_many(services, session, tenant, conversationId, bodies=body)}


@router.get("/bookmarks", response_model=BookmarkList)
def list_bookmarks(conversationId: str, tenant: TenantDep, session: SessionDep) -> dict[str, Any]:
    """All bookmarks of the conversation."""
    return {"bookmarks": bookmarks.list_all(session, tenant, conversationId)}


@router.get("/bookmarks-summary", response_model=BookmarksSummary)
def bookmarks_summary(
    conversationId: str, request: Request, tenant: TenantDep, session: SessionDep
) -> dict[str, Any]:
    """Summaries of every bookmark (optionally only `bookmarkIds`, repeated or comma-separated)."""
    ids: list[str] = []
    for name in ("bookmarkIds", "bookmarkId"):
        for value in request.query_params.getlist(name):
            ids.extend(part.strip() for part in value.split(",") if part.strip())
    return {"bookmarksSummary": bookmarks.summaries(session, tenant, conversationId, ids)}


@router.get("/bookmarks/{bookmarkId}", response_model=BookmarkWithList)
def get_bookmark(
    conversationId: str, bookmarkId: str, tenant: TenantDep, session: SessionDep
) -> dict[str, Any]:
    """One bookmark. Docs show the bare object, the Go SDK reads `bookmarks[]`; both are present."""
    found = bookmarks.get(session, tenant, conversationId, bookmarkId)
    return {**found, "bookmarks": [found]}


@router.put("/bookmarks/{bookmarkId}", response_model=Bookmark)
def update_bookmark(
    conversationId: str, bookmarkId: str, body: BookmarkRequest, tenant: TenantDep, session: SessionDep
) -> dict[str, Any]:
    """Replace a bookmark (omitted fields are cleared)."""
    return bookmarks.update(session, tenant, conversationId, bookmarkId, body=body)


@router.delete("/bookmarks/{bookmarkId}", status_code=204)
def delete_bookmark(conversationId: str, bookmarkId: str, tenant: TenantDep, session: SessionDep) -> Response:
    """Delete a bookmark: 204, no body."""
    bookmarks.delete(session, tenant, conversationId, bookmarkId)
    return Response(status_code=204)


@router.get("/bookmarks/{bookmarkId}/summary", response_model=BookmarkSummary)
def bookmark_summary(
    conversationId: str, bookmarkId: str, tenant: TenantDep, session: SessionDep
) -> dict[str, Any]:
    """A summary of the bookmark's messages."""
    return {"summary": bookmarks.summary(session, tenant, conversationId, bookmarkId)}
