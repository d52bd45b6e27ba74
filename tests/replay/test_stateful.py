"""Imported conversations are live ones: appends, member renames, bookmarks, metadata, summary refresh and
deletes behave as on any conversation (through symbl-rest where it has the call)."""

from __future__ import annotations

import httpx
import pytest
import symbl_rest

from mock_symbl.server import MockServer
from tests.replay.conftest import CONVERSATIONS, import_file, recorded
from tests.replay.test_import_sdk import client, read

pytestmark = pytest.mark.sdk


def _headers(api: object) -> dict[str, str]:
    return {"x-api-key": api.configuration.api_key["x-api-key"]}  # type: ignore[attr-defined]


def test_append_recomputes_everything_that_depends_on_the_messages(server: MockServer) -> None:
    assert import_file(server.base_url, "vcrpy_cassette.yaml").status_code == 200
    api = client(server)
    cid, first_job = CONVERSATIONS["vcrpy_cassette.yaml"]
    before = recorded("vcrpy_cassette.yaml")
    assert read(server, api, cid, "topics") == before["topics"]
    appended = symbl_rest.AsyncApi(api).append_text(
        cid,
        body={
            "messages": [
                {
                    "payload": {"content": "Could we also add onboarding training to the support plan?"},
                    "from": {"name": "Anna", "userId": "anna@acme.io"},
                }
            ]
        },
    )
    assert appended.conversation_id == cid and appended.job_id != first_job
    assert symbl_rest.JobsApi(api).get_job_status(appended.job_id).status == "completed"
    assert symbl_rest.JobsApi(api).get_job_status(first_job).status == "completed"
    messages = read(server, api, cid, "messages")["messages"]
    assert [m["id"] for m in messages[:6]] == [m["id"] for m in before["messages"]["messages"]]
    assert messages[6]["text"] == "Could we also add onboarding training to the support plan?"
    # the new message joins the recorded member (same userId), and the insights are derived from all 7
    anna = next(m for m in before["members"]["members"] if m["name"] == "Anna")
    assert messages[6]["from"]["id"] == anna["id"]
    questions = read(server, api, cid, "questions")["questions"]
    assert any("onboarding training" in q["text"] for q in questions)
    assert read(server, api, cid, "topics") != before["topics"]
    assert read(server, api, cid, "messages?sentiment=true") != before["messages?sentiment=true"]
    ids = {m["id"] for m in messages}
    assert all(set(t["messageIds"]) <= ids for t in read(server, api, cid, "topics")["topics"])


def test_member_rename_reaches_members_messages_and_insights(server: MockServer) -> None:
    assert import_file(server.base_url, "nock_recording.json").status_code == 200
    api = client(server)
    cid, _ = CONVERSATIONS["nock_recording.json"]
    roger = next(m for m in read(server, api, cid, "members")["members"] if m["name"] == "Roger")
    symbl_rest.ConversationsApi(api).put_members_information_by_members_id(
        {"id": roger["id"], "name": "Roger Murphy", "email": "roger@example.com"}, cid, roger["id"]
    )
    members = read(server, api, cid, "members")["members"]
    assert "Roger Murphy" in {m["name"] for m in members}
    messages = read(server, api, cid, "messages")["messages"]
    assert {m["from"]["name"] for m in messages if m["from"]["id"] == roger["id"]} == {"Roger Murphy"}
    items = read(server, api, cid, "action-items")["actionItems"]
    assert all(i["from"]["name"] != "Roger" for i in items if "from" in i)
    assert read(server, api, cid, "conversation")["members"][0]["name"] in ("Roger Murphy", "Anna")


def test_bookmarks_metadata_and_summary_refresh(server: MockServer) -> None:
    assert import_file(server.base_url, "devtools.har").status_code == 200
    api = client(server)
    headers = _headers(api)
    cid, _ = CONVERSATIONS["devtools.har"]
    before = recorded("devtools.har")
    message_ids = [m["id"] for m in before["messages"]["messages"]]
    base = f"{server.base_url}/v1/conversations/{cid}"
    created = httpx.post(
        f"{base}/bookmarks",
        headers=headers,
        json={"label": "Pricing", "description": "price quoted", "messageRefs": [{"id": message_ids[2]}]},
    )
    assert created.status_code == 200, created.text
    listed = httpx.get(f"{base}/bookmarks", headers=headers).json()["bookmarks"]
    assert [b["label"] for b in listed] == ["Pricing"]

    updated = httpx.put(base, headers=headers, json={"metadata": {"stage": "negotiation"}})
    assert updated.status_code == 200
    conv = read(server, api, cid, "conversation")
    assert conv["metadata"] == {"crmId": "OPP-2231", "stage": "negotiation"}
    assert conv["name"] == before["conversation"]["name"]

    assert read(server, api, cid, "summary") == before["summary"]
    refreshed = httpx.post(f"{base}/summary", params={"refresh": "true"}, headers=headers)
    assert refreshed.status_code == 200
    assert refreshed.json() != before["summary"]
    assert refreshed.json()["summary"] and read(server, api, cid, "summary") == refreshed.json()
    assert read(server, api, cid, "follow-ups") == before["follow-ups"]  # untouched by the refresh


def test_delete_then_import_again(server: MockServer) -> None:
    assert import_file(server.base_url, "folder").status_code == 200
    api = client(server)
    cid, _ = CONVERSATIONS["folder"]
    headers = _headers(api)
    assert httpx.delete(f"{server.base_url}/v1/conversations/{cid}", headers=headers).status_code == 200
    with pytest.raises(symbl_rest.rest.ApiException) as info:
        symbl_rest.ConversationsApi(api).get_messages_by_conversation_id(cid)
    assert info.value.status == 404
    again = import_file(server.base_url, "folder").json()
    assert [c["conversationId"] for c in again["imported"]] == [cid] and not again["imported"][0]["replaced"]
    assert read(server, api, cid, "summary") == recorded("folder")["summary"]
    replaced = import_file(server.base_url, "folder").json()["imported"][0]
    assert replaced["replaced"] is True


def test_every_account_when_asked(server: MockServer) -> None:
    report = import_file(server.base_url, "govcr_cassette.yaml", allAccounts="true").json()
    assert report["account"] == "*" and report["imported"][0]["account"] == "*"
    cid, job_id = CONVERSATIONS["govcr_cassette.yaml"]
    for app in ("team-a", "team-b"):
        api = client(server, app_id=app)
        assert read(server, api, cid, "summary") == recorded("govcr_cassette.yaml")["summary"]
        assert symbl_rest.JobsApi(api).get_job_status(job_id).status == "completed"
        listed = httpx.get(
            f"{server.base_url}/v1/conversations",
            params={"startTime": "2023-01-01T00:00:00.000Z", "endTime": "2023-12-31T00:00:00.000Z"},
            headers=_headers(api),
        ).json()["conversations"]
        assert [c["id"] for c in listed] == [cid]
    # the same ids cannot also be imported into one account: reported, not half-imported
    clash = import_file(server.base_url, "govcr_cassette.yaml", account="team-a").json()
    assert clash["imported"] == [] and "already belongs to account '*'" in clash["skipped"][0]["reason"]
