"""FairPool: at most per_key tasks of a key run at once; its others wait without holding anyone else's."""

from __future__ import annotations

import threading
from concurrent.futures import CancelledError
from typing import Any

import pytest

from mock_symbl.process.fair_pool import FairPool

WAIT = 10  # seconds: a bound for a test that would otherwise hang, never a timing under test


def _blocker(gate: threading.Event, started: list[int], n: int) -> Any:
    def task() -> int:
        started.append(n)
        assert gate.wait(WAIT)
        return n

    return task


def test_a_keys_backlog_waits_for_its_own_tasks_only() -> None:
    pool = FairPool(workers=8, per_key=2, name="test-fair")
    gate = threading.Event()
    started: list[int] = []
    try:
        busy = [pool.submit("a", _blocker(gate, started, n)) for n in range(6)]
        other = pool.submit("b", lambda: "b done")
        assert other.result(timeout=WAIT) == "b done"  # not queued behind a's six
        assert pool.running("a") == 2
        assert sorted(started) == [0, 1]  # a's others have not started
        gate.set()
        assert [f.result(timeout=WAIT) for f in busy] == list(range(6))
        assert sorted(started) == list(range(6))
        assert pool.running("a") == 0 and pool.running("b") == 0
    finally:
        gate.set()
        pool.close()


def test_the_backlog_runs_in_submission_order_one_slot_at_a_time() -> None:
    pool = FairPool(workers=4, per_key=1, name="test-fair")
    order: list[int] = []

    def record(n: int) -> Any:
        return lambda: order.append(n)

    try:
        futures = [pool.submit("a", record(n)) for n in range(5)]
        for future in futures:
            future.result(timeout=WAIT)
        assert order == [0, 1, 2, 3, 4]
    finally:
        pool.close()


def test_an_error_reaches_the_future_and_frees_the_slot() -> None:
    pool = FairPool(workers=2, per_key=1, name="test-fair")

    def broken() -> None:
        raise ValueError("no such media")

    try:
        failed = pool.submit("a", broken)
        after = pool.submit("a", lambda: "next")
        with pytest.raises(ValueError, match="no such media"):
            failed.result(timeout=WAIT)
        assert after.result(timeout=WAIT) == "next"
    finally:
        pool.close()


def test_close_cancels_what_has_not_started() -> None:
    pool = FairPool(workers=2, per_key=1, name="test-fair")
    gate = threading.Event()
    started: list[int] = []
    running = pool.submit("a", _blocker(gate, started, 0))
    waiting = pool.submit("a", _blocker(gate, started, 1))
    for _ in range(WAIT * 100):
        if started:
            break
        threading.Event().wait(0.01)
    pool.close()
    with pytest.raises(CancelledError):
        waiting.result(timeout=WAIT)
    gate.set()
    assert running.result(timeout=WAIT) == 0  # a running task ends on its own
    assert started == [0]
    assert pool.submit("a", lambda: None).cancelled()  # nothing runs after close
