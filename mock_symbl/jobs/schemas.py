"""Wire format of the Job API (rest.md §4), as the Go SDK's `JobStatus` reads it."""

from __future__ import annotations

from pydantic import Field

from mock_symbl.wire import Answer


class JobResponse(Answer):
    id: str
    status: str = Field(description="scheduled | in_progress | completed | failed")
