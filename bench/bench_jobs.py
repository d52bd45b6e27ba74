"""Job turnaround: POST /v1/process/text (100 messages) to a completed job, with immediate progression."""

from __future__ import annotations

import time
from typing import Any

import httpx

from bench.breakdown import compute_bundle_100
from bench.common import figure, median, mock_server, percentile, text_messages, token

RUNS = 40
COMMAND = "python -m bench jobs"


def run() -> dict[str, Any]:
    times: list[float] = []
    with mock_server(None) as base, httpx.Client(base_url=base, timeout=60) as client:
        tok = token(base)
        headers = {"x-api-key": tok, "X-Mock-Job-Progression": "immediate"}
        for i in range(RUNS + 3):
            body = {"name": f"turnaround {i}", "messages": text_messages(100, salt=i)}
            start = time.perf_counter()
            r = client.post("/v1/process/text", json=body, headers=headers)
            r.raise_for_status()
            job = client.get(f"/v1/job/{r.json()['jobId']}", headers=headers).json()
            elapsed = time.perf_counter() - start
            if job["status"] != "completed":
                raise RuntimeError(f"job not completed after an immediate submission: {job}")
            if i >= 3:  # the first submissions import and warm the insight engine
                times.append(elapsed)
    p50 = median(times) * 1000
    nlp = compute_bundle_100()
    analysis = (
        f"Of the {p50:.0f} ms, computing the insight bundle of the 100 messages (insights.engine.compute_bundle, "
        f"in-process) takes {nlp:.0f} ms: YAKE keyphrase extraction for topics, entity and date detection, "
        "sentiment, action items. The rest is HTTP, validation and storing 100 messages. The job does all the "
        "NLP before `completed` so that later reads do none (docs/ARCHITECTURE.md); the 25 ms target cannot be "
        "met while insights are computed with the job. Lower bound for this design: the engine's time."
    )
    if p50 < 25:
        analysis = "Target met."
    return {
        "title": "Job turnaround",
        "description": (
            f"POST /v1/process/text with 100 messages and `X-Mock-Job-Progression: immediate`, then GET /v1/job "
            f"until `completed` (one call suffices), over HTTP against `python -m mock_symbl`; {RUNS} runs after "
            "3 warm-up runs. The time is dominated by computing the insight bundle of the 100 messages."
        ),
        "figures": [
            figure(
                "job turnaround p50 (100 messages)",
                round(p50, 1),
                "ms",
                target="< 25 ms",
                passed=p50 < 25,
                command=COMMAND,
            ),
            figure(
                "job turnaround p90",
                round(percentile(times, 90) * 1000, 1),
                "ms",
                target="(reported)",
                passed=None,
                command=COMMAND,
            ),
        ],
        "analysis": analysis,
        "raw": {"seconds": times, "compute_bundle_ms": nlp},
    }
