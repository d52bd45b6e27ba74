"""WebSocket abuse against a real server process: malformed and oversize frames, audio floods, a client that
never reads, and many connections opened and dropped. Throughout, a health probe must answer quickly; after,
the server must still stream normally and its memory must come back to its baseline.
"""

from __future__ import annotations

import contextlib
import json
import statistics
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

from tests.reliability.conftest import SOAK, ServerProcess, scale

# The soak form (two rounds of 20 s floods and 3,000 connections: ~100 s on a quiet machine) gets room on a
# loaded one.
pytestmark = pytest.mark.timeout(scale(120, 600))

RATE = 16000
FRAME_LIMIT = 65536
START = json.dumps(
    {
        "type": "start_request",
        "insightTypes": ["question", "action_item"],
        "config": {"speechRecognition": {"encoding": "LINEAR16", "sampleRateHertz": RATE}},
        "speaker": {"userId": "jane@example.com", "name": "Jane"},
    }
)
STOP = json.dumps({"type": "stop_request"})
CHURN = scale(300, 3000)  # connections opened and dropped per round


def pcm(seconds: float) -> bytes:
    return b"\x01\x00" * int(seconds * RATE)


class Prober:
    """GET /__admin/health every 50 ms from its own thread, recording each answer's latency."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.latencies: list[float] = []
        self.by_phase: dict[str, list[float]] = {}
        self.phase = "start"
        self.failures: list[str] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        with httpx.Client(base_url=self.base_url, timeout=5) as client:
            while not self._stop.is_set():
                started = time.perf_counter()
                try:
                    ok = client.get("/__admin/health").status_code == 200
                except httpx.HTTPError as exc:
                    ok = False
                    self.failures.append(repr(exc))
                self.latencies.append(time.perf_counter() - started)
                self.by_phase.setdefault(self.phase, []).append(self.latencies[-1])
                if not ok:
                    self.failures.append("not 200")
                self._stop.wait(0.05)

    def __enter__(self) -> Prober:
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._stop.set()
        self._thread.join(timeout=10)


@pytest.fixture
def server(server_factory: Callable[..., ServerProcess]) -> ServerProcess:
    return server_factory(
        "--max-concurrent-streams",
        "100000",
        "--streaming-max-frame-bytes",
        str(FRAME_LIMIT),
        "--telephony-speed",
        "0",
    )


def _ws(server: ServerProcess, token: str, name: str, **kwargs: Any) -> ClientConnection:
    url = f"ws://127.0.0.1:{server.port}/v1/streaming/{name}?access_token={token}"
    return connect(url, open_timeout=30, close_timeout=2, max_size=None, compression=None, **kwargs)


def _normal_session(server: ServerProcess, token: str, name: str) -> list[dict[str, Any]]:
    """A well-behaved client: start, 3 s of audio, stop, read until the conversation is complete."""
    received = []
    with _ws(server, token, name) as ws:
        ws.send(START)
        for _ in range(6):
            ws.send(pcm(0.5))
        ws.send(STOP)
        with contextlib.suppress(ConnectionClosed, TimeoutError):
            while True:
                message = json.loads(ws.recv(timeout=20))
                received.append(message)
                if (
                    message.get("type") == "message"
                    and message["message"].get("type") == "conversation_completed"
                ):
                    break
    return received


def _drain(ws: ClientConnection) -> None:
    with contextlib.suppress(ConnectionClosed, TimeoutError, OSError):
        while True:
            ws.recv()


def _settled_rss(server: ServerProcess, seconds: float = 3.0) -> int:
    time.sleep(seconds)
    return server.rss_kb()


def _floods_beside_deaf_clients(server: ServerProcess, token: str) -> None:
    """4 audio floods (as fast as the socket takes them) beside 4 clients that never read their socket."""
    seconds = scale(3, 20)
    floods: dict[int, int] = {}  # frames each flooder sent

    def flood(i: int) -> None:
        with contextlib.suppress(ConnectionClosed, TimeoutError, OSError):
            with _ws(server, token, f"flood-{i}") as ws:
                ws.socket.settimeout(10)  # a send blocked by backpressure must not hang the test forever
                # The flooder reads its results (only the deaf clients do not): a flooder that never reads is
                # stalled by backpressure within seconds and floods no more.
                reader = threading.Thread(target=_drain, args=(ws,), daemon=True)
                reader.start()
                ws.send(START)
                chunk = pcm(1.0)  # 32 KB of audio per frame
                deadline = time.monotonic() + seconds
                while time.monotonic() < deadline:
                    ws.send(chunk)
                    floods[i] = floods.get(i, 0) + 1
                ws.send(STOP)
                reader.join(timeout=60)  # until the server has completed the conversation and closed

    def never_reads(i: int) -> None:
        # max_queue=1: the client library stops reading the socket, so the server's sends back up.
        with contextlib.suppress(ConnectionClosed, TimeoutError, OSError):
            with _ws(server, token, f"deaf-{i}", max_queue=1) as ws:
                # The server stops reading a client it cannot write to, so this client's sends back up in
                # turn: the timeout ends the client, never the test.
                ws.socket.settimeout(10)
                ws.send(START)
                deadline = time.monotonic() + seconds
                while time.monotonic() < deadline:
                    ws.send(pcm(0.25))
                    time.sleep(0.01)

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(lambda i: flood(i) if i % 2 else never_reads(i), range(8)))
    print(f"flood: 1 s audio frames sent per flooder in {seconds} s: {sorted(floods.values())}")


def _churn(server: ServerProcess, token: str, count: int) -> None:
    """Connections opened and dropped, half right after start_request (no stop_request)."""

    def churn(i: int) -> None:
        with (
            contextlib.suppress(ConnectionClosed, TimeoutError, OSError),
            _ws(server, token, f"churn-{i}") as ws,
        ):
            if i % 2:
                ws.send(START)
                ws.send(pcm(0.1))

    with ThreadPoolExecutor(max_workers=16) as pool:
        list(pool.map(churn, range(count)))


def test_abuse_keeps_the_server_responsive_and_memory_bounded(server: ServerProcess) -> None:
    token = server.token("ws-abuser")
    # Warm up: lazy imports, the insight engine, the first conversation. Then the baseline.
    for i in range(3):
        assert any(m.get("type") == "message" for m in _normal_session(server, token, f"warm-{i}"))
    baseline = _settled_rss(server)

    with Prober(server.base_url) as prober:
        prober.phase = "malformed"
        # 1. Malformed frames: each answered with an error (or a close), never a crash.
        with _ws(server, token, "malformed") as ws:
            for frame in (
                "not json",
                "{}",
                '{"type": 5}',
                '{"type": "start_request", "config": "nonsense"}',
                "[" * 20000 + "]" * 20000,
                '{"type": "modify_request"}',
                "\udcff".encode("utf-8", "surrogatepass").decode("utf-8", "replace"),
            ):
                ws.send(frame)
            ws.send(b"\x00" * 1000)  # audio before start_request: ignored
            ws.send(json.dumps({"type": "ping"}))
            replies = []
            with contextlib.suppress(ConnectionClosed, TimeoutError):
                for _ in range(20):
                    replies.append(json.loads(ws.recv(timeout=5)))
                    if replies[-1].get("type") == "pong":
                        break
            assert replies and all(isinstance(r, dict) for r in replies)

        prober.phase = "oversize"
        # 2. An oversize frame closes that socket with 1009 and nothing else.
        with _ws(server, token, "oversize") as ws:
            ws.send(START)
            ws.send(b"\x00" * (FRAME_LIMIT + 1))
            closed: ConnectionClosed | None = None
            try:
                for _ in range(1000):  # an error message comes first, then the close
                    ws.recv(timeout=10)
            except ConnectionClosed as exc:
                closed = exc
            assert closed is not None and closed.rcvd is not None and closed.rcvd.code == 1009

        def abuse_round(suffix: str) -> int:
            """Floods beside deaf clients, then churn; then a normal session must still stream. Settled RSS."""
            prober.phase = "flood+deaf" + suffix
            _floods_beside_deaf_clients(server, token)
            prober.phase = "churn" + suffix
            _churn(server, token, CHURN)
            prober.phase = "normal" + suffix
            label = "after" + suffix.replace(" ", "-")
            assert any(m.get("type") == "message" for m in _normal_session(server, token, label))
            return _settled_rss(server, 5.0)

        after = abuse_round("")
        # Soak: the same abuse once more. CPython does not give the first round's peak back to the OS, so RSS
        # cannot fall to the baseline; what must not happen is growth with each round (a leak).
        again = abuse_round(" again") if SOAK else None

    latencies = sorted(prober.latencies)
    assert not prober.failures, prober.failures[:5]
    assert len(latencies) > 20
    p99 = latencies[int(0.99 * (len(latencies) - 1))]
    slow = sum(1 for x in latencies if x > 0.1)
    print(
        f"health probes: {len(latencies)}, median {statistics.median(latencies) * 1000:.1f} ms, "
        f"p99 {p99 * 1000:.1f} ms, max {latencies[-1] * 1000:.1f} ms, over 100 ms: {slow}"
    )
    for phase, values in prober.by_phase.items():
        values.sort()
        print(
            f"  {phase}: n={len(values)} median {statistics.median(values) * 1000:.1f} ms max {values[-1] * 1000:.1f} ms"
        )
    # The target is every probe within 100 ms. On a quiet 2-core machine the p99 meets it; on a shared, loaded
    # one (the CI and developer machines run other suites at once) the scheduler alone adds that much, so the
    # test holds the line at the 90th percentile and at no stall (docs/RELIABILITY.md has measured figures).
    p90 = latencies[int(0.9 * (len(latencies) - 1))]
    assert p90 < 0.1, f"health p90 {p90 * 1000:.0f} ms during the abuse"
    assert latencies[-1] < 2.0, f"health stalled {latencies[-1]:.1f} s during the abuse"

    print(
        f"RSS baseline {baseline / 1024:.1f} MB, after {after / 1024:.1f} MB"
        + (f", after a second round {again / 1024:.1f} MB" if again is not None else "")
    )
    if again is None:
        # CPython keeps freed arenas; "back to baseline" allows that slack, not growth with the abuse.
        assert after <= baseline * 1.25 + 20 * 1024, (baseline, after)
    else:
        # The soak's floods are 20 s at full speed, 6.5-8 hours of audio per flooder: the four conversations'
        # working set (messages, insight bundles recomputed over them) is the peak, which CPython keeps as RSS
        # (its Python heap is back within a few MB of the baseline: docs/RELIABILITY.md). Hence a gross bound on
        # the first round and, for leaks, a second round: memory retained per round of abuse would make it add
        # as much as the first did; CPython's kept peak makes it add little (measured 1-20 MB against 75-90).
        assert after <= baseline * 2 + 20 * 1024, (baseline, after)
        assert again - after <= max(0.5 * (after - baseline), 10 * 1024), (baseline, after, again)
    assert "Traceback" not in server.log(), server.log()[-3000:]
