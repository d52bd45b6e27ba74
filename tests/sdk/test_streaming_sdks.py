"""The official streaming clients against a real server: symbl-js 1.4.10, the web SDK 1.0.10 (jsdom), symbl 2.0.6.

Node scripts live in tests/sdk_js (dependencies pinned by its package-lock.json; CI runs
`npm ci --prefix tests/sdk_js`). Each scenario asserts the conversation id and the events received, then reads
the stored conversation back over REST.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from mock_symbl.auth.service import issue_token
from mock_symbl.server import MockServer
from tests.conftest import make_settings
from tests.sdk.node import HARNESS, NODE, needs_node, run

pytestmark = pytest.mark.sdk


@pytest.fixture(scope="module")
def server() -> Iterator[MockServer]:
    settings = make_settings(
        labs_enabled=False, telephony_speed=20, streaming_insights_seconds=0, log_level="warning"
    )
    live = MockServer(settings).start()
    yield live
    live.stop()


def rest(server: MockServer, path: str) -> Any:
    token = issue_token(server.services, "a" * 64)[0]  # the SDKs authenticate as appId "a"*64
    response = httpx.get(server.base_url + path, headers={"x-api-key": token}, timeout=10)
    assert response.status_code == 200, response.text
    return response.json()


def node(script: str, *args: str) -> dict[str, Any]:
    assert NODE is not None
    if not (HARNESS / "node_modules" / "@symblai" / "symbl-js").is_dir():
        pytest.fail("tests/sdk_js/node_modules is missing: run `npm ci --prefix tests/sdk_js`")
    return run([NODE, str(HARNESS / script), *args])


def stored_texts(server: MockServer, conversation_id: str) -> list[str]:
    return [m["text"] for m in rest(server, f"/v1/conversations/{conversation_id}/messages")["messages"]]


@needs_node
def test_js_legacy_realtime_request_with_subscriber(server: MockServer) -> None:
    report = node("symbl_js.js", "legacy", server.base_url, "8")
    conversation_id = report["conversationId"]
    assert conversation_id.isdigit()
    assert (
        report["stopped"]["conversationId"] == conversation_id
    )  # stop() resolves with conversation_completed
    assert report["stopped"]["summaryUrl"].startswith(server.base_url)
    kinds = {e["kind"] for e in report["events"]}
    assert {"speech", "messages"} <= kinds
    streamed = [t for e in report["events"] if e["kind"] == "messages" for t in e["texts"]]
    assert {n for e in report["events"] if e["kind"] == "messages" for n in e["from"]} == {"Jane"}
    assert stored_texts(server, conversation_id) == streamed
    sub = report["subscriber"]
    assert sub[0] == "message:conversation_created"
    assert sub[-2:] == ["message:conversation_completed", "message:recognition_stopped"]
    assert sub.count("message_response") == sum(1 for e in report["events"] if e["kind"] == "messages")


@needs_node
def test_js_create_stream_flow(server: MockServer) -> None:
    report = node("symbl_js.js", "stream", server.base_url, "8")
    assert report["conversationId"].isdigit()
    assert report["lifecycle"][0] == "started_listening"
    assert "conversation_completed" in report["lifecycle"]
    streamed = [t for e in report["events"] if e["kind"] == "messages" for t in e["texts"]]
    assert streamed
    assert stored_texts(server, report["conversationId"]) == streamed
    conversation = rest(server, f"/v1/conversations/{report['conversationId']}")
    assert conversation["name"] == "JS stream"


@needs_node
def test_js_telephony_endpoint_subscribe_and_speaker_events(server: MockServer) -> None:
    report = node("symbl_js.js", "telephony", server.base_url)
    cid, conversation_id = report["connectionId"], report["conversationId"]
    assert cid
    assert report["stopped"]["conversationId"] == conversation_id
    assert report["stopped"]["summaryInfo"][0]["user"]["userId"] == "jane@example.com"
    assert report["types"][0] == "message:conversation_created"
    assert "transcript_response" in report["types"]
    assert report["types"][-2:] == ["message:conversation_completed", "message:recognition_stopped"]
    assert "Jane" in report["speakers"]  # attributed by the pushed started_speaking event
    assert len(stored_texts(server, conversation_id)) >= 2


@needs_node
def test_web_sdk_under_jsdom(server: MockServer) -> None:
    report = node("web_sdk.js", server.base_url, "8")
    assert report["conversationId"].isdigit()
    events = report["events"]
    for name in (
        "conversation_created",
        "processing_started",
        "speech_recognition",
        "message",
        "conversation_completed",
    ):
        assert name in events, name
    assert "session_modified" in events
    assert stored_texts(server, report["conversationId"])
    members = rest(server, f"/v1/conversations/{report['conversationId']}/members")["members"]
    assert [m["name"] for m in members] == ["Web User"]


needs_symbl = pytest.mark.skipif(
    importlib.util.find_spec("symbl") is None,
    reason="the Python `symbl` SDK is not installed: `.venv/bin/pip install --no-deps symbl==2.0.6`",
)
DRIVER = str(Path(__file__).resolve().parent / "symbl_py_driver.py")


@needs_symbl
def test_python_streaming_connection(server: MockServer) -> None:
    report = run([sys.executable, DRIVER, "streaming", server.base_url])
    assert report["conversationId"].isdigit()
    types = report["types"]
    assert "recognition_result" in types
    assert "message_response" in types
    assert types[-2:] == [
        "conversation_completed",
        "recognition_stopped",
    ]  # after the Python-repr stop_request
    assert report["streamed"]
    assert report["stored"] == report["streamed"]  # read back by the SDK's own REST client
    assert stored_texts(server, report["conversationId"]) == report["streamed"]


@needs_symbl
def test_python_telephony_pstn(server: MockServer) -> None:
    report = run([sys.executable, DRIVER, "telephony", server.base_url])
    assert report["stoppedConversationId"] == report["conversationId"]
    assert "transcript_response" in report["types"]
    assert report["types"].count("message_response") >= 2
    assert report["subscriberClosed"] is True  # subscribe() returns once the call stops
    assert report["summaryInfo"] == [
        {
            "name": "py",
            "userId": "py@example.com",
            "url": f"{server.base_url}/v1/conversations/{report['conversationId']}/summary",
        }
    ]
    assert len(stored_texts(server, report["conversationId"])) >= 2
