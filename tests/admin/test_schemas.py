"""Every control-plane answer read strictly as its declared model (types exact, no undeclared key)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from mock_symbl.admin import schemas
from tests.helpers import SAMPLE_MESSAGES, auth_headers, submit_text, wait_job
from tests.strict import strict, undeclared


def test_probes_config_seed_reset(client: TestClient) -> None:
    strict(schemas.Health, client.get("/__admin/health"))
    ready = strict(schemas.Ready, client.get("/__admin/ready"))
    assert ready.status == "ready" and all(ready.checks.values())
    strict(schemas.Config, client.get("/__admin/config"))
    assert strict(schemas.Seed, client.post("/__admin/seed", json={"seed": 7})).seed == 7
    assert strict(schemas.Seed, client.get("/__admin/seed")).seed == 7
    submit_text(client, auth_headers(client))
    scoped = strict(schemas.Reset, client.post("/__admin/reset", params={"account": "app-one"}))
    assert scoped.reset == schemas.ResetScope(account="app-one", namespace=None) and scoped.deleted
    assert strict(schemas.Reset, client.post("/__admin/reset")).reset == "all"


def test_jobs_and_clock(app_factory: Callable[..., TestClient]) -> None:
    client = app_factory(job_progression="manual")
    headers = auth_headers(client)
    job_id = submit_text(client, headers)["jobId"]
    listed = strict(schemas.AdminJobList, client.get("/__admin/jobs"))
    assert [j.id for j in listed.jobs] == [job_id]
    strict(schemas.AdminJob, client.get(f"/__admin/jobs/{job_id}"))
    patched = strict(
        schemas.AdminJob,
        client.patch(f"/__admin/jobs/{job_id}", json={"progression": "manual", "stepSeconds": 2}),
    )
    assert patched.progression == "manual" and patched.stepSeconds == 2.0
    assert strict(schemas.AdminJob, client.post(f"/__admin/jobs/{job_id}/advance")).status == "in_progress"
    assert strict(schemas.AdminJob, client.post(f"/__admin/jobs/{job_id}/fail")).status == "failed"
    strict(schemas.Steps, client.post("/__admin/jobs/advance"))

    frozen = strict(schemas.ClockState, client.post("/__admin/clock/freeze", json={"at": 1_700_000_000}))
    assert frozen.frozen and frozen.jobSteps is None and "jobSteps" not in client.get("/__admin/clock").json()
    advanced = strict(schemas.ClockState, client.post("/__admin/clock/advance", json={"seconds": 5}))
    assert advanced.epoch == 1_700_000_005 and advanced.jobSteps == 0
    strict(schemas.ClockState, client.post("/__admin/clock/resume"))
    strict(schemas.ClockState, client.post("/__admin/clock/reset"))


def test_faults_journal_results(client: TestClient) -> None:
    made = strict(schemas.Fault, client.post("/__admin/faults", json={"status": 503, "count": 1}), 201)
    assert made.remaining == 1 and made.effect.status == 503
    assert len(strict(schemas.FaultList, client.get("/__admin/faults")).faults) == 1
    assert strict(schemas.Removed, client.delete(f"/__admin/faults/{made.id}")).removed == 1
    strict(schemas.Removed, client.delete("/__admin/faults"))

    client.get("/v1/nowhere")
    journal = strict(schemas.JournalList, client.get("/__admin/requests", params={"limit": 5}))
    assert journal.count == len(journal.requests) >= 1
    strict(schemas.Count, client.get("/__admin/requests/count", params={"method": "GET"}))
    unmatched = strict(schemas.UnmatchedList, client.get("/__admin/requests/unmatched"))
    assert [r.path for r in unmatched.requests] == ["/v1/nowhere"]
    strict(schemas.Removed, client.delete("/__admin/requests"))

    queued = strict(
        schemas.QueuedResult,
        client.post("/__admin/results", json={"account": "app-one", "lines": [{"text": "Hello there."}]}),
        201,
    )
    assert queued.queued == 1 and queued.result.lines[0].text == "Hello there."
    assert len(strict(schemas.Results, client.get("/__admin/results")).results) == 1
    assert strict(schemas.Results, client.delete("/__admin/results")).results == []


def test_snapshot_round_trip(client: TestClient) -> None:
    headers = auth_headers(client)
    wait_job(client, headers, submit_text(client, headers)["jobId"])
    snapshot = strict(schemas.Snapshot, client.get("/__admin/snapshot"))
    assert snapshot.version == 1 and snapshot.tables["conversations"]
    imported = strict(schemas.Imported, client.put("/__admin/snapshot", json=snapshot.model_dump()))
    assert imported.imported["conversations"] == 1


def test_webhook_log(app_factory: Callable[..., TestClient]) -> None:
    client = app_factory(webhook_capture_only=True)
    body = {"messages": SAMPLE_MESSAGES, "webhookUrl": "http://127.0.0.1:9/hook"}
    client.post("/v1/process/text", headers=auth_headers(client), json=body)
    log = strict(schemas.DeliveryList, client.get("/__admin/webhooks", params={"wait": "true"}))
    assert [d.status for d in log.deliveries] == ["scheduled", "in_progress", "completed"]
    assert all(isinstance(d.durationMs, float) and isinstance(d.attempt, int) for d in log.deliveries)


def test_request_models_answer_symbl_messages(client: TestClient) -> None:
    no_effect = client.post("/__admin/faults", json={"path": "/v1/*"})
    assert no_effect.status_code == 400
    assert no_effect.json() == {"message": "A fault needs an effect: status, latency_ms, drop or ws_close."}
    nothing = client.post("/__admin/results", json={"account": "app-one"})
    assert nothing.json() == {"message": 'A completed result needs "lines" or "fixture".'}
    assert client.get("/__admin/requests", params={"limit": 0}).status_code == 400
    for at, words in (
        ("yesterday", "ISO-8601 instant"),
        (-5, "between 1970 and 9999"),
        ("0001-01-01T00:00:00Z", "1970"),
    ):
        refused = client.post("/__admin/clock/freeze", json={"at": at})
        assert refused.status_code == 400 and words in refused.json()["message"], at
    frozen = client.post("/__admin/clock/freeze", json={"at": "2024-01-01T00:00:00Z"}).json()
    assert frozen["epoch"] == 1_704_067_200
    not_snapshot = client.put("/__admin/snapshot", json={"format": "other"})
    assert not_snapshot.status_code == 400
    assert not_snapshot.json()["message"].startswith("Incompatible snapshot: not a mock-symbl snapshot")


def test_strict_reading_refuses_a_float_for_an_int() -> None:
    """The check the tests above rely on: 5.0 does not pass for an int, an undeclared key fails."""
    with pytest.raises(ValidationError):
        schemas.Steps.model_validate_json(b'{"steps": 5.0}', strict=True)
    assert undeclared(schemas.Steps.model_validate_json(b'{"steps": 5, "extra": 1}', strict=True)) == [
        ".extra"
    ]
    assert schemas.Steps.model_validate_json(b'{"steps": 5}', strict=True).steps == 5
