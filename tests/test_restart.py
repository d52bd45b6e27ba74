"""Jobs in flight when the server process dies reach `completed` after it starts again on the same file."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.helpers import SAMPLE_MESSAGES


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start(db: Path, port: int, step: float) -> subprocess.Popen[bytes]:
    cmd = [
        sys.executable, "-m", "mock_symbl",
        "--port", str(port), "--no-labs-enabled", "--database", str(db),
        "--job-progression", "time", "--job-step-seconds", str(step), "--log-level", "warning",
    ]  # fmt: skip
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/__admin/health", timeout=0.5).status_code == 200:
                return proc
        except httpx.TransportError:
            time.sleep(0.05)
    proc.kill()
    raise RuntimeError(proc.stderr.read().decode() if proc.stderr else "server did not start")


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL])
def test_jobs_resume_after_restart(tmp_path: Path, sig: signal.Signals) -> None:
    db = tmp_path / "restart.db"
    port = _free_port()
    proc = _start(db, port, step=3)  # nothing completes before the stop
    base = f"http://127.0.0.1:{port}"
    try:
        token = httpx.post(
            f"{base}/oauth2/token:generate", json={"type": "application", "appId": "r", "appSecret": "s"}
        ).json()["accessToken"]
        headers = {"x-api-key": token}
        jobs = [
            httpx.post(f"{base}/v1/process/text", headers=headers, json={"messages": SAMPLE_MESSAGES}).json()
            for _ in range(5)
        ]
        assert {httpx.get(f"{base}/v1/job/{j['jobId']}", headers=headers).json()["status"] for j in jobs} == {
            "in_progress"  # started by the submit, as Symbl does; none completes within its 3 s step
        }
    finally:
        os.kill(proc.pid, sig)
        proc.wait(timeout=10)

    proc = _start(db, port, step=0.05)
    try:
        # each job keeps its own step length (3 s) across the restart
        deadline = time.monotonic() + 30
        statuses: set[str] = set()
        while time.monotonic() < deadline:
            statuses = {
                httpx.get(f"{base}/v1/job/{j['jobId']}", headers=headers).json()["status"] for j in jobs
            }
            if statuses == {"completed"}:
                break
            time.sleep(0.2)
        assert statuses == {"completed"}
        for job in jobs:
            messages = httpx.get(
                f"{base}/v1/conversations/{job['conversationId']}/messages", headers=headers
            ).json()["messages"]
            assert len(messages) == 4  # processed exactly once
    finally:
        proc.terminate()
        proc.wait(timeout=10)
