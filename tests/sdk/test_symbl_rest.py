"""The official `symbl-rest` 1.0.14 client against a real server: the foundation's user journey."""

from __future__ import annotations

import time

import pytest
import symbl_rest

from mock_symbl.server import MockServer

pytestmark = pytest.mark.sdk


def _client(server: MockServer) -> object:
    cfg = symbl_rest.Configuration()
    cfg.host = server.base_url
    api = symbl_rest.ApiClient(cfg)
    token = symbl_rest.AuthenticationApi(api).generate_token(
        {"type": "application", "appId": "sdk-app", "appSecret": "sdk-secret"}
    )
    assert token.expires_in == 86400
    cfg.api_key["x-api-key"] = token.access_token
    return api


def _wait(api: object, job_id: str) -> str:
    jobs = symbl_rest.JobsApi(api)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        status: str = jobs.get_job_status(job_id).status
        if status in ("completed", "failed"):
            return status
        time.sleep(0.05)
    return "timeout"


def test_text_journey_with_official_client(live_server: MockServer) -> None:
    api = _client(live_server)
    async_api = symbl_rest.AsyncApi(api)
    created = async_api.add_text(
        body={
            "name": "SDK journey",
            "messages": [
                {
                    "payload": {"content": "Hello there. Can you share the deck by Monday?"},
                    "from": {"name": "Ann", "userId": "ann@example.com"},
                },
                {
                    "payload": {"content": "Yes, I will share it by Monday."},
                    "from": {"name": "Ben", "userId": "ben@example.com"},
                },
            ],
        }
    )
    assert created.conversation_id and created.job_id
    assert _wait(api, created.job_id) == "completed"

    appended = async_api.append_text(
        created.conversation_id,
        body={"messages": [{"payload": {"content": "Thanks, talk soon."}, "from": {"name": "Ann"}}]},
    )
    assert appended.conversation_id == created.conversation_id and appended.job_id != created.job_id
    assert _wait(api, appended.job_id) == "completed"

    conversations = symbl_rest.ConversationsApi(api)
    messages = conversations.get_messages_by_conversation_id(created.conversation_id, verbose="true").messages
    assert [m.text for m in messages] == [
        "Hello there.",
        "Can you share the deck by Monday?",
        "Yes, I will share it by Monday.",
        "Thanks, talk soon.",
    ]
    assert messages[0]._from.name == "Ann"
    assert messages[0].start_time is not None and messages[0].words
    members = conversations.get_members_by_conversation_id(created.conversation_id).members
    assert sorted(m.name for m in members) == ["Ann", "Ben"]
    conv = conversations.get_conversation_by_conversation_id(created.conversation_id)
    assert conv.id == created.conversation_id and conv.name == "SDK journey"


def test_official_client_sees_errors_as_api_exceptions(live_server: MockServer) -> None:
    api = _client(live_server)
    with pytest.raises(symbl_rest.rest.ApiException) as info:
        symbl_rest.JobsApi(api).get_job_status("00000000-0000-4000-8000-000000000000")
    assert info.value.status == 404
    with pytest.raises(symbl_rest.rest.ApiException) as info:
        symbl_rest.AsyncApi(api).add_text(body={"messages": []})
    assert info.value.status == 400
