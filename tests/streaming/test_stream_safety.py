"""Stream safety (issue 16): subscriber ownership whichever side comes first, bounded subscriber backlogs,
unencodable start_request text, sockets that never start, result frames under 1 MiB."""

from __future__ import annotations

import asyncio
import json

import pytest
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from mock_symbl.streaming import protocol
from mock_symbl.streaming.hub import CLOSE, FOREIGN_CONNECTION, SLOW_SUBSCRIBER, Hub
from tests.streaming.conftest import is_kind, kind, make_client, pcm, receive_until, start_frame, token_for


def test_subscribe_before_start_does_not_hijack_another_accounts_stream(
    client: TestClient, token: str
) -> None:
    """The attack: B subscribes to X first, then A streams on X. B must be closed (1008) and get nothing."""
    intruder = token_for(client, "intruder")
    with client.websocket_connect(f"/v1/subscribe/X?access_token={intruder}") as spy:
        with client.websocket_connect(f"/v1/streaming/X?access_token={token}") as speaker:
            speaker.send_text(start_frame())
            receive_until(speaker, is_kind("message:recognition_started"))
            for _ in range(6):
                speaker.send_bytes(pcm(0.5))
            with pytest.raises(WebSocketDisconnect) as closed:
                spy.receive_text()  # the first thing the spy sees is its close: no event of A's
            assert closed.value.code == 1008
            assert closed.value.reason == FOREIGN_CONNECTION
            # A's stream goes on, and A's own subscriber still gets it.
            with client.websocket_connect(f"/v1/subscribe/X?access_token={token}") as own:
                assert kind(json.loads(own.receive_text())) == "message:conversation_created"
            speaker.send_text(json.dumps({"type": "stop_request"}))
            receive_until(speaker, is_kind("message:recognition_stopped"))


def test_same_account_subscriber_waiting_first_gets_the_stream(client: TestClient, token: str) -> None:
    with client.websocket_connect(f"/v1/subscribe/early?access_token={token}") as sub:
        with client.websocket_connect(f"/v1/streaming/early?access_token={token}") as speaker:
            speaker.send_text(start_frame())
            receive_until(speaker, is_kind("message:recognition_started"))
            events = receive_until(sub, is_kind("message:recognition_started"))
            assert kind(events[-1]) == "message:recognition_started"


def test_another_namespace_of_the_same_account_is_another_owner(client: TestClient, token: str) -> None:
    with client.websocket_connect(
        f"/v1/subscribe/ns?access_token={token}", headers={"x-mock-namespace": "team-b"}
    ) as spy:
        with client.websocket_connect(f"/v1/streaming/ns?access_token={token}") as speaker:
            speaker.send_text(start_frame())
            receive_until(speaker, is_kind("message:recognition_started"))
            with pytest.raises(WebSocketDisconnect) as closed:
                spy.receive_text()
            assert closed.value.code == 1008


def test_hub_never_delivers_to_a_foreign_subscriber() -> None:
    async def scenario() -> None:
        hub = Hub()
        spy = hub.subscribe("c", ("b", ""))
        mine = hub.subscribe("c", ("a", ""))
        assert spy is not None and mine is not None
        hub.publish("c", "before anyone runs it")  # no owner yet: nobody gets it
        assert spy.queue.empty() and mine.queue.empty()
        hub.claim(hub.channel("c"), "a", "")
        hub.publish("c", "secret")
        assert spy.queue.get_nowait() is CLOSE and spy.close_code == 1008
        assert mine.queue.get_nowait() == "secret"
        assert hub.subscribe("c", ("b", "")) is None  # after the start: refused at once

    asyncio.run(scenario())


def test_a_subscriber_that_falls_behind_is_closed_not_buffered() -> None:
    async def scenario() -> None:
        hub = Hub()
        slow = hub.subscribe("c", ("a", ""), limit=65536)
        assert slow is not None
        hub.claim(hub.channel("c"), "a", "")
        frame = "x" * 10_000
        for _ in range(100):  # 1 MB offered to a subscriber that reads nothing
            hub.publish("c", frame)
        assert slow.ended and slow.close_code == 1008 and slow.close_reason == SLOW_SUBSCRIBER
        assert slow.queued_bytes == 0 and slow.queue.qsize() == 1  # the backlog is dropped: just the close
        assert await slow.next() is CLOSE

    asyncio.run(scenario())


