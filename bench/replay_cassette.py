"""A large vcrpy cassette of synthetic Symbl traffic (for bench_replay and the bounded-memory test)."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

WORDS = (
    "we reviewed the quarterly numbers and the renewal pricing for the support plan then agreed to send "
    "the contract on friday and schedule a follow up call with the legal team next week"
).split()


def _interaction(method: str, uri: str, body: object) -> dict[str, object]:
    return {
        "request": {"body": None, "headers": {"Accept": ["application/json"]}, "method": method, "uri": uri},
        "response": {
            "body": {"string": json.dumps(body, separators=(",", ":"))},
            "headers": {"Content-Type": ["application/json"]},
            "status": {"code": 200, "message": "OK"},
        },
    }


def _conversation(index: int, messages: int) -> list[dict[str, object]]:
    cid = str(4_000_000_000_000_000 + index)
    job = f"00000000-0000-4000-8000-{index:012d}"
    api = "https://api.symbl.ai"
    members = [
        {"id": f"10000000-0000-4000-8000-{index:08d}0001", "name": "Ann", "email": "ann@example.com"},
        {"id": f"10000000-0000-4000-8000-{index:08d}0002", "name": "Ben", "email": "ben@example.com"},
    ]
    rows = []
    for i in range(messages):
        who = members[i % 2]
        text = " ".join(WORDS[(i + k) % len(WORDS)] for k in range(24)).capitalize() + "."
        seconds = i * 10
        rows.append(
            {
                "id": str(5_000_000_000_000_000 + index * 100_000 + i),
                "text": text,
                "from": {"id": who["id"], "name": who["name"], "userId": who["email"]},
                "startTime": f"2023-01-01T{10 + seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}.000Z",
                "endTime": f"2023-01-01T{10 + seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60 + 9:02d}.000Z",
                "timeOffset": seconds,
                "duration": 9,
                "conversationId": cid,
                "phrases": [],
            }
        )
    topics = {"topics": [{"id": str(6_000_000_000_000_000 + index), "text": "pricing", "type": "topic",
                          "score": 0.8, "messageIds": [rows[0]["id"]], "parentRefs": []}]}  # fmt: skip
    return [
        _interaction("POST", f"{api}/v1/process/text", {"conversationId": cid, "jobId": job}),
        _interaction("GET", f"{api}/v1/job/{job}", {"id": job, "status": "completed"}),
        _interaction("GET", f"{api}/v1/conversations/{cid}/messages", {"messages": rows}),
        _interaction("GET", f"{api}/v1/conversations/{cid}/members", {"members": members}),
        _interaction("GET", f"{api}/v1/conversations/{cid}/topics", topics),
    ]


def write_cassette(path: Path, target_bytes: int, *, messages: int = 400, first: int = 0) -> int:
    """Write conversations (ids from index `first`) until the file reaches `target_bytes`; returns how many."""
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    count = 0
    with path.open("w", encoding="utf-8") as out:
        out.write("interactions:\n")
        while out.tell() < target_bytes:
            out.write(yaml.dump(_conversation(first + count, messages), Dumper=dumper, sort_keys=False))
            count += 1
        out.write("version: 1\n")
    return count
