"""Recordings under tests/replay/fixtures, what each recorded (read independently of mock_symbl.replay),
and a real server on a free port with all of them imported."""

from __future__ import annotations

import base64
import gzip
import io
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
import yaml

from mock_symbl.server import MockServer
from tests.conftest import make_settings

FIXTURES = Path(__file__).parent / "fixtures"
# A recording is not JSON: state-changing admin calls then carry X-Mock-Admin (admin/security.py)
ADMIN = {"X-Mock-Admin": "1"}
# fixture -> (conversation id, job id or None); job ids come from the recorded POST /v1/process/text answers
CONVERSATIONS = {
    "vcrpy_cassette.yaml": ("5771493522014208", "2f1f2a3d-4b6c-4d8e-9f01-23456789abcd"),
    "govcr_cassette.yaml": ("6549352073920512", "0d9a6c34-8e1f-4a2b-b3c4-d5e6f7a8b9c0"),
    "polly_recording.har": ("4685221383979008", "7c3e9f10-2a4b-4c6d-8e0f-1a2b3c4d5e6f"),
    "nock_recording.json": ("5694710412296192", "b1c2d3e4-f5a6-4b7c-8d9e-0f1a2b3c4d5e"),
    "devtools.har": ("6228183567695872", None),
    "folder": ("4929812839276544", None),
}
RESOURCES = (
    "conversation",
    "messages",
    "members",
    "topics",
    "questions",
    "action-items",
    "follow-ups",
    "entities",
    "analytics",
    "trackers",
    "summary",
)


def _key(url: str, cid: str) -> str | None:
    parts = urlsplit(url)
    prefix = f"/v1/conversations/{cid}"
    if not parts.path.startswith(prefix):
        return None
    resource = parts.path[len(prefix) :].strip("/") or "conversation"
    return resource + (f"?{parts.query}" if parts.query else "")


def recorded(fixture: str) -> dict[str, Any]:
    """{"topics": body, "messages?sentiment=true": body, ...}: the 2xx answers recorded for the conversation."""
    cid = CONVERSATIONS[fixture][0]
    pairs: list[tuple[str, int, Any]] = []
    path = FIXTURES / fixture
    if fixture == "folder":
        return {p.stem: json.loads(p.read_text()) for p in (path / cid).glob("*.json")}
    if fixture.endswith(".yaml"):
        for item in yaml.safe_load(path.read_text())["interactions"]:
            req, resp = item["request"], item["response"]
            body = resp["body"]["string"] if isinstance(resp["body"], dict) else resp["body"]
            if isinstance(body, bytes):
                body = gzip.decompress(body).decode()
            code = resp["status"]["code"] if isinstance(resp["status"], dict) else resp["code"]
            pairs.append((req.get("uri") or req["url"], code, body))
    elif fixture.endswith(".har"):
        for entry in json.loads(path.read_text())["log"]["entries"]:
            content = entry["response"]["content"]
            text = content["text"]
            if content.get("encoding") == "base64":
                text = base64.b64decode(text).decode()
            pairs.append((entry["request"]["url"], entry["response"]["status"], text))
    else:  # nock
        for item in json.loads(path.read_text()):
            body = item["response"]
            if item.get("responseIsBinary"):
                body = gzip.decompress(bytes.fromhex("".join(body))).decode()
            pairs.append((item["scope"].replace(":443", "") + item["path"], item["status"], body))
    out: dict[str, Any] = {}
    for url, status, body in pairs:
        key = _key(url, cid)
        if key is not None and 200 <= status < 300 and not key.startswith(("intents", "callscore")):
            out[key] = json.loads(body) if isinstance(body, str) else body
    return out


def import_file(base_url: str, fixture: str, **params: str) -> httpx.Response:
    """POST /__admin/import: a file as the raw body; the folder zipped, as a multipart file field."""
    path = FIXTURES / fixture
    if path.is_dir():
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            for member in sorted(path.rglob("*.json")):
                archive.writestr(member.relative_to(path).as_posix(), member.read_bytes())
        files = [("file", (f"{fixture}.zip", buffer.getvalue(), "application/zip"))]
        return httpx.post(f"{base_url}/__admin/import", params=params, files=files, headers=ADMIN, timeout=60)
    return httpx.post(
        f"{base_url}/__admin/import",
        headers=ADMIN,
        params={"name": fixture, **params},
        content=path.read_bytes(),
        timeout=60,
    )


def start_server(**overrides: Any) -> MockServer:
    return MockServer(make_settings(**overrides)).start()


@pytest.fixture
def server() -> Iterator[MockServer]:
    live = start_server()
    yield live
    live.stop()


@pytest.fixture(scope="module")
def loaded() -> Iterator[MockServer]:
    """One server with every fixture imported into account `imported` (read-only tests share it)."""
    live = start_server()
    for fixture in CONVERSATIONS:
        response = import_file(live.base_url, fixture)
        assert response.status_code == 200, response.text
    yield live
    live.stop()
