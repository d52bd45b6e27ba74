"""Wire format of the control plane (/__admin): every request body and answer, validated at runtime."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

from mock_symbl.admin.patterns import PatternError, check_path
from mock_symbl.clock import parse_iso
from mock_symbl.errors import rule_violation
from mock_symbl.job_lifecycle import JobStatus, Progression
from mock_symbl.wire import Answer

MAX_SAFE = 2**53 - 1  # numbers a JSON client can hold exactly (Joi's safe integers)

# ---------------------------------------------------------------- probes, config, seed, reset


class Health(Answer):
    status: Literal["ok"]
    version: str


class Ready(Answer):
    status: Literal["ready", "not ready"] = Field(..., description="not ready answers 503.")
    checks: dict[str, bool]


class Config(Answer):
    version: str
    settings: dict[str, Any] = Field(..., description="The effective settings, secrets masked.")


class SeedRequest(BaseModel):
    seed: int | None = None


class Seed(Answer):
    seed: int | None


class ResetScope(Answer):
    account: str | None
    namespace: str | None


class Reset(Answer):
    reset: Literal["all"] | ResetScope
    deleted: dict[str, int] = Field(..., description="Rows deleted per table (tables with none left out).")


# ---------------------------------------------------------------- jobs


class AdminJob(Answer):
    id: str
    status: str
    conversationId: str
    kind: str
    account: str
    namespace: str
    progression: str
    stepSeconds: float
    polls: int
    dueAt: float = Field(..., description="Clock seconds when the next step is due (time progression).")
    forcedOutcome: str | None
    error: str | None
    webhookUrl: str | None
    createdAt: str
    updatedAt: str


class AdminJobList(Answer):
    jobs: list[AdminJob]


class JobPatch(BaseModel):
    progression: Progression | None = None
    stepSeconds: float | None = Field(None, ge=0)
    forcedOutcome: Literal[JobStatus.FAILED] | None = None


class FailRequest(BaseModel):
    reason: str | None = None


class Steps(Answer):
    steps: int


# ---------------------------------------------------------------- clock


# The last instant a datetime can show (9999-12-31T23:59:59Z): beyond it every timestamp raised a 500.
MAX_EPOCH_SECONDS = 253402300799.0


def _instant(value: Any) -> Any:
    """An ISO-8601 instant as epoch seconds; either form must keep the clock between 1970 and 9999."""
    if isinstance(value, str):
        try:
            value = parse_iso(value).timestamp()
        except ValueError:
            raise rule_violation('"at" must be an ISO-8601 instant or epoch seconds') from None
    if isinstance(value, int | float) and not isinstance(value, bool) and not 0 <= value <= MAX_EPOCH_SECONDS:
        raise rule_violation('"at" must keep the clock between 1970 and 9999')
    return value


class FreezeRequest(BaseModel):
    at: Annotated[float | None, BeforeValidator(_instant)] = Field(
        None, description="ISO-8601 instant or epoch seconds; default: now."
    )


class AdvanceRequest(BaseModel):
    seconds: float = Field(..., ge=0, allow_inf_nan=False, description="Seconds to move the clock forward.")


class ClockState(Answer):
    now: str
    epoch: float
    frozen: bool
    jobSteps: int | None = Field(None, description="Only from /clock/advance: job steps taken on the way.")


# ---------------------------------------------------------------- faults


class FaultRequest(BaseModel):
    id: str | None = Field(None, description="Rule id (default: fault-N).")
    method: str | None = Field(None, description="HTTP method to match (default: any).")
    path: str | None = Field(
        None, description="Path glob (/v1/conversations/*) or `re:` regex (default: any)."
    )
    account: str | None = Field(None, description="Only requests of this account (app id).")
    namespace: str | None = Field(None, description="Only requests with this X-Mock-Namespace.")
    count: int | None = Field(None, ge=1, description="Fire this many times, then retire (default: forever).")
    probability: float = Field(1.0, ge=0, le=1, description="Chance to fire on a match (seeded).")
    seed: int | None = Field(None, description="Seed for this rule's probability draws.")
    status: int | None = Field(
        None, ge=100, le=599, description="Answer this status with Symbl's error body."
    )
    body: dict[str, Any] | None = Field(None, description="Body to answer instead of Symbl's.")
    latency_ms: float = Field(
        0, ge=0, le=600_000, description="Delay before answering (alone or with another effect)."
    )
    drop: bool = Field(False, description="Drop the connection before a complete response.")
    ws_close: int | None = Field(
        None, ge=1000, le=4999, description="Close matching WebSockets with this code."
    )
    after_messages: int = Field(
        0, ge=0, description="WebSocket: server messages let through before the close."
    )

    @field_validator("path")
    @classmethod
    def _valid_path(cls, value: str | None) -> str | None:
        try:
            return check_path(value)  # compiled now (RE2), so a bad pattern never reaches a request
        except PatternError as exc:
            raise rule_violation(f'"path" is invalid: {exc}') from None

    @model_validator(mode="after")
    def _one_effect(self) -> FaultRequest:
        if self.status is None and not self.drop and self.ws_close is None and not self.latency_ms:
            raise rule_violation("A fault needs an effect: status, latency_ms, drop or ws_close.")
        return self


class FaultEffect(Answer):
    status: int | None
    body: dict[str, Any] | None
    latency_ms: float
    drop: bool
    ws_close: int | None
    after_messages: int


class Fault(Answer):
    id: str
    method: str | None
    path: str | None
    account: str | None
    namespace: str | None
    remaining: int | None = Field(..., description="Firings left; null: unlimited.")
    probability: float
    seed: int | None
    fired: int
    effect: FaultEffect


class FaultList(Answer):
    faults: list[Fault]


class Removed(Answer):
    removed: int


# ---------------------------------------------------------------- journal


class JournalFilter(BaseModel):
    """Filters of the request journal (query parameters)."""

    method: str | None = None
    path: str | None = Field(None, description="Exact path, glob (/v1/job/*) or `re:` regex.")
    status: int | None = Field(None, ge=100, le=599)
    account: str | None = None
    namespace: str | None = None
    unmatched: bool | None = Field(None, description="true: only requests no route matched.")
    since: int | None = Field(None, ge=0, le=MAX_SAFE, description="Only entries with a larger id.")

    @field_validator("path")
    @classmethod
    def _valid_path(cls, value: str | None) -> str | None:
        try:
            return check_path(value)
        except PatternError as exc:
            raise rule_violation(f'"path" is invalid: {exc}') from None


class JournalQuery(JournalFilter):
    limit: int | None = Field(None, ge=1, le=MAX_SAFE, description="The newest N matching entries.")


class JournalEntry(Answer):
    id: int
    time: str = Field(..., description="The mock clock's ISO time when the request arrived.")
    method: str
    path: str
    query: str
    status: int | None
    account: str | None
    namespace: str
    latency_ms: float
    request_headers: dict[str, str]
    request_body: str
    request_body_truncated: bool
    request_bytes: int
    response_body: str
    matched: bool
    nearest_route: str | None
    fault: str | None
    websocket: bool


class JournalList(Answer):
    requests: list[JournalEntry]
    count: int


class UnmatchedRequest(Answer):
    id: int
    method: str
    path: str
    status: int | None
    nearestRoute: str | None


class UnmatchedList(Answer):
    requests: list[UnmatchedRequest]


class Count(Answer):
    count: int


# ---------------------------------------------------------------- scripted results


class LineIn(BaseModel):
    text: str = Field(..., min_length=1)
    speaker: str | None = None
    email: str | None = None


class ResultRequest(BaseModel):
    account: str = Field(..., min_length=1, description="The account (app id) whose next job this scripts.")
    namespace: str = Field("", description="The namespace of that job.")
    lines: list[LineIn] = Field(default_factory=list, description="The transcript the job produces.")
    fixture: str | None = Field(None, description="Or: the name of a transcript fixture.")
    outcome: Literal[JobStatus.COMPLETED, JobStatus.FAILED] = JobStatus.COMPLETED
    reason: str | None = Field(None, description="The failure reason (outcome failed).")

    @model_validator(mode="after")
    def _something_to_say(self) -> ResultRequest:
        if self.outcome == JobStatus.COMPLETED and not self.lines and not self.fixture:
            raise rule_violation('A completed result needs "lines" or "fixture".')
        return self


class ScriptedLine(Answer):
    text: str
    speaker: str | None
    email: str | None


class ScriptedResult(Answer):
    account: str
    namespace: str
    lines: list[ScriptedLine]
    fixture: str | None
    outcome: Literal[JobStatus.COMPLETED, JobStatus.FAILED]
    reason: str | None


class Results(Answer):
    results: list[ScriptedResult]


class QueuedResult(Answer):
    queued: int = Field(..., description="The result's place in its tenant's queue (1: the next job).")
    result: ScriptedResult


# ---------------------------------------------------------------- snapshots


class SnapshotScope(Answer):
    account: str | None
    namespace: str | None


class Snapshot(Answer):
    format: str
    version: int
    schemaVersion: str
    mockSymblVersion: str
    createdAt: str
    scope: SnapshotScope
    tables: dict[str, list[dict[str, Any]]]


class SnapshotIn(BaseModel):
    """PUT /__admin/snapshot: a document from GET /__admin/snapshot; format, version and schema are checked."""

    model_config = ConfigDict(extra="allow")

    format: str
    version: int
    schemaVersion: str
    tables: dict[str, list[dict[str, Any]]]

    @model_validator(mode="before")
    @classmethod
    def _compatible(cls, data: Any) -> Any:
        # Imported here: the snapshot format loads the store, and the probes import this module at boot.
        from mock_symbl.admin.snapshot_format import IncompatibleSnapshot, check_snapshot

        try:
            check_snapshot(data)
        except IncompatibleSnapshot as exc:
            raise rule_violation(f"Incompatible snapshot: {exc}") from None
        return {**data, "schemaVersion": str(data["schemaVersion"])}


class Imported(Answer):
    imported: dict[str, int] = Field(..., description="Rows imported per table.")


# ---------------------------------------------------------------- webhook deliveries


class Delivery(Answer):
    id: int
    account: str
    namespace: str
    jobId: str
    conversationId: str | None
    status: str
    url: str
    body: dict[str, Any]
    attempt: int
    statusCode: int | None
    error: str | None
    delivered: bool
    durationMs: float
    attemptedAt: str


class DeliveryList(Answer):
    deliveries: list[Delivery]


class Redelivery(Answer):
    redelivering: int
    jobId: str
    status: str
    url: str


# ---------------------------------------------------------------- recorded traffic (replay)


class FileRead(Answer):
    source: str = Field(description="The file, folder or upload as named in the request.")
    format: str | None = Field(description="vcrpy, go-vcr, polly, nock, har or folder; null if unreadable.")
    exchanges: int = Field(description="Recorded requests found in it.")
    error: str | None = Field(description="Why nothing of it was imported (malformed, truncated...).")


class ImportedConversation(Answer):
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


class SkippedItem(Answer):
    source: str
    item: str = Field(description="The request (METHOD url) or conversation that was not imported.")
    reason: str


class ImportReport(Answer):
    account: str = Field(description='The account imported into ("*": every account).')
    namespace: str
    files: list[FileRead]
    imported: list[ImportedConversation]
    skipped: list[SkippedItem]


class HarExport(Answer):
    """GET /__admin/export?format=har (vcrpy and folder exports are YAML and zip downloads)."""

    log: dict[str, Any] = Field(description="HAR 1.2: version, creator and entries (one per recorded call).")
