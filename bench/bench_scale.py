"""Scale: list, get and messages latency with 10,000 conversations (1,000,000 messages) vs 10 conversations."""

from __future__ import annotations

import random
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import select

from bench.common import SHORT, figure, median, mock_server, percentile, text_messages, token
from mock_symbl.ids import stable_numeric_id, stable_uuid
from mock_symbl.store.db import Database
from mock_symbl.store.tables import Conversation, InsightSet, Member, Message

BIG = 300 if SHORT else 10_000
SMALL = 10
MESSAGES = 100
REQUESTS = 20 if SHORT else 200
CHUNK = 50_000
COMMAND = "python -m bench scale"


def _template(db_file: Path) -> str:
    """One real 100-message conversation made by the app itself (POST /v1/process/text, immediate)."""
    from fastapi.testclient import TestClient

    from mock_symbl.app import create_app
    from mock_symbl.settings import Settings

    app = create_app(Settings(database=str(db_file), job_progression="immediate"))
    with TestClient(app) as client:
        tok = token(client)
        r = client.post(
            "/v1/process/text", json={"messages": text_messages(MESSAGES)}, headers={"x-api-key": tok}
        )
        r.raise_for_status()
        cid = str(r.json()["conversationId"])
        # Insights are computed on the first read (jobs/deferred.py): read once so the stored bundle exists and
        # is cloned with the conversation, as a real account's processed conversations would have it.
        client.get(f"/v1/conversations/{cid}/topics", headers={"x-api-key": tok}).raise_for_status()
        return cid


def _rows(conn: Any, table: Any, column: Any, value: str) -> list[dict[str, Any]]:
    return [dict(r._mapping) for r in conn.execute(select(table).where(column == value))]


def seed(db_file: Path, count: int) -> list[str]:
    """Clone the template conversation `count - 1` times in bulk through the store's tables (same schema)."""
    template = _template(db_file)
    db = Database(db_file)
    conv_t, msg_t, mem_t = Conversation.__table__, Message.__table__, Member.__table__  # type: ignore[attr-defined]
    ins_t = InsightSet.__table__  # type: ignore[attr-defined]
    ids = [template]
    with db.engine.begin() as conn:
        conv = _rows(conn, conv_t, conv_t.c.id, template)[0]
        messages = _rows(conn, msg_t, msg_t.c.conversation_id, template)
        members = _rows(conn, mem_t, mem_t.c.conversation_id, template)
        bundle = _rows(conn, ins_t, ins_t.c.conversation_id, template)[0]
    convs: list[dict[str, Any]] = []
    msgs: list[dict[str, Any]] = []
    mems: list[dict[str, Any]] = []
    bundles: list[dict[str, Any]] = []

    def flush(force: bool = False) -> None:
        if not force and len(msgs) < CHUNK:
            return
        with db.engine.begin() as conn:
            for table, rows in ((conv_t, convs), (mem_t, mems), (msg_t, msgs), (ins_t, bundles)):
                if rows:
                    conn.execute(table.insert(), rows)
                    rows.clear()

    for i in range(1, count):
        cid = str(7_000_000_000_000_000 + i)
        ids.append(cid)
        convs.append({**conv, "id": cid, "name": f"conversation {i}"})
        member_ids = {m["id"]: stable_uuid(cid, "member", m["id"]) for m in members}
        mems.extend({**m, "id": member_ids[m["id"]], "conversation_id": cid} for m in members)
        bundles.append({**bundle, "conversation_id": cid})
        msgs.extend(
            {
                **m,
                "id": stable_numeric_id(cid, "message", m["seq"]),
                "conversation_id": cid,
                "member_id": member_ids.get(m["member_id"]),
            }
            for m in messages
        )
        flush()
    flush(force=True)
    with db.engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE")
    db.engine.dispose()
    return ids


def _latencies(client: httpx.Client, paths: list[str], headers: dict[str, str]) -> list[float]:
    out = []
    for path in paths:
        start = time.perf_counter()
        r = client.get(path, headers=headers)
        out.append(time.perf_counter() - start)
        r.raise_for_status()
    return out


ROUTES = (
    ("list", "GET /v1/conversations?limit=10"),
    ("list_offset", "GET /v1/conversations?limit=10&offset=N-10 (last page)"),
    ("get", "GET /v1/conversations/{id}"),
    ("messages", "GET /v1/conversations/{id}/messages"),
)
ROUNDS = 1 if SHORT else 5


