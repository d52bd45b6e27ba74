"""Webhook callbacks: every status change in order, retries with backoff, slow receivers isolate, delivery log."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient

from mock_symbl.media.synth import make_wav
from mock_symbl.webhooks.delivery import WebhookDispatcher, deliveries, dispatcher_of
from tests.helpers import SAMPLE_MESSAGES, auth_headers, wait_job
from tests.webhooks.receiver import Receiver, Route, running_receiver

STATUSES = ["scheduled", "in_progress", "completed"]
FAST = {"webhook_backoff_seconds": 0.02, "webhook_timeout_seconds": 2.0}


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with running_receiver() as r:
        yield r


def _dispatcher(client: TestClient) -> WebhookDispatcher:
    found = dispatcher_of(client.app.state.services)  # type: ignore[attr-defined]
    assert found is not None
    return found


def _statuses(receiver: Receiver, path: str) -> list[str]:
    return [hit.json()["status"] for hit in receiver.hits_for(path)]


def test_text_job_calls_back_on_every_status_in_order(
    app_factory: Callable[..., TestClient], receiver: Receiver
) -> None:
    client = app_factory(**FAST)
    headers = auth_headers(client)
    body = {"messages": SAMPLE_MESSAGES, "webhookUrl": receiver.url + "/hook"}
    job_id = client.post("/v1/process/text", headers=headers, json=body).json()["jobId"]
    assert _dispatcher(client).wait_idle(5)
    hits = receiver.hits_for("/hook")
    assert [h.json() for h in hits] == [{"jobId": job_id, "status": s} for s in STATUSES]
    assert all(h.method == "POST" for h in hits)


def test_media_jobs_call_back_with_query_or_body_webhook(
    app_factory: Callable[..., TestClient], receiver: Receiver
) -> None:
    client = app_factory(**FAST)
    headers = {**auth_headers(client), "content-type": "audio/wav"}
    upload = client.post(
        "/v1/process/audio", headers=headers, content=make_wav(2), params={"webhookUrl": receiver.url + "/a"}
    )
    url_job = client.post(
        "/v1/process/video/url",
        headers=headers,
        json={"url": "https://e.com/v.mp4", "webhookUrl": receiver.url + "/b"},
    )
    assert _dispatcher(client).wait_idle(5)
    assert _statuses(receiver, "/a") == STATUSES and _statuses(receiver, "/b") == STATUSES
    assert receiver.hits_for("/a")[0].json()["jobId"] == upload.json()["jobId"]
    assert receiver.hits_for("/b")[0].json()["jobId"] == url_job.json()["jobId"]


def test_time_progression_calls_back_from_the_scheduler(
    app_factory: Callable[..., TestClient], receiver: Receiver
) -> None:
    client = app_factory(job_progression="time", job_step_seconds=0.05, scheduler_tick_seconds=0.02, **FAST)
    headers = auth_headers(client)
    body = {"messages": SAMPLE_MESSAGES, "webhookUrl": receiver.url + "/t"}
    job_id = client.post("/v1/process/text", headers=headers, json=body).json()["jobId"]
    assert wait_job(client, headers, job_id) == "completed"
    assert _dispatcher(client).wait_idle(5)
    assert _statuses(receiver, "/t") == STATUSES


def test_failed_attempts_are_retried_and_logged(
    app_factory: Callable[..., TestClient], receiver: Receiver
) -> None:
    client = app_factory(**FAST)
    headers = auth_headers(client)
    receiver.routes["/flaky"] = Route(status=lambda n: 500 if n < 2 else 200)
    body = {"messages": SAMPLE_MESSAGES, "webhookUrl": receiver.url + "/flaky"}
    job_id = client.post("/v1/process/text", headers=headers, json=body).json()["jobId"]
    assert _dispatcher(client).wait_idle(5)
    # scheduled twice refused, then delivered; the later statuses wait their turn and go out once each.
    assert _statuses(receiver, "/flaky") == [
        "scheduled",
        "scheduled",
        "scheduled",
        "in_progress",
        "completed",
    ]
    log = deliveries(client.app.state.services, job_id=job_id)  # type: ignore[attr-defined]
    assert [(d["status"], d["attempt"], d["statusCode"], d["delivered"]) for d in log] == [
        ("scheduled", 1, 500, False),
        ("scheduled", 2, 500, False),
        ("scheduled", 3, 200, True),
        ("in_progress", 1, 200, True),
        ("completed", 1, 200, True),
    ]
    assert log[0]["error"] == "HTTP 500" and log[2]["error"] is None
    assert log[0]["url"] == receiver.url + "/flaky" and log[0]["body"] == {
        "jobId": job_id,
        "status": "scheduled",
    }
    assert log[0]["attemptedAt"].endswith("Z")
    # The backoff doubles: the third attempt came at least 0.02 + 0.04 s after the first.
    hits = receiver.hits_for("/flaky")
    assert hits[2].at - hits[0].at >= 0.06


def test_attempts_are_bounded_and_4xx_is_not_retried(
    app_factory: Callable[..., TestClient], receiver: Receiver
) -> None:
    client = app_factory(webhook_max_attempts=3, **FAST)
    headers = auth_headers(client)
    receiver.routes["/down"] = Route(status=503)
    receiver.routes["/gone"] = Route(status=410)
    for path in ("/down", "/gone"):
        body = {"messages": SAMPLE_MESSAGES, "webhookUrl": receiver.url + path}
        job_id = client.post("/v1/process/text", headers=headers, json=body).json()["jobId"]
        assert wait_job(client, headers, job_id) == "completed"  # the job never depends on its webhook
    assert _dispatcher(client).wait_idle(10)
    assert _statuses(receiver, "/down") == [s for s in STATUSES for _ in range(3)]
    assert _statuses(receiver, "/gone") == STATUSES


def test_slow_or_dead_receiver_does_not_delay_other_jobs(
    app_factory: Callable[..., TestClient], receiver: Receiver
) -> None:
    client = app_factory(webhook_timeout_seconds=0.5, webhook_max_attempts=2, webhook_backoff_seconds=0.2)
    headers = auth_headers(client)
    services = client.app.state.services  # type: ignore[attr-defined]
    receiver.routes["/slow"] = Route(delay=2.0)
    started = time.monotonic()
    for hook in (receiver.url + "/slow", "http://127.0.0.1:9/dead"):
        body = {"messages": SAMPLE_MESSAGES, "webhookUrl": hook}
        assert client.post("/v1/process/text", headers=headers, json=body).status_code == 200
    assert time.monotonic() - started < 0.5 + 1.0  # submitting never waits for a receiver
    body = {"messages": SAMPLE_MESSAGES, "webhookUrl": receiver.url + "/fast"}
    job_id = client.post("/v1/process/text", headers=headers, json=body).json()["jobId"]
    fast = receiver.wait_for("/fast", 3, timeout=5)
    assert [h.json()["status"] for h in fast] == STATUSES
    # The slow job is still stuck on its first call (timeout 0.5 s, backoff 0.2 s, second attempt): the fast
    # job's three calls all went out before that second attempt.
    slow = receiver.wait_for("/slow", 2, timeout=5)
    assert len(slow) == 2 and fast[-1].at < slow[1].at
    assert [h.json()["status"] for h in slow] == ["scheduled", "scheduled"]
    assert [d["status"] for d in deliveries(services, job_id=job_id)] == STATUSES
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:  # the dead receiver: 2 attempts for each of 3 statuses, all refused
        dead = [d for d in deliveries(services) if d["url"].endswith("/dead")]
        if len(dead) == 6:
            break
        time.sleep(0.05)
    assert len(dead) == 6 and all(d["statusCode"] is None and d["error"] for d in dead)
    assert any("Timeout" in (d["error"] or "") for d in deliveries(services) if d["url"].endswith("/slow"))


def test_blog_compatible_id_is_optional(app_factory: Callable[..., TestClient], receiver: Receiver) -> None:
    client = app_factory(webhook_include_id=True, **FAST)
    headers = auth_headers(client)
    body = {"messages": SAMPLE_MESSAGES, "webhookUrl": receiver.url + "/id"}
    job_id = client.post("/v1/process/text", headers=headers, json=body).json()["jobId"]
    assert _dispatcher(client).wait_idle(5)
    assert receiver.hits_for("/id")[0].json() == {"jobId": job_id, "status": "scheduled", "id": job_id}


def test_no_webhook_no_calls(client: TestClient, headers: dict[str, str], receiver: Receiver) -> None:
    client.post("/v1/process/text", headers=headers, json={"messages": SAMPLE_MESSAGES})
    assert _dispatcher(client).wait_idle(5)
    assert receiver.hits == []
    assert deliveries(client.app.state.services) == []  # type: ignore[attr-defined]


def test_capture_only_logs_without_sending(
    app_factory: Callable[..., TestClient], receiver: Receiver
) -> None:
    client = app_factory(webhook_capture_only=True, **FAST)
    headers = auth_headers(client)
    body = {"messages": SAMPLE_MESSAGES, "webhookUrl": receiver.url + "/never"}
    job_id = client.post("/v1/process/text", headers=headers, json=body).json()["jobId"]
    assert _dispatcher(client).wait_idle(5)
    assert receiver.hits == []
    log = deliveries(client.app.state.services, job_id=job_id)  # type: ignore[attr-defined]
    assert [(d["status"], d["delivered"], d["error"]) for d in log] == [
        (s, False, "not sent (webhook_capture_only)") for s in STATUSES
    ]


def test_failed_job_announces_failed(app_factory: Callable[..., TestClient], receiver: Receiver) -> None:
    client = app_factory(fetch_media_urls=True, fetch_timeout_seconds=2, **FAST)
    headers = auth_headers(client)
    receiver.routes["/missing.wav"] = Route(status=404)
    body = {"url": receiver.url + "/missing.wav", "webhookUrl": receiver.url + "/f"}
    job_id = client.post("/v1/process/audio/url", headers=headers, json=body).json()["jobId"]
    assert _dispatcher(client).wait_idle(5)
    assert [h.json() for h in receiver.hits_for("/f")] == [
        {"jobId": job_id, "status": s} for s in ("scheduled", "in_progress", "failed")
    ]
