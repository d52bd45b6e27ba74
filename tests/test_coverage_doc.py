"""docs/COVERAGE.md agrees with the app's route table."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _generator():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("coverage_table", ROOT / "scripts" / "coverage_table.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_coverage_doc_is_current() -> None:
    expected = _generator().render()
    actual = (ROOT / "docs" / "COVERAGE.md").read_text()
    assert actual == expected, (
        "docs/COVERAGE.md is stale: run `.venv/bin/python scripts/coverage_table.py > docs/COVERAGE.md`"
    )


def test_every_implemented_row_is_a_real_route() -> None:
    gen = _generator()
    routes = gen.app_routes()
    for line in (ROOT / "docs" / "COVERAGE.md").read_text().splitlines():
        if line.startswith("| ") and line.endswith("| implemented |"):
            method, path = line.split("|")[1].strip(), line.split("|")[2].strip().strip("`")
            assert (method, gen.normalize(path)) in routes, line