def _paths(ids: list[str], count: int) -> dict[str, list[str]]:
    rng = random.Random(7)
    sample = [rng.choice(ids[1:]) for _ in range(REQUESTS)]  # clones only: same content at both sizes
    return {
        # Pages of 10 at both sizes, so the comparison measures the table's size, not the page's.
        "list": ["/v1/conversations?limit=10"] * (REQUESTS // 4),
        "list_offset": [f"/v1/conversations?limit=10&offset={max(0, count - 10)}"] * (REQUESTS // 4),
        "get": [f"/v1/conversations/{i}" for i in sample],
        "messages": [f"/v1/conversations/{i}/messages" for i in sample],
    }


def measure() -> dict[str, Any]:
    """Seed both databases, serve both at once, and alternate rounds of requests so noise hits both alike."""
    with tempfile.TemporaryDirectory(prefix="mock-symbl-scale-") as tmp:
        files = {SMALL: Path(tmp) / "small.db", BIG: Path(tmp) / "big.db"}
        seeded, paths = {}, {}
        for count, db_file in files.items():
            started = time.perf_counter()
            paths[count] = _paths(seed(db_file, count), count)
            seeded[count] = time.perf_counter() - started
        out: dict[str, Any] = {
            "seed_s": seeded,
            "db_mb": {c: f.stat().st_size / 1e6 for c, f in files.items()},
        }
        with (
            # Without the answer cache: the 10 small conversations would be answered from memory after
            # their first read, and the comparison is about the database's lookups.
            mock_server(
                str(files[SMALL]), "--job-progression", "immediate", "--no-answer-cache"
            ) as small_base,
            mock_server(str(files[BIG]), "--job-progression", "immediate", "--no-answer-cache") as big_base,
            httpx.Client(timeout=60) as c,
        ):
            bases = {SMALL: small_base, BIG: big_base}
            headers = {count: {"x-api-key": token(base)} for count, base in bases.items()}
            times: dict[int, dict[str, list[float]]] = {SMALL: {}, BIG: {}}
            for count, base in bases.items():
                listed = c.get(base + "/v1/conversations", params={"limit": 100}, headers=headers[count])
                out[f"listed_{count}"] = len(listed.json()["conversations"])
                for key, _ in ROUTES:  # warm-up: page cache, route, first-use imports
                    _latencies(c, [base + p for p in paths[count][key][:20]], headers[count])
            for r in range(ROUNDS):
                for key, _ in ROUTES:
                    for count, base in bases.items():
                        chunk = paths[count][key]
                        size = len(chunk) // ROUNDS
                        part = [base + p for p in chunk[r * size : (r + 1) * size]]
                        times[count].setdefault(key, []).extend(_latencies(c, part, headers[count]))
            out["times"] = times
    return out


def run() -> dict[str, Any]:
    result = measure()
    small, big = result["times"][SMALL], result["times"][BIG]
    figures = []
    for key, label in ROUTES:
        s, b = median(small[key]) * 1000, median(big[key]) * 1000
        ratio = b / s
        figures.append(
            figure(
                f"{label}: median at {BIG:,} / at {SMALL} conversations",
                round(ratio, 2),
                "x",
                target="<= 1.5x",
                passed=ratio <= 1.5,
                command=COMMAND,
                note=f"{b:.2f} ms vs {s:.2f} ms; p99 {percentile(big[key], 99) * 1000:.1f} ms at {BIG:,}",
            )
        )
    return {
        "title": "Scale: 10,000 conversations",
        "description": (
            f"An account with {BIG:,} conversations of {MESSAGES} messages ({BIG * MESSAGES:,} messages, "
            f"{result['db_mb'][BIG]:.0f} MB SQLite file, seeded in {result['seed_s'][BIG]:.0f} s by cloning one "
            "real conversation through the store's tables) against the same with "
            f"{SMALL}; both servers up at once, {ROUNDS} alternated rounds, {REQUESTS} sequential requests per "
            "route over HTTP on random conversations (a quarter of that for the two list routes), medians. "
            "Each clone carries a copy of the template's stored insight bundle (whose per-message facts name the "
            "template's messages, so the clones render plain messages), and both servers run with "
            "`--no-answer-cache`, so every request reads the database: the comparison isolates the lookups."
        ),
        "figures": figures,
        "raw": {
            "seed_s": result["seed_s"],
            "median_ms": {
                str(c): {k: round(median(v) * 1000, 2) for k, v in t.items()}
                for c, t in result["times"].items()
            },
        },
    }
