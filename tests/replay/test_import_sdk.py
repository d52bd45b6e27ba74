"""Recordings in every format imported, then read through the official `symbl-rest` client: recorded answers
come back verbatim, the others are derived from the recorded messages."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
import symbl_rest

from mock_symbl.server import MockServer
from tests.replay.conftest import CONVERSATIONS, RESOURCES, recorded

pytestmark = pytest.mark.sdk

# resource -> the symbl-rest ConversationsApi method reading it (summary has none in symbl-rest 1.0.14)
READERS = {
    "conversation": "get_conversation_by_conversation_id",
    "messages": "get_messages_by_conversation_id",
    "members": "get_members_by_conversation_id",
    "topics": "get_topics_by_conversation_id",
    "questions": "get_questions_by_conversation_id",
    "action-items": "get_action_items_by_conversation_id",
    "follow-ups": "get_follow_ups_by_conversation_id",
    "entities": "get_entities_by_conversation_id",
    "analytics": "get_analytics_by_conversation_id",
    "trackers": "get_trackers_by_conversation_id",
}


def client(server: MockServer, app_id: str = "imported") -> Any:
    cfg = symbl_rest.Configuration()
    cfg.host = server.base_url
    api = symbl_rest.ApiClient(cfg)
    token = symbl_rest.AuthenticationApi(api).generate_token(
        {"type": "application", "appId": app_id, "appSecret": "secret"}
    )
    cfg.api_key["x-api-key"] = token.access_token
    return api


def read(server: MockServer, api: Any, cid: str, key: str) -> Any:
    """The JSON a resource answers (raw, so key sets and values are compared exactly)."""
    resource, _, query = key.partition("?")
    if resource == "summary":
        token = api.configuration.api_key["x-api-key"]
        response = httpx.get(
            f"{server.base_url}/v1/conversations/{cid}/summary", headers={"x-api-key": token}
        )
        assert response.status_code == 200, response.text
        return response.json()
    kwargs: dict[str, Any] = {"sentiment": True} if query == "sentiment=true" else {}
    method = getattr(symbl_rest.ConversationsApi(api), READERS[resource])
    answer = method(cid, _preload_content=False, **kwargs)
    assert answer.status == 200
    return json.loads(answer.data)


@pytest.mark.parametrize("fixture", list(CONVERSATIONS))
def test_recorded_answers_come_back_verbatim(loaded: MockServer, fixture: str) -> None:
    api = client(loaded)
    cid, _ = CONVERSATIONS[fixture]
    bodies = recorded(fixture)
    assert bodies, fixture
    for key, body in bodies.items():
        assert read(loaded, api, cid, key) == body, key


@pytest.mark.parametrize("fixture", list(CONVERSATIONS))
def test_unrecorded_resources_are_derived_from_the_recorded_messages(
    loaded: MockServer, fixture: str
) -> None:
    api = client(loaded)
    cid, _ = CONVERSATIONS[fixture]
    bodies = recorded(fixture)
    messages = next(b for k, b in bodies.items() if k.startswith("messages"))["messages"]
    message_ids = {m["id"] for m in messages}
    member_ids = {m["from"]["id"] for m in messages}
    for resource in RESOURCES:
        if resource in bodies:
            continue
        answer = read(loaded, api, cid, resource)
        if resource == "messages":  # only ?sentiment=true was recorded: the plain read is rendered
            assert [m["id"] for m in answer["messages"]] == [m["id"] for m in messages]
            assert [m["text"] for m in answer["messages"]] == [m["text"] for m in messages]
        elif resource == "conversation":
            assert answer["id"] == cid and {m["id"] for m in answer["members"]} == member_ids
        elif resource == "members":
            assert {m["id"] for m in answer["members"]} == member_ids
        elif resource == "analytics":
            assert {m["id"] for m in answer["members"]} == member_ids
            assert {m["type"] for m in answer["metrics"]} >= {"total_silence", "total_talk_time"}
        elif resource == "trackers":
            assert isinstance(answer, list)
        elif resource == "summary":
            refs = {r["id"] for item in answer["summary"] for r in item["messageRefs"]}
            assert answer["summary"] and refs <= message_ids
        else:  # insights: every message id they cite is a recorded message
            items = next(iter(answer.values()))
            cited = {i for item in items for i in item.get("messageIds", [])}
            assert cited <= message_ids, resource
    if "questions" not in bodies:
        questions = read(loaded, api, cid, "questions")["questions"]
        assert any("premium package" in q["text"] for q in questions)


def test_typed_sdk_models_read_imported_conversations(loaded: MockServer) -> None:
    api = client(loaded)
    cid, job_id = CONVERSATIONS["vcrpy_cassette.yaml"]
    conversations = symbl_rest.ConversationsApi(api)
    assert symbl_rest.JobsApi(api).get_job_status(job_id).status == "completed"
    conv = conversations.get_conversation_by_conversation_id(cid)
    assert conv.id == cid and conv.name == "Support plan call"
    messages = conversations.get_messages_by_conversation_id(cid).messages
    assert messages[0]._from.name == "Roger" and len(messages) == 6
    analytics = conversations.get_analytics_by_conversation_id(cid)
    assert {m.name for m in analytics.members} == {"Roger", "Anna"}
    assert [t.text for t in conversations.get_topics_by_conversation_id(cid).topics] == [
        "support plan",
        "contract",
    ]


def test_other_accounts_do_not_see_imported_conversations(loaded: MockServer) -> None:
    api = client(loaded, app_id="someone-else")
    cid, job_id = CONVERSATIONS["vcrpy_cassette.yaml"]
    with pytest.raises(symbl_rest.rest.ApiException) as info:
        symbl_rest.ConversationsApi(api).get_topics_by_conversation_id(cid)
    assert info.value.status == 404
    with pytest.raises(symbl_rest.rest.ApiException) as info:
        symbl_rest.JobsApi(api).get_job_status(job_id)
    assert info.value.status == 404


def test_insights_list_joins_the_recorded_questions_action_items_and_follow_ups(loaded: MockServer) -> None:
    api = client(loaded)
    cid, _ = CONVERSATIONS["vcrpy_cassette.yaml"]
    bodies = recorded("vcrpy_cassette.yaml")
    answer = symbl_rest.ConversationsApi(api).get_insights_by_conversation_id(cid, _preload_content=False)
    items = json.loads(answer.data)["insights"]
    expected = bodies["questions"]["questions"] + bodies["action-items"]["actionItems"]
    expected += bodies["follow-ups"]["followUps"]
    assert sorted(items, key=lambda i: i["id"]) == sorted(expected, key=lambda i: i["id"])
    assert [i["type"] for i in items] == ["question", "question", "action_item", "follow_up"]
    # nothing of these recorded for the go-vcr conversation: all three kinds derived from its messages
    other, _ = CONVERSATIONS["govcr_cassette.yaml"]
    derived = symbl_rest.ConversationsApi(api).get_insights_by_conversation_id(other).insights
    assert {i.type for i in derived} >= {"question", "action_item"}
    intents = symbl_rest.ConversationsApi(api).get_intents_by_conversation_id(other, _preload_content=False)
    assert json.loads(intents.data)["intents"] == []
