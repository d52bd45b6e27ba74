"""Job progression control (per request, per job, manual) and the controllable clock."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

from tests.helpers import auth_headers, submit_text


def _status(client: TestClient, headers: dict[str, str], job_id: str) -> str:
    status: str = client.get(f"/v1/job/{job_id}", headers=headers).json()["status"]
    return status


def test_manual_job_advances_only_through_the_admin_api(client: TestClient, headers: dict[str, str]) -> None:
    job = submit_text(client, {**headers, "X-Mock-Job-Progression": "manual"})["jobId"]
    assert _status(client, headers, job) == "scheduled"
    assert _status(client, headers, job) == "scheduled"  # polls do not move a manual job
    assert client.post(f"/__admin/jobs/{job}/advance").json()["status"] == "in_progress"
    assert _status(client, headers, job) == "in_progress"
    assert client.post(f"/__admin/jobs/{job}/advance").json()["status"] == "completed"
    assert _status(client, headers, job) == "completed"
    assert client.post(f"/__admin/jobs/{job}/advance").json()["status"] == "completed"


def test_advance_to_completed_runs_the_processor(client: TestClient, headers: dict[str, str]) -> None:
    ids = submit_text(client, {**headers, "X-Mock-Job-Progression": "manual"})
    assert (
        client.post(f"/__admin/jobs/{ids['jobId']}/advance", params={"to": "completed"}).json()["status"]
        == "completed"
    )
    messages = client.get(f"/v1/conversations/{ids['conversationId']}/messages", headers=headers).json()[
        "messages"
    ]
    assert len(messages) >= 2


def test_fail_job_with_reason(client: TestClient, headers: dict[str, str]) -> None:
    job = submit_text(client, {**headers, "X-Mock-Job-Progression": "manual"})["jobId"]
    failed = client.post(f"/__admin/jobs/{job}/fail", json={"reason": "media unreadable"}).json()
    assert failed["status"] == "failed"
    assert failed["error"] == "media unreadable"
    assert _status(client, headers, job) == "failed"


def test_per_job_progression_and_forced_outcome(client: TestClient, headers: dict[str, str]) -> None:
    job = submit_text(client, {**headers, "X-Mock-Job-Progression": "manual"})["jobId"]
    patched = client.patch(f"/__admin/jobs/{job}", json={"forcedOutcome": "failed"}).json()
    assert patched["forcedOutcome"] == "failed"
    assert (
        client.patch(f"/__admin/jobs/{job}", json={"progression": "immediate"}).json()["status"] == "failed"
    )
    assert client.patch(f"/__admin/jobs/{job}", json={"progression": "sometimes"}).status_code == 400
    assert client.post("/__admin/jobs/nope/advance").status_code == 404


def test_polls_progression_from_the_header(client: TestClient, headers: dict[str, str]) -> None:
    job = submit_text(client, {**headers, "X-Mock-Job-Progression": "polls"})["jobId"]
    seen = [_status(client, headers, job) for _ in range(3)]
    assert seen == ["in_progress", "completed", "completed"]


def test_media_routes_take_the_progression_header(client: TestClient, headers: dict[str, str]) -> None:
    response = client.post(
        "/v1/process/audio/url",
        headers={**headers, "X-Mock-Job-Progression": "manual"},
        json={"url": "https://example.com/call.mp3"},
    )
    assert response.status_code == 200, response.text
    job = response.json()["jobId"]
    assert client.get(f"/__admin/jobs/{job}").json()["progression"] == "manual"
    assert _status(client, headers, job) == "scheduled"


def test_list_jobs_filters(client: TestClient, headers: dict[str, str]) -> None:
    first = submit_text(client, headers)["jobId"]
    other = auth_headers(client, "app-two")
    submit_text(client, {**other, "X-Mock-Job-Progression": "manual"})
    assert [j["id"] for j in client.get("/__admin/jobs", params={"account": "app-one"}).json()["jobs"]] == [
        first
    ]
    assert len(client.get("/__admin/jobs", params={"status": "scheduled"}).json()["jobs"]) == 1
    assert client.post("/__admin/jobs/advance").json()["steps"] == 2
    assert {j["status"] for j in client.get("/__admin/jobs").json()["jobs"]} == {"completed"}


def test_clock_freeze_advance_resume(client: TestClient) -> None:
    frozen = client.post("/__admin/clock/freeze", json={"at": "2030-01-02T03:04:05Z"}).json()
    assert frozen == {"now": "2030-01-02T03:04:05.000Z", "epoch": frozen["epoch"], "frozen": True}
    assert client.get("/__admin/clock").json()["now"] == "2030-01-02T03:04:05.000Z"
    assert (
        client.post("/__admin/clock/advance", json={"seconds": 90}).json()["now"]
        == "2030-01-02T03:05:35.000Z"
    )
    resumed = client.post("/__admin/clock/resume").json()
    assert resumed["frozen"] is False and resumed["now"].startswith("2030-01-02T03:05")
    assert client.post("/__admin/clock/freeze", json={"at": "yesterday"}).status_code == 400
    assert client.post("/__admin/clock/reset").json()["now"][:4] != "2030"


def test_clock_advance_steps_time_jobs(app_factory: Callable[..., TestClient]) -> None:
    client = app_factory(job_progression="time", job_step_seconds=60)
    headers = auth_headers(client)
    client.post("/__admin/clock/freeze")
    ids = submit_text(client, headers)
    assert _status(client, headers, ids["jobId"]) == "in_progress"  # started by the submit
    # The scheduler may take a step itself once the clock has moved: statuses are the contract, not counts.
    client.post("/__admin/clock/advance", json={"seconds": 30})
    assert _status(client, headers, ids["jobId"]) == "in_progress"  # completes 60 s after the start
    client.post("/__admin/clock/advance", json={"seconds": 30})
    assert _status(client, headers, ids["jobId"]) == "completed"


def test_one_long_advance_runs_every_step_in_the_window(app_factory: Callable[..., TestClient]) -> None:
    client = app_factory(job_progression="time", job_step_seconds=10)
    headers = auth_headers(client)
    client.post("/__admin/clock/freeze")
    job = submit_text(client, headers)["jobId"]
    assert client.post("/__admin/clock/advance", json={"seconds": 3600}).json()["jobSteps"] <= 2
    assert client.get(f"/__admin/jobs/{job}").json()["status"] == "completed"  # no poll needed


def test_clock_advance_expires_tokens(app_factory: Callable[..., TestClient]) -> None:
    client = app_factory(token_ttl_seconds=300)
    headers = auth_headers(client)
    assert client.get("/v1/conversations", headers=headers).status_code == 200
    client.post("/__admin/clock/advance", json={"seconds": 301})
    expired = client.get("/v1/conversations", headers=headers)
    assert expired.status_code == 401
    assert expired.json() == {"message": "Token validation failed for provided token."}


def test_time_progression_scaled_to_media_duration(app_factory: Callable[..., TestClient]) -> None:
    from mock_symbl.media.synth import make_wav

    client = app_factory(job_progression="time", job_step_seconds=0.5, job_time_per_media_second=10)
    headers = auth_headers(client)
    client.post("/__admin/clock/freeze")
    upload = client.post(
        "/v1/process/audio", headers={**headers, "content-type": "audio/wav"}, content=make_wav(6)
    )
    assert upload.status_code == 200, upload.text
    job = upload.json()["jobId"]
    assert client.get(f"/__admin/jobs/{job}").json()["stepSeconds"] == 60  # 6 s x 10, all in progress
    client.post("/__admin/clock/advance", json={"seconds": 59})
    assert _status(client, headers, job) == "in_progress"
    client.post("/__admin/clock/advance", json={"seconds": 1})
    assert _status(client, headers, job) == "completed"
    text = submit_text(client, headers)["jobId"]  # no media: the fixed step
    assert client.get(f"/__admin/jobs/{text}").json()["stepSeconds"] == 0.5


def test_concurrent_tickers_take_one_step(app_factory: Callable[..., TestClient]) -> None:
    """Scheduler, polls and clock advances may tick at once: a job due once moves once."""
    import threading

    from mock_symbl.jobs.service import advance_due, record_poll

    client = app_factory(job_progression="manual")
    services = client.app.state.services  # type: ignore[attr-defined]
    headers = auth_headers(client)
    client.post("/__admin/clock/freeze")
    job = submit_text(client, headers)["jobId"]  # scheduled, then handed to the clock
    client.patch(f"/__admin/jobs/{job}", json={"progression": "time", "stepSeconds": 60})
    services.clock.advance(61)  # due now; nobody has stepped it yet
    barrier = threading.Barrier(8)

    def tick(i: int) -> None:
        barrier.wait()
        advance_due(services) if i % 2 else record_poll(services, job)

    threads = [threading.Thread(target=tick, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert client.get(f"/__admin/jobs/{job}").json()["status"] == "in_progress"
