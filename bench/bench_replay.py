"""Recorded traffic import: a 50 MB vcrpy cassette through POST /__admin/import in bounded server memory.

The cassette (bench/replay_cassette.py: 400-message conversations with their jobs, members and topics) is
streamed from disk by httpx with a Content-Length; the server (subprocess, file database) spools it to a
temporary file, reads it one interaction at a time in two passes and writes one conversation per
transaction. Its resident memory is sampled every 5 ms from /proc; growth is measured from the RSS after a
warm-up import of a small cassette (every code path loaded).
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx

from bench.bench_upload import _rss_kb, _Sampler
from bench.common import REPO, SHORT, figure, free_port, mock_command, server_env, stop, token, wait_http
from bench.replay_cassette import write_cassette

COMMAND = "python -m bench replay"
SIZE = int(os.environ.get("MOCK_SYMBL_BENCH_REPLAY_BYTES", str((2 if SHORT else 50) * 1024**2)))
LIMIT_MB = 128.0


def _chunks(path: Path) -> Iterator[bytes]:
    with path.open("rb") as fh:
        while chunk := fh.read(256 * 1024):
            yield chunk


def run() -> dict[str, Any]:
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="mock-symbl-replay-") as tmp:
        cassette, warm = Path(tmp) / "big.yaml", Path(tmp) / "warm.yaml"
        conversations = write_cassette(cassette, SIZE)
        write_cassette(warm, 1, messages=20, first=9_000)
        size = cassette.stat().st_size
        cmd = mock_command(port, str(Path(tmp) / "bench.db"), "--data-dir", tmp)
        proc = subprocess.Popen(
            cmd, cwd=REPO, env=server_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        base = f"http://127.0.0.1:{port}"
        try:
            wait_http(base + "/__admin/ready", proc=proc)
            with httpx.Client(base_url=base, timeout=900) as client:
                client.post(
                    "/__admin/import",
                    params={"account": "warm"},
                    headers={"x-mock-admin": "1"},
                    content=warm.read_bytes(),
                )
                baseline = _rss_kb(proc.pid)
                started = time.monotonic()
                with _Sampler(proc.pid) as sampler:
                    response = client.post(
                        "/__admin/import",
                        params={"name": "big.yaml"},
                        headers={"content-length": str(size), "x-mock-admin": "1"},
                        content=_chunks(cassette),
                    )
                elapsed = time.monotonic() - started
                response.raise_for_status()
                report = response.json()
                headers = {"x-api-key": token(base, app_id="imported")}
                first = report["imported"][0]["conversationId"]
                messages = client.get(f"/v1/conversations/{first}/messages", headers=headers).json()[
                    "messages"
                ]
        finally:
            stop(proc)
    growth_mb = (sampler.peak - baseline) / 1024
    mb = size / 1024**2
    imported = len(report["imported"])
    ok = imported == conversations and not report["skipped"] and len(messages) == 400
    return {
        "title": "Recorded traffic import",
        "description": (
            f"POST /__admin/import of a {mb:.0f} MiB vcrpy cassette ({conversations} conversations of 400 messages, "
            "each with its job, members and topics) streamed by httpx; the server (subprocess, file database) reads "
            "it one interaction at a time (docs/REPLAY.md). Peak RSS sampled every 5 ms from /proc, growth measured "
            "from the RSS after a warm-up import."
        ),
        "figures": [
            figure(
                f"server peak memory growth importing a {mb:.0f} MiB cassette",
                round(growth_mb, 1),
                "MiB",
                target=f"< {LIMIT_MB:.0f} MiB",
                passed=growth_mb < LIMIT_MB and ok,
                command=COMMAND,
                note=f"{imported}/{conversations} conversations imported; baseline RSS {baseline / 1024:.0f} MiB",
            ),
            figure(
                "import throughput (upload to report)",
                round(mb / elapsed, 2),
                "MiB/s",
                target="(reference)",
                passed=None,
                command=COMMAND,
                note=f"{elapsed:.1f} s for {mb:.0f} MiB ({elapsed / max(imported, 1) * 1000:.0f} ms per conversation)",
            ),
        ],
        "raw": {"bytes": size, "conversations": conversations, "seconds": elapsed, "peak_kb": sampler.peak},
    }
