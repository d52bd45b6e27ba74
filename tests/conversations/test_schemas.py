"""Conversation, insight, bookmark and list answers read strictly as their models (a float for an int, or a
key no model declares, fails), and the field types against those the Go SDK and symbl_rest declare."""

from __future__ import annotations

from typing import Any

import pytest
import symbl_rest.models
from fastapi.testclient import TestClient
from pydantic import BaseModel, ValidationError

from mock_symbl.conversations import bookmarks_schemas as bm
from mock_symbl.conversations import insights_schemas as ins
from mock_symbl.conversations import schemas as core
from mock_symbl.media.synth import make_wav
from mock_symbl.web.schemas import ExperienceResponse, SummaryAnswer
from tests.helpers import SAMPLE_MESSAGES, submit_text
from tests.strict import json_types, strict

TALK = [
    *SAMPLE_MESSAGES,
    {
        "payload": {
            "content": "Let's meet tomorrow afternoon at 3 pm with Richard Holmes to review the Tesla contract."
        },
        "from": {"name": "Alice", "userId": "alice@example.com"},
    },
    {"payload": {"content": "What is the budget for the pilot?"}, "from": {"name": "Carol"}},
    {
        "payload": {"content": "The budget is fifty thousand dollars and the pricing is fixed for a year."},
        "from": {"name": "Bob", "userId": "bob@example.com"},
    },
]


def _conversation(client: TestClient, headers: dict[str, str]) -> str:
    client.post(
        "/v1/manage/entities",
        headers=headers,
        json={"type": "Vehicle", "subType": "Car", "values": ["Tesla"]},
    )
    return submit_text(
        client,
        headers,
        TALK * 3,  # over the 50 words the call score and lm-insights need
        detectEntities=True,
        detectPhrases=True,
        trackers=[{"name": "Price", "vocabulary": ["pricing", "budget"]}],
    )["conversationId"]


def test_conversation_and_insight_answers(client: TestClient, headers: dict[str, str]) -> None:
    cid = _conversation(client, headers)
    base = f"/v1/conversations/{cid}"

    def get(suffix: str, **params: Any) -> Any:
        return client.get(base + suffix, headers=headers, params=params)

    assert strict(core.ConversationOut, get("")).id == cid
    assert strict(core.ConversationList, client.get("/v1/conversations", headers=headers)).conversations
    assert strict(core.MembersResponse, get("/members")).members
    messages = strict(core.MessagesResponse, get("/messages", verbose="true", sentiment="true")).messages
    assert messages[0].words and messages[0].sentiment is not None
    follow_ups = strict(ins.FollowUpsList, get("/follow-ups")).followUps
    assert follow_ups and all(isinstance(f.score, int) for f in follow_ups)
    assert strict(ins.QuestionsList, get("/questions")).questions
    assert strict(ins.ActionItemsList, get("/action-items")).actionItems
    kinds = {i.type for i in strict(ins.InsightsList, get("/insights")).insights}
    assert kinds == {"question", "action_item", "follow_up"}
    assert strict(ins.TopicsList, get("/topics", sentiment="true")).topics
    assert strict(ins.TopicsList, get("/topics", parentRefs="true")).topics
    assert strict(ins.EntitiesList, get("/entities")).entities
    analytics = strict(ins.Analytics, get("/analytics"))
    assert analytics.members and all(isinstance(m.pace.wpm, int) for m in analytics.members)
    trackers = strict(list[ins.DetectedTracker], get("/trackers"))
    assert trackers and trackers[0].matches
    assert strict(list[ins.DetectedTracker], get("/trackers-detected")) == trackers
    strict(ins.IntentsList, get("/intents"))
    assert strict(ins.SummaryList, get("/summary")).summary
    assert strict(ins.CallScore, get("/callscore")).criteria
    assert strict(ins.StatusResponse, get("/callscore/status")).status == "completed"
    assert strict(list[ins.LmInsight], get("/lm-insights"))[0].attendees
    assert strict(ins.StatusResponse, get("/lm-insights/status")).status == "completed"
    transcript = client.post(base + "/transcript", headers=headers, json={"contentType": "text/srt"})
    assert strict(ins.TranscriptResponse, transcript).transcript.contentType == "text/srt"
    refreshed = client.post(base + "/summary", headers=headers)
    assert isinstance(strict(SummaryAnswer, refreshed), ins.SummaryList)
    ui = client.post(base + "/summary", headers=headers, json={"name": "verbose-text-summary"})
    assert isinstance(strict(SummaryAnswer, ui), ExperienceResponse)
    member = get("/members").json()["members"][0]["id"]
    renamed = client.put(f"{base}/members/{member}", headers=headers, json={"id": member, "name": "Al"})
    assert strict(ins.MessageResponse, renamed).message
    events = {"speakerEvents": []}
    assert strict(ins.MessageResponse, client.put(base + "/speakers", headers=headers, json=events)).message
    labs = {**headers, "Host": "api-labs.symbl.ai"}
    strict(ins.AbstractTopicsList, client.get(base + "/abstract-topics", headers=labs))
    assert strict(
        ins.ComprehensiveActionItemsList, client.get(base + "/comprehensive/action-items", headers=labs)
    )
    assert strict(core.DeleteResponse, client.delete(base, headers=headers)).message


