"""Per-request cost of the cached messages read, side by side: mock-symbl, the bare app and the peer mocks.

Every server answers GET /v1/conversations/{id}/messages with the same ~39 KB of JSON (a 100-message
conversation): mock-symbl from its answer cache, the bare FastAPI app (bench/bare_app.py) sending the same
pre-encoded bytes, and WireMock, Mockoon CLI and Prism from a stub of those bytes (bench/peers.py). All run
with their default settings (mock-symbl's access log is off by default) and are loaded in turn, round after round,
so machine noise hits them alike. Server CPU per request (from /proc, the server process and its children)
is reported beside requests/s: it moves far less with the machine's load.

`python -m bench --short` (CI) runs one short round and no peers: figures printed, no target judged.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import httpx

from bench import peers
from bench.common import SHORT, bare_server, figure, load, median, mock_server, seed_text_conversation, token

ROUNDS = 1 if SHORT else 3
SECONDS = 1 if SHORT else 5
CONNECTIONS = 32
THREADS = 2
COMMAND = "python -m bench throughput"
MOCK = "mock-symbl (defaults)"
BARE = "bare FastAPI, same pre-encoded bytes"
WIREMOCK = "WireMock 3.13"


@contextmanager
def _ours(pids: list[int]) -> Iterator[tuple[str, bytes, str, int, dict[str, str]]]:
    """mock-symbl with one 100-message conversation: (answer URL, its bytes, token, pid, headers)."""
    with mock_server(None, pids=pids) as base:
        tok = token(base)
        cid = seed_text_conversation(base, tok, 100)
        path = f"/v1/conversations/{cid}/messages"
        headers = {"x-api-key": tok}
        answer = httpx.get(base + path, headers=headers, timeout=10)
        answer.raise_for_status()
        assert len(answer.json()["messages"]) == 100
        yield base + path, answer.content, path, pids[-1], headers


def _peer_starters(path: str, body: bytes) -> list[tuple[str, Callable[[], Any]]]:
    return [
        (WIREMOCK, lambda: peers.wiremock(path, body)),
        (WIREMOCK + " --no-request-journal", lambda: peers.wiremock(path, body, journal=False)),
        ("Mockoon CLI 9.9", lambda: peers.mockoon(path, body)),
        ("Prism 5.16", lambda: peers.prism(path, body)),
    ]


def _measure(url: str, pid: int, headers: dict[str, str]) -> dict[str, float]:
    before = peers.cpu_seconds(pid)
    result = load(url, headers, seconds=SECONDS, connections=CONNECTIONS, threads=THREADS)
    used = peers.cpu_seconds(pid) - before
    result["cpu_ms_per_request"] = (
        1000 * used / result["requests"] if result.get("requests") else float("nan")
    )
    return result


def run() -> dict[str, Any]:
    pids: list[int] = []
    skipped: dict[str, str] = {}
    samples: dict[str, list[dict[str, float]]] = {}
    with ExitStack() as stack, tempfile.TemporaryDirectory(prefix="bench-tp-") as tmp:
        url, body, path, mock_pid, headers = stack.enter_context(_ours(pids))
        body_file = Path(tmp) / "messages.json"
        body_file.write_bytes(body)
        bare_base = stack.enter_context(bare_server("messages", str(body_file), pids=pids))
        servers: dict[str, tuple[str, int]] = {MOCK: (url, mock_pid), BARE: (bare_base + path, pids[-1])}
        if SHORT:
            skipped["peers"] = "--short (the CI form runs mock-symbl and the bare app only)"
        else:
            try:
                peers.install()
            except peers.PeerUnavailable as exc:
                skipped["all peers"] = str(exc)
            else:
                for name, start in _peer_starters(path, body):
                    try:
                        running = stack.enter_context(start())
                    except peers.PeerUnavailable as exc:
                        skipped[name] = str(exc)
                        continue
                    servers[name] = (running.url, running.pid)
        for target, _ in servers.values():  # warm-up (JIT, caches, connections), not measured
            load(target, headers, seconds=1, connections=CONNECTIONS, threads=THREADS)
        for _ in range(ROUNDS):
            for name, (target, pid) in servers.items():
                samples.setdefault(name, []).append(_measure(target, pid, headers))
    return _report(samples, skipped, len(body))


def _stat(samples: list[dict[str, float]], key: str) -> float:
    return median([s.get(key, float("nan")) for s in samples])


def _report(samples: dict[str, list[dict[str, float]]], skipped: dict[str, str], size: int) -> dict[str, Any]:
    rows = {
        name: {
            "rps": _stat(runs, "rps"),
            "p99_ms": _stat(runs, "p99_ms"),
            "cpu_ms": _stat(runs, "cpu_ms_per_request"),
            "errors": sum(r.get("non_2xx", 0.0) + r.get("socket_errors", 0.0) for r in runs),
        }
        for name, runs in samples.items()
    }
    mock, bare = rows[MOCK], rows[BARE]
    cpu_ratio = mock["cpu_ms"] / bare["cpu_ms"]
    judged = not SHORT
    figures = []
    for name, row in rows.items():
        reference = "(reference)" if name != MOCK else "(see ratios)"
        figures += [
            figure(
                f"{name}: requests/s",
                round(row["rps"]),
                "req/s",
                target=reference,
                passed=None,
                command=COMMAND,
            ),
            figure(
                f"{name}: p99", round(row["p99_ms"], 1), "ms", target=reference, passed=None, command=COMMAND
            ),
            figure(
                f"{name}: server CPU per request",
                round(row["cpu_ms"], 3),
                "ms",
                target=reference,
                passed=None,
                command=COMMAND,
            ),
        ]
    figures.append(
        figure(
            "CPU per request, mock-symbl / bare app (same bytes)",
            round(cpu_ratio, 2),
            "x",
            target="<= 2x",
            passed=cpu_ratio <= 2 if judged else None,
            command=COMMAND,
        )
    )
    figures.append(
        figure(
            "requests/s, mock-symbl / bare app",
            round(mock["rps"] / bare["rps"], 2),
            "x",
            target="(reported)",
            passed=None,
            command=COMMAND,
        )
    )
    if WIREMOCK in rows:
        wm = rows[WIREMOCK]
        figures += [
            figure(
                "requests/s, mock-symbl / WireMock defaults",
                round(mock["rps"] / wm["rps"], 2),
                "x",
                target=">= 1x",
                passed=mock["rps"] >= wm["rps"] if judged else None,
                command=COMMAND,
            ),
            figure(
                "p99, mock-symbl / WireMock defaults",
                round(mock["p99_ms"] / wm["p99_ms"], 2),
                "x",
                target="<= 1x",
                passed=mock["p99_ms"] <= wm["p99_ms"] if judged else None,
                command=COMMAND,
            ),
        ]
    for name, row in rows.items():
        if name != MOCK and name != BARE:
            figures.append(
                figure(
                    f"CPU per request, mock-symbl / {name}",
                    round(mock["cpu_ms"] / row["cpu_ms"], 2),
                    "x",
                    target="(reported)",
                    passed=None,
                    command=COMMAND,
                )
            )
    errors = mock["errors"]
    figures.append(
        figure(
            "mock-symbl non-2xx or socket errors", errors, "", target="0", passed=errors == 0, command=COMMAND
        )
    )
    for name, reason in skipped.items():
        figures.append(figure(f"{name}: skipped", None, "", target=reason, passed=None, command=COMMAND))
    return {
        "title": "Per-request cost: cached GET /v1/conversations/{id}/messages beside the bare app and the peers",
        "description": (
            f"The same {size} bytes of JSON (100 messages) from every server, read by wrk -t{THREADS} "
            f"-c{CONNECTIONS} from a separate process, {ROUNDS} interleaved rounds of {SECONDS} s; medians of the "
            "rounds. Default settings everywhere (mock-symbl: `python -m mock_symbl` with a file database, its "
            "access log off as by default, the request journal and fault checks on; the bare app: FastAPI + uvicorn sending the same pre-encoded bytes with no access "
            "log, the least a FastAPI app can spend on them). Server CPU per request is the server process tree's user + system CPU time "
            "(/proc) over the requests served. Client and servers share the machine's 2 cores."
        ),
        "figures": figures,
        "raw": {"rows": rows, "samples": samples, "skipped": skipped},
    }
