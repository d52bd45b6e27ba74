"""Jobs as real clients poll them: `in_progress` from the first poll; `scheduled` only behind the limit.

Symbl's sample apps poll GET /v1/job/{id} only while the status is `in_progress`, then read the insights.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import httpx
import pytest
from fastapi.testclient import TestClient

from mock_symbl.jobs import service as jobs
from mock_symbl.server import MockServer
from mock_symbl.settings import Settings
from tests.helpers import SAMPLE_MESSAGES, auth_headers, submit_text


@pytest.fixture
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MockServer]:
    """A real server at the default settings (time progression, default step), on free ports."""
    settings = Settings(
        host="127.0.0.1", port=0, labs_enabled=False, database=":memory:", log_level="warning"
    )
    served = MockServer(settings).start()
    try:
        yield served
    finally:
        served.stop()


def test_a_loop_waiting_only_while_in_progress_reads_complete_insights(server: MockServer) -> None:
    with httpx.Client(base_url=server.base_url, timeout=30) as http:
        token = http.post(
            "/oauth2/token:generate", json={"type": "application", "appId": "loop", "appSecret": "s"}
        ).json()["accessToken"]
        headers = {"Authorization": f"Bearer {token}"}
        submitted = http.post(
            "/v1/process/text", headers=headers, json={"name": "Loop", "messages": SAMPLE_MESSAGES}
        ).json()
        seen = []
        while True:  # the samples' loop, verbatim in spirit: no special case for `scheduled`
            status = http.get(f"/v1/job/{submitted['jobId']}", headers=headers).json()["status"]
            seen.append(status)
            if status != "in_progress":
                break
            time.sleep(0.05)
        # Never `scheduled` (the loop would have stopped there); in_progress first unless this machine was
        # slower than one step (0.3 s) between the submit and the first poll.
        assert "scheduled" not in seen and seen[-1] == "completed"
        conversation = f"/v1/conversations/{submitted['conversationId']}"
        messages = http.get(f"{conversation}/messages", headers=headers).json()["messages"]
        sent = " ".join(m["payload"]["content"] for m in SAMPLE_MESSAGES)
        assert " ".join(m["text"] for m in messages) == sent  # every sentence, none missing
        for route, key in (("questions", "questions"), ("action-items", "actionItems"), ("topics", "topics")):
            answer = http.get(f"{conversation}/{route}", headers=headers)
            assert answer.status_code == 200 and key in answer.json()
        assert http.get(f"{conversation}/summary", headers=headers).status_code == 200


def test_scheduled_appears_only_at_the_concurrent_jobs_limit(app_factory: Callable[..., TestClient]) -> None:
    client = app_factory(job_progression="time", job_step_seconds=1000, max_concurrent_jobs=2)
    services = client.app.state.services
    headers = auth_headers(client)
    ids = [submit_text(client, headers)["jobId"] for _ in range(4)]

    def statuses() -> list[str]:
        return [client.get(f"/v1/job/{job}", headers=headers).json()["status"] for job in ids]

    assert statuses() == ["in_progress", "in_progress", "scheduled", "scheduled"]
    services.clock.advance(1000)
    jobs.advance_due(services)  # the first two complete; the next two start in submission order
    assert statuses() == ["completed", "completed", "in_progress", "in_progress"]
    services.clock.advance(1000)
    jobs.advance_due(services)
    assert statuses() == ["completed"] * 4


def test_another_account_is_not_held_by_the_limit(app_factory: Callable[..., TestClient]) -> None:
    client = app_factory(job_progression="time", job_step_seconds=1000, max_concurrent_jobs=1)
    first, second = auth_headers(client, "account-one"), auth_headers(client, "account-two")
    submit_text(client, first)
    waiting = submit_text(client, first)["jobId"]
    other = submit_text(client, second)["jobId"]
    assert client.get(f"/v1/job/{waiting}", headers=first).json()["status"] == "scheduled"
    assert client.get(f"/v1/job/{other}", headers=second).json()["status"] == "in_progress"


def test_past_the_queue_a_submit_gets_429(app_factory: Callable[..., TestClient]) -> None:
    client = app_factory(
        job_progression="time", job_step_seconds=1000, max_concurrent_jobs=1, max_queued_jobs=1
    )
    headers = auth_headers(client)
    submit_text(client, headers)
    submit_text(client, headers)
    refused = client.post("/v1/process/text", headers=headers, json={"messages": SAMPLE_MESSAGES})
    assert refused.status_code == 429
    assert "maximum of `1` number of concurrent jobs" in refused.json()["message"]


def test_the_control_plane_may_start_a_waiting_job(app_factory: Callable[..., TestClient]) -> None:
    client = app_factory(job_progression="time", job_step_seconds=1000, max_concurrent_jobs=1)
    headers = auth_headers(client)
    submit_text(client, headers)
    waiting = submit_text(client, headers)["jobId"]
    moved = client.post(f"/__admin/jobs/{waiting}/advance").json()
    assert moved["status"] == "in_progress"  # by hand, past the limit


def test_webhooks_still_announce_scheduled_then_in_progress(app_factory: Callable[..., TestClient]) -> None:
    client = app_factory(job_progression="time", job_step_seconds=1000)
    seen: list[str] = []
    client.app.state.services.job_listeners.append(lambda _s, _job, status: seen.append(status))
    submit_text(client, auth_headers(client))
    assert seen == ["scheduled", "in_progress"]
