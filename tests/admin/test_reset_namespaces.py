"""Reset (all, one account, one namespace) and namespaces isolating parallel test workers."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlmodel import SQLModel

from mock_symbl.server import MockServer
from mock_symbl.store import admin as store
from tests.conftest import make_settings
from tests.helpers import auth_headers, submit_text


def _count(client: TestClient, headers: dict[str, str]) -> int:
    return len(client.get("/v1/conversations", headers=headers).json()["conversations"])


def test_full_reset_clears_data_journal_faults_results(client: TestClient, headers: dict[str, str]) -> None:
    submit_text(client, headers)
    client.post("/__admin/faults", json={"path": "/nothing", "status": 500})
    client.post("/__admin/results", json={"account": "app-one", "outcome": "failed"})
    client.post("/__admin/clock/freeze", json={"at": "2031-01-01T00:00:00Z"})
    result = client.post("/__admin/reset").json()
    assert result["reset"] == "all" and result["deleted"]["conversations"] == 1
    assert client.get("/__admin/requests/count").json()["count"] == 0
    assert client.get("/__admin/faults").json()["faults"] == []
    assert client.get("/__admin/results").json()["results"] == []
    assert client.get("/__admin/clock").json()["frozen"] is False
    assert _count(client, auth_headers(client)) == 0


def test_reset_one_account(client: TestClient, headers: dict[str, str]) -> None:
    other = auth_headers(client, "app-two")
    submit_text(client, headers)
    submit_text(client, other)
    deleted = client.post("/__admin/reset", params={"account": "app-two"}).json()["deleted"]
    assert deleted["conversations"] == 1 and deleted["jobs"] == 1 and deleted["messages"] >= 2
    assert _count(client, headers) == 1
    assert _count(client, other) == 0


def test_reset_one_namespace_keeps_the_others(client: TestClient, headers: dict[str, str]) -> None:
    w1 = {**headers, "X-Mock-Namespace": "w1"}
    w2 = {**headers, "X-Mock-Namespace": "w2"}
    submit_text(client, w1)
    submit_text(client, w2)
    client.post("/__admin/faults", json={"namespace": "w1", "path": "/none", "status": 500})
    client.post("/__admin/faults", json={"namespace": "w2", "path": "/none", "status": 500})
    client.post("/__admin/reset", params={"namespace": "w1"})
    assert client.get("/__admin/requests/count", params={"namespace": "w1"}).json()["count"] == 0
    assert client.get("/__admin/requests/count", params={"namespace": "w2"}).json()["count"] >= 1
    assert [f["namespace"] for f in client.get("/__admin/faults").json()["faults"]] == ["w2"]
    assert _count(client, w1) == 0
    assert _count(client, w2) == 1


def test_tenant_delete_covers_every_table_with_tenant_columns(
    client: TestClient, headers: dict[str, str]
) -> None:
    """Tables other areas add are found through SQLModel.metadata (no list to maintain)."""
    gone = {**headers, "X-Mock-Namespace": "gone"}
    cid = submit_text(client, gone)["conversationId"]
    client.get(f"/v1/conversations/{cid}/topics", headers=gone)  # insights are computed on first read
    db = client.app.state.services.db  # type: ignore[attr-defined]
    before = store.dump_tables(db, namespace="gone")
    assert before["conversations"] and before["messages"] and before["jobs"] and before["insight_sets"]
    client.post("/__admin/reset", params={"namespace": "gone"})
    after = store.dump_tables(db, namespace="gone")
    assert all(rows == [] for rows in after.values())
    tenant_tables = {t.name for t in SQLModel.metadata.sorted_tables if "namespace" in t.c}
    assert tenant_tables <= set(after)  # every tenant table was visited


@pytest.fixture
def live_server() -> Iterator[MockServer]:
    server = MockServer(make_settings(log_level="warning")).start()
    yield server
    server.stop()


def test_two_namespaces_used_concurrently(live_server: MockServer) -> None:
    """Two workers hammer one server at once, each in its namespace: neither sees the other."""
    base = live_server.base_url
    token = httpx.post(
        f"{base}/oauth2/token:generate", json={"type": "application", "appId": "shared", "appSecret": "s"}
    ).json()["accessToken"]
    errors: list[str] = []
    made: dict[str, set[str]] = {"w1": set(), "w2": set()}

    def worker(namespace: str) -> None:
        headers = {"x-api-key": token, "X-Mock-Namespace": namespace}
        with httpx.Client(base_url=base, headers=headers, timeout=30) as http:
            for i in range(6):
                body = {
                    "name": f"{namespace}-{i}",
                    "messages": [{"payload": {"content": f"Item {i} for {namespace}."}}],
                }
                made[namespace].add(http.post("/v1/process/text", json=body).json()["conversationId"])
                seen = {c["id"] for c in http.get("/v1/conversations").json()["conversations"]}
                if not seen <= made[namespace]:
                    errors.append(f"{namespace} saw {seen - made[namespace]}")

    threads = [threading.Thread(target=worker, args=(ns,)) for ns in ("w1", "w2")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(made["w1"]) == len(made["w2"]) == 6
    journal = httpx.get(f"{base}/__admin/requests", params={"namespace": "w1"}).json()["requests"]
    assert journal and {e["namespace"] for e in journal} == {"w1"}
    other = {"x-api-key": token, "X-Mock-Namespace": "w2"}
    assert httpx.get(f"{base}/v1/conversations/{next(iter(made['w1']))}", headers=other).status_code == 404
    httpx.post(f"{base}/__admin/reset", params={"namespace": "w1"}, headers={"X-Mock-Admin": "1"})
    w2 = httpx.get(f"{base}/v1/conversations", headers=other).json()["conversations"]
    assert {c["id"] for c in w2} == made["w2"]


def test_reset_restores_the_seed(app_factory: Callable[..., TestClient]) -> None:
    client = app_factory(seed=11)
    first = submit_text(client, auth_headers(client))
    client.post("/__admin/reset")
    again = submit_text(client, auth_headers(client))
    assert first == again
