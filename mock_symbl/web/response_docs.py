"""Response schemas for the OpenAPI document of routes that return plain dicts (documentation only).

build_openapi uses DOCUMENTED[(method, path)] for a route whose own 2xx schema says nothing (a route that
declares a response_model keeps its own). Nothing here filters or validates a response at run time; fields that
are not always present are optional. tests/test_openapi.py checks every entry names a real route.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from mock_symbl.conversations.schemas import ConversationOut
from mock_symbl.web.schemas import ExperienceResponse


class Doc(BaseModel):
    model_config = ConfigDict(extra="allow")


# --- conversation insights (rest.md §5.9–5.22)
class Person(Doc):
    id: str | None = None
    name: str | None = None
    userId: str | None = None
    email: str | None = None


class Insight(Doc):
    id: str
    text: str
    type: str = Field(..., description="question | action_item | follow_up")
    score: float | None = None
    messageIds: list[str] = Field(default_factory=list)
    from_: Person | None = Field(None, alias="from")
    assignee: Person | None = None
    dueBy: str | None = None
    definitive: bool | None = None
    entities: list[dict[str, Any]] = Field(default_factory=list)
    phrases: list[Any] = Field(default_factory=list)


class InsightsList(Doc):
    insights: list[Insight]


class QuestionsList(Doc):
    questions: list[Insight]


class ActionItemsList(Doc):
    actionItems: list[Insight]


class FollowUpsList(Doc):
    followUps: list[Insight]


class Topic(Doc):
    id: str
    text: str
    type: str
    score: float
    messageIds: list[str]
    sentiment: dict[str, Any] | None = None
    parentRefs: list[dict[str, Any]] | None = None


class TopicsList(Doc):
    topics: list[Topic]


class AbstractTopicsList(Doc):
    abstractTopics: list[Topic]


class MessageRef(Doc):
    id: str
    text: str | None = None
    offset: int | None = None
    startTime: str | None = None
    endTime: str | None = None


class EntityMatch(Doc):
    detectedValue: str
    messageRefs: list[MessageRef]


class Entity(Doc):
    """2023 shape (type, subType, category, matches) or, with entities_format=2022, (type, value, text, messageRefs)."""

    type: str
    id: str | None = None
    subType: str | None = None
    category: str | None = None
    matches: list[EntityMatch] | None = None
    value: str | None = None
    text: str | None = None
    customType: str | None = None
    messageRefs: list[MessageRef] | None = None


class EntitiesList(Doc):
    entities: list[Entity]


class Metric(Doc):
    type: str
    percent: float
    seconds: float


class MemberAnalytics(Doc):
    id: str | None = None
    name: str
    userId: str | None = None
    pace: dict[str, float]
    talkTime: dict[str, float]
    listenTime: dict[str, float]
    overlap: dict[str, Any]


class Analytics(Doc):
    metrics: list[Metric]
    members: list[MemberAnalytics]


class TrackerMatch(Doc):
    type: str
    value: str
    messageRefs: list[MessageRef]
    insightRefs: list[dict[str, Any]] = Field(default_factory=list)


class DetectedTracker(Doc):
    id: str | None = None
    name: str
    matches: list[TrackerMatch]


class Intent(Doc):
    id: str
    text: str
    type: str
    intent: str
    score: float
    messageIds: list[str]
    alternatives: list[dict[str, Any]] = Field(default_factory=list)
    entities: list[dict[str, Any]] = Field(default_factory=list)


class IntentsList(Doc):
    intents: list[Intent]


class SummaryItem(Doc):
    id: str
    text: str
    messageRefs: list[MessageRef]


class SummaryList(Doc):
    summary: list[SummaryItem]


class Transcript(Doc):
    payload: str
    contentType: str


class TranscriptResponse(Doc):
    transcript: Transcript


class CriterionScore(Doc):
    name: str
    score: float
    summary: str | None = None
    feedback: dict[str, Any] | None = None


class CallScore(Doc):
    score: float
    summary: str
    criteria: list[CriterionScore]


class StatusResponse(Doc):
    status: str = Field(..., description="scheduled | in_progress | completed | failed")
    jobId: str | None = None


class LmInsight(Doc):
    meetingName: str
    videoUrl: str | None = None
    attendees: list[Person] = Field(default_factory=list)
    callNextSteps: dict[str, Any] | None = None
    callQuestionAndAnswers: dict[str, Any] | None = None
    callScore: dict[str, Any] | None = None
    callSentiment: dict[str, Any] | None = None
    callSummary: dict[str, Any] | None = None


class Message(Doc):
    message: str


class ConversationList(Doc):
    conversations: list[ConversationOut]


class Bookmark(Doc):
    id: str
    label: str | None = None
    description: str | None = None
    user: Person | None = None
    beginTimeOffset: float | None = None
    duration: float | None = None
    messageRefs: list[MessageRef] = Field(default_factory=list)


class BookmarkList(Doc):
    bookmarks: list[Bookmark]


class BookmarkSummaryItem(Doc):
    id: str | None = None
    text: str
    messageRefs: list[MessageRef] = Field(default_factory=list)
    startTime: str | None = None
    endTime: str | None = None
    bookmarkReference: dict[str, Any] | None = None


class BookmarkSummary(Doc):
    summary: list[BookmarkSummaryItem]


class BookmarksSummary(Doc):
    bookmarksSummary: list[dict[str, Any]]


def request_models() -> dict[tuple[str, str], Any]:
    """Request bodies of routes that read a raw body and validate it themselves (documentation only)."""
    try:
        from mock_symbl.conversations import insights_router as insights
    except ImportError:  # the insights routes are not installed
        return {}
    wanted = {
        "/transcript": "TranscriptRequest",
        "/members/{memberId}": "MemberUpdate",
        "/speakers": "SpeakerEvents",
    }
    methods = {"/transcript": "POST", "/members/{memberId}": "PUT", "/speakers": "PUT"}
    return {
        (methods[suffix], CONV + suffix): getattr(insights, name)
        for suffix, name in wanted.items()
        if getattr(insights, name, None) is not None
    }


CONV = "/v1/conversations/{conversationId}"
BOOKMARK = CONV + "/bookmarks/{bookmarkId}"

# (METHOD, path) -> the documented 2xx body; list[...] entries document JSON arrays.
DOCUMENTED: dict[tuple[str, str], Any] = {
    ("GET", "/v1/conversations"): ConversationList,
    ("GET", "/v1/groups/{groupId}/conversations"): ConversationList,
    ("GET", CONV + "/insights"): InsightsList,
    ("GET", CONV + "/questions"): QuestionsList,
    ("GET", CONV + "/action-items"): ActionItemsList,
    ("GET", CONV + "/follow-ups"): FollowUpsList,
    ("GET", CONV + "/topics"): TopicsList,
    ("GET", CONV + "/entities"): EntitiesList,
    ("GET", CONV + "/analytics"): Analytics,
    ("GET", CONV + "/trackers"): list[DetectedTracker],
    ("GET", CONV + "/trackers-detected"): list[DetectedTracker],
    ("GET", CONV + "/intents"): IntentsList,
    ("GET", CONV + "/summary"): SummaryList,
    ("POST", CONV + "/summary"): SummaryList | ExperienceResponse,  # the latter for a body with `name`
    ("POST", CONV + "/transcript"): TranscriptResponse,
    ("GET", CONV + "/callscore"): CallScore,
    ("GET", CONV + "/callscore/status"): StatusResponse,
    ("GET", CONV + "/lm-insights"): list[LmInsight],
    ("GET", CONV + "/lm-insights/status"): StatusResponse,
    ("PUT", CONV + "/members/{memberId}"): Message,
    ("PUT", CONV + "/speakers"): Message,
    ("GET", CONV + "/abstract-topics"): AbstractTopicsList,
    ("GET", CONV + "/comprehensive/action-items"): ActionItemsList,
    ("POST", CONV + "/bookmarks"): Bookmark,
    ("POST", CONV + "/bookmarks/bulk"): BookmarkList,
    ("GET", CONV + "/bookmarks"): BookmarkList,
    ("GET", CONV + "/bookmarks-summary"): BookmarksSummary,
    ("GET", BOOKMARK): Bookmark,
    ("PUT", BOOKMARK): Bookmark,
    ("GET", BOOKMARK + "/summary"): BookmarkSummary,
}
