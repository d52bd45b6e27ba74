"""Cold start: process start to the first token answer, then the first conversation read, beside a bare app."""

from __future__ import annotations

import subprocess
import tempfile
import time
from collections.abc import Callable
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


def _stack_once() -> dict[str, float]:
    port = free_port()
    return _measure([PY, "-m", "bench.stack_app", "--port", str(port)], port)


# The areas the two timed answers need (the token route, the conversation list), for the bound on building
# every other area on first use: the same server with only these routers loaded (boot.ROUTERS narrowed).
FIRST_ANSWER_ROUTERS = ("mock_symbl.auth.router:router", "mock_symbl.conversations.list_router:router")


def _first_areas_once() -> dict[str, float]:
    port = free_port()
    code = (
        f"import sys, mock_symbl.boot as b; b.ROUTERS = {FIRST_ANSWER_ROUTERS!r}; "
        "from mock_symbl.cli import main; sys.exit(main(sys.argv[1:]))"
    )
    with tempfile.TemporaryDirectory(prefix="mock-symbl-cold-") as tmp:
        args = mock_command(port, str(Path(tmp) / "cold.db"), "--data-dir", tmp, "--no-background-boot")
        return _measure([PY, "-c", code, *args[3:]], port)  # args[:3] is `python -m mock_symbl`


def _compile_bytecode() -> None:
    """Give mock_symbl the bytecode an installed package has (pip compiles site-packages at install, and
    the Docker image runs compileall); with PYTHONDONTWRITEBYTECODE set, as on CI machines, a source
    checkout would otherwise recompile its ~150 modules (about 120 ms) on every start, which the bare app,
    whose dependencies are compiled, never pays."""
    subprocess.run([PY, "-m", "compileall", "-q", str(REPO / "mock_symbl")], check=True)


def ms(seconds: float) -> int:
    return round(seconds * 1000)


def _medians(runs: list[dict[str, float]]) -> dict[str, float]:
    return {key: median([r[key] for r in runs]) for key in runs[0]}


def run() -> dict[str, Any]:
    _compile_bytecode()
    kinds: dict[str, Callable[[], dict[str, float]]] = {
        "mock": _mock_once,
        "eager": lambda: _mock_once("--no-background-boot"),
        "first_areas": _first_areas_once,
        "stack": _stack_once,
        "bare": _bare_once,
    }
    for once in kinds.values():
        once()  # warm the OS file cache: all measured warm
    samples: dict[str, list[dict[str, float]]] = {kind: [] for kind in kinds}
    for _ in range(RUNS):  # interleaved so machine noise hits all alike
        for kind, once in kinds.items():
            samples[kind].append(once())
    m, e, f, s, b = (_medians(samples[kind]) for kind in kinds)
    ratio = m["read"] / b["read"]
    floor = s["read"] / b["read"]
    groups = import_groups()
    analysis = (
        f"Target not met, and not reachable on the project's stack: the stack floor (bench/stack_app.py: the same "
        f"two answers from FastAPI + uvicorn, pydantic-settings, SQLModel over a new SQLite file and PyJWT, with "
        f"no mock-symbl code) takes {ms(s['read'])} ms, {floor:.2f}x the bare app, before a single route or model "
        f"of the API exists. mock-symbl's own load adds {ms(m['read'] - s['read'])} ms on top of that floor. "
        "What the load takes beyond the bare app (self import time of `import mock_symbl.cli, "
        "mock_symbl.server, mock_symbl.boot` and every API router, median of 3, `python -X importtime`): "
        + "; ".join(f"{k} {v} ms" for k, v in groups.items())
        + ". mock-symbl declares about 140 FastAPI routes (FastAPI analyses each route's parameters and builds "
        "a pydantic validator per parameter and response model when the route is declared), builds about 280 "
        "pydantic answer and request models and 17 SQLModel tables, and creates or checks the SQLite schema. "
        "Imported on first use instead: the insight engine (yake, numpy, networkx: about 0.5 s, loaded in the "
        "background half a second after start), httpx, Jinja2, Lark and its grammar, snowballstemmer, segtok, "
        f"mutagen. Building every other area on first use is bounded by the same server with only the two "
        f"routers these answers need: {ms(f['read'])} ms ({f['read'] / b['read']:.2f}x bare), so at best "
        f"{ms(e['read'] - f['read'])} ms of the eager load, still far above 1.5x; it would need a path manifest per "
        "area kept in step with the routes and a gate that holds requests an unloaded area might match, and is "
        "not built."
    )
    faster = "sooner" if m["read"] < e["read"] else "later"
    analysis += (
        f" The background boot (mock_symbl/boot.py: uvicorn listens and answers the probes while a thread loads "
        f"the API) gave the first real answer {faster} in this run: {ms(m['read'])} ms against {ms(e['read'])} ms "
        "with `--no-background-boot`. It is kept for the probes: a container's liveness answers within "
        "uvicorn's own start, and no request is refused while the API loads."
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
            "stack floor (FastAPI, SQLModel, PyJWT, pydantic-settings; no mock code) to the first conversation read",
            ms(s["read"]),
            "ms",
            "(reference)",
            None,
        ),
        ("stack floor / bare", round(floor, 2), "x", "(what the required libraries cost)", None),
        ("mock-symbl / stack floor", round(m["read"] / s["read"], 2), "x", "(mock-symbl's own load)", None),
        (
            "mock-symbl with only the two answers' routers loaded (bound on building areas on first use)",
            ms(f["read"]),
            "ms",
            "(experiment)",
            None,
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
            "settings) and the stack floor (bench/stack_app.py)."
        ),
        "figures": [
            figure(name, value, unit, target=target, passed=None if SHORT else passed, command=COMMAND)
            for name, value, unit, target, passed in rows
        ],
        "analysis": analysis,
        "raw": {f"{kind}_s": runs for kind, runs in samples.items()} | {"import_ms": groups},
    }
