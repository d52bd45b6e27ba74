"""Malformed, truncated, non-Symbl and mixed-host recordings: a clear report, nothing half-imported, and the
server goes on serving."""

from __future__ import annotations

import json

import httpx
from fastapi.testclient import TestClient

from mock_symbl.admin import schemas
from mock_symbl.server import MockServer
from tests.helpers import auth_headers
from tests.replay.conftest import ADMIN, CONVERSATIONS, FIXTURES
from tests.strict import strict

CID, JOB = CONVERSATIONS["vcrpy_cassette.yaml"]


def _healthy(client: TestClient) -> None:
    assert client.get("/__admin/ready").status_code == 200
    headers = auth_headers(client, "imported")
    made = client.post(
        "/v1/process/text", headers=headers, json={"messages": [{"payload": {"content": "Still fine."}}]}
    )
    assert made.status_code == 201 or made.status_code == 200, made.text


def _conversations(client: TestClient) -> int:
    snapshot = client.get("/__admin/snapshot", params={"account": "imported"}).json()
    return len(snapshot["tables"].get("conversations", []))


def test_truncated_cassette_is_refused_with_the_line(client: TestClient) -> None:
    text = (FIXTURES / "vcrpy_cassette.yaml").read_text()
    cut = text[: int(len(text) * 0.6)]
    cut = cut[: cut.rindex("string: '") + 12]  # inside a quoted body: the YAML cannot end here
    answer = client.post("/__admin/import", headers=ADMIN, params={"name": "cut.yaml"}, content=cut.encode())
    assert answer.status_code == 400
    message = answer.json()["message"]
    assert message.startswith("Nothing imported: cut.yaml") and "not valid YAML near line" in message
    assert _conversations(client) == 0
    _healthy(client)


def test_malformed_json_and_non_recordings(client: TestClient) -> None:
    for name, body in (
        ("broken.har", b'{"log": {"entries": [ {"request": {"method": "GET"'),
        ("notes.json", b'{"title": "not traffic"}'),
        ("empty.yaml", b""),
        ("binary.bin", bytes(range(256)) * 4),
    ):
        answer = client.post("/__admin/import", headers=ADMIN, params={"name": name}, content=body)
        if not body:
            assert answer.status_code == 400 and "Send a recording" in answer.json()["message"]
            continue
        assert answer.status_code == 400, (name, answer.text)
        assert name in answer.json()["message"]
    assert _conversations(client) == 0
    _healthy(client)


def test_non_symbl_recording_reports_every_request(client: TestClient) -> None:
    har = {
        "log": {
            "version": "1.2",
            "creator": {"name": "Firefox", "version": "120"},
            "entries": [
                {
                    "request": {
                        "method": "GET",
                        "url": f"https://api.example.com/v1/conversations/{i}/messages",
                    },
                    "response": {"status": 200, "content": {"text": '{"messages": []}'}},
                }
                for i in range(3)
            ],
        }
    }
    report = strict(
        schemas.ImportReport,
        client.post("/__admin/import", headers=ADMIN, params={"name": "other.har"}, content=json.dumps(har)),
    )
    assert report.imported == [] and report.files[0].format == "har" and report.files[0].exchanges == 3
    assert [s.reason for s in report.skipped] == ["non-Symbl host api.example.com"] * 3
    _healthy(client)


