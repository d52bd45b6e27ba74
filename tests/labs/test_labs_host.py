"""The Labs host (rest.md §9): the whole /v1 tree on its own port and for `Host: api-labs...`, one database
and one token space with the main host, and the two Labs-only routes 404 on the main host."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from mock_symbl.server import MockServer
from tests.conftest import make_settings
from tests.helpers import SAMPLE_MESSAGES, submit_text, wait_job

LABS_ONLY = ("abstract-topics", "comprehensive/action-items")


@pytest.fixture
def server() -> Iterator[MockServer]:
    running = MockServer(make_settings(labs_enabled=True)).start()
    yield running
    running.stop()


def _token(base: str) -> dict[str, str]:
    body = {"type": "application", "appId": "app-one", "appSecret": "secret"}
    response = httpx.post(f"{base}/oauth2/token:generate", json=body)
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['accessToken']}"}


def _process(base: str, headers: dict[str, str]) -> str:
    submitted = httpx.post(
        f"{base}/v1/process/text", headers=headers, json={"messages": SAMPLE_MESSAGES}
    ).json()
    for _ in range(200):
        status = httpx.get(f"{base}/v1/job/{submitted['jobId']}", headers=headers).json()["status"]
        if status in ("completed", "failed"):
            break
    assert status == "completed"
    return str(submitted["conversationId"])


class TestOwnPort:
    def test_labs_port_serves_the_v1_tree_on_the_same_database(self, server: MockServer) -> None:
        main, labs = server.base_url, server.labs_url
        assert labs is not None and labs != main
        assert labs.startswith("http://127.0.0.1:")
        headers = _token(main)  # a token from the main host works on Labs
        conversation_id = _process(main, headers)

        on_labs = httpx.get(f"{labs}/v1/conversations/{conversation_id}", headers=headers)
        assert on_labs.status_code == 200
        assert (
            on_labs.json() == httpx.get(f"{main}/v1/conversations/{conversation_id}", headers=headers).json()
        )
        listed = httpx.get(f"{labs}/v1/conversations", headers=headers).json()["conversations"]
        assert [c["id"] for c in listed] == [conversation_id]

        # writes on Labs are visible on the main host (Management API and Async API alike)
        tracker = httpx.post(
            f"{labs}/v1/manage/tracker", headers=headers, json={"name": "Labs", "vocabulary": ["pricing"]}
        )
        assert tracker.status_code == 200
        names = [
            t["name"] for t in httpx.get(f"{main}/v1/manage/trackers", headers=headers).json()["trackers"]
        ]
        assert names == ["Labs"]
        labs_conversation = _process(labs, _token(labs))
        assert httpx.get(f"{main}/v1/conversations/{labs_conversation}", headers=headers).status_code == 200

    def test_labs_only_routes(self, server: MockServer) -> None:
        main, labs = server.base_url, server.labs_url
        headers = _token(main)
        conversation_id = _process(main, headers)
        for route in LABS_ONLY:
            on_labs = httpx.get(f"{labs}/v1/conversations/{conversation_id}/{route}", headers=headers)
            assert on_labs.status_code == 200, (route, on_labs.text)
            on_main = httpx.get(f"{main}/v1/conversations/{conversation_id}/{route}", headers=headers)
            assert on_main.status_code == 404, route
            assert set(on_main.json()) == {"message"}
        topics = httpx.get(
            f"{labs}/v1/conversations/{conversation_id}/abstract-topics", headers=headers
        ).json()
        assert "abstractTopics" in topics
        actions = httpx.get(
            f"{labs}/v1/conversations/{conversation_id}/comprehensive/action-items", headers=headers
        )
        assert "actionItems" in actions.json()

    def test_labs_auth_is_enforced(self, server: MockServer) -> None:
        response = httpx.get(f"{server.labs_url}/v1/manage/trackers")
        assert response.status_code == 401
        assert response.json() == {"message": "Token validation failed for provided token."}


class TestHostHeader:
    @pytest.mark.parametrize("host", ["api-labs.symbl.ai", "api-labs.symbl.ai:443", "API-LABS.example.test"])
    def test_host_header_selects_labs(self, client: TestClient, headers: dict[str, str], host: str) -> None:
        submitted = submit_text(client, headers)
        assert wait_job(client, headers, submitted["jobId"]) == "completed"
        base = f"/v1/conversations/{submitted['conversationId']}"
        for route in LABS_ONLY:
            assert client.get(f"{base}/{route}", headers={**headers, "host": host}).status_code == 200, (
                host,
                route,
            )
            assert (
                client.get(f"{base}/{route}", headers={**headers, "host": "api.symbl.ai"}).status_code == 404
            )
            assert client.get(f"{base}/{route}", headers=headers).status_code == 404
        # the rest of the tree answers the same on both hosts
        main: dict[str, Any] = client.get(base, headers=headers).json()
        assert client.get(base, headers={**headers, "host": host}).json() == main
        labs_list = client.get("/v1/conversations", headers={**headers, "host": host}).json()["conversations"]
        assert [c["id"] for c in labs_list] == [submitted["conversationId"]]

    def test_unknown_conversation_on_labs_is_404(self, client: TestClient, headers: dict[str, str]) -> None:
        labs = {**headers, "host": "api-labs.symbl.ai"}
        for route in LABS_ONLY:
            response = client.get(f"/v1/conversations/1234567890123456/{route}", headers=labs)
            assert response.status_code == 404
