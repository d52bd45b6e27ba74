"""Response schemas of the Management, Metric and telephony event routes for the OpenAPI document."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Doc(BaseModel):
    model_config = ConfigDict(extra="allow")


# --- Management API (rest.md §8), Metric (§7), Telephony events (§6.3)
class ManagedTracker(Doc):
    id: str
    name: str
    description: str | None = None
    categories: list[str] | None = None
    languages: list[str] | None = None
    vocabulary: list[str]
    createdOn: str | None = None
    updatedOn: str | None = None


class TrackerResponse(Doc):
    tracker: ManagedTracker


class TrackerList(Doc):
    trackers: list[ManagedTracker]


class Deleted(Doc):
    id: str
    type: str
    deleted: bool


class DeletedBySubType(Doc):
    subType: str
    type: str
    deleted: bool
    count: int


class ManagedEntity(Doc):
    id: str
    type: str
    subType: str
    category: str
    values: list[str]


class ManagedEntityResponse(Doc):
    entity: ManagedEntity


class ManagedEntityList(Doc):
    entities: list[ManagedEntity]


class Group(Doc):
    id: str
    name: str
    description: str | None = None
    criteria: str


class GroupResponse(Doc):
    group: Group


class GroupList(Doc):
    groups: list[Group]


class Criteria(Doc):
    id: str
    name: str
    description: str | None = None
    tags: list[str] = Field(default_factory=list)
    checklist: list[dict[str, Any]] = Field(default_factory=list)


class Scorecard(Doc):
    id: str
    name: str
    description: str | None = None
    tags: list[str] = Field(default_factory=list)
    criteriaList: list[str | dict[str, Any]] = Field(default_factory=list, description="Criteria ids.")


class SettingsResponse(Doc):
    settings: dict[str, Any]


class SettingsPatched(Doc):
    """The settings document after the patch, with its id."""

    id: str


class MetricResponse(Doc):
    metric: dict[str, Any]
    errors: list[Any] = Field(default_factory=list)


class MetricEntryResponse(Doc):
    metricEntry: dict[str, Any]
    errors: list[Any] = Field(default_factory=list)


class Empty(Doc):
    """An empty JSON object."""
