"""Insight routes over HTTP; answers are deserialized with the official symbl_rest models."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from types import SimpleNamespace
from typing import Any

import httpx
import pytest
import srt
import symbl_rest
from fastapi.testclient import TestClient

from mock_symbl.server import MockServer
from tests.conftest import make_settings
from tests.helpers import auth_headers, submit_text, token_for, wait_job

CALL = [
    ("Alice", "alice@example.com", "Hi Bob, thanks for joining the pricing call today."),
    ("Bob", "bob@example.com", "What is the price of the enterprise plan?"),
    ("Alice", "alice@example.com", "The enterprise plan costs $69.99 per seat, I love this plan."),
    ("Bob", "bob@example.com", "Can you call me tomorrow at 3 pm?"),
    ("Alice", "alice@example.com", "Sure, I will send the contract to Acme Corp by Friday."),
    ("Bob", "bob@example.com", "My number is (415) 555-0123 if you need it."),
    ("Alice", "alice@example.com", "Our main challenge is the onboarding of the enterprise plan customers."),
    ("Bob", "bob@example.com", "Let's schedule a follow-up meeting next week to review the enterprise plan."),
]
TRACKERS = [{"name": "Pricing", "vocabulary": ["price", "enterprise plan"]}]
ENTITIES = [{"customType": "Product", "text": "onboarding"}]


def deserialize(response: Any, model: str) -> Any:
    assert response.status_code == 200, response.text
    return symbl_rest.ApiClient().deserialize(SimpleNamespace(data=response.text), model)


def payload(lines: list[tuple[str, str, str]] = CALL) -> list[dict[str, Any]]:
    return [
        {"payload": {"content": text}, "from": {"name": name, "userId": email}} for name, email, text in lines
    ]


def process(client: TestClient, headers: dict[str, str], **extra: Any) -> str:
    body = {"trackers": TRACKERS, "entities": ENTITIES, "detectPhrases": True, "enableSummary": True, **extra}
    submitted = submit_text(client, headers, payload(), **body)
    assert wait_job(client, headers, submitted["jobId"]) == "completed"
    return submitted["conversationId"]


@pytest.fixture
def cid(client: TestClient, headers: dict[str, str]) -> str:
    return process(client, headers)


def url(cid: str, tail: str) -> str:
    return f"/v1/conversations/{cid}/{tail}"


def test_questions(client: TestClient, headers: dict[str, str], cid: str) -> None:
    response = client.get(url(cid, "questions"), headers=headers)
    questions = deserialize(response, "QuestionListResponse").questions
    assert [q.text for q in questions] == [CALL[1][2], CALL[3][2]]
    message_ids = {m["id"] for m in client.get(url(cid, "messages"), headers=headers).json()["messages"]}
    assert all(q.message_ids[0] in message_ids for q in questions)
    assert questions[0]._from.name == "Bob"


def test_action_items_and_follow_ups(client: TestClient, headers: dict[str, str], cid: str) -> None:
    items = deserialize(client.get(url(cid, "action-items"), headers=headers), "ActionItemListResponse")
    [item] = items.action_items
    assert item.text == CALL[4][2]
    assert item.assignee.name == "Alice"
    assert item.definitive is True
    assert item.due_by.isoformat().startswith(item.due_by.date().isoformat())
    assert item.phrases[0].text == "send the contract to Acme Corp"
    follow = deserialize(client.get(url(cid, "follow-ups"), headers=headers), "FollowUpListResponse")
    assert [f.text for f in follow.follow_ups] == [CALL[3][2], CALL[7][2]]


def test_insights_combines_all(client: TestClient, headers: dict[str, str], cid: str) -> None:
    insights = deserialize(client.get(url(cid, "insights"), headers=headers), "InsightsListResponse").insights
    assert [i.type for i in insights] == ["question", "question", "follow_up", "action_item", "follow_up"]


def test_topics_with_options(client: TestClient, headers: dict[str, str], cid: str) -> None:
    plain = deserialize(client.get(url(cid, "topics"), headers=headers), "TopicListResponse").topics
    assert plain[0].text == "enterprise plan"
    assert plain[0].sentiment is None
    rich = client.get(url(cid, "topics"), headers=headers, params={"sentiment": "true"}).json()["topics"]
    assert rich[0]["sentiment"]["suggested"] in ("positive", "neutral", "negative")
    tree = client.get(url(cid, "topics"), headers=headers, params={"parentRefs": "true"}).json()["topics"]
    assert all("parentRefs" in t and "sentiment" not in t for t in tree)
    custom = client.get(
        url(cid, "topics") + "?customTopicVocabulary=challenge&customTopicVocabulary=zebra", headers=headers
    )
    assert custom.json()["topics"][0]["text"] == "challenge"
    assert "zebra" not in [t["text"] for t in custom.json()["topics"]]
    refreshed = client.get(url(cid, "topics"), headers=headers, params={"refresh": "true"}).json()
    assert refreshed["topics"] == client.get(url(cid, "topics"), headers=headers).json()["topics"]


def test_entities_2023(client: TestClient, headers: dict[str, str], cid: str) -> None:
    body = client.get(url(cid, "entities"), headers=headers).json()["entities"]
    by_sub = {e["subType"]: e for e in body}
    assert by_sub["PHONE_NUMBER"]["matches"][0]["detectedValue"] == "+14155550123"
    assert by_sub["PHONE_NUMBER"]["category"] == "Managed"
    assert by_sub["Product"]["category"] == "Custom"
    assert "MONEY" in by_sub
    assert "ORGANIZATION" in by_sub


def test_entities_2022_setting(app_factory: Callable[..., TestClient]) -> None:
    client = app_factory(entities_format="2022")
    headers = auth_headers(client)
    cid = process(client, headers)
    entities = deserialize(client.get(url(cid, "entities"), headers=headers), "EntitiesListResponse").entities
    custom = next(e for e in entities if e.type == "custom")
    assert custom.custom_type == "Product"
    assert custom.value == "onboarding"
    assert custom.message_refs[0]["offset"] >= 0


def test_trackers_both_routes(client: TestClient, headers: dict[str, str], cid: str) -> None:
    response = client.get(url(cid, "trackers"), headers=headers)
    [tracker] = deserialize(response, "list[TrackersListResponse]")
    assert tracker.name == "Pricing"
    price = tracker.matches[0]
    assert price.value == "price"
    assert [r.offset for r in price.message_refs] == [-1, 12]  # "pricing" is another inflection
    assert price.insight_refs[0].type == "question"
    assert client.get(url(cid, "trackers-detected"), headers=headers).json() == response.json()


def test_enable_all_trackers_uses_account_trackers(client: TestClient, headers: dict[str, str]) -> None:
    created = client.post(
        "/v1/manage/tracker", headers=headers, json={"name": "Onboarding", "vocabulary": ["onboarding"]}
    )
    assert created.status_code in (200, 201), created.text
    without = process(client, headers)
    assert [t["name"] for t in client.get(url(without, "trackers"), headers=headers).json()] == ["Pricing"]
    cid = process(client, headers, enableAllTrackers=True)
    names = [t["name"] for t in client.get(url(cid, "trackers"), headers=headers).json()]
    assert names == ["Pricing", "Onboarding"]


def test_analytics(client: TestClient, headers: dict[str, str], cid: str) -> None:
    analytics = deserialize(client.get(url(cid, "analytics"), headers=headers), "AnalyticsListResponse")
    assert [m.type for m in analytics.metrics] == ["total_silence", "total_talk_time", "total_overlap"]
    assert [m.name for m in analytics.members] == ["Alice", "Bob"]
    assert round(sum(m.talk_time.percentage for m in analytics.members)) == 100


def test_intents(client: TestClient, headers: dict[str, str], cid: str) -> None:
    deserialize(client.get(url(cid, "intents"), headers=headers), "IntentListResponse")


def test_summary_get_post_and_refresh(client: TestClient, headers: dict[str, str], cid: str) -> None:
    summary = client.get(url(cid, "summary"), headers=headers).json()["summary"]
    assert summary
    assert all(item["messageRefs"] for item in summary)
    assert (
        client.get(url(cid, "summary"), headers=headers, params={"refresh": "true"}).json()["summary"]
        == summary
    )
    # refresh=false only summarizes messages added since: none were.
    assert (
        client.post(url(cid, "summary"), headers=headers, params={"refresh": "false"}).json()["summary"]
        == summary
    )
    assert (
        client.post(url(cid, "summary"), headers=headers, params={"refresh": "true"}).json()["summary"]
        == summary
    )


def test_summary_minimums(client: TestClient, headers: dict[str, str]) -> None:
    submitted = submit_text(client, headers, [{"payload": {"content": "Too short."}}])
    wait_job(client, headers, submitted["jobId"])
    assert client.get(url(submitted["conversationId"], "summary"), headers=headers).json() == {"summary": []}


def test_summary_404_while_in_progress(app_factory: Callable[..., TestClient]) -> None:
    client = app_factory(job_progression="manual")
    headers = auth_headers(client)
    submitted = submit_text(client, headers, payload())
    response = client.get(url(submitted["conversationId"], "summary"), headers=headers)
    assert response.status_code == 404
    assert "in progress" in response.json()["message"]
    status = client.get(url(submitted["conversationId"], "callscore/status"), headers=headers).json()
    assert status == {"jobId": submitted["jobId"], "status": "scheduled"}
    assert client.get(url(submitted["conversationId"], "callscore"), headers=headers).status_code == 404


def test_callscore_after_a_failed_job(app_factory: Callable[..., TestClient]) -> None:
    client = app_factory(job_progression="manual")
    headers = auth_headers(client)
    submitted = submit_text(client, headers, payload())
    patched = client.patch(
        f"/__admin/jobs/{submitted['jobId']}", json={"forcedOutcome": "failed", "progression": "immediate"}
    )
    assert patched.status_code == 200, patched.text
    response = client.get(url(submitted["conversationId"], "callscore"), headers=headers)
    assert response.status_code == 404
    assert "failed" in response.json()["message"]
    status = client.get(url(submitted["conversationId"], "lm-insights/status"), headers=headers).json()
    assert status["status"] == "failed"


def test_transcript_markdown(client: TestClient, headers: dict[str, str], cid: str) -> None:
    body = {
        "contentType": "text/markdown",
        "createParagraphs": True,
        "showSpeakerSeparation": True,
        "phrases": {"highlightOnlyInsightKeyPhrases": True},
    }
    result = client.post(url(cid, "transcript"), headers=headers, json=body).json()["transcript"]
    assert result["contentType"] == "text/markdown"
    assert result["payload"].startswith("Alice: Hi Bob")
    assert "<mark>send the contract to Acme Corp</mark>" in result["payload"]
    assert result["payload"].count("<br/><br/>") == len(CALL) - 1


def test_transcript_srt(client: TestClient, headers: dict[str, str], cid: str) -> None:
    body = {"contentType": "text/srt", "showSpeakerSeparation": True}
    result = client.post(url(cid, "transcript"), headers=headers, json=body).json()["transcript"]
    cues = list(srt.parse(result["payload"]))
    assert len(cues) == len(CALL)
    assert cues[1].content == "Bob: " + CALL[1][2]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({}, '"contentType" is required'),
        ({"contentType": "text/html"}, "contentType"),
        ([1], "The request body must be a JSON object."),
    ],
)
def test_transcript_bad_content_type(
    client: TestClient, headers: dict[str, str], cid: str, body: Any, message: str
) -> None:
    response = client.post(url(cid, "transcript"), headers=headers, json=body)
    assert response.status_code == 400
    assert message in response.json()["message"]


def test_callscore_and_status(client: TestClient, headers: dict[str, str], cid: str) -> None:
    score = deserialize(client.get(url(cid, "callscore"), headers=headers), "CallScoreResponse")
    assert len(score.criteria) == 4
    assert score.score == round(sum(c.score for c in score.criteria) / 4)
    status = deserialize(client.get(url(cid, "callscore/status"), headers=headers), "CallScoreStatusResponse")
    assert status.status == "completed"
    assert status.job_id


def test_callscore_with_scorecard(client: TestClient, headers: dict[str, str]) -> None:
    card = client.post(
        "/v1/manage/callscore/scorecards",
        headers=headers,
        json={"name": "Mini", "criteriaList": ["Symbl.Question_Handling"], "tags": []},
    )
    assert card.status_code in (200, 201), card.text
    cid = process(
        client,
        headers,
        features={"featureList": ["callScore"], "callScore": {"scorecardId": card.json()["id"]}},
    )
    score = client.get(url(cid, "callscore"), headers=headers).json()
    assert [c["name"] for c in score["criteria"]] == ["Question Handling"]


def test_lm_insights(client: TestClient, headers: dict[str, str], cid: str) -> None:
    [report] = client.get(url(cid, "lm-insights"), headers=headers).json()
    assert report["meetingName"] == cid
    assert report["callQuestionAndAnswers"]["questionsAndAnswers"][0]["questionBy"] == "Bob"
    assert report["callScore"]["criteria"]
    assert client.get(url(cid, "lm-insights/status"), headers=headers).json()["status"] == "completed"


def test_put_member_renames_everywhere(client: TestClient, headers: dict[str, str], cid: str) -> None:
    members = client.get(url(cid, "members"), headers=headers).json()["members"]
    bob = next(m for m in members if m["name"] == "Bob")
    body = {"id": bob["id"], "name": "Robert", "email": "robert@example.com"}
    response = client.put(url(cid, f"members/{bob['id']}"), headers=headers, json=body)
    reply = deserialize(response, "PutMembersInformationResponse")
    assert "updated successfully" in reply.message
    assert (
        client.get(url(cid, "questions"), headers=headers).json()["questions"][0]["from"]["name"] == "Robert"
    )
    messages = client.get(url(cid, "messages"), headers=headers).json()["messages"]
    assert messages[1]["from"]["name"] == "Robert"


def test_put_member_errors(client: TestClient, headers: dict[str, str], cid: str) -> None:
    member_id = client.get(url(cid, "members"), headers=headers).json()["members"][0]["id"]
    mismatch = client.put(
        url(cid, f"members/{member_id}"), headers=headers, json={"id": "other", "name": "X"}
    )
    assert mismatch.status_code == 400
    missing = client.put(url(cid, f"members/{member_id}"), headers=headers, json={"id": member_id})
    assert missing.status_code == 400
    unknown = client.put(url(cid, "members/nope"), headers=headers, json={"id": "nope", "name": "X"})
    assert unknown.status_code == 404


def test_put_speakers_reattributes(client: TestClient, headers: dict[str, str], cid: str) -> None:
    events = {
        "speakerEvents": [
            {
                "type": "started_speaking",
                "user": {"id": "carol", "name": "Carol", "email": "carol@example.com"},
                "offset": {"seconds": 0, "nanos": 0},
            },
            {
                "type": "stopped_speaking",
                "user": {"id": "carol", "name": "Carol", "email": "carol@example.com"},
                "offset": {"seconds": 1000, "nanos": 0},
            },
        ]
    }
    response = client.put(url(cid, "speakers"), headers=headers, json=events)
    assert "successfully" in deserialize(response, "PutSpeakersEventsResponse").message
    messages = client.get(url(cid, "messages"), headers=headers).json()["messages"]
    assert {m["from"]["name"] for m in messages} == {"Carol"}
    analytics = client.get(url(cid, "analytics"), headers=headers).json()
    assert [m["name"] for m in analytics["members"]] == ["Carol"]
    bad = client.put(url(cid, "speakers"), headers=headers, json={"speakerEvents": [{"type": "jumped"}]})
    assert bad.status_code == 400


def test_labs_only_routes(client: TestClient, headers: dict[str, str], cid: str) -> None:
    assert client.get(url(cid, "abstract-topics"), headers=headers).status_code == 404
    assert client.get(url(cid, "comprehensive/action-items"), headers=headers).status_code == 404
    labs = {**headers, "host": "api-labs.symbl.ai"}
    topics = client.get(url(cid, "abstract-topics"), headers=labs).json()["abstractTopics"]
    assert topics[0]["type"] == "abstract_topic"
    items = client.get(url(cid, "comprehensive/action-items"), headers=labs).json()["actionItems"]
    assert all("messageRefs" in i and "messageIds" not in i for i in items)
    assert len(items) == 3


def test_messages_view_is_wired(client: TestClient, headers: dict[str, str], cid: str) -> None:
    response = client.get(
        url(cid, "messages"), headers=headers, params={"sentiment": "true", "verbose": "true"}
    )
    messages = deserialize(response, "MessageListResponse").messages
    assert messages[2].sentiment.suggested == "positive"
    assert messages[0].words
    redacted = client.get(url(cid, "messages"), headers=headers, params={"redact": "true"}).json()["messages"]
    assert "[PHONE_NUMBER]" in redacted[5]["text"]


def test_errors(client: TestClient, headers: dict[str, str], cid: str) -> None:
    assert client.get(url(cid, "questions")).status_code == 401
    assert client.get(url("1234567890123456", "questions"), headers=headers).status_code == 404
    other = auth_headers(client, "app-two")
    assert client.get(url(cid, "topics"), headers=other).status_code == 404


def test_same_input_same_answers(client: TestClient, headers: dict[str, str]) -> None:
    first, second = process(client, headers), process(client, headers)
    a = client.get(url(first, "insights"), headers=headers).json()["insights"]
    b = client.get(url(second, "insights"), headers=headers).json()["insights"]
    assert [i["text"] for i in a] == [i["text"] for i in b]
    assert json.dumps(client.get(url(first, "analytics"), headers=headers).json()) == json.dumps(
        client.get(url(first, "analytics"), headers=headers).json()
    )


@pytest.fixture
def server() -> Iterator[MockServer]:
    running = MockServer(make_settings(labs_enabled=False)).start()
    yield running
    running.stop()


@pytest.mark.sdk
def test_symbl_rest_conversations_api(server: MockServer) -> None:
    with httpx.Client(base_url=server.base_url, timeout=30) as http:
        token = token_for(http)  # type: ignore[arg-type]  # same API as TestClient
        headers = {"x-api-key": token}
        cid = process(http, headers)  # type: ignore[arg-type]
    config = symbl_rest.Configuration()
    config.host = server.base_url
    config.api_key["x-api-key"] = token
    api = symbl_rest.ConversationsApi(symbl_rest.ApiClient(config))
    assert [q.text for q in api.get_questions_by_conversation_id(cid).questions] == [CALL[1][2], CALL[3][2]]
    assert api.get_action_items_by_conversation_id(cid).action_items[0].assignee.name == "Alice"
    assert api.get_follow_ups_by_conversation_id(cid).follow_ups
    assert api.get_topics_by_conversation_id(cid).topics
    assert api.get_analytics_by_conversation_id(cid).members
    assert api.get_trackers_by_conversation_id(cid)[0].name == "Pricing"
    assert api.get_entities_by_conversation_id(cid).entities
    assert api.get_insights_by_conversation_id(cid).insights
    assert api.get_call_score_by_conversation_id(cid).criteria
    assert api.get_call_score_status_by_conversation_id(cid).status == "completed"


TAILS = (
    "insights",
    "topics",
    "entities",
    "trackers",
    "analytics",
    "summary",
    "callscore",
    "lm-insights",
    "messages",
)


def test_byte_identical_answers_across_seeded_servers(app_factory: Callable[..., TestClient]) -> None:
    """Same seed, same input (explicit times, else the start is 'now'): the same bytes, ids included."""
    timed = payload()
    for i, message in enumerate(timed):
        message["duration"] = {
            "startTime": f"2024-03-04T09:00:{i * 5:02d}.000Z",
            "endTime": f"2024-03-04T09:00:{i * 5 + 4:02d}.000Z",
        }
    answers = []
    for _ in range(2):
        client = app_factory(seed=42)
        headers = auth_headers(client)
        submitted = submit_text(client, headers, timed, trackers=TRACKERS, entities=ENTITIES)
        assert wait_job(client, headers, submitted["jobId"]) == "completed"
        cid = submitted["conversationId"]
        answers.append([client.get(url(cid, tail), headers=headers).content for tail in TAILS])
    assert answers[0] == answers[1]


def test_old_bundle_is_recomputed_on_read(client: TestClient, headers: dict[str, str], cid: str) -> None:
    from mock_symbl.store import conversations as repo

    services = client.app.state.services  # type: ignore[attr-defined]
    with services.db.transaction() as session:
        conv = session.get(repo.Conversation, cid)
        repo.save_bundle(session, conv, {"version": 1, "entities": [{"refs": []}]}, services.clock.now())
    entities = client.get(url(cid, "entities"), headers=headers).json()["entities"]
    assert any(e["subType"] == "PHONE_NUMBER" for e in entities)
