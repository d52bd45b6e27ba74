"""The webhook delivery log through /__admin, redelivery, and capture-only mode."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient

from tests.helpers import SAMPLE_MESSAGES, auth_headers
from tests.webhooks.receiver import Receiver, running_receiver

STATUSES = ["scheduled", "in_progress", "completed"]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with running_receiver() as r:
        yield r


def test_delivery_log_and_redelivery(app_factory: Callable[..., TestClient], receiver: Receiver) -> None:
    client = app_factory(webhook_backoff_seconds=0.01)
    headers = auth_headers(client)
    body = {"messages": SAMPLE_MESSAGES, "webhookUrl": receiver.url + "/hook"}
    job = client.post("/v1/process/text", headers={**headers, "X-Mock-Namespace": "hooks"}, json=body).json()[
        "jobId"
    ]
    log = client.get("/__admin/webhooks", params={"wait": "true", "jobId": job}).json()["deliveries"]
    assert [(d["status"], d["delivered"], d["statusCode"]) for d in log] == [(s, True, 200) for s in STATUSES]
    assert log[0]["body"] == {"jobId": job, "status": "scheduled"} and log[0]["namespace"] == "hooks"
    assert client.get("/__admin/webhooks", params={"namespace": "other"}).json()["deliveries"] == []

    again = client.post(f"/__admin/webhooks/{log[-1]['id']}/redeliver")
    assert again.status_code == 202
    log = client.get("/__admin/webhooks", params={"wait": "true", "jobId": job}).json()["deliveries"]
    assert [d["status"] for d in log] == [*STATUSES, "completed"]
    assert [h.json()["status"] for h in receiver.hits_for("/hook")] == [*STATUSES, "completed"]
    assert client.post("/__admin/webhooks/999999/redeliver").status_code == 404
    # An id beyond SQLite's 64-bit integers (found by the soak fuzzer) is simply unknown, not a 500.
    assert client.post(f"/__admin/webhooks/{2**81}/redeliver").status_code == 404


def test_capture_only_records_without_sending(
    app_factory: Callable[..., TestClient], receiver: Receiver
) -> None:
    client = app_factory(webhook_capture_only=True)
    headers = auth_headers(client)
    body = {"messages": SAMPLE_MESSAGES, "webhookUrl": receiver.url + "/never"}
    job = client.post("/v1/process/text", headers=headers, json=body).json()["jobId"]
    log = client.get("/__admin/webhooks", params={"wait": "true"}).json()["deliveries"]
    assert [(d["jobId"], d["status"], d["delivered"]) for d in log] == [(job, s, False) for s in STATUSES]
    assert receiver.hits == []


def test_reset_clears_the_delivery_log(app_factory: Callable[..., TestClient], receiver: Receiver) -> None:
    client = app_factory(webhook_capture_only=True)
    body = {"messages": SAMPLE_MESSAGES, "webhookUrl": receiver.url + "/x"}
    client.post("/v1/process/text", headers=auth_headers(client), json=body)
    assert client.get("/__admin/webhooks", params={"wait": "true"}).json()["deliveries"]
    client.post("/__admin/reset")
    assert client.get("/__admin/webhooks").json()["deliveries"] == []
