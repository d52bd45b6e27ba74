"""`python -m bench [name ...]`: run bench/bench_*.py modules, print their figures, rewrite docs/PERFORMANCE.md.

Every module exposes `run() -> dict`. The dict this runner understands (anything else is shown as-is):

    {"title": str, "description": str,
     "figures": [{"name", "value", "unit", "target", "passed": bool | None, "command", "note"}, ...],
     "raw": {...}}           # optional, kept in bench/results.json only

Results accumulate in bench/results.json (one entry per module, the latest run), so `python -m bench jobs`
refreshes one section and keeps the others; docs/PERFORMANCE.md is generated from that file.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import platform
import subprocess
import sys
import time
import traceback
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.report import render

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
RESULTS = BENCH_DIR / "results.json"
DOC = REPO / "docs" / "PERFORMANCE.md"
# Ours first (in this order), then the other areas' modules alphabetically.
ORDER = ["coldstart", "throughput", "jobs", "scale"]


def discover() -> list[str]:
    names = sorted(p.stem.removeprefix("bench_") for p in BENCH_DIR.glob("bench_*.py"))
    return [n for n in ORDER if n in names] + [n for n in names if n not in ORDER]


def _read(path: str, key: str) -> str:
    try:
        for line in Path(path).read_text().splitlines():
            if line.lower().startswith(key):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown"


def machine() -> dict[str, Any]:
    mem_kb = _read("/proc/meminfo", "memtotal").split()[0]
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        commit = "unknown"
    return {
        "nproc": os.cpu_count(),
        "memory_gb": round(int(mem_kb) / 1024 / 1024, 1) if mem_kb.isdigit() else None,
        "cpu": _read("/proc/cpuinfo", "model name"),
        "python": platform.python_version(),
        "os": f"{platform.system()} {platform.release()}",
        "load_average": os.getloadavg() if hasattr(os, "getloadavg") else None,
        "commit": commit,
    }


def run_one(name: str) -> dict[str, Any]:
    started = time.monotonic()
    try:
        module = importlib.import_module(f"bench.bench_{name}")
        result = dict(module.run())
    except Exception as exc:  # one broken module must not lose the others' figures
        traceback.print_exc()
        result = {"title": name, "error": f"{type(exc).__name__}: {exc}"}
    result["module"] = f"bench/bench_{name}.py"
    result["seconds"] = round(time.monotonic() - started, 1)
    result["date"] = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    result["machine"] = machine()
    return result


def _show(name: str, result: dict[str, Any]) -> None:
    print(f"\n== {result.get('title', name)} ({result['seconds']} s)")
    if "error" in result:
        print(f"   ERROR {result['error']}")
    for fig in result.get("figures") or []:
        if not isinstance(fig, dict):
            continue
        passed = {True: "pass", False: "MISS", None: ""}.get(fig.get("passed"), "")
        # A skipped row has no value: print its name and reason only.
        value = "" if fig.get("value") is None else f"{fig.get('value')} {fig.get('unit', '')}"
        print(f"   {fig.get('name')}: {value}  target {fig.get('target', '')} {passed}")


def main(argv: list[str] | None = None) -> int:
    available = discover()
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help=f"modules to run (default all): {', '.join(available)}")
    parser.add_argument("--no-doc", action="store_true", help="do not rewrite docs/PERFORMANCE.md")
    parser.add_argument(
        "--short",
        action="store_true",
        help="CI form: every module scaled down to seconds, figures printed, no target judged, nothing written",
    )
    args = parser.parse_args(argv)
    if args.short:  # read by bench.common when the modules are imported below
        os.environ["BENCH_SHORT"] = "1"
    unknown = [n for n in args.names if n not in available]
    if unknown:
        parser.error(f"unknown benchmark(s) {unknown}; available: {available}")
    results: dict[str, Any] = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    for name in args.names or available:
        print(f"running bench/bench_{name}.py ...", flush=True)
        results[name] = run_one(name)
        if args.short:  # a short run judges nothing: its figures are printed only
            for fig in results[name].get("figures") or []:
                if isinstance(fig, dict):
                    fig["passed"] = None
        _show(name, results[name])
        if not args.short:
            RESULTS.write_text(json.dumps(results, indent=1, default=str) + "\n")
    if not args.no_doc and not args.short:
        ordered = {n: results[n] for n in available if n in results}
        DOC.write_text(render(ordered, machine()))
        print(f"\nwrote {DOC.relative_to(REPO)}")
    return 1 if any("error" in results[n] for n in (args.names or available)) else 0


if __name__ == "__main__":
    sys.exit(main())
