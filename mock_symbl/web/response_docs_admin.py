"""Response schemas of the control plane's routes (/__admin) for the OpenAPI document (documentation only)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Doc(BaseModel):
    model_config = ConfigDict(extra="allow")


class Health(Doc):
    status: str
    version: str


class Ready(Doc):
    status: str = Field(..., description="ready | not ready (503)")
    checks: dict[str, bool]


class Config(Doc):
    version: str
    settings: dict[str, Any]


class Seed(Doc):
    seed: int | None


class Reset(Doc):
    reset: str | dict[str, Any]  # "all", or the {account, namespace} that was reset
    deleted: dict[str, int] = Field(default_factory=dict)


class AdminJob(Doc):
    id: str
    status: str
    conversationId: str
    kind: str
    account: str
    namespace: str
    progression: str
    createdAt: str
    updatedAt: str
    error: str | None = None
    webhookUrl: str | None = None


class AdminJobList(Doc):
    jobs: list[AdminJob]


class Steps(Doc):
    steps: int


class ClockState(Doc):
    now: str
    epoch: float
    frozen: bool
    jobSteps: int | None = None


class Fault(Doc):
    id: str
    effect: dict[str, Any]
    path: str | None = None
    method: str | None = None
    probability: float | None = None
    fired: int | None = None


class FaultList(Doc):
    faults: list[Fault]


class JournalEntry(Doc):
    id: int | None = None
    time: str | None = None
    method: str
    path: str
    query: str | None = None
    status: int | None = None
    account: str | None = None
    namespace: str = ""
    latency_ms: float = 0.0
    matched: bool = True
    nearest_route: str | None = None


class JournalList(Doc):
    requests: list[JournalEntry]
    count: int | None = None


class Count(Doc):
    count: int


class Removed(Doc):
    removed: int


class Results(Doc):
    results: list[dict[str, Any]]


class QueuedResult(Doc):
    queued: int
    result: dict[str, Any]


class Imported(Doc):
    imported: dict[str, int]


class Snapshot(Doc):
    format: str
    version: int
    schemaVersion: str
    createdAt: str
    tables: dict[str, list[dict[str, Any]]]


class Delivery(Doc):
    id: int
    jobId: str
    status: str
    url: str
    attempt: int
    delivered: bool
    attemptedAt: str
    statusCode: int | None = None
    error: str | None = None
    body: dict[str, Any] | None = None


class DeliveryList(Doc):
    deliveries: list[Delivery]


class Redelivery(Doc):
    redelivering: int
    jobId: str
    status: str
    url: str


ADMIN_DOCUMENTED: dict[tuple[str, str], Any] = {
    ("GET", "/__admin/health"): Health,
    ("GET", "/__admin/ready"): Ready,
    ("GET", "/__admin/config"): Config,
    ("GET", "/__admin/seed"): Seed,
    ("POST", "/__admin/seed"): Seed,
    ("POST", "/__admin/reset"): Reset,
    ("GET", "/__admin/jobs"): AdminJobList,
    ("GET", "/__admin/jobs/{jobId}"): AdminJob,
    ("PATCH", "/__admin/jobs/{jobId}"): AdminJob,
    ("POST", "/__admin/jobs/{jobId}/advance"): AdminJob,
    ("POST", "/__admin/jobs/{jobId}/fail"): AdminJob,
    ("POST", "/__admin/jobs/advance"): Steps,
    ("GET", "/__admin/clock"): ClockState,
    ("POST", "/__admin/clock/freeze"): ClockState,
    ("POST", "/__admin/clock/advance"): ClockState,
    ("POST", "/__admin/clock/resume"): ClockState,
    ("POST", "/__admin/clock/reset"): ClockState,
    ("GET", "/__admin/faults"): FaultList,
    ("POST", "/__admin/faults"): Fault,
    ("DELETE", "/__admin/faults"): Removed,
    ("DELETE", "/__admin/faults/{faultId}"): Removed,
    ("GET", "/__admin/requests"): JournalList,
    ("GET", "/__admin/requests/count"): Count,
    ("GET", "/__admin/requests/unmatched"): JournalList,
    ("DELETE", "/__admin/requests"): Removed,
    ("POST", "/__admin/results"): QueuedResult,
    ("GET", "/__admin/results"): Results,
    ("DELETE", "/__admin/results"): Results,
    ("GET", "/__admin/snapshot"): Snapshot,
    ("POST", "/__admin/snapshot"): Snapshot,
    ("PUT", "/__admin/snapshot"): Imported,
    ("GET", "/__admin/webhooks"): DeliveryList,
    ("POST", "/__admin/webhooks/{deliveryId}/redeliver"): Redelivery,
}
