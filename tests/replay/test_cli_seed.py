"""`mock-symbl import` into a database file, and recordings in --seed-dir at start-up."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from mock_symbl.admin.snapshots import IncompatibleSnapshot
from mock_symbl.app import create_app
from mock_symbl.cli import main
from tests.conftest import make_settings
from tests.helpers import auth_headers
from tests.replay.conftest import CONVERSATIONS, FIXTURES, recorded


def test_cli_import_then_serve_the_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    database = tmp_path / "mock.db"
    paths = [str(FIXTURES / "vcrpy_cassette.yaml"), str(FIXTURES / "folder")]
    code = main(["import", *paths, "--database", str(database), "--account", "my-app"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "Imported 2 conversation(s) into account 'my-app'" in out
    assert "token request (tokens are never imported)" in out
    with TestClient(create_app(make_settings(database=str(database)))) as client:
        headers = auth_headers(client, "my-app")
        for fixture in ("vcrpy_cassette.yaml", "folder"):
            cid = CONVERSATIONS[fixture][0]
            assert client.get(f"/v1/conversations/{cid}/summary", headers=headers).status_code == 200
        cid = CONVERSATIONS["vcrpy_cassette.yaml"][0]
        assert (
            client.get(f"/v1/conversations/{cid}/topics", headers=headers).json()
            == recorded("vcrpy_cassette.yaml")["topics"]
        )


def test_cli_import_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("interactions:\n- request: {method: GET\n")
    code = main(
        ["import", str(bad), str(FIXTURES / "nock_recording.json"), "--database", str(tmp_path / "m.db")]
    )
    out = capsys.readouterr().out
    assert code == 1 and "ERROR:" in out and "Imported 1 conversation(s)" in out
    assert main(["import", str(bad), "--database", ":memory:"]) == 2


def test_seed_dir_imports_recordings_into_the_import_account(tmp_path: Path) -> None:
    for fixture in ("govcr_cassette.yaml", "polly_recording.har", "nock_recording.json", "devtools.har"):
        shutil.copy(FIXTURES / fixture, tmp_path / fixture)
    shutil.copytree(FIXTURES / "folder", tmp_path / "folder")
    with TestClient(create_app(make_settings(seed_dir=str(tmp_path), import_account="team"))) as client:
        headers = auth_headers(client, "team")
        for fixture in ("govcr_cassette.yaml", "polly_recording.har", "nock_recording.json", "folder"):
            cid = CONVERSATIONS[fixture][0]
            answer = client.get(f"/v1/conversations/{cid}/messages", headers=headers)
            assert answer.status_code == 200 and len(answer.json()["messages"]) == 6, fixture
    (tmp_path / "zz-broken.yaml").write_text("interactions:\n- request: [\n")
    with pytest.raises(IncompatibleSnapshot, match="zz-broken.yaml.*not valid YAML"):
        create_app(make_settings(seed_dir=str(tmp_path)))


def test_cli_import_needs_a_path(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", "--database", "x.db"]) == 2
    assert "give one or more recordings" in capsys.readouterr().err
