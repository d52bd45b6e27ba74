"""Wire models of the replay admin routes (POST /__admin/import)."""

from __future__ import annotations

from pydantic import BaseModel, Field


class FileRead(BaseModel):
    source: str = Field(description="The file, folder or upload as named in the request.")
    format: str | None = Field(description="vcrpy, go-vcr, polly, nock, har or folder; null if unreadable.")
    exchanges: int = Field(description="Recorded requests found in it.")
    error: str | None = Field(None, description="Why nothing of it was imported (malformed, truncated...).")


class ImportedConversation(BaseModel):
    conversationId: str
    account: str
    namespace: str
    jobIds: list[str]
    messages: int
    members: int
    recorded: list[str] = Field(
        description="Answer keys served verbatim (e.g. topics, messages?sentiment=true)."
    )
    derived: list[str] = Field(description="Resources not recorded, derived from the recorded messages.")
    replaced: bool = Field(description="The conversation was already there (same account) and was replaced.")
    sources: list[str]


class SkippedItem(BaseModel):
    source: str
    item: str = Field(description="The request (METHOD url) or conversation that was not imported.")
    reason: str


class ImportReport(BaseModel):
    account: str = Field(description='The account imported into ("*": every account).')
    namespace: str
    files: list[FileRead]
    imported: list[ImportedConversation]
    skipped: list[SkippedItem]