def test_audio_words_and_bookmark_answers(client: TestClient, headers: dict[str, str]) -> None:
    upload = client.post(
        "/v1/process/audio", headers={**headers, "content-type": "audio/wav"}, content=make_wav(4)
    )
    cid = upload.json()["conversationId"]
    base = f"/v1/conversations/{cid}"
    messages = strict(core.MessagesResponse, client.get(base + "/messages?verbose=true", headers=headers))
    assert all(w.score is not None for m in messages.messages for w in m.words or [])
    user = {"name": "A", "userId": "a@example.com", "email": "a@example.com"}
    mark = {"label": "L", "description": "D", "user": user, "beginTimeOffset": 0, "duration": 3}
    created = strict(bm.Bookmark, client.post(base + "/bookmarks", headers=headers, json=mark))
    assert created.beginTimeOffset == 0 and created.duration == 3
    refs = {"label": "R", "description": "D", "messageRefs": [{"id": messages.messages[0].id}]}
    by_refs = strict(bm.Bookmark, client.post(base + "/bookmarks", headers=headers, json=refs))
    assert isinstance(by_refs.beginTimeOffset, int) and isinstance(by_refs.duration, int)
    bulk = client.post(base + "/bookmarks/bulk", headers=headers, json=[mark, mark])
    assert len(strict(bm.BookmarkList, bulk).bookmarks) == 2
    assert len(strict(bm.BookmarkList, client.get(base + "/bookmarks", headers=headers)).bookmarks) == 4
    one = strict(bm.BookmarkWithList, client.get(f"{base}/bookmarks/{created.id}", headers=headers))
    assert one.bookmarks[0].id == one.id == created.id
    updated = client.put(f"{base}/bookmarks/{created.id}", headers=headers, json={**mark, "duration": 2})
    assert strict(bm.Bookmark, updated).duration == 2
    summary = client.get(f"{base}/bookmarks/{created.id}/summary", headers=headers)
    assert strict(bm.BookmarkSummary, summary).summary[0].bookmarkReference.id == created.id
    summaries = client.get(base + "/bookmarks-summary", headers=headers)
    assert len(strict(bm.BookmarksSummary, summaries).bookmarksSummary) == 4


def test_strict_reading_refuses_a_float_for_an_int() -> None:
    """What the Go SDK refuses: `5.0` for an int (the old bookmark offsets, the old follow-up score)."""
    mark = b'{"id": "1", "beginTimeOffset": 5.0, "duration": 5, "messageRefs": []}'
    with pytest.raises(ValidationError, match="beginTimeOffset"):
        bm.Bookmark.model_validate_json(mark, strict=True)
    item = {
        "id": "1", "text": "t", "type": "follow_up", "score": 0.9, "messageIds": [], "entities": [],
        "phrases": [], "definitive": True, "from": {}, "assignee": {},
    }  # fmt: skip
    with pytest.raises(ValidationError, match="score"):
        ins.FollowUp.model_validate(item, strict=True)
    assert ins.FollowUp.model_validate({**item, "score": 1}, strict=True).score == 1


