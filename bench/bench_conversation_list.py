"""Filtered listing: GET /v1/conversations with RSQL filters and GET /v1/groups/{id}/conversations on an
account of 10,000 conversations (metadata filters run in SQLite through json_extract)."""

from __future__ import annotations

import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.common import SHORT, add_conversations, figure, median, percentile, token

COUNT = 500 if SHORT else 10_000
REQUESTS = 20 if SHORT else 100
TARGET_MS = 50.0
COMMAND = "python -m bench conversation_list"


def _time(client: Any, path: str, params: dict[str, str], headers: dict[str, str]) -> tuple[list[float], int]:
    count = len(client.get(path, params=params, headers=headers).json()["conversations"])
    out = []
    for _ in range(REQUESTS):
        start = time.perf_counter()
        response = client.get(path, params=params, headers=headers)
        out.append(time.perf_counter() - start)
        assert response.status_code == 200, response.text
    return out, count


def run() -> dict[str, Any]:
    from fastapi.testclient import TestClient

    from mock_symbl.app import create_app
    from mock_symbl.settings import Settings

    with tempfile.TemporaryDirectory(prefix="mock-symbl-list-") as tmp:
        app = create_app(Settings(database=str(Path(tmp) / "list.db"), job_progression="immediate"))
        with TestClient(app) as client:
            headers = {"x-api-key": token(client)}
            add_conversations(app, "bench", 0, COUNT)
            since = (datetime.now(UTC) - timedelta(days=60)).strftime("%Y-%m-%dT%H:%M:%SZ")
            group = client.post(
                "/v1/manage/group",
                headers=headers,
                json={"name": "agent3", "criteria": "conversation.metadata.agentId==agent3"},
            ).json()["group"]["id"]
            cases = [
                (
                    "metadata ==, limit 20",
                    "/v1/conversations",
                    {"filter": "conversation.metadata.agentId==agent7"},
                ),
                (
                    "metadata =in= and startTime >=, sorted by name desc, offset 500",
                    "/v1/conversations",
                    {
                        "filter": f"conversation.metadata.agentId=in=(agent1,agent2);conversation.startTime>={since}",
                        "sort": "conversation.name",
                        "order": "desc",
                        "offset": "500",
                    },
                ),
                ("default 7-day window, limit 100", "/v1/conversations", {"limit": "100"}),
                (
                    "group criteria, limit 100",
                    f"/v1/groups/{group}/conversations",
                    {"limit": "100", "startTime": since},
                ),
            ]
            figures = []
            raw: dict[str, Any] = {}
            for label, path, params in cases:
                latencies, returned = _time(client, path, params, headers)
                med = median(latencies) * 1000
                raw[label] = {"returned": returned, "latencies": latencies}
                figures.append(
                    figure(
                        f"{label}: median over {COUNT:,} conversations",
                        round(med, 2),
                        "ms",
                        target=f"<= {TARGET_MS:.0f} ms",
                        passed=med <= TARGET_MS and returned > 0,
                        command=COMMAND,
                        note=f"p95 {percentile(latencies, 95) * 1000:.1f} ms, {returned} returned, in-process TestClient",
                    )
                )
    return {
        "title": "Conversation list filters (10,000 conversations)",
        "description": (
            f"{COUNT:,} conversations of one account with metadata agentId (10 values) and customerId, start times "
            f"spread over 30 days; {REQUESTS} sequential requests per case through the app (TestClient), medians. "
            "Filtering, ordering and paging run in SQLite; metadata through json_extract."
        ),
        "figures": figures,
        "raw": raw,
    }