def test_mixed_hosts_and_one_bad_conversation_leave_the_good_one_whole(client: TestClient) -> None:
    good = json.loads((FIXTURES / "devtools.har").read_text())
    entries = good["log"]["entries"]
    # a second conversation whose messages answer is cut short: it must not appear at all
    broken = json.loads(json.dumps(entries[4]))
    broken["request"]["url"] = broken["request"]["url"].replace("6228183567695872", "1111111111111111")
    broken["response"]["content"]["text"] = broken["response"]["content"]["text"][:50]
    summary = json.loads(json.dumps(entries[6]))
    summary["request"]["url"] = summary["request"]["url"].replace("6228183567695872", "1111111111111111")
    good["log"]["entries"] = [*entries, broken, summary]
    answer = client.post(
        "/__admin/import", headers=ADMIN, params={"name": "mixed.har"}, content=json.dumps(good)
    )
    report = strict(schemas.ImportReport, answer)
    assert [c.conversationId for c in report.imported] == ["6228183567695872"]
    bad = [s for s in report.skipped if s.item == "conversation 1111111111111111"]
    assert bad and "mixed.har entry" in bad[0].reason and "not JSON" in bad[0].reason
    hosts = {s.reason for s in report.skipped if s.reason.startswith("non-Symbl")}
    assert hosts == {"non-Symbl host www.google-analytics.com", "non-Symbl host cdn.example.com"}
    headers = auth_headers(client, "imported")
    assert client.get("/v1/conversations/1111111111111111/summary", headers=headers).status_code == 404
    snapshot = client.get("/__admin/snapshot", params={"account": "imported"}).json()["tables"]
    assert {r["conversation_id"] for r in snapshot["messages"]} == {"6228183567695872"}
    assert {r["conversation_id"] for r in snapshot["recorded_answers"]} == {"6228183567695872"}
    _healthy(client)


def test_tokens_and_secrets_are_never_stored(client: TestClient) -> None:
    assert (
        client.post(
            "/__admin/import", headers=ADMIN, content=(FIXTURES / "vcrpy_cassette.yaml").read_bytes()
        ).status_code
        == 200
    )
    dump = json.dumps(client.get("/__admin/snapshot").json())
    for secret in ("REDACTED", "eyJhbGciOiJSUzI1NiJ9", "DUMMY", "x-api-key", "appSecret"):
        assert secret not in dump
    assert (
        client.get(f"/v1/job/{JOB}", headers=auth_headers(client, "imported")).json()["status"] == "completed"
    )


def test_an_id_owned_by_another_account_is_not_taken(client: TestClient) -> None:
    body = (FIXTURES / "nock_recording.json").read_bytes()
    assert (
        client.post("/__admin/import", headers=ADMIN, params={"account": "one"}, content=body).status_code
        == 200
    )
    report = strict(
        schemas.ImportReport,
        client.post("/__admin/import", headers=ADMIN, params={"account": "two"}, content=body),
    )
    assert report.imported == [] and "already belongs to account 'one'" in report.skipped[0].reason
    headers = auth_headers(client, "one")
    cid = CONVERSATIONS["nock_recording.json"][0]
    assert client.get(f"/v1/conversations/{cid}/questions", headers=headers).status_code == 200


def test_admin_token_protects_import_and_export(app_factory) -> None:  # type: ignore[no-untyped-def]
    client = app_factory(admin_token="s3cret")
    body = (FIXTURES / "nock_recording.json").read_bytes()
    assert client.post("/__admin/import", headers=ADMIN, content=body).status_code == 401
    assert client.get("/__admin/export").status_code == 401
    ok = client.post("/__admin/import", content=body, headers={**ADMIN, "X-Admin-Token": "s3cret"})
    assert ok.status_code == 200 and len(ok.json()["imported"]) == 1


def test_an_import_a_web_page_could_send_is_refused(server: MockServer) -> None:
    """A form post from the network (no JSON, no X-Mock-Admin) cannot change the mock's state."""
    files = {"file": ("a.json", (FIXTURES / "nock_recording.json").read_bytes(), "application/json")}
    url = f"{server.base_url}/__admin/import"
    refused = httpx.post(url, files=files, timeout=30)
    assert refused.status_code == 403 and "X-Mock-Admin" in refused.json()["message"]
    assert httpx.post(url, files=files, headers=ADMIN, timeout=30).status_code == 200


def test_unknown_ids_keep_their_usual_404_after_an_import(client: TestClient) -> None:
    headers = auth_headers(client, "imported")
    before = client.get("/v1/conversations/404404/topics", headers=headers)
    assert (
        client.post(
            "/__admin/import", headers=ADMIN, content=(FIXTURES / "devtools.har").read_bytes()
        ).status_code
        == 200
    )
    after = client.get("/v1/conversations/404404/topics", headers=headers)
    assert (after.status_code, after.json()) == (
        before.status_code,
        before.json(),
    ) and after.status_code == 404
    other = client.get(
        f"/v1/conversations/{CONVERSATIONS['devtools.har'][0]}/summary", headers=auth_headers(client, "x")
    )
    assert (other.status_code, other.json()) == (404, before.json())
