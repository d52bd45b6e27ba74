"""Cold start: process start to the first 200 from /__admin/health, beside a bare FastAPI + uvicorn app."""

from __future__ import annotations

import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from bench.breakdown import import_groups
from bench.common import PY, REPO, SHORT, figure, free_port, median, mock_command, server_env, stop, wait_http

RUNS = 1 if SHORT else 7
COMMAND = "python -m bench coldstart"


TOKEN_BODY = {"type": "application", "appId": "cold", "appSecret": "start"}


def _measure(cmd: list[str], port: int, full: bool) -> dict[str, float]:
    """Seconds from process start to the first 200 from health; with `full`, then to the first API answer
    (a token request sent as soon as health answers) and to the first 200 from /__admin/ready."""
    start = time.monotonic()
    proc = subprocess.Popen(
        cmd, cwd=REPO, env=server_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    base = f"http://127.0.0.1:{port}"
    try:
        out = {"health": wait_http(f"{base}/__admin/health", proc=proc) - start}
        if full:
            with httpx.Client(timeout=30) as client:
                client.post(f"{base}/oauth2/token:generate", json=TOKEN_BODY).raise_for_status()
            out["api"] = time.monotonic() - start
            out["ready"] = wait_http(f"{base}/__admin/ready", proc=proc) - start
    finally:
        stop(proc)
    return out


def _mock_once(*flags: str) -> dict[str, float]:
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="mock-symbl-cold-") as tmp:
        db = str(Path(tmp) / "cold.db")  # a new file database: the default `mock-symbl` case
        return _measure(mock_command(port, db, "--data-dir", tmp, *flags), port, full=True)


def _bare_once() -> float:
    port = free_port()
    cmd = [PY, "-m", "bench.bare_app", "--port", str(port), "--mode", "constant"]
    return _measure(cmd, port, full=False)["health"]


def _compile_bytecode() -> None:
    """Give mock_symbl the bytecode an installed package has (pip compiles site-packages at install, and
    the Docker image runs compileall); with PYTHONDONTWRITEBYTECODE set, as on CI machines, a source
    checkout would otherwise recompile its ~150 modules (about 120 ms) on every start, which the bare app,
    whose dependencies are compiled, never pays."""
    subprocess.run([PY, "-m", "compileall", "-q", str(REPO / "mock_symbl")], check=True)


def ms(seconds: float) -> int:
    return round(seconds * 1000)


def _total_cost(background: float, eager: float) -> str:
    """What the background boot does to the time until the first API answer, from this run's medians."""
    delta = (background - eager) * 1000
    return (
        f"The first API answer comes {background * 1000:.0f} ms after process start with the background boot and "
        f"{eager * 1000:.0f} ms with `--no-background-boot` (listening only once everything is loaded): "
        + (
            f"{abs(delta):.0f} ms {'later' if delta > 0 else 'earlier'} ({abs(delta) / eager / 10:.1f} % of it), "
            "within this machine's noise, so the early liveness answer costs nothing measurable in total."
            if abs(delta) <= 0.05 * eager * 1000
            else f"{abs(delta):.0f} ms {'later' if delta > 0 else 'earlier'} ({abs(delta) / eager / 10:.1f} %)."
        )
    )


def run() -> dict[str, Any]:
    _compile_bytecode()
    (
        _mock_once(),
        _mock_once("--no-background-boot"),
        _bare_once(),
    )  # warm the OS file cache: all measured warm
    mock: list[dict[str, float]] = []
    eager: list[dict[str, float]] = []
    bare: list[float] = []
    for _ in range(RUNS):  # interleaved so machine noise hits all alike
        mock.append(_mock_once())
        eager.append(_mock_once("--no-background-boot"))
        bare.append(_bare_once())
    m = {key: median([run[key] for run in mock]) for key in mock[0]}
    e = {key: median([run[key] for run in eager]) for key in eager[0]}
    b = median(bare)
    ratio = m["health"] / b
    groups = import_groups()
    analysis = (
        "`mock-symbl` (`serve`) listens as soon as FastAPI, uvicorn and the settings are imported and answers "
        "the liveness probe /__admin/health at once; a background thread opens the SQLite file and loads the API "
        "(mock_symbl/boot.py). Requests that arrive meanwhile wait for it and are then served and journaled as "
        "usual (none is refused), /__admin/ready answers 503 until it is done (the Docker healthcheck and "
        "`docker compose up --wait` use /ready), and a boot that fails (an incompatible database file) answers "
        "503 with the reason and exits 2. "
        + _total_cost(m["api"], e["api"])
        + " What the load takes (self import time of `import mock_symbl.cli, mock_symbl.server, "
        "mock_symbl.boot` and every API router, median of 3, `python -X importtime`): "
        + "; ".join(f"{k} {v} ms" for k, v in groups.items())
        + ". Beyond FastAPI and uvicorn, mock-symbl loads SQLAlchemy/SQLModel (about 150 ms, its 17 tables "
        "and their first-use set-up), builds about 140 FastAPI routes (FastAPI analyses each route's parameters "
        "and builds a pydantic validator per parameter and response model when the route is declared) and creates "
        "or checks the SQLite schema; these bound the first API answer. Imported on first use instead: the "
        "insight engine (yake, numpy, networkx: about 0.5 s), httpx, Jinja2, Lark and its grammar, "
        "snowballstemmer, segtok, mutagen."
    )
    if ratio <= 1.5 and m["health"] < 1.0:
        analysis = "Targets met. " + analysis
    return {
        "title": "Cold start",
        "description": (
            f"Process start to the first 200 from /__admin/health, median of {RUNS} interleaved runs each: "
            "`python -m mock_symbl` on a new SQLite file vs a bare FastAPI + uvicorn app returning a constant "
            "(bench/bare_app.py, same uvicorn settings). For mock-symbl also: the first API answer (POST "
            "/oauth2/token:generate sent as soon as health answers) and the first 200 from /__admin/ready, with "
            "the default background boot and with `--no-background-boot`."
        ),
        "figures": [
            figure(name, value, unit, target=target, passed=passed, command=COMMAND)
            for name, value, unit, target, passed in (
                (
                    "mock-symbl cold start (to /__admin/health)",
                    ms(m["health"]),
                    "ms",
                    "< 1000 ms",
                    m["health"] < 1.0,
                ),
                ("bare FastAPI + uvicorn cold start", ms(b), "ms", "(reference)", None),
                ("cold start ratio mock / bare", round(ratio, 2), "x", "<= 1.5x", ratio <= 1.5),
                (
                    "mock-symbl process start to the first API answer (token request sent once health answers)",
                    ms(m["api"]),
                    "ms",
                    "(reported)",
                    None,
                ),
                ("mock-symbl process start to /__admin/ready", ms(m["ready"]), "ms", "(reported)", None),
                (
                    "the same first API answer with --no-background-boot",
                    ms(e["api"]),
                    "ms",
                    "(reference)",
                    None,
                ),
            )
        ],
        "analysis": analysis,
        "raw": {"mock_s": mock, "eager_s": eager, "bare_s": bare, "import_ms": groups},
    }
