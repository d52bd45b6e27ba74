"""The streaming WebSocket end to end through the app's test client."""

from __future__ import annotations

import gc
import json
import threading
import time
import weakref
from typing import Any

import pytest
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from mock_symbl.store import conversations as conv_repo
from mock_symbl.streaming import service as live_service
from mock_symbl.streaming.connection import StreamConnection
from tests.streaming.conftest import is_kind, kind, pcm, receive_until, start_frame, token_for


def test_full_session_order_and_storage(client: TestClient, token: str) -> None:
    with client.websocket_connect(f"/v1/streaming/conn-1?access_token={token}") as ws:
        ws.send_text(start_frame())
        opening = [kind(json.loads(ws.receive_text())) for _ in range(3)]
        assert opening == [
            "message:started_listening",
            "message:conversation_created",
            "message:recognition_started",
        ]
        for _ in range(30):
            ws.send_bytes(pcm(0.5))
        ws.send_text(json.dumps({"type": "stop_request"}))
        events = receive_until(ws, is_kind("message:recognition_stopped"))
        with pytest.raises(WebSocketDisconnect) as closed:
            ws.receive_text()
        assert closed.value.code == 1000
    kinds = [kind(e) for e in events]
    assert "message:recognition_result" in kinds
    assert "message_response" in kinds
    assert kinds[-2:] == ["message:conversation_completed", "message:recognition_stopped"]
    completed = events[-2]["message"]
    conversation_id = completed["conversationId"]
    assert completed["data"]["conversationId"] == conversation_id
    assert completed["summaryUrl"].endswith(f"/v1/conversations/{conversation_id}/summary")
    finals = [e for e in events if kind(e) == "message:recognition_result" and e["message"]["isFinal"]]
    streamed = [m for e in events if e["type"] == "message_response" for m in e["messages"]]
    assert [m["payload"]["content"] for m in streamed] == [
        f["message"]["punctuated"]["transcript"] for f in finals
    ]
    assert {m["from"]["name"] for m in streamed} == {"Jane"}
    rest = client.get(f"/v1/conversations/{conversation_id}/messages", headers={"x-api-key": token})
    assert rest.status_code == 200
    stored = rest.json()["messages"]
    assert [m["id"] for m in stored] == [m["id"] for m in streamed]
    assert [m["text"] for m in stored] == [m["payload"]["content"] for m in streamed]
    members = client.get(f"/v1/conversations/{conversation_id}/members", headers={"x-api-key": token}).json()
    assert [m["id"] for m in members["members"]] == [streamed[0]["from"]["id"]]


def opening(ws: object) -> list[dict[str, object]]:
    return receive_until(ws, is_kind("message:recognition_started"))


@pytest.mark.parametrize("carrier", ["query", "header", "bearer", "subprotocol"])
def test_token_carriers(client: TestClient, token: str, carrier: str) -> None:
    url, kwargs = "/v1/realtime/insights/c1", {}
    if carrier == "query":
        url += f"?access_token={token}&source=js_sdk"
    elif carrier == "header":
        kwargs = {"headers": {"x-api-key": token}}
    elif carrier == "bearer":
        kwargs = {"headers": {"authorization": f"Bearer {token}"}}
    else:
        kwargs = {"subprotocols": [token]}
    with client.websocket_connect(url, **kwargs) as ws:
        if carrier == "subprotocol":
            assert ws.accepted_subprotocol == token
        ws.send_text(start_frame())
        assert kind(opening(ws)[1]) == "message:conversation_created"


@pytest.mark.parametrize(
    "url", ["/v1/streaming/c1", "/v1/streaming/c1?access_token=garbage", "/v1/subscribe/c1", "/events/c1"]
)
def test_bad_or_missing_token_refuses_handshake(client: TestClient, url: str) -> None:
    with pytest.raises(WebSocketDisconnect) as refused, client.websocket_connect(url):
        pass
    assert refused.value.code == 1008
    hub = client.app.state.services.hub  # type: ignore[attr-defined]
    assert hub is None or not hub.channels


