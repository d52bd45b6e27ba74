"""import -> export -> import gives identical answers, in each export format; exports are valid recordings."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient

from tests.helpers import auth_headers
from tests.replay.conftest import ADMIN, CONVERSATIONS, FIXTURES, RESOURCES

ROUTES = [r for r in RESOURCES if r != "conversation"] + ["insights", "intents"]


def _import_all(client: TestClient) -> None:
    for fixture in CONVERSATIONS:
        path = FIXTURES / fixture
        if path.is_dir():
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w") as archive:
                for member in sorted(path.rglob("*.json")):
                    archive.writestr(member.relative_to(path).as_posix(), member.read_bytes())
            body = buffer.getvalue()
        else:
            body = path.read_bytes()
        assert client.post("/__admin/import", headers=ADMIN, content=body).status_code == 200


def _answers(client: TestClient) -> dict[str, Any]:
    headers = auth_headers(client, "imported")
    out: dict[str, Any] = {}
    for cid, job_id in CONVERSATIONS.values():
        base = f"/v1/conversations/{cid}"
        out[cid] = client.get(base, headers=headers).json()
        for route in ROUTES:
            out[f"{cid}/{route}"] = client.get(f"{base}/{route}", headers=headers).json()
        out[f"{cid}/messages?sentiment=true"] = client.get(
            f"{base}/messages?sentiment=true", headers=headers
        ).json()
        if job_id:
            out[job_id] = client.get(f"/v1/job/{job_id}", headers=headers).json()
    return out


@pytest.mark.parametrize("fmt", ["vcrpy", "har", "folder"])
def test_import_export_import_gives_identical_answers(client: TestClient, fmt: str) -> None:
    _import_all(client)
    before = _answers(client)
    exported = client.get("/__admin/export", params={"format": fmt, "account": "imported"})
    assert exported.status_code == 200
    if fmt == "vcrpy":
        assert exported.headers["content-type"].startswith("application/x-yaml")
        cassette = yaml.safe_load(exported.content)
        assert cassette["version"] == 1 and all("uri" in i["request"] for i in cassette["interactions"])
    elif fmt == "har":
        assert json.loads(exported.content)["log"]["version"] == "1.2"
    else:
        names = zipfile.ZipFile(io.BytesIO(exported.content)).namelist()
        assert f"{CONVERSATIONS['folder'][0]}/summary.json" in names
    assert client.post("/__admin/reset").status_code == 200
    report = client.post(
        "/__admin/import", headers=ADMIN, params={"name": f"export.{fmt}"}, content=exported.content
    ).json()
    assert sorted(c["conversationId"] for c in report["imported"]) == sorted(
        c for c, _ in CONVERSATIONS.values()
    )
    assert [c for c in report["imported"] if c["derived"]] == []  # everything came back as recorded
    after = _answers(client)
    if fmt == "folder":  # the folder layout has no parametrized answers: those are derived again
        for cid, _ in CONVERSATIONS.values():
            before.pop(f"{cid}/messages?sentiment=true")
            after.pop(f"{cid}/messages?sentiment=true")
    assert after == before


def test_export_of_a_mock_session_replays_as_recorded(client: TestClient) -> None:
    """Conversations made through the API (not imported) export and import back into another account."""
    headers = auth_headers(client, "live")
    made = client.post(
        "/v1/process/text",
        headers=headers,
        json={"name": "Live call", "messages": [{"payload": {"content": "Can you send the deck by Monday?"},
                                                   "from": {"name": "Ann", "userId": "ann@example.com"}}]},
    ).json()  # fmt: skip
    cid = made["conversationId"]
    questions = client.get(f"/v1/conversations/{cid}/questions", headers=headers).json()
    exported = client.get("/__admin/export", params={"format": "har", "account": "live"}).content
    client.delete(f"/v1/conversations/{cid}", headers=headers)
    report = client.post(
        "/__admin/import", headers=ADMIN, params={"account": "replayed"}, content=exported
    ).json()
    assert report["imported"][0]["jobIds"] == [made["jobId"]]
    replayed = auth_headers(client, "replayed")
    assert client.get(f"/v1/conversations/{cid}/questions", headers=replayed).json() == questions


def test_an_empty_export_imports_as_nothing(client: TestClient) -> None:
    for fmt in ("vcrpy", "har", "folder"):
        exported = client.get("/__admin/export", params={"format": fmt, "account": "nobody"})
        assert exported.status_code == 200
        if fmt == "vcrpy":  # a cassette vcrpy itself loads: an empty list, not null
            assert yaml.safe_load(exported.content) == {"interactions": [], "version": 1}
        report = client.post("/__admin/import", headers=ADMIN, content=exported.content)
        if fmt == "folder":  # an empty zip is still a zip
            assert report.status_code == 200 and report.json()["imported"] == []
            continue
        assert report.status_code == 200, report.text
        assert report.json()["imported"] == [] and report.json()["files"][0]["exchanges"] == 0
