"""Cost as work grows: job turnaround and the first insights read by conversation size, list latency by
account size, each with its slope per item (the least-squares line through the sizes measured)."""

from __future__ import annotations

import json
import tempfile
import time
from datetime import UTC, timedelta
from pathlib import Path
from typing import Any

from bench.common import SHORT, figure, median, text_messages

MESSAGE_SIZES = (10, 100, 1_000) if SHORT else (10, 100, 1_000, 10_000)
LIST_SIZES = (10, 1_000) if SHORT else (10, 1_000, 10_000)
RUNS = 1 if SHORT else 3
LIST_REQUESTS = 5 if SHORT else 50
COMMAND = "python -m bench growth"


def slope(points: list[tuple[int, float]]) -> float:
    """Least-squares slope of (size, value) points: the cost of one more item."""
    n = len(points)
    mean_x = sum(x for x, _ in points) / n
    mean_y = sum(y for _, y in points) / n
    var = sum((x - mean_x) ** 2 for x, _ in points)
    return sum((x - mean_x) * (y - mean_y) for x, y in points) / var if var else 0.0


def _job_and_first_read(client: Any, headers: dict[str, str], size: int, salt: int) -> tuple[float, float]:
    """Seconds of (submit -> completed job, the first insights read that computes the bundle)."""
    body = {"name": f"growth {size}", "messages": text_messages(size, salt=salt, one_sentence=True)}
    start = time.perf_counter()
    response = client.post("/v1/process/text", json=body, headers=headers)
    response.raise_for_status()
    job = client.get(f"/v1/job/{response.json()['jobId']}", headers=headers).json()
    turnaround = time.perf_counter() - start
    if job["status"] != "completed":
        raise RuntimeError(f"job not completed after an immediate submission: {job}")
    start = time.perf_counter()
    topics = client.get(f"/v1/conversations/{response.json()['conversationId']}/topics", headers=headers)
    first_read = time.perf_counter() - start
    topics.raise_for_status()
    return turnaround, first_read


def _add_conversations(app: Any, account: str, start: int, stop: int) -> None:
    from mock_symbl.store.tables import Conversation

    services = app.state.services
    now = services.clock.now()
    rows = []
    for i in range(start, stop):
        began = (now - timedelta(days=i % 30, minutes=i)).astimezone(UTC)
        rows.append(
            {
                "id": str(9_000_000_000_000_000 + i),
                "account": account,
                "namespace": "",
                "type": "meeting",
                "name": f"conversation {i:05d}",
                "source": "text",
                "status": "completed",
                "start_time": began,
                "end_time": began + timedelta(minutes=30),
                "created_at": began,
                "metadata_json": json.dumps({"agentId": f"agent{i % 10}"}),
                "options_json": "{}",
                "message_count": 0,
            }
        )
    with services.db.engine.begin() as conn:
        conn.execute(Conversation.__table__.insert(), rows)  # type: ignore[attr-defined]
        conn.exec_driver_sql("ANALYZE")


def _list_latency(client: Any, headers: dict[str, str]) -> float:
    client.get("/v1/conversations", headers=headers).raise_for_status()
    times = []
    for _ in range(LIST_REQUESTS):
        start = time.perf_counter()
        response = client.get("/v1/conversations", headers=headers)
        times.append(time.perf_counter() - start)
        response.raise_for_status()
    return median(times)


def run() -> dict[str, Any]:
    from fastapi.testclient import TestClient

    from mock_symbl.app import create_app
    from mock_symbl.settings import Settings

    jobs: dict[int, float] = {}
    reads: dict[int, float] = {}
    lists: dict[int, float] = {}
    with tempfile.TemporaryDirectory(prefix="mock-symbl-growth-") as tmp:
        app = create_app(Settings(database=str(Path(tmp) / "growth.db"), job_progression="immediate"))
        with TestClient(app) as client:
            tok = client.post(
                "/oauth2/token:generate", json={"type": "application", "appId": "growth", "appSecret": "s"}
            ).json()["accessToken"]
            headers = {"x-api-key": tok}
            app.state.boot.nlp_warm.wait(60)  # as a user's server is a second after start
            _job_and_first_read(client, headers, 10, salt=999)  # warm-up, not measured
            for size in MESSAGE_SIZES:
                runs = [_job_and_first_read(client, headers, size, salt=i) for i in range(RUNS)]
                jobs[size] = median([r[0] for r in runs])
                reads[size] = median([r[1] for r in runs])
        # A separate account on a fresh database: the list reads this account's conversations only.
        app = create_app(Settings(database=str(Path(tmp) / "lists.db")))
        with TestClient(app) as client:
            tok = client.post(
                "/oauth2/token:generate", json={"type": "application", "appId": "lists", "appSecret": "s"}
            ).json()["accessToken"]
            headers = {"x-api-key": tok}
            have = 0
            for size in LIST_SIZES:
                _add_conversations(app, "lists", have, size)
                have = size
                lists[size] = _list_latency(client, headers)
    figures = []
    for label, values, unit_note in (
        ("job turnaround", jobs, "messages"),
        ("first insights read (computes the bundle)", reads, "messages"),
        ("GET /v1/conversations latency", lists, "conversations in the account"),
    ):
        for size, seconds in values.items():
            figures.append(
                figure(
                    f"{label}, {size:,} {unit_note}",
                    round(seconds * 1000, 1),
                    "ms",
                    target="(reported)",
                    passed=None,
                    command=COMMAND,
                )
            )
        per_item = slope([(size, seconds * 1000) for size, seconds in values.items()])
        figures.append(
            figure(
                f"{label}: slope per item",
                round(per_item * 1000, 2),
                "µs",
                target="(reported)",
                passed=None,
                command=COMMAND,
            )
        )
    return {
        "title": "Cost as work grows",
        "description": (
            "In-process (TestClient, immediate progression, the NLP libraries already loaded as they are a "
            "moment after start): POST /v1/process/text of N one-sentence messages to a completed job, then the "
            f"first GET .../topics (which computes and stores the insight bundle), N in {MESSAGE_SIZES}, median "
            f"of {RUNS}; GET /v1/conversations (first page) on an account of {LIST_SIZES} conversations, median "
            f"of {LIST_REQUESTS}. The slope is the least-squares line through the sizes (µs per message or "
            "conversation)."
        ),
        "figures": figures,
        "raw": {"jobs_s": jobs, "first_read_s": reads, "list_s": lists},
    }
