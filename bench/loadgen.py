"""A small HTTP/1.1 keep-alive load generator, used by the benchmarks when wrk is not installed.

`python -m bench.loadgen URL --seconds 5 --connections 16 [--header 'k: v']` prints one JSON object:
requests/s, latency percentiles in ms, non-2xx count and socket errors (the fields bench.common.load reads).
Pure asyncio on raw sockets so that the client costs as little CPU as possible; wrk is still better (C).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from urllib.parse import urlsplit


async def _worker(
    host: str, port: int, request: bytes, deadline: float, latencies: list[float], counters: dict[str, int]
) -> None:
    try:
        reader, writer = await asyncio.open_connection(host, port)
    except OSError:
        counters["socket_errors"] += 1
        return
    try:
        while time.monotonic() < deadline:
            started = time.perf_counter()
            writer.write(request)
            status_line = await reader.readline()
            length = 0
            while True:
                line = await reader.readline()
                if line in (b"\r\n", b""):
                    break
                name, _, value = line.decode("latin-1").partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value.strip())
            await reader.readexactly(length)
            latencies.append(time.perf_counter() - started)
            parts = status_line.split()
            if len(parts) < 2 or not parts[1].startswith(b"2"):
                counters["non_2xx"] += 1
    except (OSError, asyncio.IncompleteReadError, ValueError):
        counters["socket_errors"] += 1
    finally:
        writer.close()


async def run(url: str, seconds: float, connections: int, headers: list[str]) -> dict[str, float]:
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    head = [f"GET {target} HTTP/1.1", f"Host: {host}:{port}", "Connection: keep-alive", *headers]
    request = ("\r\n".join(head) + "\r\n\r\n").encode("latin-1")
    latencies: list[float] = []
    counters = {"non_2xx": 0, "socket_errors": 0}
    started = time.monotonic()
    deadline = started + seconds
    await asyncio.gather(
        *(_worker(host, port, request, deadline, latencies, counters) for _ in range(connections))
    )
    elapsed = time.monotonic() - started
    ordered = sorted(latencies)

    def pct(p: float) -> float:
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000 if ordered else float("nan")

    return {
        "rps": len(latencies) / elapsed,
        "p50_ms": pct(50),
        "p75_ms": pct(75),
        "p90_ms": pct(90),
        "p99_ms": pct(99),
        "non_2xx": float(counters["non_2xx"]),
        "socket_errors": float(counters["socket_errors"]),
    }


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.loadgen")
    parser.add_argument("url")
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--header", action="append", default=[])
    args = parser.parse_args()
    print(json.dumps(asyncio.run(run(args.url, args.seconds, args.connections, args.header))))


if __name__ == "__main__":
    main()
