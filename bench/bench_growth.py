"""Cost as work grows: job turnaround and the first insights read by conversation size, list latency by
account size, each with its slope per item (the least-squares line through the sizes measured)."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import SHORT, add_conversations, figure, median, text_messages, timed_text_job, token

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
    turnaround, submitted = timed_text_job(client, headers, body)
    start = time.perf_counter()
    topics = client.get(f"/v1/conversations/{submitted['conversationId']}/topics", headers=headers)
    first_read = time.perf_counter() - start
    topics.raise_for_status()
    return turnaround, first_read


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
            headers = {"x-api-key": token(client, "growth")}
            app.state.boot.nlp_warm.wait(60)  # as a user's server is a second after start
            _job_and_first_read(client, headers, 10, salt=999)  # warm-up, not measured
            for size in MESSAGE_SIZES:
                runs = [_job_and_first_read(client, headers, size, salt=i) for i in range(RUNS)]
                jobs[size] = median([r[0] for r in runs])
                reads[size] = median([r[1] for r in runs])
        # A separate account on a fresh database: the list reads this account's conversations only.
        app = create_app(Settings(database=str(Path(tmp) / "lists.db")))
        with TestClient(app) as client:
            headers = {"x-api-key": token(client, "lists")}
            have = 0
            for size in LIST_SIZES:
                add_conversations(app, "lists", have, size)
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
