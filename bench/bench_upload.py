"""Media upload: a 1 GB WAV through POST /v1/process/audio; the server's peak memory growth stays small.

The server runs as a subprocess (`python -m mock_symbl`, file database); its resident memory is sampled
every 5 ms from /proc while the client streams the body (with a Content-Length, as curl --data-binary and
the SDKs send it) from a generator, so neither side ever holds the file.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx

from bench.common import REPO, SHORT, figure, free_port, mock_command, server_env, stop, token, wait_http
from mock_symbl.media.synth import make_wav, wav_stream

COMMAND = "python -m bench upload"
SIZE = int(os.environ.get("MOCK_SYMBL_BENCH_UPLOAD_BYTES", str(20 * 1024**2 if SHORT else 1024**3)))
LIMIT_MB = 64.0


def _rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


class _Sampler:
    """Peak RSS of a process, sampled in a thread."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, _rss_kb(self.pid))
            time.sleep(0.005)

    def __enter__(self) -> _Sampler:
        self.peak = _rss_kb(self.pid)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, _rss_kb(self.pid))


def _body(size: int) -> Iterator[bytes]:
    yield from wav_stream(size, chunk=256 * 1024)


def _wait_job(client: httpx.Client, headers: dict[str, str], job_id: str) -> str:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        status = str(client.get(f"/v1/job/{job_id}", headers=headers).json()["status"])
        if status in ("completed", "failed"):
            return status
        time.sleep(0.05)
    return "timeout"


def run() -> dict[str, Any]:
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="mock-symbl-upload-") as tmp:
        cmd = mock_command(
            port, str(Path(tmp) / "bench.db"), "--data-dir", tmp, "--job-progression", "immediate"
        )
        proc = subprocess.Popen(
            cmd, cwd=REPO, env=server_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        base = f"http://127.0.0.1:{port}"
        try:
            wait_http(base + "/__admin/health", proc=proc)
            headers = {"x-api-key": token(base)}
            with httpx.Client(base_url=base, timeout=600) as client:
                # Warm up: every import and code path of an upload runs once before measuring.
                warm = client.post(
                    "/v1/process/audio", headers={**headers, "content-type": "audio/wav"}, content=make_wav(2)
                )
                warm.raise_for_status()
                baseline = _rss_kb(proc.pid)
                started = time.monotonic()
                with _Sampler(proc.pid) as sampler:
                    response = client.post(
                        "/v1/process/audio",
                        headers={**headers, "content-type": "audio/wav", "content-length": str(SIZE)},
                        content=_body(SIZE),
                    )
                elapsed = time.monotonic() - started
                response.raise_for_status()
                status = _wait_job(client, headers, response.json()["jobId"])
                leftovers = list((Path(tmp) / "media").glob("*")) if (Path(tmp) / "media").exists() else []
        finally:
            stop(proc)
    growth_mb = (sampler.peak - baseline) / 1024
    mb = SIZE / 1024**2
    return {
        "title": "Media upload memory",
        "description": (
            f"POST /v1/process/audio with a {mb:.0f} MiB WAV (48 kHz stereo, {SIZE / 192000 / 3600:.2f} h) streamed "
            "by httpx from a generator with a Content-Length; the server (subprocess, file database) streams it to "
            "disk while hashing, reads the duration, deletes the file and submits the job. Peak RSS sampled every "
            "5 ms from /proc, growth measured from the RSS after a warm-up upload."
        ),
        "figures": [
            figure(
                "server peak memory growth during a 1 GB upload",
                round(growth_mb, 1),
                "MiB",
                target=f"< {LIMIT_MB:.0f} MiB",
                passed=growth_mb < LIMIT_MB and status == "completed",
                command=COMMAND,
                note=f"job {status}; baseline RSS {baseline / 1024:.0f} MiB; upload files left: {len(leftovers)}",
            ),
            figure(
                "upload throughput (client to job submitted)",
                round(mb / elapsed, 1),
                "MiB/s",
                target="(reference)",
                passed=None,
                command=COMMAND,
                note=f"{elapsed:.1f} s for {mb:.0f} MiB over loopback",
            ),
        ],
        "raw": {"bytes": SIZE, "baseline_kb": baseline, "peak_kb": sampler.peak, "seconds": elapsed},
    }


if __name__ == "__main__":
    import json

    print(json.dumps(run(), indent=2))