def test_python_repr_stop_ping_and_audio_before_start(client: TestClient, token: str) -> None:
    with client.websocket_connect(
        "/v1/realtime/insights/py?source=python_sdk", headers={"x-api-key": token}
    ) as ws:
        ws.send_bytes(pcm(30))  # ignored: no start_request yet
        ws.send_text("__PING__")
        assert ws.receive_text() == "__PONG__"
        ws.send_text(start_frame())
        opening(ws)
        ws.send_bytes(pcm(1))
        ws.send_text(str({"type": "stop_request"}))
        events = receive_until(ws, is_kind("message:recognition_stopped"))
    finals = [e for e in events if kind(e) == "message:recognition_result" and e["message"]["isFinal"]]
    assert not any(e.get("type") == "message_response" and len(e["messages"]) > 1 for e in events)
    assert len(finals) <= 1  # one second of audio: at most the first line


@pytest.mark.parametrize(
    ("frame", "fragment"),
    [
        ("{not json", "Malformed"),
        ('{"type":"dance_request"}', "dance_request"),
        ('{"type":"start_request","config":{"speechRecognition":{"sampleRateHertz":3}}}', "sampleRateHertz"),
        ('{"type":"start_request","mockTranscript":"no-such-fixture"}', "no-such-fixture"),
        ('{"type":"modify_request","speechRecognition":{"sampleRateHertz":8000}}', "before start_request"),
        ('{"type":"stop_request"}', "without an active"),
    ],
)
def test_bad_messages_get_nested_errors_and_socket_survives(
    client: TestClient, token: str, frame: str, fragment: str
) -> None:
    with client.websocket_connect(f"/v1/streaming/bad?access_token={token}") as ws:
        ws.send_text(frame)
        error = json.loads(ws.receive_text())
        assert error["type"] == "message"
        assert error["message"]["type"] == "error"
        assert fragment in error["message"]["message"]
        ws.send_text("__PING__")
        assert ws.receive_text() == "__PONG__"


def test_go_shape_start_and_empty_config(client: TestClient, token: str) -> None:
    go = {
        "type": "start_request",
        "insightTypes": ["question", "topic"],
        "config": {"speechRecognition": {}, "trackers": {}},
        "speaker": {"userId": "", "name": ""},
        "noConnectionTimeout": False,
    }
    with client.websocket_connect(f"/v1/streaming/go?access_token={token}") as ws:
        ws.send_text(json.dumps(go))
        assert kind(opening(ws)[-1]) == "message:recognition_started"
    with client.websocket_connect(f"/v1/streaming/empty?access_token={token}") as ws:
        ws.send_text('{"type":"start_request","config":{}}')
        assert kind(opening(ws)[-1]) == "message:recognition_started"


def test_modify_request_changes_the_audio_clock(client: TestClient, token: str) -> None:
    with client.websocket_connect(f"/v1/streaming/mod?access_token={token}") as ws:
        ws.send_text(start_frame())
        opening(ws)
        ws.send_text(json.dumps({"type": "modify_request", "speechRecognition": {"sampleRateHertz": 8000}}))
        modified = json.loads(ws.receive_text())
        assert modified["message"]["type"] == "session_modified"
        assert modified["message"]["data"]["speechRecognition"]["sampleRateHertz"] == 8000
        ws.send_bytes(pcm(4))  # 4 s at 16 kHz is 8 s at 8 kHz: the first line (0.8-6.62 s) is final
        events = receive_until(
            ws, lambda m: kind(m) == "message:recognition_result" and m["message"]["isFinal"]
        )
        assert events[-1]["message"]["payload"]["raw"]["alternatives"][0]["words"][0]["word"] == "Thank"


def test_disconnect_on_stop_false_keeps_socket_and_restarts_same_conversation(
    client: TestClient, token: str
) -> None:
    with client.websocket_connect(f"/v1/streaming/keep?access_token={token}") as ws:
        ws.send_text(start_frame(disconnectOnStopRequest=False, disconnectOnStopRequestTimeout=60))
        conversation_id = opening(ws)[1]["message"]["data"]["conversationId"]
        ws.send_bytes(pcm(7))
        ws.send_text('{"type":"stop_request"}')
        first = receive_until(ws, is_kind("message:recognition_stopped"))
        assert kind(first[-2]) == "message:conversation_completed"
        ws.send_text("__PING__")
        assert ws.receive_text() == "__PONG__"
        ws.send_text(start_frame())
        again = opening(ws)
        assert again[1]["message"]["data"]["conversationId"] == conversation_id
        ws.send_bytes(pcm(7))
        ws.send_text('{"type":"stop_request"}')
        second = receive_until(ws, is_kind("message:recognition_stopped"))
    texts = [
        m["payload"]["content"]
        for e in first + second
        if e.get("type") == "message_response"
        for m in e["messages"]
    ]
    stored = client.get(f"/v1/conversations/{conversation_id}/messages", headers={"x-api-key": token}).json()[
        "messages"
    ]
    assert [m["text"] for m in stored] == texts
    assert len(texts) >= 2


