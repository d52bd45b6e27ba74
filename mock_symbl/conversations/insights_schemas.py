"""Wire format of the insight routes (rest.md §5.7–5.22), typed as the official SDKs read them.

Numbers: the Go SDK (`pkg/api/async/v1/interfaces`) is the strictest reader, so an `int` there is an `int`
here (follow-up `score`, every `offset`, `pace.wpm`); symbl_rest's `float` fields accept those integers.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from mock_symbl.conversations.schemas import Person, Phrase, Sentiment
from mock_symbl.wire import Answer


class MessageRef(Answer):
    id: str
    text: str | None = None
    offset: int | None = None
    startTime: str | None = None
    endTime: str | None = None


class Assignee(Answer):
    id: str | None = None
    name: str | None = None
    email: str | None = None


class EntityTag(Answer):
    """An entity inside an insight: `value` for dates, times and people, `start`/`end` for ranges."""

    type: str
    text: str
    offset: int
    value: str | dict[str, Any] | None = None
    start: str | None = None
    end: str | None = None


class Question(Answer):
    id: str
    text: str
    type: Literal["question"]
    score: float
    messageIds: list[str]
    from_: Person = Field(alias="from")
    entities: list[EntityTag] = Field(default_factory=list)


class _Action(Answer):
    id: str
    text: str
    messageIds: list[str]
    entities: list[EntityTag]
    phrases: list[Phrase]
    definitive: bool
    from_: Person = Field(alias="from")
    assignee: Assignee
    dueBy: str | None = None


class ActionItem(_Action):
    type: Literal["action_item"]
    score: float


class FollowUp(_Action):
    type: Literal["follow_up"]
    score: int = Field(description="An integer, as the Go SDK's FollowUp.Score: 1 at or above 0.5, else 0.")


Insight = Annotated[Question | ActionItem | FollowUp, Field(discriminator="type")]


class InsightsList(Answer):
    insights: list[Insight]


class QuestionsList(Answer):
    questions: list[Question]


class ActionItemsList(Answer):
    actionItems: list[ActionItem]


class FollowUpsList(Answer):
    followUps: list[FollowUp]


class ComprehensiveActionItem(Answer):
    """Labs: action items and follow-ups together, with messageRefs instead of messageIds."""

    id: str
    text: str
    type: str
    score: float
    messageRefs: list[MessageRef]
    entities: list[EntityTag]
    phrases: list[Phrase]
    definitive: bool
    from_: Person = Field(alias="from")
    assignee: Assignee


class ComprehensiveActionItemsList(Answer):
    actionItems: list[ComprehensiveActionItem]


class ParentRef(Answer):
    type: str
    text: str


class Topic(Answer):
    id: str
    text: str
    type: str
    score: float
    messageIds: list[str]
    sentiment: Sentiment | None = None
    parentRefs: list[ParentRef] = Field(default_factory=list)


class TopicsList(Answer):
    topics: list[Topic]


class AbstractTopicsList(Answer):
    abstractTopics: list[Topic]


class EntityMatch(Answer):
    detectedValue: str
    messageRefs: list[MessageRef]


class Entity(Answer):
    """Both generations at once: 2023 (subType, category, matches) and 2022 (value, text, customType)."""

    type: str
    id: str | None = None
    subType: str | None = None
    category: str | None = None
    matches: list[EntityMatch] | None = None
    value: str | None = None
    text: str | None = None
    customType: str | None = None
    messageRefs: list[MessageRef] | None = None


class EntitiesList(Answer):
    entities: list[Entity]


class Metric(Answer):
    type: str
    percent: float
    seconds: float


class Pace(Answer):
    wpm: int


class Share(Answer):
    percentage: float
    seconds: float


class OverlappingMember(Answer):
    id: str | None = None
    name: str | None = None
    userId: str | None = None
    email: str | None = None
    percent: float
    seconds: float


class Overlap(Answer):
    overlapDuration: float
    overlappingMembers: list[OverlappingMember]


class MemberAnalytics(Answer):
    id: str | None = None
    name: str
    userId: str | None = None
    email: str | None = None
    pace: Pace
    talkTime: Share
    listenTime: Share
    overlap: Overlap


class Analytics(Answer):
    metrics: list[Metric]
    members: list[MemberAnalytics]


class InsightRef(Answer):
    id: str
    type: str
    text: str
    offset: int | None = None


class TrackerMatch(Answer):
    type: str
    value: str
    messageRefs: list[MessageRef]
    insightRefs: list[InsightRef] = Field(default_factory=list)


class DetectedTracker(Answer):
    id: str | None = None
    name: str
    matches: list[TrackerMatch]


class Intent(Answer):
    id: str
    text: str
    type: str
    intent: str
    score: float
    messageIds: list[str]
    alternatives: list[dict[str, Any]] = Field(default_factory=list)
    entities: list[EntityTag] = Field(default_factory=list)


class IntentsList(Answer):
    intents: list[Intent]


class SummaryItem(Answer):
    id: str
    text: str
    messageRefs: list[MessageRef]
    startTime: str | None = None
    endTime: str | None = None


class SummaryList(Answer):
    summary: list[SummaryItem]


class Transcript(Answer):
    payload: str
    contentType: str


class TranscriptResponse(Answer):
    transcript: Transcript


class FeedbackDetail(Answer):
    summary: str


class Feedback(Answer):
    positive: FeedbackDetail
    negative: FeedbackDetail


class CriterionScore(Answer):
    name: str
    score: float
    summary: str
    feedback: Feedback | None = None


class CallScore(Answer):
    score: float
    summary: str
    criteria: list[CriterionScore]


class StatusResponse(Answer):
    status: str = Field(description="scheduled | in_progress | completed | failed")
    jobId: str | None = None


class Attendee(Answer):
    id: str | None = None
    name: str
    email: str | None = None


class NextStep(Answer):
    step: str


class NextSteps(Answer):
    nextSteps: list[NextStep]


class QuestionAndAnswer(Answer):
    question: str
    answer: str
    questionBy: str


class QuestionsAndAnswers(Answer):
    questionsAndAnswers: list[QuestionAndAnswer]


class SentimentChunk(Answer):
    startTime: str
    endTime: str
    polarityScore: float
    sentiment: str
    summary: str


class CallSentiment(Answer):
    chunks: list[SentimentChunk]


class LongSummary(Answer):
    paragraphs: list[str]


class CallSummary(Answer):
    longSummary: LongSummary


class LmInsight(Answer):
    meetingName: str
    videoUrl: str | None = None
    attendees: list[Attendee]
    callSummary: CallSummary
    callNextSteps: NextSteps
    callQuestionAndAnswers: QuestionsAndAnswers
    callSentiment: CallSentiment
    callScore: CallScore


class MessageResponse(Answer):
    message: str


# --- request bodies


class _Body(BaseModel):
    model_config = ConfigDict(populate_by_name=True, extra="ignore")


class HighlightOptions(_Body):
    highlight_only_insight_key_phrases: bool = Field(False, alias="highlightOnlyInsightKeyPhrases")
    highlight_all_key_phrases: bool = Field(False, alias="highlightAllKeyPhrases")


class TranscriptRequest(_Body):
    content_type: str = Field(alias="contentType")
    create_paragraphs: bool = Field(False, alias="createParagraphs")
    phrases: HighlightOptions = Field(default_factory=HighlightOptions)
    show_speaker_separation: bool = Field(False, alias="showSpeakerSeparation")


class MemberUpdate(_Body):
    id: str = Field(min_length=1)
    name: str = Field(min_length=1)
    email: str | None = None


class EventUser(_Body):
    id: str | None = None
    user_id: str | None = Field(None, alias="userId")
    name: str | None = None
    email: str | None = None


class EventOffset(_Body):
    seconds: float = Field(0, ge=0)
    nanos: float = Field(0, ge=0)


class SpeakerEvent(_Body):
    type: Literal["started_speaking", "stopped_speaking"]
    user: EventUser
    offset: EventOffset = Field(default_factory=EventOffset)


class SpeakerEvents(_Body):
    speaker_events: list[SpeakerEvent] = Field(alias="speakerEvents")
