"""Hostile HTTP servers on 127.0.0.1 for the outbound tests: silent, dripping, or answering without end."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass
class Hostile:
    """`mode`: "hang" (read the request, never answer), "drip" (headers, then one body byte every `pause` s),
    "drip-headers" (the status line one byte every `pause` s), "huge" (200 with a 400 MiB body, sent as fast as
    the client reads)."""

    mode: str
    pause: float = 0.2
    sock: socket.socket = field(default_factory=socket.socket)
    sent: int = 0  # body bytes the client accepted
    connections: int = 0
    open: int = 0  # connections being handled now
    peak: int = 0  # the most handled at once
    closed: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}"

    def serve(self) -> None:
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.sock.settimeout(0.2)
        while not self.closed.is_set():
            try:
                conn, _ = self.sock.accept()
            except (TimeoutError, OSError):
                continue
            self.connections += 1
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _handle(self, conn: socket.socket) -> None:
        with self.lock:
            self.open += 1
            self.peak = max(self.peak, self.open)
        try:
            conn.settimeout(5)
            conn.recv(65536)
            if self.mode == "hang":
                self.closed.wait(60)
            elif self.mode == "drip-headers":
                for byte in b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n{}":
                    if self.closed.wait(self.pause):
                        break
                    conn.sendall(bytes([byte]))
            elif self.mode == "drip":
                conn.sendall(
                    b"HTTP/1.1 200 OK\r\ncontent-type: audio/wav\r\ncontent-length: 100000\r\n\r\nRIFF"
                )
                while not self.closed.wait(self.pause):
                    conn.sendall(b"\0")
                    self.sent += 1
            elif self.mode == "huge":
                size = 400 * 1024 * 1024
                conn.sendall(f"HTTP/1.1 200 OK\r\ncontent-length: {size}\r\n\r\n".encode())
                chunk = b"x" * 65536
                while self.sent < size and not self.closed.is_set():
                    conn.sendall(chunk)
                    self.sent += len(chunk)
        except OSError:
            pass  # the mock hung up: what it should do
        finally:
            conn.close()
            with self.lock:
                self.open -= 1


@contextmanager
def hostile(mode: str, pause: float = 0.2) -> Iterator[Hostile]:
    server = Hostile(mode, pause)
    thread = threading.Thread(target=server.serve, daemon=True)
    thread.start()
    deadline = time.monotonic() + 5
    while server.sock.getsockname()[1] == 0 and time.monotonic() < deadline:
        time.sleep(0.01)
    try:
        yield server
    finally:
        server.closed.set()
        thread.join(timeout=5)
        server.sock.close()
