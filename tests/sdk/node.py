"""Running the Node SDK harness in tests/sdk_js (dependencies pinned by its package-lock.json)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

HARNESS = Path(__file__).resolve().parent.parent / "sdk_js"
NODE = shutil.which("node")
needs_node = pytest.mark.skipif(
    NODE is None, reason="`node` is not installed: the JS/web SDK tests need Node >= 18"
)


def run(command: list[str], timeout: float = 60) -> dict[str, Any]:
    done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    assert lines, f"no report (exit {done.returncode}): {done.stdout[-2000:]} {done.stderr[-2000:]}"
    report: dict[str, Any] = json.loads(lines[-1])
    assert done.returncode == 0, report
    return report
