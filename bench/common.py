"""Shared helpers of the benchmarks: free ports, server subprocesses, tokens, statistics, load generation."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, timedelta
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parent.parent
PY = sys.executable


# `python -m bench --short` (CI): every module runs a scaled-down form in seconds, prints its figures and
# judges no target; nothing is written to bench/results.json or docs/PERFORMANCE.md.
SHORT = os.environ.get("BENCH_SHORT") == "1"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def process_tree(pid: int) -> list[int]:
    """`pid` and all its descendants, from /proc (no psutil needed)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(children.get(current, []))
    return found


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds used so far by `pid` and its live descendants (the npm wrappers of the peer
    mocks start java and node as children), from /proc: figures per request move less with load than req/s."""
    total = 0
    for each in process_tree(pid):
        try:
            fields = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    return total / os.sysconf("SC_CLK_TCK")


def median(values: Sequence[float]) -> float:
    return float(statistics.median(values))


def percentile(values: Sequence[float], pct: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = max(0, min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1))))
    return float(ordered[k])


def figure(
    name: str,
    value: float | None,
    unit: str,
    *,
    target: str,
    passed: bool | None,
    command: str,
    note: str = "",
) -> dict[str, Any]:
    """One row of docs/PERFORMANCE.md (the shape every bench module returns in `figures`)."""
    return {
        "name": name,
        "value": value,
        "unit": unit,
        "target": target,
        "passed": passed,
        "command": command,
        "note": note,
    }


def server_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MOCK_SYMBL_")}
    env.update(extra)
    env["PYTHONUNBUFFERED"] = "1"
    return env


def mock_command(port: int, database: str, *flags: str) -> list[str]:
    return [
        PY,
        "-m",
        "mock_symbl",
        "--port",
        str(port),
        "--no-labs-enabled",
        "--database",
        database,
        *flags,  # no --log-level: the figures are for the settings a user gets by default
    ]


def wait_http(url: str, timeout: float = 30.0, proc: subprocess.Popen[bytes] | None = None) -> float:
    """Poll `url` until it answers 200; returns the monotonic time of that answer."""
    deadline = time.monotonic() + timeout
    with httpx.Client(timeout=1.0) as client:
        while time.monotonic() < deadline:
            if proc is not None and proc.poll() is not None:
                raise RuntimeError(f"server exited with {proc.returncode}")
            try:
                if client.get(url).status_code == 200:
                    return time.monotonic()
            except httpx.HTTPError:
                pass
            time.sleep(0.005)
    raise TimeoutError(f"{url} did not answer 200 within {timeout}s")


def stop(proc: subprocess.Popen[bytes], sig: int = signal.SIGTERM) -> None:
    if proc.poll() is None:
        proc.send_signal(sig)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@contextmanager
def mock_server(
    database: str | None = None, *flags: str, env: dict[str, str] | None = None, pids: list[int] | None = None
) -> Iterator[str]:
    """A `python -m mock_symbl` subprocess on a free port; yields its base URL (its pid goes into `pids`)."""
    tmp = tempfile.mkdtemp(prefix="mock-symbl-bench-")
    port = free_port()
    db = database or str(Path(tmp) / "bench.db")
    log = Path(tmp) / "server.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            mock_command(port, db, "--data-dir", tmp, *flags),
            cwd=REPO,
            env=env or server_env(),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    if pids is not None:
        pids.append(proc.pid)
    try:
        try:
            wait_http(base + "/__admin/health", proc=proc)
        except (RuntimeError, TimeoutError) as exc:
            raise RuntimeError(f"{exc}: {log.read_text(errors='replace')[-2000:]}") from None
        yield base
    finally:
        stop(proc)
        shutil.rmtree(tmp, ignore_errors=True)


@contextmanager
def bare_server(mode: str, body_file: str | None = None, pids: list[int] | None = None) -> Iterator[str]:
    """The bare FastAPI + uvicorn reference app (bench/bare_app.py) on a free port (its pid into `pids`)."""
    port = free_port()
    cmd = [PY, "-m", "bench.bare_app", "--port", str(port), "--mode", mode]
    if body_file:
        cmd += ["--body", body_file]
    proc = subprocess.Popen(
        cmd, cwd=REPO, env=server_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    base = f"http://127.0.0.1:{port}"
    if pids is not None:
        pids.append(proc.pid)
    try:
        wait_http(base + "/__admin/health", proc=proc)
        yield base
    finally:
        stop(proc)


def token(target: str | httpx.Client, app_id: str = "bench") -> str:
    """An access token for `app_id` from a base URL, or from a client (httpx, or FastAPI's TestClient)."""
    body = {"type": "application", "appId": app_id, "appSecret": "secret"}
    if isinstance(target, str):
        r = httpx.post(target + "/oauth2/token:generate", json=body, timeout=10)
    else:
        r = target.post("/oauth2/token:generate", json=body)
    r.raise_for_status()
    return str(r.json()["accessToken"])


def add_conversations(app: Any, account: str, start: int, stop: int) -> None:
    """Conversations number `start` to `stop - 1` of `account`, written straight to the app's database (one
    INSERT, then ANALYZE): completed, no messages, a start time every minute over 30 days, metadata agentId
    (10 values) and customerId (997 values)."""
    from mock_symbl.store.tables import Conversation

    services = app.state.services
    now = services.clock.now()
    rows = []
    for i in range(start, stop):
        began = (now - timedelta(days=i % 30, minutes=i)).astimezone(UTC)
        rows.append(
            {
                "id": str(8_000_000_000_000_000 + i),
                "account": account,
                "namespace": "",
                "type": "meeting",
                "name": f"conversation {i:05d}",
                "source": "text",
                "status": "completed",
                "start_time": began,
                "end_time": began + timedelta(minutes=30),
                "created_at": began,
                "metadata_json": json.dumps({"agentId": f"agent{i % 10}", "customerId": str(i % 997)}),
                "options_json": "{}",
                "message_count": 0,
            }
        )
    with services.db.engine.begin() as conn:
        conn.execute(Conversation.__table__.insert(), rows)  # type: ignore[attr-defined]
        conn.exec_driver_sql("ANALYZE")


def timed_text_job(client: httpx.Client, headers: dict[str, str], body: dict[str, Any]) -> tuple[float, Any]:
    """Seconds from POST /v1/process/text to its completed job (one GET /v1/job, as the submission runs
    with immediate progression), and the submit's answer."""
    start = time.perf_counter()
    response = client.post("/v1/process/text", json=body, headers=headers)
    response.raise_for_status()
    job = client.get(f"/v1/job/{response.json()['jobId']}", headers=headers).json()
    elapsed = time.perf_counter() - start
    if job["status"] != "completed":
        raise RuntimeError(f"job not completed after an immediate submission: {job}")
    return elapsed, response.json()


WORDS = (
    "budget pricing contract renewal onboarding roadmap integration launch timeline support invoice "
    "customer meeting follow-up proposal discount quarter deadline feature release security review"
).split()
PEOPLE = (("Ann Lee", "ann@example.com"), ("Bob Stone", "bob@example.com"), ("Cara Diaz", "cara@example.com"))


def text_messages(n: int, salt: int = 0, *, one_sentence: bool = False) -> list[dict[str, Any]]:
    """`n` deterministic, varied text messages in the Async Text API's shape.

    With `one_sentence`, each message is one sentence, so the conversation reads back as exactly `n` messages.
    """
    out = []
    for i in range(n):
        name, email = PEOPLE[(i + salt) % len(PEOPLE)]
        w = [WORDS[(i * 7 + salt + k * 3) % len(WORDS)] for k in range(6)]
        if one_sentence:
            text = f"We should talk about the {w[0]} and the {w[1]} with Acme Corp next week"
        else:
            text = f"We should talk about the {w[0]} and the {w[1]} next week. Can you send the {w[2]} by Friday?"
        if i % 5 == 0 and not one_sentence:
            text += f" I will review the {w[3]} with Acme Corp tomorrow."
        out.append(
            {
                "payload": {"content": text, "contentType": "text/plain"},
                "from": {"name": name, "userId": email},
            }
        )
    return out


def seed_text_conversation(base: str, tok: str, n_messages: int = 100) -> str:
    """Submit one text conversation with immediate progression; returns its id once completed."""
    r = httpx.post(
        base + "/v1/process/text",
        json={"name": "bench", "messages": text_messages(n_messages, one_sentence=True)},
        headers={"x-api-key": tok, "X-Mock-Job-Progression": "immediate"},
        timeout=60,
    )
    r.raise_for_status()
    return str(r.json()["conversationId"])


# --- load generation -------------------------------------------------------------------------------------

_WRK_RPS = re.compile(r"Requests/sec:\s+([\d.]+)")
_WRK_COUNT = re.compile(r"(\d+) requests in")
_WRK_LAT = re.compile(r"^\s+(50|75|90|99)%\s+([\d.]+)(us|ms|s)\s*$", re.M)
_WRK_NON2XX = re.compile(r"Non-2xx or 3xx responses:\s+(\d+)")
_WRK_ERRORS = re.compile(r"Socket errors:.*")
_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def have_wrk() -> bool:
    return shutil.which("wrk") is not None


def load(
    url: str, headers: dict[str, str], *, seconds: float, connections: int, threads: int = 1
) -> dict[str, float]:
    """Load `url` from a separate process: wrk when installed (apt-get install wrk), else bench/loadgen.py.

    Returns requests/s, the number of requests, latency percentiles in ms and the count of non-2xx answers.
    """
    if have_wrk():
        cmd = [
            "wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{max(1, round(seconds))}s",
            "--latency",
            "--timeout",
            "10s",
        ]
        for k, v in headers.items():
            cmd += ["-H", f"{k}: {v}"]
        out = subprocess.run([*cmd, url], capture_output=True, text=True, check=True).stdout
        lat = {f"p{m.group(1)}_ms": float(m.group(2)) * _UNITS[m.group(3)] for m in _WRK_LAT.finditer(out)}
        non2xx = _WRK_NON2XX.search(out)
        rps = _WRK_RPS.search(out)
        count = _WRK_COUNT.search(out)
        return {
            "rps": float(rps.group(1)) if rps else 0.0,
            "requests": float(count.group(1)) if count else 0.0,
            **lat,
            "non_2xx": float(non2xx.group(1)) if non2xx else 0.0,
            "socket_errors": 1.0 if _WRK_ERRORS.search(out) else 0.0,
        }
    cmd = [PY, "-m", "bench.loadgen", url, "--seconds", str(seconds), "--connections", str(connections)]
    for k, v in headers.items():
        cmd += ["--header", f"{k}: {v}"]
    out = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, check=True).stdout
    result: dict[str, float] = json.loads(out)
    result.setdefault("requests", result["rps"] * seconds)
    return result


def load_tool() -> str:
    return "wrk -t1" if have_wrk() else "python -m bench.loadgen"
