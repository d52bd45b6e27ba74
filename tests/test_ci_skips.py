"""Under CI=true a skipped test fails the run (tests/ci_skips.py); locally it stays a skip."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

SAMPLE = """
import pytest

def test_runs():
    assert True

def test_skipped():
    pytest.skip("needs a thing")

@pytest.mark.skipif(True, reason="marker skip")
def test_marked():
    pass

@pytest.mark.xfail(reason="known")
def test_expected_failure():
    assert False
"""

MODULE_SKIP = """
import pytest
pytest.importorskip("a_module_that_does_not_exist_anywhere")

def test_never_collected():
    pass
"""


@pytest.fixture
def runner(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    pytester.makepyfile(test_sample=SAMPLE)
    return pytester


def test_skips_fail_under_ci(runner: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    result = runner.runpytest_subprocess("-p", "tests.ci_skips", "-p", "no:cacheprovider", "-rA")
    outcomes = result.parseoutcomes()
    # pytest.skip() in the body fails; a skipif marker acts at setup, so it shows as an error: both fail the run
    assert outcomes.get("passed") == 1 and outcomes.get("failed") == 1 and outcomes.get("errors") == 1, (
        outcomes
    )
    assert outcomes.get("xfailed") == 1 and "skipped" not in outcomes, outcomes
    result.stdout.fnmatch_lines(["*skipped under CI=true, where every test must run*needs a thing*"])
    assert result.ret == 1


def test_a_module_level_skip_fails_under_ci(runner: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    runner.makepyfile(test_module_skip=MODULE_SKIP)
    result = runner.runpytest_subprocess(
        "test_module_skip.py", "-p", "tests.ci_skips", "-p", "no:cacheprovider"
    )
    result.stdout.fnmatch_lines(["*skipped under CI=true, where every test must run*a_module_that_does_not*"])
    assert result.ret != 0 and "skipped" not in result.parseoutcomes()


def test_skips_stay_skips_locally(runner: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    result = runner.runpytest_subprocess("-p", "tests.ci_skips", "-p", "no:cacheprovider")
    outcomes = result.parseoutcomes()
    assert outcomes.get("passed") == 1 and outcomes.get("skipped") == 2 and outcomes.get("xfailed") == 1
    assert result.ret == 0