# Go SDK (pkg/api/async/v1/interfaces/types.go) and symbl_rest (`swagger_types`): where they differ, the
# Go SDK's int wins (symbl_rest's `float` reads an integer too).
SDK_TYPES: list[tuple[type[BaseModel], str, set[str]]] = [
    (ins.FollowUp, "score", {"integer"}),  # Go FollowUp.Score int
    (ins.ActionItem, "score", {"number"}),  # Go float64, symbl_rest float
    (ins.Question, "score", {"number"}),
    (ins.Topic, "score", {"number"}),
    (ins.Intent, "score", {"number"}),
    (ins.ActionItem, "definitive", {"boolean"}),
    (ins.FollowUp, "definitive", {"boolean"}),
    (ins.MessageRef, "offset", {"integer"}),  # Go MessageRef.Offset int, symbl_rest int
    (ins.InsightRef, "offset", {"integer"}),  # symbl_rest MatchesItemsInsightRefs.offset int
    (ins.EntityTag, "offset", {"integer"}),  # Go EntityInsight.Offset int, symbl_rest Tag.offset int
    (ins.EntityTag, "end", {"string"}),  # Go EntityInsight.End string
    (ins.EntityTag, "value", {"string", "object"}),  # symbl_rest Tag.value object
    (ins.Pace, "wpm", {"integer"}),  # Go Member.Pace.Wpm int
    (ins.Share, "percentage", {"number"}),
    (ins.Share, "seconds", {"number"}),
    (ins.Metric, "percent", {"number"}),
    (ins.Metric, "seconds", {"number"}),
    (ins.Overlap, "overlapDuration", {"number"}),
    (ins.OverlappingMember, "percent", {"number"}),
    (ins.OverlappingMember, "seconds", {"number"}),
    (ins.CallScore, "score", {"number"}),  # Go CallScoreResult.Score float64
    (ins.CriterionScore, "score", {"number"}),
    (core.Polarity, "score", {"number"}),
    (core.Message, "timeOffset", {"number"}),  # Go Message.TimeOffset float64
    (core.Message, "duration", {"number"}),
    (core.Word, "timeOffset", {"number"}),
    (core.Word, "duration", {"number"}),
    (core.Word, "score", {"number"}),
    (core.Word, "speakerTag", {"integer"}),  # Go SpeakerTag int
    (bm.Bookmark, "beginTimeOffset", {"integer"}),  # Go Bookmark.BeginTimeOffset int
    (bm.Bookmark, "duration", {"integer"}),  # Go Bookmark.Duration int
    *[(core.ConversationOut, f, {"string"}) for f in ("id", "type", "name", "startTime", "endTime")],
    (core.ConversationOut, "members", {"array"}),
    (core.ConversationOut, "metadata", {"object"}),
]


@pytest.mark.parametrize(
    ("model", "field", "declared"), SDK_TYPES, ids=lambda v: getattr(v, "__name__", str(v))
)
def test_declared_types_match_the_sdks(model: type[BaseModel], field: str, declared: set[str]) -> None:
    assert json_types(model, field) == declared


# The same fields as symbl_rest (installed) declares them in `swagger_types`: its `int` must be an integer
# here, its `float` a number (or an integer where the Go SDK declares int: a float field reads an integer).
SYMBL_REST: list[tuple[type[BaseModel], str, str]] = [
    (ins.FollowUp, "score", "ConversationFollowUp"),
    (ins.ActionItem, "score", "ConversationActionItem"),
    (ins.ActionItem, "definitive", "ConversationActionItem"),
    (ins.Question, "score", "ConversationQuestion"),
    (ins.Topic, "score", "ConversationTopic"),
    (ins.Intent, "score", "ConversationIntent"),
    (ins.MessageRef, "offset", "MatchesItemsMessageRefs"),
    (ins.InsightRef, "offset", "MatchesItemsInsightRefs"),
    (ins.EntityTag, "offset", "Tag"),
    (ins.Pace, "wpm", "AnalyticsMembersInfoPace"),
    (ins.Share, "percentage", "AnalyticsMembersInfoTalkTime"),
    (ins.Share, "seconds", "AnalyticsMembersInfoTalkTime"),
    (ins.Metric, "percent", "AnalyticsMetricsInfo"),
    (ins.Metric, "seconds", "AnalyticsMetricsInfo"),
    (ins.Overlap, "overlapDuration", "AnalyticsMembersInfoOverlap"),
    (ins.CallScore, "score", "CallScoreResponse"),
    (ins.CriterionScore, "score", "CallScoreCriteria"),
    (core.Polarity, "score", "SentimentPolarity"),
    (core.Word, "speakerTag", "Word"),
]
_REST_JSON = {"int": {"integer"}, "float": {"number", "integer"}, "bool": {"boolean"}, "str": {"string"}}


@pytest.mark.parametrize(
    ("model", "field", "rest_class"), SYMBL_REST, ids=lambda v: getattr(v, "__name__", str(v))
)
def test_types_agree_with_symbl_rest(model: type[BaseModel], field: str, rest_class: str) -> None:
    cls = getattr(symbl_rest.models, rest_class)
    attribute = {json_name: attr for attr, json_name in cls.attribute_map.items()}[field]
    declared = _REST_JSON[cls.swagger_types[attribute]]
    assert json_types(model, field) <= declared
