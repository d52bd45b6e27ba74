"""Throughput and latency of GET /v1/conversations/{id}/messages (100 messages) beside a bare FastAPI app."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import httpx

from bench.breakdown import messages_route
from bench.common import (
    bare_server,
    figure,
    load,
    load_tool,
    median,
    mock_server,
    seed_text_conversation,
    token,
)

ROUNDS = 3
SECONDS = 5
CONNECTIONS = 16
COMMAND = "python -m bench throughput"


def run() -> dict[str, Any]:
    mock_rps, bare_rps, mock_p99, bare_p99, mock_p50 = [], [], [], [], []
    errors = 0.0
    with (
        tempfile.TemporaryDirectory(prefix="mock-symbl-tp-") as tmp,
        mock_server(None, "--job-progression", "immediate") as base,
    ):
        tok = token(base)
        cid = seed_text_conversation(base, tok, 100)
        path = f"/v1/conversations/{cid}/messages"
        headers = {"x-api-key": tok}
        body = httpx.get(base + path, headers=headers, timeout=10)
        body.raise_for_status()
        assert len(body.json()["messages"]) == 100
        body_file = Path(tmp) / "messages.json"
        body_file.write_text(body.text, encoding="utf-8")
        with bare_server("messages", str(body_file)) as bare:
            load(base + path, headers, seconds=1, connections=CONNECTIONS)  # warm-up, not measured
            load(bare + path, headers, seconds=1, connections=CONNECTIONS)
            for _ in range(ROUNDS):  # alternated so machine noise hits both alike
                m = load(base + path, headers, seconds=SECONDS, connections=CONNECTIONS)
                b = load(bare + path, headers, seconds=SECONDS, connections=CONNECTIONS)
                mock_rps.append(m["rps"])
                bare_rps.append(b["rps"])
                mock_p99.append(m.get("p99_ms", float("nan")))
                mock_p50.append(m.get("p50_ms", float("nan")))
                bare_p99.append(b.get("p99_ms", float("nan")))
                errors += m.get("non_2xx", 0.0) + m.get("socket_errors", 0.0)
    ratio = median(mock_rps) / median(bare_rps)
    steps = messages_route()
    per_request = 1000 / median(mock_rps) if median(mock_rps) else float("nan")
    analysis = (
        "Repeated reads are served from the answer cache (store/answers.py): the rendered JSON bytes, kept "
        "while no INSERT/UPDATE/DELETE has touched a content table since they were rendered (the cache follows "
        "the SQLAlchemy engine's statements, so no write path can forget to invalidate it), checked after the "
        "token (whose signature is verified once per token) and the tenant, in an async route with no "
        "threadpool hop. The bare app re-encodes its JSON on every request, which is why the ratio can pass "
        "1. What a cache miss costs (the first read, or the first after a write), in-process medians from "
        "bench/breakdown.py: "
        + "; ".join(f"{k} {v} ms" for k, v in steps.items())
        + f". Under {CONNECTIONS} connections one cached answer costs {per_request:.2f} ms of server time "
        "(1 / requests per second): uvicorn, FastAPI routing over about 140 routes, the control plane's "
        "journal and fault middleware."
    )
    if ratio >= 0.6:
        analysis = "Target met. " + analysis
    size = len(body.content)
    return {
        "title": "Throughput and latency: GET /v1/conversations/{id}/messages",
        "description": (
            f"A 100-message conversation ({size} bytes of JSON) read by {load_tool()} with {CONNECTIONS} "
            f"connections from a separate process, {ROUNDS} alternated rounds of {SECONDS} s against "
            "`python -m mock_symbl` (file database) and against bench/bare_app.py returning the same JSON from "
            "memory under the same uvicorn settings; medians of the rounds. Client and servers share the machine."
        ),
        "figures": [
            figure(
                "mock-symbl requests/s",
                round(median(mock_rps)),
                "req/s",
                target="(see ratio)",
                passed=None,
                command=COMMAND,
            ),
            figure(
                "bare FastAPI requests/s",
                round(median(bare_rps)),
                "req/s",
                target="(reference)",
                passed=None,
                command=COMMAND,
            ),
            figure(
                "throughput ratio mock / bare",
                round(ratio, 2),
                "x",
                target=">= 0.6x",
                passed=ratio >= 0.6,
                command=COMMAND,
            ),
            figure(
                "mock-symbl p50 latency",
                round(median(mock_p50), 1),
                "ms",
                target="(reported)",
                passed=None,
                command=COMMAND,
            ),
            figure(
                "mock-symbl p99 latency",
                round(median(mock_p99), 1),
                "ms",
                target="(reported)",
                passed=None,
                command=COMMAND,
            ),
            figure(
                "bare FastAPI p99 latency",
                round(median(bare_p99), 1),
                "ms",
                target="(reference)",
                passed=None,
                command=COMMAND,
            ),
            figure(
                "non-2xx or socket errors under load",
                errors,
                "",
                target="0",
                passed=errors == 0,
                command=COMMAND,
            ),
        ],
        "analysis": analysis,
        "raw": {
            "breakdown_ms": steps,
            "mock_rps": mock_rps,
            "bare_rps": bare_rps,
            "mock_p99": mock_p99,
            "bare_p99": bare_p99,
        },
    }