def test_slow_subscriber_socket_is_closed_with_1008() -> None:
    with make_client(streaming_send_buffer_bytes=65536, streaming_playback="instant") as client:
        token = token_for(client)
        with client.websocket_connect(f"/v1/subscribe/slow?access_token={token}") as sub:
            with client.websocket_connect(f"/v1/streaming/slow?access_token={token}") as speaker:
                # Each start of the looping transcript publishes it all at once: far past 64 KB unread.
                speaker.send_text(start_frame(mockTranscript="support-call"))
                receive_until(speaker, is_kind("message:recognition_started"))
                hub = client.app.state.services.hub  # type: ignore[attr-defined]
                chan = hub.find("slow")
                subscriber = next(iter(chan.subscribers), None) if chan else None
                if subscriber is not None:  # not yet closed by the pump: overflow it directly
                    for _ in range(20):
                        hub.publish("slow", "y" * 8192)
                codes = []
                try:
                    for _ in range(10_000):
                        sub.receive_text()
                except WebSocketDisconnect as exc:
                    codes.append(exc.code)
                assert codes == [1008]


@pytest.mark.parametrize(
    "frame",
    [
        '{"type": "start_request", "meetingTitle": "\\ud800", "config": {}}',
        '{"type": "start_request", "config": {"meetingTitle": "ok \\udfff"}}',
        '{"type": "start_request", "speaker": {"name": "\\ud83d"}}',
    ],
)
def test_lone_surrogates_in_start_request_are_an_error_not_a_traceback(
    client: TestClient, token: str, frame: str
) -> None:
    with client.websocket_connect(f"/v1/streaming/sur?access_token={token}") as ws:
        ws.send_text(frame)
        error = json.loads(ws.receive_text())
        assert error["type"] == "message" and error["message"]["type"] == "error"
        assert "not valid Unicode" in error["message"]["message"]
        ws.send_text(start_frame())  # the socket is still usable
        assert kind(receive_until(ws, is_kind("message:recognition_started"))[-1]).endswith("started")
    listed = client.get("/v1/conversations", headers={"x-api-key": token})
    assert listed.status_code == 200
    assert all("\\ud8" not in json.dumps(c) for c in listed.json()["conversations"])


def test_a_socket_that_never_starts_is_closed() -> None:
    with make_client(streaming_start_timeout_seconds=0.3) as client:
        token = token_for(client)
        with client.websocket_connect(f"/v1/streaming/idle?access_token={token}") as ws:
            error = json.loads(ws.receive_text())
            assert error["message"]["type"] == "error" and "start_request" in error["message"]["message"]
            with pytest.raises(WebSocketDisconnect) as closed:
                ws.receive_text()
            assert closed.value.code == 1008


def test_result_frames_are_split_under_the_frame_budget() -> None:
    entry = {"id": "1", "payload": {"content": "x" * 50_000}}
    responses = protocol.split_response(
        protocol.message_response([entry] * 100, 0), lambda: 1, budget=protocol.RESULT_FRAME_BUDGET
    )
    assert len(responses) > 1
    assert sum(len(r["messages"]) for r in responses) == 100
    assert all(len(protocol.dumps(r)) < 1024 * 1024 for r in responses)
    assert [r["sequenceNumber"] for r in responses] == [0] + [1] * (len(responses) - 1)


def test_a_flood_never_produces_a_result_frame_over_1_mib() -> None:
    """Hours of audio in one go: the message_response frames that come back are each under 1 MiB."""
    with (
        make_client(streaming_max_audio_speed=0) as client,  # no pacing: the audio arrives all at once
        client.websocket_connect(f"/v1/streaming/big?access_token={token_for(client)}") as ws,
    ):
        ws.send_text(start_frame(insightTypes=[]))
        receive_until(ws, is_kind("message:recognition_started"))
        # ~31 s of audio per frame (under the 1 MiB frame limit), 78 minutes in all: without the split, the
        # results that pile up while the first batch is stored come back as one message_response of ~1.3 MB.
        for _ in range(150):
            ws.send_bytes(pcm(240.0)[:1_000_000])
        ws.send_text(json.dumps({"type": "stop_request"}))
        sizes = []
        messages = 0
        while True:
            text = ws.receive_text()
            event = json.loads(text)
            if event["type"] == "message_response":
                sizes.append(len(text.encode()))
                messages += len(event["messages"])
            if is_kind("message:recognition_stopped")(event):
                break
    assert messages > 100
    assert max(sizes) < 1024 * 1024
