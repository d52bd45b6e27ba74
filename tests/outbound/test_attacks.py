"""The outbound attacks of issue 16 against a real (in-process) server: each one first, then its refusal.

Webhooks and media URLs aimed at the mock's own control plane, refusal messages that do not differ by cause,
replies without end, a one-byte drip, and hanging downloads next to another tenant's job.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from mock_symbl.media.fetch import UNREACHABLE_MESSAGE, FetchError, fetch_to_file
from mock_symbl.media.synth import make_wav
from mock_symbl.outbound.client import policy_for
from mock_symbl.outbound.policy import UNREACHABLE
from mock_symbl.process.media_processor import Prefetcher
from mock_symbl.server import MockServer
from mock_symbl.webhooks.delivery import REPLY_BYTES, dispatcher_of
from tests.conftest import make_settings
from tests.outbound.servers import Hostile, hostile
from tests.webhooks.receiver import Route, running_receiver

TEXT = {"messages": [{"payload": {"content": "Please send the report by Friday."}, "from": {"name": "Ann"}}]}


@pytest.fixture
def start() -> Iterator[Callable[..., MockServer]]:
    servers: list[MockServer] = []

    def factory(**settings: Any) -> MockServer:
        base: dict[str, Any] = {"log_level": "warning", "host": "127.0.0.1", "webhook_backoff_seconds": 0.01}
        server = MockServer(make_settings(**{**base, **settings})).start()
        servers.append(server)
        return server

    yield factory
    for server in servers:
        server.stop()


def _token(base: str, app_id: str) -> dict[str, str]:
    body = {"type": "application", "appId": app_id, "appSecret": "s"}
    return {"x-api-key": httpx.post(f"{base}/oauth2/token:generate", json=body).json()["accessToken"]}


def _deliveries(base: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = httpx.get(f"{base}/__admin/webhooks").json()["deliveries"]
    return found


def _job_status(base: str, headers: dict[str, str], job_id: str, timeout: float = 30) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        job: dict[str, Any] = httpx.get(f"{base}/v1/job/{job_id}", headers=headers).json()
        if job["status"] in ("completed", "failed") or time.monotonic() > deadline:
            return job
        time.sleep(0.05)


def test_a_webhook_cannot_reset_the_mock(start: Callable[..., MockServer]) -> None:
    server = start()
    base, port, labs = server.base_url, server.port, server.labs_port
    victim = _token(base, "victim")
    kept = httpx.post(f"{base}/v1/process/text", headers=victim, json=TEXT).json()["conversationId"]
    attacker = _token(base, "attacker")
    # Every spelling of "the mock itself" the issue found accepted, plus metadata and a closed port.
    targets = [
        f"http://127.0.0.1:{port}/__admin/reset",
        f"http://localhost:{port}/__admin/reset",
        f"http://0:{port}/__admin/reset",
        f"http://2130706433:{port}/__admin/reset",
        f"http://127.1:{port}/__admin/reset",
        f"http://[::1]:{port}/__admin/reset",
        f"http://[::ffff:127.0.0.1]:{port}/__admin/reset",
        f"http://127.0.0.1:{labs}/__admin/reset",
        "http://169.254.169.254/latest/meta-data/",
        "http://metadata.google.internal/computeMetadata/v1/",
        "http://[fd00:ec2::254]/latest/meta-data/",
        "http://224.0.0.1/x",
    ]
    for url in targets:
        made = httpx.post(f"{base}/v1/process/text", headers=attacker, json={**TEXT, "webhookUrl": url})
        assert made.status_code == 200
    dispatcher = dispatcher_of(server.services)
    assert dispatcher is not None and dispatcher.wait_idle(30)
    # The victim's data is still there: no call reached /__admin/reset.
    assert httpx.get(f"{base}/v1/conversations/{kept}", headers=victim).status_code == 200
    log = _deliveries(base)
    by_url = {d["url"]: d for d in log}
    assert set(by_url) == set(targets)
    assert {d["error"] for d in log} == {UNREACHABLE}  # one sentence for every cause
    assert all(d["statusCode"] is None for d in log)
    # A policy refusal is not retried: asking again cannot change it.
    assert max(d["attempt"] for d in log) == 1


def test_refusals_and_dead_ports_read_the_same(start: Callable[..., MockServer]) -> None:
    server = start(webhook_max_attempts=1)
    base = server.base_url
    headers = _token(base, "scanner")
    for url in (f"http://127.0.0.1:{server.port}/__admin/reset", "http://127.0.0.1:9/closed"):
        httpx.post(f"{base}/v1/process/text", headers=headers, json={**TEXT, "webhookUrl": url})
    dispatcher = dispatcher_of(server.services)
    assert dispatcher is not None and dispatcher.wait_idle(30)
    errors = {d["url"]: d["error"] for d in _deliveries(base)}
    assert errors[f"http://127.0.0.1:{server.port}/__admin/reset"] == errors["http://127.0.0.1:9/closed"]


def test_a_loopback_receiver_on_another_port_still_gets_webhooks(start: Callable[..., MockServer]) -> None:
    with running_receiver() as receiver:
        server = start()
        headers = _token(server.base_url, "tests")
        body = {**TEXT, "webhookUrl": receiver.url + "/hook"}
        httpx.post(f"{server.base_url}/v1/process/text", headers=headers, json=body)
        hits = receiver.wait_for("/hook", 3)
        assert [h.json()["status"] for h in hits] == ["scheduled", "in_progress", "completed"]


def test_public_only_refuses_loopback_receivers(start: Callable[..., MockServer]) -> None:
    with running_receiver() as receiver:
        server = start(outbound_policy="public-only")
        headers = _token(server.base_url, "shared")
        body = {**TEXT, "webhookUrl": receiver.url + "/hook"}
        httpx.post(f"{server.base_url}/v1/process/text", headers=headers, json=body)
        dispatcher = dispatcher_of(server.services)
        assert dispatcher is not None and dispatcher.wait_idle(30)
        assert receiver.hits_for("/hook") == []
        assert {d["error"] for d in _deliveries(server.base_url)} == {UNREACHABLE}


def test_a_media_url_cannot_read_the_admin_snapshot(start: Callable[..., MockServer]) -> None:
    server = start(fetch_media_urls=True, fetch_timeout_seconds=5)
    base = server.base_url
    headers = _token(base, "attacker")
    reasons = {}
    for url in (
        f"http://127.0.0.1:{server.port}/__admin/snapshot?f=call.wav",
        f"http://0:{server.port}/__admin/snapshot?f=call.wav",
        "http://169.254.169.254/latest/meta-data/iam.wav",
        "http://127.0.0.1:9/closed.wav",
    ):
        made = httpx.post(f"{base}/v1/process/audio/url", headers=headers, json={"url": url}).json()
        job = _job_status(base, headers, made["jobId"])
        assert job["status"] == "failed"
        reasons[url] = httpx.get(f"{base}/__admin/jobs/{made['jobId']}").json()["error"]
        messages = httpx.get(f"{base}/v1/conversations/{made['conversationId']}/messages", headers=headers)
        assert messages.json()["messages"] == []
    assert set(reasons.values()) == {UNREACHABLE_MESSAGE}, (
        reasons
    )  # refused, metadata, a dead port: same words


def test_a_redirect_to_the_mock_itself_is_refused(start: Callable[..., MockServer]) -> None:
    with running_receiver() as receiver:
        server = start(fetch_media_urls=True, fetch_timeout_seconds=5)
        admin = f"http://127.0.0.1:{server.port}/__admin/snapshot"
        receiver.routes["/r.wav"] = Route(status=302, headers={"location": admin})
        policy = policy_for(server.services)
        with pytest.raises(FetchError) as refused:
            fetch_to_file(
                receiver.url + "/r.wav",
                path=server.settings.data_dir / "x",
                limit=10**6,
                timeout=5,
                policy=policy,
            )
        assert str(refused.value) == UNREACHABLE_MESSAGE


def test_a_huge_webhook_reply_is_not_read(start: Callable[..., MockServer]) -> None:
    with hostile("huge") as receiver:
        server = start(webhook_max_attempts=1)
        headers = _token(server.base_url, "tests")
        body = {**TEXT, "webhookUrl": receiver.url + "/hook"}
        httpx.post(f"{server.base_url}/v1/process/text", headers=headers, json=body)
        dispatcher = dispatcher_of(server.services)
        assert dispatcher is not None and dispatcher.wait_idle(30)
        log = _deliveries(server.base_url)
        assert [d["statusCode"] for d in log] == [200, 200, 200]
        # The receiver offered 400 MiB per call; the mock read REPLY_BYTES and hung up, so what it accepted is
        # what fits in the sockets' buffers, not the body.
        assert receiver.sent < 3 * (REPLY_BYTES + 16 * 1024 * 1024)


def test_a_dripping_webhook_receiver_is_cut_at_the_deadline(start: Callable[..., MockServer]) -> None:
    with hostile("drip-headers", pause=0.25) as receiver:  # the whole answer would take ~10 s
        server = start(webhook_max_attempts=1, webhook_timeout_seconds=1.0)
        headers = _token(server.base_url, "tests")
        started = time.monotonic()
        body = {**TEXT, "webhookUrl": receiver.url + "/hook"}
        httpx.post(f"{server.base_url}/v1/process/text", headers=headers, json=body)
        dispatcher = dispatcher_of(server.services)
        assert dispatcher is not None and dispatcher.wait_idle(30)
        elapsed = time.monotonic() - started
        log = _deliveries(server.base_url)
        # Three calls in order, each cut at 1 s; a per-read timeout would have waited ~10 s for each.
        assert all(d["statusCode"] is None and "Timeout" in d["error"] for d in log), log
        assert all(d["durationMs"] < 2500 for d in log), log
        assert elapsed < 3 * 2.5


def test_a_dripping_media_url_is_cut_at_the_deadline(start: Callable[..., MockServer]) -> None:
    with hostile("drip", pause=0.2) as media:
        server = start(fetch_media_urls=True, fetch_timeout_seconds=1.0)
        headers = _token(server.base_url, "tests")
        started = time.monotonic()
        made = httpx.post(
            f"{server.base_url}/v1/process/audio/url", headers=headers, json={"url": media.url + "/a.wav"}
        ).json()
        job = _job_status(server.base_url, headers, made["jobId"])
        assert job["status"] == "failed"
        assert time.monotonic() - started < 4  # the old per-read timeout let a drip run on without end
        assert media.sent < 20  # cut after ~1 s at one byte per 0.2 s


def _attacked(start: Callable[..., MockServer], media: Hostile, *, hanging: int, fetch_timeout: float) -> str:
    """A server (its base URL) whose `attacker` account has `hanging` URL jobs on `media`, the first
    Prefetcher.PER_ACCOUNT of their downloads hanging now and the others waiting their turn."""
    server = start(
        fetch_media_urls=True,
        fetch_timeout_seconds=fetch_timeout,
        job_progression="time",
        job_step_seconds=0.05,
    )
    base = server.base_url
    attacker = _token(base, "attacker")
    for n in range(hanging):
        body = {"url": f"{media.url}/hang-{n}.wav"}
        # generous: what is measured is the victim's job; one attacker submit outlasted httpx's default 5 s
        # once in a full CI run (not reproduced alone), which said nothing about the victim
        posted = httpx.post(f"{base}/v1/process/audio/url", headers=attacker, json=body, timeout=30)
        assert posted.status_code == 200
    deadline = time.monotonic() + 5
    while media.open < Prefetcher.PER_ACCOUNT and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.3)  # the jobs are in_progress, their downloads hanging or waiting
    return base


def test_hanging_downloads_do_not_delay_another_tenants_job(start: Callable[..., MockServer]) -> None:
    with hostile("hang") as media:
        base = _attacked(start, media, hanging=6, fetch_timeout=6)
        victim = _token(base, "victim")
        started = time.monotonic()
        made = httpx.post(f"{base}/v1/process/text", headers=victim, json=TEXT).json()
        job = _job_status(base, victim, made["jobId"], timeout=15)
        took = time.monotonic() - started
        assert job["status"] == "completed"
        # Its normal time is two 0.05 s steps; the downloads hang for 6 s. Holding the job lock through a
        # download made it wait for them (9.9 s in the issue).
        assert took < 3.0, took


def test_an_accounts_hanging_downloads_do_not_queue_another_accounts_download(
    start: Callable[..., MockServer],
) -> None:
    """More hanging URLs than there used to be download threads (8, first come first served): the victim's
    download waited for the first ones to time out. Now each account has at most 4 downloads at a time."""
    wav = make_wav(2.0)
    with hostile("hang") as media, running_receiver() as files:
        files.routes["/v.wav"] = Route(body=wav, headers={"content-type": "audio/wav"})
        base = _attacked(start, media, hanging=12, fetch_timeout=8)
        victim = _token(base, "victim")
        started = time.monotonic()
        made = httpx.post(
            f"{base}/v1/process/audio/url", headers=victim, json={"url": files.url + "/v.wav"}, timeout=30
        ).json()
        job = _job_status(base, victim, made["jobId"], timeout=30)
        took = time.monotonic() - started
        print(
            f"victim URL job beside 12 hanging downloads: {took:.2f} s; attacker downloads at once: {media.peak}"
        )
        assert job["status"] == "completed", job
        assert took < 4.0, took  # the hanging downloads end at 8 s
        assert media.peak == Prefetcher.PER_ACCOUNT  # the attacker's other 8 wait for its own 4
