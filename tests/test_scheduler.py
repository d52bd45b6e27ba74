"""The scheduler sleeps while no job needs it, and every way such a job appears wakes it at once.

The idle backstop is set to an hour here, so a job that completes did so because the scheduler was woken
(or kept ticking), never because the backstop happened to fire.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from mock_symbl import scheduler
from mock_symbl.jobs import service as jobs
from mock_symbl.store.tables import Job
from tests.helpers import auth_headers, submit_text

TICK = 0.01


@pytest.fixture(autouse=True)
def no_backstop(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(scheduler, "IDLE_CHECK_SECONDS", 3600.0)


def _ticks(client: TestClient) -> int:
    ticks: int = client.app.state.boot.scheduler.ticks
    return ticks


def _wait_status(client: TestClient, job_id: str, status: str, timeout: float = 10.0) -> str:
    """The job's stored status once it is `status` (or at the deadline), read without polling GET /v1/job:
    a poll can itself catch up a due step."""
    services = client.app.state.services
    deadline = time.monotonic() + timeout
    while True:
        with services.db.session() as session:
            row = session.get(Job, job_id)
            current = row.status if row is not None else "missing"
        if current == status or time.monotonic() > deadline:
            return current
        time.sleep(0.02)


def _settle(client: TestClient) -> None:
    """Let the scheduler run its start-up tick and fall asleep."""
    deadline = time.monotonic() + 10
    while _ticks(client) < 1 and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(20 * TICK)


def test_an_idle_scheduler_does_not_tick(app_factory: Callable[..., TestClient]) -> None:
    client = app_factory(scheduler_tick_seconds=TICK)
    _settle(client)
    before = _ticks(client)
    time.sleep(50 * TICK)  # 50 ticks' time: a polling scheduler would have run about 50
    assert _ticks(client) == before


def test_immediate_jobs_leave_it_asleep(app_factory: Callable[..., TestClient]) -> None:
    client = app_factory(scheduler_tick_seconds=TICK)
    headers = auth_headers(client)
    _settle(client)
    before = _ticks(client)
    for _ in range(5):
        submit_text(client, headers)  # run to the end within the request: nothing left for the scheduler
    time.sleep(10 * TICK)
    assert _ticks(client) == before


def test_a_time_job_wakes_it_and_it_ticks_until_the_job_ends(app_factory: Callable[..., TestClient]) -> None:
    client = app_factory(job_progression="time", job_step_seconds=0.05, scheduler_tick_seconds=TICK)
    headers = auth_headers(client)
    _settle(client)
    job = submit_text(client, headers)["jobId"]
    assert _wait_status(client, job, "completed") == "completed"
    _settle(client)
    after = _ticks(client)
    time.sleep(20 * TICK)
    assert _ticks(client) == after  # asleep again once nothing is left


def test_an_immediate_append_waiting_its_turn_runs_once_the_earlier_job_ends(
    app_factory: Callable[..., TestClient],
) -> None:
    client = app_factory(scheduler_tick_seconds=TICK)
    services = client.app.state.services
    headers = auth_headers(client)
    first = submit_text(client, {**headers, "X-Mock-Job-Progression": "manual"})
    _settle(client)
    append = client.put(
        f"/v1/process/text/{first['conversationId']}",
        headers=headers,  # immediate (the default here), but behind the parked manual job
        json={"messages": [{"payload": {"content": "Hi again."}}]},
    )
    assert append.status_code == 200, append.text
    appended = append.json()["jobId"]
    assert _wait_status(client, appended, "scheduled", timeout=0) == "scheduled"
    assert jobs.step_job(services, first["jobId"]) and jobs.step_job(services, first["jobId"])
    assert _wait_status(client, appended, "completed") == "completed"


def test_switching_a_parked_job_to_time_wakes_it(app_factory: Callable[..., TestClient]) -> None:
    client = app_factory(job_step_seconds=0.05, scheduler_tick_seconds=TICK)
    headers = auth_headers(client)
    job = submit_text(client, {**headers, "X-Mock-Job-Progression": "manual"})["jobId"]
    _settle(client)
    response = client.patch(f"/__admin/jobs/{job}", json={"progression": "time"})
    assert response.status_code == 200, response.text
    assert _wait_status(client, job, "completed") == "completed"


def test_a_snapshot_with_an_unfinished_time_job_wakes_it(app_factory: Callable[..., TestClient]) -> None:
    source = app_factory(job_progression="time", job_step_seconds=1000)
    job = submit_text(source, auth_headers(source))["jobId"]  # in_progress, its next step 1000 s away
    snapshot = source.get("/__admin/snapshot").json()
    client = app_factory(scheduler_tick_seconds=TICK)
    _settle(client)
    before = _ticks(client)
    assert client.put("/__admin/snapshot", json=snapshot).status_code == 200
    deadline = time.monotonic() + 10
    while _ticks(client) < before + 5 and time.monotonic() < deadline:
        time.sleep(TICK)
    assert _ticks(client) >= before + 5  # ticking again: the imported job is the scheduler's to finish
    assert _wait_status(client, job, "in_progress", timeout=0) == "in_progress"
