"""A tiny HTTP server on 127.0.0.1 for tests: records webhook calls and serves media files."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Hit:
    method: str
    path: str
    body: bytes
    at: float

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Route:
    status: int | Callable[[int], int] = 200  # fixed, or from the 0-based count of earlier hits on the path
    body: bytes = b"{}"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


class Receiver:
    def __init__(self) -> None:
        self.hits: list[Hit] = []
        self.routes: dict[str, Route] = {}
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # keep test output quiet
                pass

            def _handle(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length) if length else b""
                path = self.path
                with receiver._lock:
                    count = sum(1 for h in receiver.hits if h.path == path)
                    receiver.hits.append(Hit(self.command, path, body, time.monotonic()))
                route = receiver.routes.get(path.split("?")[0], Route())
                if route.delay:
                    time.sleep(route.delay)
                status = route.status(count) if callable(route.status) else route.status
                try:
                    self.send_response(status)
                    for key, value in route.headers.items():
                        self.send_header(key, value)
                    self.send_header("content-length", str(len(route.body)))
                    self.end_headers()
                    if self.command != "HEAD":
                        self.wfile.write(route.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            do_GET = do_POST = do_PUT = do_HEAD = _handle

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def hits_for(self, path: str) -> list[Hit]:
        with self._lock:
            return [h for h in self.hits if h.path == path]

    def wait_for(self, path: str, count: int, timeout: float = 10.0) -> list[Hit]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            hits = self.hits_for(path)
            if len(hits) >= count:
                return hits
            time.sleep(0.01)
        return self.hits_for(path)


@contextmanager
def running_receiver() -> Iterator[Receiver]:
    receiver = Receiver()
    receiver.thread.start()
    try:
        yield receiver
    finally:
        receiver.server.shutdown()
        receiver.server.server_close()
