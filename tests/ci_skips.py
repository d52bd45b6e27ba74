"""pytest plugin (loaded by tests/conftest.py): under CI=true a skipped test is a failure.

CI installs everything the suite needs (Chromium, Node, the SDKs, Docker), so a skip there means a check
quietly did not run. Locally a skip still says what is missing. xfail is left alone.
"""

from __future__ import annotations

import os
from collections.abc import Generator
from typing import Any

import pytest


def strict() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def _reason(longrepr: Any) -> str:
    if isinstance(longrepr, tuple) and len(longrepr) == 3:  # (path, line, "Skipped: why")
        return str(longrepr[2])
    return str(longrepr)


def _fail(report: pytest.TestReport | pytest.CollectReport) -> None:
    report.outcome = "failed"
    report.longrepr = f"skipped under CI=true, where every test must run: {_reason(report.longrepr)}"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, Any, None]:
    outcome = yield
    report: pytest.TestReport = outcome.get_result()
    if strict() and report.skipped and not hasattr(report, "wasxfail"):
        _fail(report)


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector: pytest.Collector) -> Generator[None, Any, None]:
    outcome = yield
    report: pytest.CollectReport = outcome.get_result()
    if strict() and report.skipped:  # a module-level skip or importorskip drops a whole file
        _fail(report)
