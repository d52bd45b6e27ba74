"""The command line mirrors the settings."""

from __future__ import annotations

import subprocess
import sys

import pytest

from mock_symbl import cli
from mock_symbl.settings import Settings


def test_every_setting_has_a_flag() -> None:
    help_text = cli.build_parser().format_help()
    for name in Settings.model_fields:
        assert "--" + name.replace("_", "-") in help_text


def test_flags_override_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MOCK_SYMBL_PORT", "9000")
    monkeypatch.setenv("MOCK_SYMBL_JOB_STEP_SECONDS", "2")
    args = cli.build_parser().parse_args(["--port", "9100", "--no-labs-enabled", "--database", ":memory:"])
    settings = cli.settings_from_args(args)
    assert settings.port == 9100 and settings.labs_enabled is False and settings.in_memory
    assert settings.job_step_seconds == 2.0  # from the environment


def test_invalid_setting_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--port", "99999"]) == 2
    assert "invalid setting" in capsys.readouterr().err


def test_incompatible_database_exits_2(tmp_path: object, capsys: pytest.CaptureFixture[str]) -> None:
    import sqlite3

    path = f"{tmp_path}/foreign.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE x (y INTEGER)")
    assert cli.main(["--database", path, "--port", "0", "--labs-port", "0"]) == 2
    assert "not a mock-symbl database" in capsys.readouterr().err


def test_python_dash_m_entry_point() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mock_symbl", "--version"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0 and result.stdout.startswith("mock-symbl ")
