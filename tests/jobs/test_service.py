"""Job service: progression modes, ordering, failures, listeners."""

from __future__ import annotations

import json
from collections.abc import Callable

from fastapi.testclient import TestClient

from mock_symbl.jobs import service as jobs
from mock_symbl.jobs.service import JobFailed
from tests.helpers import SAMPLE_MESSAGES, auth_headers, submit_text


def _status(client: TestClient, headers: dict[str, str], job_id: str) -> str:
    status: str = client.get(f"/v1/job/{job_id}", headers=headers).json()["status"]
    return status


def test_time_progression_follows_the_clock(app_factory: Callable[..., TestClient]) -> None:
    client = app_factory(job_progression="time", job_step_seconds=1000)
    services = client.app.state.services
    services.clock.freeze()  # only advance() moves time: a slow machine adds no wall-clock seconds
    headers = auth_headers(client)
    job = submit_text(client, headers)["jobId"]
    assert _status(client, headers, job) == "in_progress"  # started by the submit, as Symbl does
    services.clock.advance(999)
    assert jobs.advance_due(services) == 0
    assert _status(client, headers, job) == "in_progress"
    services.clock.advance(1)
    assert _status(client, headers, job) == "completed"  # a poll catches up a due step


def test_polls_progression(app_factory: Callable[..., TestClient]) -> None:
    client = app_factory(job_progression="polls", job_polls_per_step=2)
    headers = auth_headers(client)
    job = submit_text(client, headers)["jobId"]
    seen = [_status(client, headers, job) for _ in range(5)]
    assert seen == ["scheduled", "in_progress", "in_progress", "completed", "completed"]


def test_manual_progression_only_moves_when_stepped(app_factory: Callable[..., TestClient]) -> None:
    client = app_factory(job_progression="manual")
    services = client.app.state.services
    headers = auth_headers(client)
    job = submit_text(client, headers)["jobId"]
    services.clock.advance(10_000)
    jobs.advance_due(services)
    assert [_status(client, headers, job) for _ in range(3)] == ["scheduled"] * 3
    assert jobs.step_job(services, job)
    assert jobs.step_job(services, job)
    assert _status(client, headers, job) == "completed"
    assert not jobs.step_job(services, job)


def test_forced_failure(app_factory: Callable[..., TestClient]) -> None:
    client = app_factory(job_progression="manual")
    services = client.app.state.services
    headers = auth_headers(client)
    job = submit_text(client, headers)["jobId"]
    assert jobs.step_job(services, job, fail_reason="scripted")
    assert _status(client, headers, job) == "failed"


def test_processor_error_fails_the_job_without_writing(client: TestClient, headers: dict[str, str]) -> None:
    services = client.app.state.services

    def broken(*_: object) -> list[object]:
        raise RuntimeError("boom")

    services.processors["text"] = broken
    body = submit_text(client, headers)
    assert _status(client, headers, body["jobId"]) == "failed"
    assert client.get(f"/v1/conversations/{body['conversationId']}/messages", headers=headers).json() == {
        "messages": []
    }

    def refusing(*_: object) -> list[object]:
        raise JobFailed("unsupported")

    services.processors["text"] = refusing
    assert _status(client, headers, submit_text(client, headers)["jobId"]) == "failed"


def test_listeners_see_every_status_in_order(client: TestClient, headers: dict[str, str]) -> None:
    seen: list[tuple[str, str]] = []
    client.app.state.services.job_listeners.append(lambda _s, job, status: seen.append((job.id, status)))
    broken_listener_ran = []

    def broken(*_: object) -> None:
        broken_listener_ran.append(1)
        raise RuntimeError("listener bug")

    client.app.state.services.job_listeners.append(broken)
    job = submit_text(client, headers)["jobId"]
    assert seen == [(job, "scheduled"), (job, "in_progress"), (job, "completed")]
    assert len(broken_listener_ran) == 3
    assert _status(client, headers, job) == "completed"


def test_scheduler_runs_in_lifespan(app_factory: Callable[..., TestClient]) -> None:
    client = app_factory(job_progression="time", job_step_seconds=0.01, scheduler_tick_seconds=0.01)
    headers = auth_headers(client)
    job = submit_text(client, headers)["jobId"]
    import time

    deadline = time.monotonic() + 5
    services = client.app.state.services
    while time.monotonic() < deadline:
        with services.db.session() as session:
            from mock_symbl.store.tables import Job

            row = session.get(Job, job)
            if row is not None and row.status == "completed":
                break
        time.sleep(0.02)
    assert row is not None and row.status == "completed"  # reached without any poll


def test_deleted_conversation_fails_pending_job(app_factory: Callable[..., TestClient]) -> None:
    client = app_factory(job_progression="manual")
    services = client.app.state.services
    headers = auth_headers(client)
    body = submit_text(client, headers, SAMPLE_MESSAGES)
    # delete removes the conversation's jobs too; a job id then is 404
    assert client.delete(f"/v1/conversations/{body['conversationId']}", headers=headers).status_code == 200
    assert client.get(f"/v1/job/{body['jobId']}", headers=headers).status_code == 404
    assert not jobs.step_job(services, body["jobId"])


def test_concurrent_polls_take_one_step_per_threshold(app_factory: Callable[..., TestClient]) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from mock_symbl.store.tables import Job

    client = app_factory(job_progression="polls", job_polls_per_step=4)
    services = client.app.state.services
    headers = auth_headers(client)
    job = submit_text(client, headers)["jobId"]
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(lambda _: jobs.record_poll(services, job), range(4)))
    with services.db.session() as session:
        row = session.get(Job, job)
        assert row is not None
        # four polls reached the threshold once: exactly one step, and the count restarted
        assert (row.status, row.polls) == ("in_progress", 0)


def test_threshold_from_a_query_string_is_honoured(client: TestClient, headers: dict[str, str]) -> None:
    from mock_symbl.jobs.options import build_options
    from mock_symbl.store.tables import Conversation

    conv_id = submit_text(client, headers)["conversationId"]
    services = client.app.state.services
    with services.db.session() as session:
        conv = session.get(Conversation, conv_id)
        assert conv is not None
        for stored, expected in (("0.8", 0.8), (0.9, 0.9), ("junk", 0.5), (None, 0.5), (True, 0.5)):
            conv.options_json = json.dumps({"confidenceThreshold": stored})
            assert build_options(services, session, conv).confidence_threshold == expected