def test_frame_size_limit(token: str) -> None:
    from tests.streaming.conftest import make_client

    with make_client(streaming_max_frame_bytes=4096) as small:
        small_token = token_for(small)
        with small.websocket_connect(f"/v1/streaming/big?access_token={small_token}") as ws:
            ws.send_text(start_frame())
            opening(ws)
            ws.send_bytes(b"\x00" * 5000)
            error = json.loads(ws.receive_text())
            assert "exceeds" in error["message"]["message"]
            with pytest.raises(WebSocketDisconnect) as closed:
                ws.receive_text()
            assert closed.value.code == 1009


def test_concurrent_stream_limit() -> None:
    from tests.streaming.conftest import make_client

    with make_client(max_concurrent_streams=1) as limited:
        tok = token_for(limited)
        with limited.websocket_connect(f"/v1/streaming/one?access_token={tok}") as first:
            first.send_text(start_frame())
            opening(first)
            with limited.websocket_connect(f"/v1/streaming/two?access_token={tok}") as second:
                second.send_text(start_frame())
                error = json.loads(second.receive_text())
                assert error["message"]["type"] == "error"
                assert "concurrent connections" in error["message"]["message"]
                with pytest.raises(WebSocketDisconnect):
                    second.receive_text()
            other = token_for(limited, "another-account")
            with limited.websocket_connect(f"/v1/streaming/three?access_token={other}") as third:
                third.send_text(start_frame())
                assert kind(opening(third)[0]) == "message:started_listening"


def test_subscribers_receive_the_same_events(client: TestClient, token: str) -> None:
    with (
        client.websocket_connect(f"/v1/subscribe/shared?access_token={token}") as early,
        client.websocket_connect(f"/v1/streaming/shared?access_token={token}") as speaker,
    ):
        speaker.send_text(start_frame())
        spoken = opening(speaker)
        with client.websocket_connect("/v1/subscribe/shared", subprotocols=[token]) as late:
            joined = json.loads(late.receive_text())
            assert (
                joined["message"]["data"]["conversationId"] == spoken[1]["message"]["data"]["conversationId"]
            )
            speaker.send_bytes(pcm(15))
            speaker.send_text('{"type":"stop_request"}')
            spoken += receive_until(speaker, is_kind("message:recognition_stopped"))
            seen_late = receive_until(late, is_kind("message:recognition_stopped"))
        seen_early = receive_until(early, is_kind("message:recognition_stopped"))
        with pytest.raises(WebSocketDisconnect):
            early.receive_text()
    assert seen_early == spoken
    assert seen_late == spoken[3:]


def test_insights_stream_and_rest_agree(client: TestClient, token: str) -> None:
    with client.websocket_connect(f"/v1/streaming/ins?access_token={token}") as ws:
        ws.send_text(
            start_frame(trackers=[{"name": "Billing", "vocabulary": ["invoice", "billing", "charge"]}])
        )
        conversation_id = opening(ws)[1]["message"]["data"]["conversationId"]
        for _ in range(22):
            ws.send_bytes(pcm(10))
        ws.send_text('{"type":"stop_request"}')
        events = receive_until(ws, is_kind("message:recognition_stopped"))
    insights = [i for e in events if e.get("type") == "insight_response" for i in e["insights"]]
    topics = [t for e in events if e.get("type") == "topic_response" for t in e["topics"]]
    assert insights, "the support call has questions and action items"
    assert all(i["payload"]["content"] == i["text"] for i in insights)
    assert {i["type"] for i in insights} <= {"question", "action_item", "follow_up"}
    assert all(isinstance(t["messageIndex"], int) for t in topics)
    # The stored bundle (what GET /questions renders) holds exactly what was streamed.
    services = client.app.state.services  # type: ignore[attr-defined]
    with services.db.session() as session:
        bundle = conv_repo.get_bundle(session, conversation_id)
    assert bundle is not None
    streamed = {(i["type"], i["id"]) for i in insights}
    stored = {("question", q["id"]) for q in bundle["questions"]}
    stored |= {("action_item", a["id"]) for a in bundle["actionItems"]}
    stored |= {("follow_up", f["id"]) for f in bundle["followUps"]}
    assert streamed == stored
    message_ids = {m["id"] for e in events if e.get("type") == "message_response" for m in e["messages"]}
    assert {i["messageReference"]["id"] for i in insights} <= message_ids


