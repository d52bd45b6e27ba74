"""The official JavaScript REST client `@symblai/api-client` 1.0.17 reads what the Async API produced."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from mock_symbl.server import MockServer
from tests.helpers import SAMPLE_MESSAGES
from tests.sdk.node import HARNESS, needs_node, run

pytestmark = [pytest.mark.sdk, needs_node]


def test_api_client_reads_every_conversation_resource(live_server: MockServer) -> None:
    if not (HARNESS / "node_modules" / "@symblai" / "api-client").is_dir():
        pytest.fail("run `npm ci --prefix tests/sdk_js` (make test does it when npm is present)")
    base = live_server.base_url
    token = httpx.post(
        f"{base}/oauth2/token:generate", json={"type": "application", "appId": "js-client", "appSecret": "s"}
    ).json()
    headers = {"x-api-key": token["accessToken"]}
    created = httpx.post(
        f"{base}/v1/process/text?name=JS", headers=headers, json={"messages": SAMPLE_MESSAGES}
    ).json()
    for _ in range(200):
        if httpx.get(f"{base}/v1/job/{created['jobId']}", headers=headers).json()["status"] == "completed":
            break
    report = run(["node", str(Path(HARNESS) / "api_client.js"), base, created["conversationId"]])
    assert report["expiresIn"] == 86400
    for name in (
        "Conversation",
        "Messages",
        "Members",
        "Questions",
        "ActionItems",
        "FollowUps",
        "Topics",
        "Insights",
        "Intents",
    ):
        assert report[name]["status"] == 200, name
    assert report["Conversation"]["data"]["id"] == created["conversationId"]
    texts = [m["text"] for m in report["Messages"]["data"]["messages"]]
    assert texts[1] == "Can you send me the pricing proposal by Friday?"
    assert [m["name"] for m in report["Members"]["data"]["members"]] == ["Alice", "Bob"]
    assert report["Questions"]["data"]["questions"][0]["text"] == texts[1]
    assert report["ActionItems"]["data"]["actionItems"] or report["FollowUps"]["data"]["followUps"]
    assert report["unknown"] == 404
