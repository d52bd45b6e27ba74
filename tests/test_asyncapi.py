"""The AsyncAPI document: valid AsyncAPI 3.0, internally consistent, and true to the implementation."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.routing import APIWebSocketRoute
from fastapi.testclient import TestClient
from jsonschema import Draft202012Validator
from starlette.routing import WebSocketRoute

from mock_symbl.routes import iter_routes
from mock_symbl.streaming import protocol
from mock_symbl.web.asyncapi import document

# Every message of realtime-and-sdks.md §1.3–1.5, by wire name.
EXPECTED = {
    "start_request", "stop_request", "modify_request", "audio", "__PING__", "speaker_event",
    "started_listening", "conversation_created", "recognition_started", "recognition_result", "message_response",
    "insight_response", "topic_response", "tracker_response", "entity_response", "conversation_completed",
    "recognition_stopped", "session_modified", "error", "__PONG__", "transcript_response",
}  # fmt: skip


@pytest.fixture
def doc() -> dict[str, Any]:
    return document()


def test_served_at_asyncapi_json(client: TestClient) -> None:
    response = client.get("/asyncapi.json")
    assert response.status_code == 200
    assert response.json() == document()


def _refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        return [v for k, v in node.items() if k == "$ref"] + [r for v in node.values() for r in _refs(v)]
    if isinstance(node, list):
        return [r for v in node for r in _refs(v)]
    return []


def _resolve(doc: dict[str, Any], ref: str) -> Any:
    assert ref.startswith("#/"), ref
    node: Any = doc
    for part in ref[2:].split("/"):
        assert part in node, f"unresolved $ref {ref}"
        node = node[part]
    return node


def test_validates_as_asyncapi_3(doc: dict[str, Any]) -> None:
    from pydantic_asyncapi import AsyncAPI

    parsed = AsyncAPI.model_validate(doc)
    assert parsed.root.asyncapi == "3.0.0"


def test_every_reference_resolves(doc: dict[str, Any]) -> None:
    refs = _refs(doc)
    assert len(refs) > 50
    for ref in refs:
        _resolve(doc, ref)


def test_operations_use_their_channels_messages(doc: dict[str, Any]) -> None:
    for name, op in doc["operations"].items():
        channel_ref = op["channel"]["$ref"]
        assert op["action"] in ("send", "receive"), name
        for message in op["messages"]:
            assert message["$ref"].startswith(channel_ref + "/messages/"), (name, message)


def test_every_protocol_message_is_described(doc: dict[str, Any]) -> None:
    names = {m["name"] for m in doc["components"]["messages"].values()}
    assert names >= EXPECTED, EXPECTED - names
    addresses = {c["address"] for c in doc["channels"].values()}
    assert addresses == {
        "/v1/streaming/{connectionId}",
        "/v1/realtime/insights/{connectionId}",
        "/v1/subscribe/{connectionId}",
        "/session/subscribe/{connectionId}",
        "/events/{connectionId}",
    }


def test_every_websocket_route_has_a_channel(client: TestClient, doc: dict[str, Any]) -> None:
    addresses = {re.sub(r"\{[^}]+\}", "{}", c["address"]) for c in doc["channels"].values()}
    sockets = [
        r.path for r in iter_routes(client.app) if isinstance(r.route, APIWebSocketRoute | WebSocketRoute)
    ]
    assert sockets, "no WebSocket routes found"
    for path in sockets:
        assert re.sub(r"\{[^}]+\}", "{}", path) in addresses, path


def _validator(doc: dict[str, Any], message: str) -> Draft202012Validator:
    payload = doc["components"]["messages"][message]["payload"]
    return Draft202012Validator({**payload, "components": doc["components"]})


def test_implementation_messages_match_the_schemas() -> None:
    doc = document()
    samples = {
        "startedListening": protocol.started_listening(),
        "conversationCreated": protocol.conversation_created("5093011103940608"),
        "recognitionStarted": protocol.recognition_started("5093011103940608"),
        "conversationCompleted": protocol.conversation_completed("5093011103940608", "http://127.0.0.1/x"),
        "recognitionStopped": protocol.recognition_stopped("5093011103940608"),
        "sessionModified": protocol.session_modified("LINEAR16", 8000),
        "error": protocol.error("bad", "details"),
        "messageResponse": protocol.message_response([], 0),
        "insightResponse": protocol.insight_response([], 0),
        "topicResponse": protocol.topic_response([]),
        "trackerResponse": protocol.tracker_response([], 1),
        "entityResponse": protocol.entity_response([], 0),
        "transcriptResponse": protocol.transcript_response("Hello", is_final=True, user=None),
    }
    for name, sample in samples.items():
        errors = list(_validator(doc, name).iter_errors(sample))
        assert not errors, (name, [e.message for e in errors])
    wrong = list(_validator(doc, "conversationCreated").iter_errors(protocol.started_listening()))
    assert wrong, "the schemas must tell messages apart"


def test_start_request_variants_from_the_sdks_are_valid() -> None:
    validator = Draft202012Validator(
        {**document()["components"]["schemas"]["StartRequest"], "components": document()["components"]}
    )
    python_sdk = {
        "type": "start_request",
        "insightTypes": ["question", "action_item"],
        "config": {
            "confidenceThreshold": 0.5,
            "languageCode": "en-US",
            "speechRecognition": {"encoding": "LINEAR16", "sampleRateHertz": 44100},
        },
        "speaker": None,
        "trackers": None,
    }
    go_sdk = {
        "type": "start_request",
        "config": {"speechRecognition": {}},
        "trackers": {},
        "speaker": {},
        "noConnectionTimeout": False,
    }
    for sample in (python_sdk, go_sdk):
        assert not list(validator.iter_errors(sample)), sample
    assert list(validator.iter_errors({"type": "stop_request"}))