def test_instant_playback() -> None:
    from tests.streaming.conftest import make_client

    with make_client(streaming_playback="instant") as instant:
        tok = token_for(instant)
        with instant.websocket_connect(f"/v1/streaming/now?access_token={tok}") as ws:
            ws.send_text(start_frame())
            opening(ws)
            ws.send_text('{"type":"stop_request"}')
            events = receive_until(ws, is_kind("message:recognition_stopped"))
    streamed = [m for e in events if e.get("type") == "message_response" for m in e["messages"]]
    assert len(streamed) == 45  # every line of support-call


def test_no_connection_timeout_lets_the_speaker_reconnect(client: TestClient, token: str) -> None:
    with client.websocket_connect(f"/v1/subscribe/re?access_token={token}") as sub:
        with client.websocket_connect(f"/v1/streaming/re?access_token={token}") as ws:
            ws.send_text(start_frame(noConnectionTimeout=30))
            conversation_id = opening(ws)[1]["message"]["data"]["conversationId"]
            ws.send_bytes(pcm(7))
            receive_until(ws, lambda m: m.get("type") == "message_response")
        with client.websocket_connect(f"/v1/streaming/re?access_token={token}") as ws:
            ws.send_text(start_frame())
            # The opening frames come first, in order, even while insights computed from the first socket's
            # audio are still on their way (they go to subscribers until the new socket is set up).
            frames = opening(ws)
            assert [kind(m) for m in frames] == [
                "message:started_listening",
                "message:conversation_created",
                "message:recognition_started",
            ]
            assert frames[1]["message"]["data"]["conversationId"] == conversation_id
            ws.send_bytes(pcm(7))
            ws.send_text('{"type":"stop_request"}')
            receive_until(ws, is_kind("message:recognition_stopped"))
        seen = receive_until(sub, is_kind("message:recognition_stopped"))
    texts = [
        m["payload"]["content"] for e in seen if e.get("type") == "message_response" for m in e["messages"]
    ]
    assert len(texts) >= 2
    assert len(texts) == len(set(texts))


def test_disconnect_without_stop_completes_the_conversation(client: TestClient, token: str) -> None:
    with client.websocket_connect(f"/v1/subscribe/drop?access_token={token}") as sub:
        with client.websocket_connect(f"/v1/streaming/drop?access_token={token}") as ws:
            ws.send_text(start_frame())
            conversation_id = opening(ws)[1]["message"]["data"]["conversationId"]
            ws.send_bytes(pcm(7))
        seen = receive_until(sub, is_kind("message:recognition_stopped"))
        assert any(kind(m) == "message:conversation_completed" for m in seen)
    messages = client.get(
        f"/v1/conversations/{conversation_id}/messages", headers={"x-api-key": token}
    ).json()
    assert messages["messages"]


