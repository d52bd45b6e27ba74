"""A thread pool that runs at most `per_key` tasks of one key at once, so one key's backlog never queues
another key's tasks behind it (the media URL downloads, keyed by account: media_processor.Prefetcher)."""

from __future__ import annotations

import threading
from collections import Counter, deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

Task = tuple["Future[Any]", Callable[[], Any]]


class FairPool:
    def __init__(self, *, workers: int, per_key: int, name: str) -> None:
        self.workers = workers
        self.per_key = per_key
        self.name = name
        self._pool: ThreadPoolExecutor | None = None
        self._running: Counter[str] = Counter()  # key -> its tasks handed to the threads
        self._waiting: dict[str, deque[Task]] = {}  # key -> its tasks beyond per_key, in submission order
        self._started: set[Future[Any]] = set()
        self._lock = threading.Lock()
        self._closed = False

    def submit(self, key: str, fn: Callable[[], Any]) -> Future[Any]:
        """Run `fn` now if `key` has fewer than per_key tasks running, else after them; returns its future."""
        future: Future[Any] = Future()
        with self._lock:
            if self._closed:
                future.cancel()
            elif self._running[key] < self.per_key:
                self._running[key] += 1
                self._start(key, (future, fn))
            else:
                self._waiting.setdefault(key, deque()).append((future, fn))
        return future

    def running(self, key: str) -> int:
        with self._lock:
            return self._running[key]

    def _start(self, key: str, task: Task) -> None:  # holding the lock
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix=self.name)
        self._started.add(task[0])
        self._pool.submit(self._run, key, task)

    def _run(self, key: str, task: Task) -> None:
        future, fn = task
        try:
            if future.set_running_or_notify_cancel():
                try:
                    result = fn()
                except BaseException as exc:  # handed to whoever waits on the future, never lost
                    future.set_exception(exc)
                else:
                    future.set_result(result)
        finally:
            with self._lock:
                self._started.discard(future)
                queue = self._waiting.get(key)
                if self._closed:
                    pass
                elif queue:
                    if len(queue) == 1:
                        del self._waiting[key]
                    self._start(key, queue.popleft())  # the key's slot passes to its next task
                else:
                    self._running[key] -= 1
                    if self._running[key] <= 0:
                        del self._running[key]

    def close(self) -> None:
        """Cancel every task not yet running and let the running ones end on their own."""
        with self._lock:
            self._closed = True
            pool, self._pool = self._pool, None
            waiting = [future for queue in self._waiting.values() for future, _ in queue]
            waiting += self._started
            self._waiting.clear()
            self._running.clear()
        for future in waiting:
            future.cancel()  # a running one stays running (cancel() is False for it)
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)
