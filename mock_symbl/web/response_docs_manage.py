"""Response schemas of the Management, Metric and telephony event routes for the OpenAPI document."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from mock_symbl.telephony.schemas import ConnectResponse


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


CRITERIA = "/v1/manage/callscore/criteria"
SCORECARDS = "/v1/manage/callscore/scorecards"

# (METHOD, path) -> the documented 2xx body of a route that does not declare its answer model yet.
MANAGE_DOCUMENTED: dict[tuple[str, str], Any] = {
    ("POST", "/v1/manage/tracker"): TrackerResponse,
    ("GET", "/v1/manage/tracker/{trackerId}"): TrackerResponse,
    ("PUT", "/v1/manage/tracker/{trackerId}"): TrackerResponse,
    ("DELETE", "/v1/manage/tracker/{trackerId}"): Deleted,
    ("GET", "/v1/manage/trackers"): TrackerList,
    ("POST", "/v1/manage/trackers"): TrackerResponse,
    ("POST", "/v1/manage/trackers/bulk"): TrackerList,
    ("GET", "/v1/manage/trackers/{trackerId}"): TrackerResponse,
    ("PATCH", "/v1/manage/trackers/{trackerId}"): TrackerResponse,
    ("DELETE", "/v1/manage/trackers/{trackerId}"): Deleted,
    ("POST", "/v1/manage/entities"): ManagedEntity,
    ("POST", "/v1/manage/entities/bulk"): ManagedEntityList,
    ("GET", "/v1/manage/entities"): ManagedEntityList,
    ("GET", "/v1/manage/entities/{entityId}"): ManagedEntity,
    ("PUT", "/v1/manage/entities/{entityId}"): ManagedEntityResponse,
    ("DELETE", "/v1/manage/entities"): DeletedBySubType,
    ("DELETE", "/v1/manage/entities/{entityId}"): Deleted,
    ("POST", "/v1/manage/group"): GroupResponse,
    ("POST", "/v1/manage/groups"): GroupList,
    ("GET", "/v1/manage/groups"): GroupList,
    ("GET", "/v1/manage/group/{groupId}"): GroupResponse,
    ("PUT", "/v1/manage/group/{groupId}"): GroupResponse,
    ("DELETE", "/v1/manage/group/{groupId}"): Deleted,
    ("POST", CRITERIA): Criteria,
    ("GET", CRITERIA): list[Criteria],
    ("GET", CRITERIA + "/{criteriaId}"): Criteria,
    ("PUT", CRITERIA + "/{criteriaId}"): Criteria,
    ("PATCH", CRITERIA + "/{criteriaId}"): Criteria,
    ("DELETE", CRITERIA + "/{criteriaId}"): Deleted,
    ("POST", SCORECARDS): Scorecard,
    ("GET", SCORECARDS): list[Scorecard],
    ("GET", SCORECARDS + "/{scorecardId}"): Scorecard,
    ("PUT", SCORECARDS + "/{scorecardId}"): Scorecard,
    ("PATCH", SCORECARDS + "/{scorecardId}"): Scorecard,
    ("DELETE", SCORECARDS + "/{scorecardId}"): Deleted,
    ("GET", "/v1/manage/settings"): SettingsResponse,
    ("PATCH", "/v1/manage/settings"): SettingsPatched,
    ("GET", "/v1/metric/{metricId}"): MetricResponse,
    ("POST", "/v1/metric/{metricId}/entry"): MetricEntryResponse,
    ("POST", "/v1/endpoint:connect"): ConnectResponse,
    ("POST", "/v1/event/{connectionId}"): Empty,
}
