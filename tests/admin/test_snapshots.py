"""Snapshots: export/import round trips, account scope, incompatible versions, boot-time loading."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from mock_symbl.admin.snapshots import IncompatibleSnapshot
from mock_symbl.app import create_app
from tests.conftest import make_settings
from tests.helpers import auth_headers, submit_text

READS = ("", "/messages", "/members", "/topics", "/action-items", "/follow-ups", "/questions", "/entities")


def _answers(client: TestClient, headers: dict[str, str], conversation_id: str) -> dict[str, object]:
    out: dict[str, object] = {}
    for suffix in READS:
        response = client.get(f"/v1/conversations/{conversation_id}{suffix}", headers=headers)
        out[suffix] = (response.status_code, response.json())
    out["list"] = client.get("/v1/conversations", headers=headers).json()
    return out


def test_round_trip_gives_identical_answers(app_factory: Callable[..., TestClient]) -> None:
    source = app_factory()
    headers = auth_headers(source)
    conversation = submit_text(source, headers, name="Snapshot me")["conversationId"]
    before = _answers(source, headers, conversation)
    snapshot = source.get("/__admin/snapshot").json()
    assert source.post("/__admin/snapshot").json()["tables"] == snapshot["tables"]
    assert snapshot["format"] == "mock-symbl-snapshot" and snapshot["version"] == 1
    json.dumps(snapshot)  # plain JSON

    target = app_factory()  # another server (its own signing key): a new token of the same app id
    assert target.put("/__admin/snapshot", json=snapshot).json()["imported"]["conversations"] == 1
    headers = auth_headers(target)
    assert _answers(target, headers, conversation) == before
    job = snapshot["tables"]["jobs"][0]["id"]
    assert target.get(f"/v1/job/{job}", headers=headers).json()["status"] == "completed"


def test_account_snapshot_replaces_only_that_account(client: TestClient, headers: dict[str, str]) -> None:
    other = auth_headers(client, "app-two")
    mine = submit_text(client, headers)["conversationId"]
    theirs = submit_text(client, other)["conversationId"]
    snapshot = client.get("/__admin/snapshot", params={"account": "app-one"}).json()
    assert {r["account"] for r in snapshot["tables"]["conversations"]} == {"app-one"}
    client.post("/__admin/reset", params={"account": "app-one"})
    submit_text(client, headers)  # state made after the snapshot is replaced by it
    imported = client.put("/__admin/snapshot", json=snapshot)
    assert imported.status_code == 200 and imported.json()["imported"]["conversations"] == 1
    assert [c["id"] for c in client.get("/v1/conversations", headers=headers).json()["conversations"]] == [
        mine
    ]
    kept = client.get(f"/v1/conversations/{theirs}", headers=other)
    assert kept.status_code == 200 and kept.json()["id"] == theirs


def test_incompatible_snapshots_are_refused(client: TestClient, headers: dict[str, str]) -> None:
    submit_text(client, headers)
    snapshot = client.get("/__admin/snapshot").json()
    for broken, words in (
        ({**snapshot, "version": 2}, "version 2 is not supported"),
        ({**snapshot, "format": "other"}, "not a mock-symbl snapshot"),
        ({**snapshot, "schemaVersion": "0"}, "schema version"),
        ({**snapshot, "tables": {"nope": []}}, "unknown table"),
        ({**snapshot, "tables": {"conversations": [{"id": "1", "bogus": 1}]}}, "unknown column"),
    ):
        refused = client.put("/__admin/snapshot", json=broken)
        assert refused.status_code == 400
        assert words in refused.json()["message"]
    assert len(client.get("/v1/conversations", headers=headers).json()["conversations"]) == 1


def test_snapshot_file_is_imported_at_start(
    tmp_path: Path, client: TestClient, headers: dict[str, str]
) -> None:
    conversation = submit_text(client, headers)["conversationId"]
    before = client.get(f"/v1/conversations/{conversation}/messages", headers=headers).json()
    path = tmp_path / "state.json"
    path.write_text(json.dumps(client.get("/__admin/snapshot").json()))
    with TestClient(create_app(make_settings(snapshot_file=str(path)))) as booted:
        headers = auth_headers(booted)  # the same app id; the new server signs with its own key
        found = booted.get(f"/v1/conversations/{conversation}", headers=headers)
        assert found.status_code == 200
        assert found.json()["id"] == conversation
        after = booted.get(f"/v1/conversations/{conversation}/messages", headers=headers).json()
        assert before["messages"] and after == before  # the same messages, ids and timings included


def test_bad_snapshot_file_stops_the_start(tmp_path: Path) -> None:
    path = tmp_path / "old.json"
    path.write_text(json.dumps({"format": "mock-symbl-snapshot", "version": 0, "tables": {}}))
    with pytest.raises(IncompatibleSnapshot, match="old.json: snapshot version 0"):
        create_app(make_settings(snapshot_file=str(path)))


def test_seed_dir_loads_conversations_at_boot(tmp_path: Path) -> None:
    (tmp_path / "10-sales.json").write_text(
        json.dumps(
            {
                "account": "demo-app",
                "conversations": [
                    {
                        "name": "Seeded call",
                        "messages": [
                            {"payload": {"content": "Welcome to the demo."}, "from": {"name": "Ann"}}
                        ],
                    }
                ],
            }
        )
    )
    (tmp_path / "notes.txt").write_text("ignored")
    with TestClient(create_app(make_settings(seed_dir=str(tmp_path)))) as booted:
        listed = booted.get("/v1/conversations", headers=auth_headers(booted, "demo-app")).json()[
            "conversations"
        ]
        assert [c["name"] for c in listed] == ["Seeded call"]
        assert (
            booted.get("/v1/conversations", headers=auth_headers(booted, "other")).json()["conversations"]
            == []
        )
    (tmp_path / "20-bad.json").write_text(json.dumps({"conversations": []}))
    with pytest.raises(IncompatibleSnapshot, match='needs "account"'):
        create_app(make_settings(seed_dir=str(tmp_path)))


def test_cli_refuses_a_bad_snapshot_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from mock_symbl.cli import main

    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"format": "mock-symbl-snapshot", "version": 9, "tables": {}}))
    code = main(["--database", ":memory:", "--port", "0", "--no-labs-enabled", "--snapshot-file", str(path)])
    assert code == 2
    assert "bad.json: snapshot version 9 is not supported" in capsys.readouterr().err