def test_a_dropped_socket_is_freed_while_its_conversation_waits_to_be_finalized(
    client: TestClient, token: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Finalizing waits behind the single storage writer; under connection churn hundreds queue up, and each
    # must not keep its dead socket's objects (protocol, buffers, scope) alive meanwhile (reliability soak).
    gate = threading.Event()
    open_conversation = live_service.open_conversation

    def slow_open(*args: Any, **kwargs: Any) -> Any:
        gate.wait(10)
        return open_conversation(*args, **kwargs)

    monkeypatch.setattr(live_service, "open_conversation", slow_open)
    refs: list[weakref.ref[StreamConnection]] = []
    init = StreamConnection.__init__

    def tracked_init(self: StreamConnection, *args: Any, **kwargs: Any) -> None:
        init(self, *args, **kwargs)
        refs.append(weakref.ref(self))

    monkeypatch.setattr(StreamConnection, "__init__", tracked_init)
    try:
        with client.websocket_connect(f"/v1/subscribe/freed?access_token={token}") as sub:
            with client.websocket_connect(f"/v1/streaming/freed?access_token={token}") as ws:
                ws.send_text(start_frame())
                conversation_id = opening(ws)[1]["message"]["data"]["conversationId"]
                ws.send_bytes(pcm(1))
            deadline = time.monotonic() + 5
            while refs[0]() is not None and time.monotonic() < deadline:
                gc.collect()
                time.sleep(0.02)
            assert refs[0]() is None, "the closed connection is still referenced while finalizing waits"
            gate.set()
            assert any(
                kind(m) == "message:conversation_completed"
                for m in receive_until(sub, is_kind("message:recognition_stopped"))
            )
    finally:
        gate.set()
    conversation = client.get(f"/v1/conversations/{conversation_id}", headers={"x-api-key": token}).json()
    assert conversation["id"] == conversation_id


def test_put_process_text_appends_to_a_streamed_conversation(client: TestClient, token: str) -> None:
    with client.websocket_connect(f"/v1/streaming/app?access_token={token}") as ws:
        ws.send_text(start_frame())
        conversation_id = opening(ws)[1]["message"]["data"]["conversationId"]
        ws.send_bytes(pcm(7))
        ws.send_text('{"type":"stop_request"}')
        receive_until(ws, is_kind("message:recognition_stopped"))
    headers = {"x-api-key": token, "x-mock-job-progression": "immediate"}
    before = client.get(f"/v1/conversations/{conversation_id}/messages", headers=headers).json()["messages"]
    body = {
        "messages": [{"payload": {"content": "Could you email me the invoice?"}, "from": {"name": "Jane"}}]
    }
    put = client.put(f"/v1/process/text/{conversation_id}", json=body, headers=headers)
    assert put.status_code in (200, 201), put.text
    assert put.json()["conversationId"] == conversation_id
    after = client.get(f"/v1/conversations/{conversation_id}/messages", headers=headers).json()["messages"]
    assert [m["id"] for m in after[: len(before)]] == [m["id"] for m in before]
    assert after[-1]["text"] == "Could you email me the invoice?"


def test_other_account_cannot_subscribe_or_take_over(client: TestClient, token: str) -> None:
    other = token_for(client, "intruder")
    with client.websocket_connect(f"/v1/streaming/mine?access_token={token}") as ws:
        ws.send_text(start_frame())
        opening(ws)
        with (
            pytest.raises(WebSocketDisconnect) as refused,
            client.websocket_connect(f"/v1/subscribe/mine?access_token={other}") as sub,
        ):
            sub.receive_text()
        assert refused.value.code == 1008
        with client.websocket_connect(f"/v1/streaming/mine?access_token={other}") as thief:
            error = json.loads(thief.receive_text())
            assert error["message"]["type"] == "error"
            with pytest.raises(WebSocketDisconnect):
                thief.receive_text()
        with client.websocket_connect(f"/v1/subscribe/mine?access_token={token}") as sub:
            assert kind(json.loads(sub.receive_text())) == "message:conversation_created"
            sub.send_text("__PING__")
            assert sub.receive_text() == "__PONG__"


def test_a_second_live_speaker_on_one_connection_id_is_refused(client: TestClient, token: str) -> None:
    with client.websocket_connect(f"/v1/streaming/busy?access_token={token}") as first:
        first.send_text(start_frame())
        opening(first)
        with client.websocket_connect(f"/v1/streaming/busy?access_token={token}") as second:
            refused = json.loads(second.receive_text())
            assert refused["message"]["type"] == "error"
            assert "already in use" in refused["message"]["message"]
        first.send_text('{"type":"stop_request"}')
        receive_until(first, is_kind("message:recognition_stopped"))


def test_mock_transcript_can_name_a_registered_recording_transcript(client: TestClient, token: str) -> None:
    """The live demo streams a fixture recording with the transcript registered for its bytes (standup.audio)."""
    library = client.app.state.services.transcripts  # type: ignore[attr-defined]
    recording = library.find("standup.audio")
    assert recording is not None and "standup.audio" not in library.names()
    first = recording.lines[0]
    with client.websocket_connect(f"/v1/streaming/rec?access_token={token}") as ws:
        ws.send_text(start_frame(mockTranscript="standup.audio", speaker=None))
        opening(ws)
        ws.send_bytes(pcm(first.end + 0.2))
        events = receive_until(
            ws, lambda m: kind(m) == "message:recognition_result" and m["message"]["isFinal"]
        )
    final = events[-1]["message"]
    assert final["punctuated"]["transcript"] == first.text
    assert final["user"]["name"] == first.speaker
