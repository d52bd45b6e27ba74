"""Insight bundles deferred by the job to the first read (jobs/deferred.py)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from fastapi.testclient import TestClient
from sqlmodel import select

from mock_symbl.jobs import service as jobs_service
from mock_symbl.store.conversations import get_conversation
from mock_symbl.store.tables import InsightSet
from mock_symbl.tenancy import Tenant
from tests.helpers import auth_headers, submit_text, wait_job
from tests.manage.test_trackers_router import _create

PRICING = [
    {
        "payload": {"content": "Can you send me the pricing proposal by Friday? I will review it on Monday."},
        "from": {"name": "Alice", "userId": "alice@example.com"},
    }
]


def _stored_bundles(client: TestClient) -> int:
    with client.app.state.services.db.session() as session:  # type: ignore[attr-defined]
        return len(session.exec(select(InsightSet)).all())


def test_a_completed_job_stores_its_bundle_on_first_read(client: TestClient, headers: dict[str, str]) -> None:
    submitted = submit_text(client, headers, PRICING)
    assert wait_job(client, headers, submitted["jobId"]) == "completed"
    assert _stored_bundles(client) == 0
    cid = submitted["conversationId"]
    questions = client.get(f"/v1/conversations/{cid}/questions", headers=headers).json()["questions"]
    message_ids = {
        m["id"] for m in client.get(f"/v1/conversations/{cid}/messages", headers=headers).json()["messages"]
    }
    assert questions and {q["messageIds"][0] for q in questions} <= message_ids
    assert _stored_bundles(client) == 1
    assert len(client.app.state.services.deferred) == 0  # type: ignore[attr-defined]


def test_same_answers_as_computing_eagerly(client: TestClient, headers: dict[str, str]) -> None:
    """The deferred bundle equals the one an eager recompute stores from the same messages and options."""
    cid = submit_text(client, headers, PRICING)["conversationId"]
    kinds = ("action-items", "questions", "follow-ups", "entities", "topics", "messages?sentiment=true")

    def read() -> list[bytes]:
        return [client.get(f"/v1/conversations/{cid}/{what}", headers=headers).content for what in kinds]

    deferred = read()
    services = client.app.state.services  # type: ignore[attr-defined]
    with services.db.transaction() as session:
        jobs_service.recompute_insights(services, session, get_conversation(session, Tenant("app-one"), cid))
    assert read() == deferred


def test_options_are_frozen_when_the_job_completes(client: TestClient, headers: dict[str, str]) -> None:
    """A tracker created after the job finished is not applied to it, as with insights computed in the job."""
    body = {"messages": PRICING, "enableAllTrackers": True}
    submitted = client.post("/v1/process/text", headers=headers, json=body).json()
    assert wait_job(client, headers, submitted["jobId"]) == "completed"
    _create(client, headers, name="Pricing", vocabulary=["pricing proposal"])
    detected = client.get(f"/v1/conversations/{submitted['conversationId']}/trackers", headers=headers)
    assert "Pricing" not in json.dumps(detected.json())


def test_an_append_recomputes_from_all_messages(client: TestClient, headers: dict[str, str]) -> None:
    cid = submit_text(client, headers, PRICING)["conversationId"]
    assert len(client.get(f"/v1/conversations/{cid}/questions", headers=headers).json()["questions"]) == 1
    more = [{"payload": {"content": "Could we meet on Tuesday?"}, "from": {"name": "Bob"}}]
    appended = client.put(f"/v1/process/text/{cid}", headers=headers, json={"messages": more}).json()
    assert wait_job(client, headers, appended["jobId"]) == "completed"
    assert len(client.get(f"/v1/conversations/{cid}/questions", headers=headers).json()["questions"]) == 2


def test_pending_work_survives_a_restart(app_factory: Callable[..., TestClient], tmp_path: Path) -> None:
    database = str(tmp_path / "kept.db")
    first = app_factory(database=database)
    headers = auth_headers(first)
    cid = submit_text(first, headers, PRICING)["conversationId"]
    first.__exit__(None, None, None)
    first.app.state.services.db.close()  # type: ignore[attr-defined]

    second = app_factory(database=database)
    assert len(second.app.state.services.deferred) == 1  # type: ignore[attr-defined]
    questions = second.get(f"/v1/conversations/{cid}/questions", headers=auth_headers(second)).json()
    assert len(questions["questions"]) == 1


def test_a_snapshot_carries_deferred_bundles(client: TestClient, headers: dict[str, str]) -> None:
    submit_text(client, headers, PRICING)
    snapshot = client.get("/__admin/snapshot").json()
    assert len(snapshot["tables"]["insight_sets"]) == 1
