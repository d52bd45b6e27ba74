"""Cold start: process start to the first token answer, then the first conversation read, beside a bare app."""

from __future__ import annotations

import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from bench.breakdown import import_groups
from bench.common import PY, REPO, SHORT, figure, free_port, median, mock_command, server_env, stop

RUNS = 1 if SHORT else 7
COMMAND = "python -m bench coldstart"


TOKEN_BODY = {"type": "application", "appId": "cold", "appSecret": "start"}


def _first_200(client: httpx.Client, method: str, url: str, proc: subprocess.Popen[bytes], **kw: Any) -> Any:
    """Send the request until it answers 200 (refused connections retried at once); returns the answer."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            response = client.request(method, url, **kw)
            if response.status_code == 200:
                return response
        except httpx.HTTPError:
            pass
        time.sleep(0.005)
    raise TimeoutError(f"{url} did not answer 200")


def _measure(cmd: list[str], port: int) -> dict[str, float]:
    """Seconds from process start to the first token answer (POST /oauth2/token:generate sent until it answers
    200), then to the first conversation read with that token (GET /v1/conversations)."""
    start = time.monotonic()
    proc = subprocess.Popen(
        cmd, cwd=REPO, env=server_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    base = f"http://127.0.0.1:{port}"
    try:
        with httpx.Client(timeout=30) as client:
            answer = _first_200(client, "POST", f"{base}/oauth2/token:generate", proc, json=TOKEN_BODY)
            out = {"token": time.monotonic() - start}
            headers = {"x-api-key": answer.json()["accessToken"]}
            _first_200(client, "GET", f"{base}/v1/conversations", proc, headers=headers)
            out["read"] = time.monotonic() - start
    finally:
        stop(proc)
    return out


def _mock_once(*flags: str) -> dict[str, float]:
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="mock-symbl-cold-") as tmp:
        db = str(Path(tmp) / "cold.db")  # a new file database: the default `mock-symbl` case
        return _measure(mock_command(port, db, "--data-dir", tmp, *flags), port)


def _bare_once() -> dict[str, float]:
    port = free_port()
    cmd = [PY, "-m", "bench.bare_app", "--port", str(port), "--mode", "constant"]
    return _measure(cmd, port)


def _compile_bytecode() -> None:
    """Give mock_symbl the bytecode an installed package has (pip compiles site-packages at install, and
    the Docker image runs compileall); with PYTHONDONTWRITEBYTECODE set, as on CI machines, a source
    checkout would otherwise recompile its ~150 modules (about 120 ms) on every start, which the bare app,
    whose dependencies are compiled, never pays."""
    subprocess.run([PY, "-m", "compileall", "-q", str(REPO / "mock_symbl")], check=True)


def ms(seconds: float) -> int:
    return round(seconds * 1000)


def run() -> dict[str, Any]:
    _compile_bytecode()
    _mock_once(), _bare_once()  # warm the OS file cache: all measured warm
    mock: list[dict[str, float]] = []
    eager: list[dict[str, float]] = []
    bare: list[dict[str, float]] = []
    for _ in range(RUNS):  # interleaved so machine noise hits all alike
        mock.append(_mock_once())
        eager.append(_mock_once("--no-background-boot"))
        bare.append(_bare_once())
    m = {key: median([r[key] for r in mock]) for key in mock[0]}
    e = {key: median([r[key] for r in eager]) for key in eager[0]}
    b = {key: median([r[key] for r in bare]) for key in bare[0]}
    ratio = m["read"] / b["read"]
    groups = import_groups()
    analysis = (
        "Start-up is timed to the first real answers, at default settings: a token, then a conversation read "
        "with it. What the load takes beyond the bare app (self import time of `import mock_symbl.cli, "
        "mock_symbl.server, mock_symbl.boot` and every API router, median of 3, `python -X importtime`): "
        + "; ".join(f"{k} {v} ms" for k, v in groups.items())
        + ". mock-symbl loads SQLAlchemy/SQLModel (its 17 tables and their first-use set-up), declares about "
        "140 FastAPI routes (FastAPI analyses each route's parameters and builds a pydantic validator per "
        "parameter and response model when the route is declared) and creates or checks the SQLite schema; "
        "these bound the first real answer. Imported on first use instead: the insight engine (yake, numpy, "
        "networkx: about 0.5 s, loaded in the background half a second after start), httpx, Jinja2, Lark and "
        "its grammar, snowballstemmer, segtok, mutagen."
    )
    analysis += (
        f" The background boot (mock_symbl/boot.py: uvicorn listens while a thread loads the API) is kept because "
        f"the first real answer comes sooner with it: {ms(m['read'])} ms against {ms(e['read'])} ms with "
        "`--no-background-boot` in this run (uvicorn's own start-up overlaps the load)."
    )
    if ratio <= 1.5:
        analysis = "Target met. " + analysis
    rows = (
        ("mock-symbl process start to the first token answer", ms(m["token"]), "ms", "(reported)", None),
        ("bare FastAPI process start to the first token answer", ms(b["token"]), "ms", "(reference)", None),
        ("mock-symbl process start to the first conversation read", ms(m["read"]), "ms", "(see ratio)", None),
        (
            "bare FastAPI process start to the first conversation read",
            ms(b["read"]),
            "ms",
            "(reference)",
            None,
        ),
        (
            "first real answer ratio mock / bare (conversation read)",
            round(ratio, 2),
            "x",
            "<= 1.5x",
            ratio <= 1.5,
        ),
        (
            "mock-symbl first conversation read with --no-background-boot (listens once loaded)",
            ms(e["read"]),
            "ms",
            "(the background boot's reference)",
            None,
        ),
    )
    return {
        "title": "Cold start",
        "description": (
            f"Process start to the first token answer (POST /oauth2/token:generate, sent until it answers 200), "
            f"then to the first conversation read with it (GET /v1/conversations), median of {RUNS} interleaved "
            "runs each: `python -m mock_symbl` at default settings on a new SQLite file vs a bare FastAPI + "
            "uvicorn app answering the same two requests with constants (bench/bare_app.py, same uvicorn "
            "settings)."
        ),
        "figures": [
            figure(name, value, unit, target=target, passed=None if SHORT else passed, command=COMMAND)
            for name, value, unit, target, passed in rows
        ],
        "analysis": analysis,
        "raw": {"mock_s": mock, "eager_s": eager, "bare_s": bare, "import_ms": groups},
    }
