"""The command line mirrors the settings."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
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


def _subcommands() -> list[str]:
    return ["serve", *cli.COMMANDS]


@pytest.mark.parametrize("command", _subcommands())
@pytest.mark.parametrize("before", [True, False], ids=["before", "after"])
def test_settings_flags_work_before_or_after_every_subcommand(command: str, before: bool) -> None:
    flags = ["--port", "9000", "--no-labs-enabled", "--job-progression", "manual"]
    argv = [*flags, command] if before else [command, *flags]
    settings = cli.settings_from_args(cli.build_parser().parse_args(argv))
    assert (settings.port, settings.labs_enabled, settings.job_progression) == (9000, False, "manual")


@pytest.mark.parametrize("command", _subcommands())
def test_a_subcommand_flag_left_out_keeps_the_one_given_before(command: str) -> None:
    # argparse copies the subcommand's namespace over the main one: unset flags there must not erase these
    argv = ["--port", "9001", "--data-dir", "/tmp/x", command, "--seed", "5"]
    settings = cli.settings_from_args(cli.build_parser().parse_args(argv))
    assert (settings.port, str(settings.data_dir), settings.seed) == (9001, "/tmp/x", 5)


@pytest.mark.parametrize("command", _subcommands())
def test_the_subcommand_side_wins_when_both_are_given(command: str) -> None:
    settings = cli.settings_from_args(
        cli.build_parser().parse_args(["--port", "9001", command, "--port", "9002"])
    )
    assert settings.port == 9002


@pytest.mark.parametrize("command", list(cli.COMMANDS))
def test_subcommand_help_lists_every_setting_and_its_own_flags(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        cli.main([command, "--help"])
    assert exited.value.code == 0
    help_text = capsys.readouterr().out
    for name in Settings.model_fields:
        assert "--" + name.replace("_", "-") in help_text, name
    if command == "demo":
        assert "--app-id" in help_text and "--no-serve" in help_text


def test_demo_with_the_port_before_the_subcommand_serves_and_links_on_that_port(tmp_path: Path) -> None:
    port = _free_port()
    command = [sys.executable, "-m", "mock_symbl", "--port", str(port), "--no-labs-enabled"]
    command += ["--data-dir", str(tmp_path), "demo"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        lines: list[str] = []
        assert process.stdout is not None
        for line in process.stdout:
            lines.append(line)
            if line.startswith("Serving on "):
                break
        output = "".join(lines)
        assert f"Serving on http://127.0.0.1:{port}" in output, output
        links = re.findall(r"https?://[^\s/'\"]+", output)
        assert links and all(link == f"http://127.0.0.1:{port}" for link in links), links
        assert (tmp_path / "mock-symbl.db").is_file()  # --data-dir, given before the subcommand, was honoured
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/__admin/ready").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "the demo server never became ready"
            time.sleep(0.1)
    finally:
        process.terminate()
        process.wait(timeout=15)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port
