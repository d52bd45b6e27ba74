"""Recordings read whole: HAR 1.2 and Polly.js (HAR-like JSON), nock JSON, and the folder layout.

The folder layout is `<conversationId>/<resource>.json` (a directory, or a zip of one); each file is the
body a GET of that resource answered, so it becomes a synthetic GET exchange on the Symbl host.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import Any

from mock_symbl.replay.exchange import (
    MAX_BODY_BYTES,
    Exchange,
    RecordingError,
    decode_body,
    from_base64,
    from_hex_chunks,
    header_value,
)
from mock_symbl.replay.routes import FOLDER_RESOURCES, SYMBL_BASE, folder_url


def parse_json(data: bytes | str, where: str) -> Any:
    try:
        return json.loads(data)
    except ValueError as exc:  # JSONDecodeError and bad UTF-8 both
        raise RecordingError(f"{where}: not valid JSON ({exc})") from exc


def _har_body(content: Any, headers: Any) -> str | None:
    if not isinstance(content, dict):
        return None
    text = content.get("text")
    if text is None:
        return None
    if not isinstance(text, str):
        raise RecordingError("response content.text must be a string")
    if content.get("encoding") == "base64":
        return decode_body(from_base64(text), header_value(headers, "content-encoding"))
    return text


def har_exchanges(data: dict[str, Any], source: str) -> tuple[str, list[Exchange]]:
    """HAR 1.2 or a Polly.js recording (HAR with `_id`/`_order`, creator Polly.JS)."""
    log = data["log"]
    creator = str((log.get("creator") or {}).get("name", "")) if isinstance(log, dict) else ""
    entries = log.get("entries") if isinstance(log, dict) else None
    if not isinstance(entries, list):
        raise RecordingError(f"{source}: a HAR file needs log.entries")
    polly = "polly" in creator.lower() or any(isinstance(e, dict) and "_order" in e for e in entries)
    out = []
    for i, entry in enumerate(entries):
        where = f"{source} entry {i + 1}"
        try:
            request, response = entry["request"], entry["response"]
            post = request.get("postData") or {}
            out.append(
                Exchange(
                    str(request["method"]).upper(),
                    str(request["url"]),
                    int(response["status"]),
                    post.get("text") if isinstance(post, dict) else None,
                    _har_body(response.get("content"), response.get("headers")),
                    where,
                )
            )
        except (KeyError, TypeError, ValueError, AttributeError, RecordingError) as exc:
            raise RecordingError(f"{where}: not a HAR entry ({exc.__class__.__name__}: {exc})") from exc
    return ("polly" if polly else "har"), out


def _nock_body(value: Any, raw_headers: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        # nock records binary (e.g. gzip) answers as hex chunks
        return decode_body(from_hex_chunks(value), header_value(raw_headers, "content-encoding"))
    return json.dumps(value)


def nock_exchanges(data: list[Any], source: str) -> list[Exchange]:
    """nock.recorder output (`output_objects: true`) or nock-back fixtures: [{scope, method, path, ...}]."""
    out = []
    for i, item in enumerate(data):
        where = f"{source} definition {i + 1}"
        try:
            scope, path = str(item["scope"]).rstrip("/"), str(item["path"])
            headers = item.get("rawHeaders") or item.get("headers")
            out.append(
                Exchange(
                    str(item.get("method", "GET")).upper(),
                    scope + path,
                    int(item.get("status", 200)),
                    _nock_body(item.get("body"), None),
                    _nock_body(item.get("response"), headers),
                    where,
                )
            )
        except (KeyError, TypeError, ValueError, AttributeError, RecordingError) as exc:
            raise RecordingError(f"{where}: not a nock definition ({exc.__class__.__name__}: {exc})") from exc
    return out


def _folder_exchange(conversation_id: str, resource: str, body: str, where: str) -> Exchange:
    return Exchange("GET", folder_url(conversation_id, resource), 200, None, body, where)


def folder_members(names: list[str]) -> Iterator[tuple[str, str, str]]:
    """(name, conversationId, resource) of each `<conversationId>/<resource>.json` among relative names."""
    for name in names:
        parts = PurePosixPath(name).parts
        if len(parts) < 2 or not parts[-1].endswith(".json"):
            continue
        resource = parts[-1][: -len(".json")]
        if resource in FOLDER_RESOURCES:
            yield name, parts[-2], resource


class Folder:
    """A directory in the folder layout; each file is read when loaded."""

    format = "folder"

    def __init__(self, path: Path, source: str) -> None:
        self.path, self.source = path, source

    def scan(self) -> Iterator[tuple[Any, Exchange]]:
        names = sorted(p.relative_to(self.path).as_posix() for p in self.path.rglob("*.json") if p.is_file())
        for name, conversation_id, resource in folder_members(names):
            locator = (name, conversation_id, resource)
            yield locator, self.load(locator)

    def load(self, locator: Any) -> Exchange:
        name, conversation_id, resource = locator
        try:
            text = (self.path / name).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise RecordingError(f"{self.source}/{name}: cannot be read ({exc})") from exc
        return _folder_exchange(conversation_id, resource, text, f"{self.source}/{name}")


class ZipFolder(Folder):
    """A zip of the folder layout (what GET /__admin/export?format=folder writes)."""

    def scan(self) -> Iterator[tuple[Any, Exchange]]:
        try:
            with zipfile.ZipFile(self.path) as archive:
                names = sorted(n for n in archive.namelist() if not n.endswith("/"))
        except (zipfile.BadZipFile, OSError) as exc:
            raise RecordingError(f"{self.source}: not a readable zip ({exc})") from exc
        for name, conversation_id, resource in folder_members(names):
            locator = (name, conversation_id, resource)
            yield locator, self.load(locator)

    def load(self, locator: Any) -> Exchange:
        name, conversation_id, resource = locator
        try:
            with zipfile.ZipFile(self.path) as archive:
                if archive.getinfo(name).file_size > MAX_BODY_BYTES:  # never inflate a zip bomb
                    raise RecordingError(f"{self.source}/{name}: over {MAX_BODY_BYTES >> 20} MB")
                with archive.open(name) as member:
                    data = member.read(MAX_BODY_BYTES + 1)
                if len(data) > MAX_BODY_BYTES:
                    raise RecordingError(f"{self.source}/{name}: over {MAX_BODY_BYTES >> 20} MB")
                text = data.decode("utf-8")
        except (zipfile.BadZipFile, OSError, KeyError, UnicodeDecodeError) as exc:
            raise RecordingError(f"{self.source}/{name}: cannot be read ({exc})") from exc
        return _folder_exchange(conversation_id, resource, text, f"{self.source}/{name}")


class InMemory:
    """Exchanges already parsed (the JSON formats): load() returns them again."""

    def __init__(self, source: str, kind: str, exchanges: list[Exchange]) -> None:
        self.source, self.format, self._exchanges = source, kind, exchanges

    def scan(self) -> Iterator[tuple[Any, Exchange]]:
        yield from enumerate(self._exchanges)

    def load(self, locator: Any) -> Exchange:
        return self._exchanges[locator]


def json_recording(data: Any, source: str) -> InMemory | None:
    """The JSON formats: HAR/Polly, nock; None for a JSON document that is none of them."""
    if isinstance(data, dict) and isinstance(data.get("log"), dict):
        kind, exchanges = har_exchanges(data, source)
        return InMemory(source, kind, exchanges)
    if isinstance(data, list) and data and all(isinstance(d, dict) and "scope" in d for d in data):
        return InMemory(source, "nock", nock_exchanges(data, source))
    return None


__all__ = ["SYMBL_BASE", "Folder", "InMemory", "ZipFolder", "json_recording", "parse_json"]
