"""Reliability suite fixtures: real server processes (`python -m mock_symbl`) on free ports, route enumeration.

Short form by default (CI); `make soak` sets MOCK_SYMBL_SOAK=1 for the long form.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

SOAK = os.environ.get("MOCK_SYMBL_SOAK", "") not in ("", "0", "false")
REPO = Path(__file__).resolve().parents[2]


def scale(short: int, soak: int) -> int:
    """A size for the short (CI) form and one for `make soak`."""
    return soak if SOAK else short


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class ServerProcess:
    """One `python -m mock_symbl` subprocess; can be SIGKILLed and started again on the same database."""

    data_dir: Path
    args: list[str]
    port: int = field(default_factory=free_port)
    proc: subprocess.Popen[bytes] | None = None
    log_path: Path | None = None
    starts: int = 0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def start(self, timeout: float = 30.0) -> ServerProcess:
        self.starts += 1
        self.log_path = self.data_dir / f"server-{self.starts}.log"
        env = {k: v for k, v in os.environ.items() if not k.startswith("MOCK_SYMBL_")}
        cmd = [
            sys.executable,
            "-m",
            "mock_symbl",
            "--port",
            str(self.port),
            "--no-labs-enabled",
            "--data-dir",
            str(self.data_dir),
            "--database",
            str(self.data_dir / "mock.db"),
            "--log-level",
            "warning",
            *self.args,
        ]
        with open(self.log_path, "wb") as log:
            self.proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode}:\n{self.log()}")
            try:
                if httpx.get(self.base_url + "/__admin/health", timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.02)
        raise TimeoutError(f"server did not start:\n{self.log()}")

    def kill(self) -> None:
        """SIGKILL: no shutdown hook runs, like a crashed container."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()

    def log(self) -> str:
        logs = sorted(self.data_dir.glob("server-*.log"))
        return "\n".join(p.read_text(errors="replace") for p in logs)[-20000:]

    def rss_kb(self) -> int:
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        raise RuntimeError("no VmRSS")

    def token(self, app_id: str = "reliability") -> str:
        r = httpx.post(
            self.base_url + "/oauth2/token:generate",
            json={"type": "application", "appId": app_id, "appSecret": "secret"},
            timeout=30,
        )
        assert r.status_code == 200, r.text
        return str(r.json()["accessToken"])


@pytest.fixture
def server_factory(tmp_path: Path) -> Iterator[Callable[..., ServerProcess]]:
    """Start servers on fresh data directories; each is stopped after the test (by its own PID)."""
    servers: list[ServerProcess] = []

    def factory(*args: str, start: bool = True) -> ServerProcess:
        data = tmp_path / f"server{len(servers)}"
        data.mkdir()
        server = ServerProcess(data_dir=data, args=list(args))
        servers.append(server)
        return server.start() if start else server

    yield factory
    for server in servers:
        server.stop()
