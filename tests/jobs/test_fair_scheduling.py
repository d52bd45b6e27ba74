"""Fair scheduling: one tenant's parked jobs never delay another tenant's due job (issue 16, defect 4)."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

from mock_symbl.jobs import service as jobs
from mock_symbl.store import jobs as jobs_repo
from tests.helpers import auth_headers, submit_text

STEP = 1000.0  # the clock is moved by hand: nothing here depends on wall time


def _status(client: TestClient, headers: dict[str, str], job_id: str) -> str:
    status: str = client.get(f"/v1/job/{job_id}", headers=headers).json()["status"]
    return status


def test_550_parked_manual_jobs_do_not_starve_another_tenant(app_factory: Callable[..., TestClient]) -> None:
    # The attack: 11 namespaces x 50 manual jobs (the per-tenant limit), all older than the victim's job. The
    # scheduler used to read the 500 oldest unfinished jobs and only then keep the due ones: none of them.
    client = app_factory(job_progression="time", job_step_seconds=STEP)
    services = client.app.state.services
    attacker = auth_headers(client, "attacker")
    for namespace in range(11):
        parked = {**attacker, "X-Mock-Namespace": f"ns{namespace}", "X-Mock-Job-Progression": "manual"}
        for _ in range(50):
            submit_text(client, parked)
    victim = auth_headers(client, "victim")
    job = submit_text(client, victim)["jobId"]
    services.clock.freeze()  # no poll or tick catches a step up behind the test's back
    # Its normal time: one step per STEP of clock until it completes (at most scheduled -> in_progress ->
    # completed); each tick moves exactly the victim's job, as the parked ones are not due.
    for _ in range(2):
        services.clock.advance(STEP)
        assert jobs.advance_due(services) == 1
        if _status(client, victim, job) == "completed":
            break
    assert _status(client, victim, job) == "completed"


def test_a_tick_interleaves_tenants(app_factory: Callable[..., TestClient]) -> None:
    client = app_factory(job_progression="time", job_step_seconds=STEP, max_concurrent_jobs=200)
    services = client.app.state.services
    busy, quiet = auth_headers(client, "busy"), auth_headers(client, "quiet")
    for _ in range(30):
        submit_text(client, busy)
    late = submit_text(client, quiet)["jobId"]
    services.clock.freeze()
    services.clock.advance(STEP)
    with services.db.session() as session:
        first_two = jobs_repo.due_job_ids(session, services.clock.time(), limit=2)
    assert late in first_two  # one job of each tenant first, though 30 of the busy tenant are older


def test_a_job_waiting_behind_an_earlier_append_is_not_due(app_factory: Callable[..., TestClient]) -> None:
    client = app_factory(job_progression="time", job_step_seconds=STEP)
    services = client.app.state.services
    headers = auth_headers(client)
    first = submit_text(client, {**headers, "X-Mock-Job-Progression": "manual"})
    conversation = first["conversationId"]
    append = client.put(
        f"/v1/process/text/{conversation}",
        headers=headers,
        json={"messages": [{"payload": {"content": "Hi."}}]},
    )
    assert append.status_code == 200, append.text
    services.clock.freeze()
    services.clock.advance(STEP)
    with services.db.session() as session:
        assert jobs_repo.due_job_ids(session, services.clock.time()) == []
    assert jobs.step_job(services, first["jobId"]) and jobs.step_job(services, first["jobId"])
    with services.db.session() as session:
        assert jobs_repo.due_job_ids(session, services.clock.time()) == [append.json()["jobId"]]
