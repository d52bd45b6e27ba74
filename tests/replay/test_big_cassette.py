"""A 50 MB cassette imports in bounded memory: the importing process grows by far less than the file.

Each import runs in a fresh process that reports its own peak RSS (ru_maxrss); a small cassette gives the
baseline (interpreter, app, engine), so the difference is what the 50 MB file costs. Parsing the cassette
whole would hold every body at once: several hundred MB of Python objects.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bench.replay_cassette import write_cassette

BIG = 50 * 1024 * 1024
LIMIT_MB = 128
SCRIPT = """
import json, resource, sys
from pathlib import Path
from mock_symbl.admin import replay
from mock_symbl.app import create_app
from mock_symbl.settings import Settings
services = create_app(Settings(database=sys.argv[2], port=0, labs_port=0)).state.services
report = replay.import_paths(services, [(Path(sys.argv[1]), "cassette")])
print(json.dumps({"peak_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                  "imported": len(report.imported), "skipped": len(report.skipped)}))
"""


def _import(cassette: Path, database: Path) -> dict[str, int]:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(cassette), str(database)],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=Path(__file__).parents[2],
    )
    assert done.returncode == 0, done.stderr[-2000:]
    result: dict[str, int] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_a_50_mb_cassette_imports_in_bounded_memory(tmp_path: Path) -> None:
    small, big = tmp_path / "small.yaml", tmp_path / "big.yaml"
    write_cassette(small, 1)
    conversations = write_cassette(big, BIG, first=1000)
    assert big.stat().st_size >= BIG
    baseline = _import(small, tmp_path / "small.db")
    result = _import(big, tmp_path / "big.db")
    assert (result["imported"], result["skipped"]) == (conversations, 0)
    growth_mb = (result["peak_kb"] - baseline["peak_kb"]) / 1024
    assert growth_mb < LIMIT_MB, f"importing 50 MB grew the process by {growth_mb:.0f} MB"
