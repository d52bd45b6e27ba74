"""Write conversations as recordings: a vcrpy cassette, HAR 1.2, or a zip of the folder layout.

Each conversation is written as the GETs that read it (and the job submissions and reads that made it), on
Symbl's host, so importing the file again (into the mock, or as a fixture of a test suite using vcrpy)
gives the same answers. Written one interaction at a time to a binary stream.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO, Any

import yaml

from mock_symbl.replay.routes import SYMBL_BASE, folder_url

FORMATS = ("vcrpy", "har", "folder")
MEDIA_TYPES = {"vcrpy": "application/x-yaml", "har": "application/json", "folder": "application/zip"}
FILE_NAMES = {"vcrpy": "symbl-cassette.yaml", "har": "symbl.har", "folder": "symbl-conversations.zip"}
_PROCESS_PATHS = {
    "text": "text",
    "audio": "audio",
    "audio_url": "audio/url",
    "video": "video",
    "video_url": "video/url",
}

try:
    _Dumper: Any = yaml.CSafeDumper
except AttributeError:  # pragma: no cover - a PyYAML built without libyaml
    _Dumper = yaml.SafeDumper


@dataclass
class ConversationExport:
    conversation_id: str
    answers: list[tuple[str, Any]]  # (answer key, body) in a stable order
    jobs: list[tuple[str, str, str]]  # (job id, kind, status)


@dataclass(frozen=True)
class Call:
    method: str
    url: str
    request: Any
    response: Any


def _compact(body: Any) -> str:
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False)


def calls(conv: ConversationExport) -> Iterable[Call]:
    """The requests that give the conversation's jobs and answers, in the order a client would send them."""
    cid = conv.conversation_id
    for job_id, kind, status in conv.jobs:
        path = _PROCESS_PATHS.get(kind, "text")
        yield Call("POST", f"{SYMBL_BASE}/v1/process/{path}", None, {"conversationId": cid, "jobId": job_id})
        yield Call("GET", f"{SYMBL_BASE}/v1/job/{job_id}", None, {"id": job_id, "status": status})
    for key, body in conv.answers:
        resource, _, query = key.partition("?")
        url = folder_url(cid, resource) + (f"?{query}" if query else "")
        yield Call("GET", url, None, body)


def write_vcrpy(conversations: Iterable[ConversationExport], out: IO[bytes]) -> None:
    started = False  # an account with nothing to export is `interactions: []`, which vcrpy loads (not null)
    for conv in conversations:
        for call in calls(conv):
            if not started:
                out.write(b"interactions:\n")
                started = True
            json_headers = {"Content-Type": ["application/json"]}
            item = {
                "request": {
                    "body": None if call.request is None else _compact(call.request),
                    "headers": {"Accept": ["application/json"]},
                    "method": call.method,
                    "uri": call.url,
                },
                "response": {
                    "body": {"string": _compact(call.response)},
                    "headers": json_headers,
                    "status": {"code": 200, "message": "OK"},
                },
            }
            text = yaml.dump([item], Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=1 << 30)
            out.write(text.encode("utf-8"))
    if not started:
        out.write(b"interactions: []\n")
    out.write(b"version: 1\n")


def write_har(conversations: Iterable[ConversationExport], out: IO[bytes], *, creator: str) -> None:
    head = {"version": "1.2", "creator": {"name": "mock-symbl", "version": creator}}
    out.write(b'{"log": ' + json.dumps(head)[:-1].encode() + b', "entries": [')
    first = True
    for conv in conversations:
        for call in calls(conv):
            text = _compact(call.response)
            entry = {
                "startedDateTime": "1970-01-01T00:00:00.000Z",
                "time": 0,
                "request": {
                    "method": call.method,
                    "url": call.url,
                    "httpVersion": "HTTP/1.1",
                    "headers": [{"name": "Accept", "value": "application/json"}],
                    "queryString": [],
                    "cookies": [],
                    "headersSize": -1,
                    "bodySize": 0,
                },
                "response": {
                    "status": 200,
                    "statusText": "OK",
                    "httpVersion": "HTTP/1.1",
                    "headers": [{"name": "Content-Type", "value": "application/json"}],
                    "cookies": [],
                    "content": {"size": len(text.encode()), "mimeType": "application/json", "text": text},
                    "redirectURL": "",
                    "headersSize": -1,
                    "bodySize": len(text.encode()),
                },
                "cache": {},
                "timings": {"send": 0, "wait": 0, "receive": 0},
            }
            out.write((b"" if first else b",\n") + json.dumps(entry, ensure_ascii=False).encode("utf-8"))
            first = False
    out.write(b"]}}\n")


def write_folder(conversations: Iterable[ConversationExport], out: IO[bytes]) -> None:
    """`<conversationId>/<resource>.json` (answers with parameters have no place in it) and jobs.json."""
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for conv in conversations:
            for key, body in conv.answers:
                if "?" not in key:
                    archive.writestr(f"{conv.conversation_id}/{key}.json", json.dumps(body, indent=2))
            jobs = [{"id": j, "kind": k, "status": s} for j, k, s in conv.jobs]
            if jobs:
                archive.writestr(f"{conv.conversation_id}/jobs.json", json.dumps(jobs, indent=2))
