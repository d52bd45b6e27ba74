"""Concurrency: many clients at once, each submitting and reading its conversations, against one server process.

Every job completes, no answer is a 5xx and nothing anywhere says "database is locked".
Short form: 16 clients x 4 conversations; `make soak`: 64 clients x 50.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from tests.reliability.conftest import ServerProcess, scale

# The soak form (3,200 jobs: 95-125 s on the 2-core machine) needs more than pytest-timeout's 120 s default;
# its own polling deadline (900 s) ends it first when jobs stall.
pytestmark = pytest.mark.timeout(scale(120, 1200))

CLIENTS = scale(16, 64)
CONVERSATIONS = scale(4, 50)


def test_concurrent_clients_submit_and_read(server_factory: Callable[..., ServerProcess]) -> None:
    server = server_factory(
        "--job-progression", "time", "--job-step-seconds", "0.2", "--max-concurrent-jobs", "100000"
    )
    statuses: Counter[int] = Counter()
    problems: list[str] = []
    lock = threading.Lock()

    def call(client: httpx.Client, method: str, url: str, **kwargs: object) -> httpx.Response:
        r = client.request(method, url, **kwargs)  # type: ignore[arg-type]
        with lock:
            statuses[r.status_code] += 1
            if r.status_code >= 500 or "database is locked" in r.text:
                problems.append(f"{method} {url} -> {r.status_code} {r.text[:200]}")
        return r

    def one_client(n: int) -> int:
        # Half the clients share one account (a CI job's parallel workers), half have their own.
        app_id = "shared-app" if n % 2 else f"client-{n}"
        headers = {"x-api-key": server.token(app_id), "X-Mock-Namespace": f"worker-{n}"}
        completed = 0
        with httpx.Client(base_url=server.base_url, headers=headers, timeout=60) as c:
            submitted = []
            for i in range(CONVERSATIONS):
                body = {
                    "name": f"client {n} conversation {i}",
                    "messages": [
                        {
                            "payload": {
                                "content": f"Client {n} asks about item {i}. Can you send it by Monday?"
                            },
                            "from": {"name": "Ann", "userId": "ann@example.com"},
                        },
                        {
                            "payload": {"content": "Sure, I will send the pricing tomorrow."},
                            "from": {"name": "Bob"},
                        },
                    ],
                }
                r = call(c, "POST", "/v1/process/text", json=body)
                assert r.status_code == 200, r.text
                submitted.append((r.json()["conversationId"], r.json()["jobId"]))
            deadline = time.monotonic() + scale(120, 900)
            for cid, job in submitted:
                while True:
                    status = call(c, "GET", f"/v1/job/{job}").json()["status"]
                    if status in ("completed", "failed") or time.monotonic() > deadline:
                        break
                    time.sleep(0.1)
                assert status == "completed", (job, status)
                completed += 1
                messages = call(c, "GET", f"/v1/conversations/{cid}/messages").json()["messages"]
                assert len(messages) == 3, messages
                call(c, "GET", f"/v1/conversations/{cid}")
                call(c, "GET", f"/v1/conversations/{cid}/topics")
                call(c, "GET", f"/v1/conversations/{cid}/action-items")
            listed = call(c, "GET", "/v1/conversations", params={"limit": 100}).json()["conversations"]
            assert {x["id"] for x in listed} >= {cid for cid, _ in submitted[:100]}
        return completed

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        done = list(pool.map(one_client, range(CLIENTS)))
    print(
        f"{CLIENTS} clients x {CONVERSATIONS} conversations: {sum(done)} jobs completed in "
        f"{time.monotonic() - started:.0f} s, {sum(statuses.values())} requests, statuses {dict(statuses)}"
    )
    assert done == [CONVERSATIONS] * CLIENTS
    assert not problems, "\n".join(problems[:20])
    assert not [s for s in statuses if s >= 500], statuses
    log = server.log()
    assert "database is locked" not in log, log[-3000:]
    assert "Traceback" not in log, log[-3000:]
