"""The live demo console in headless Chromium: microphone (a fake capture device fed from a WAV), kiosk demo
recording, subscriber view, and the audio the page puts on the wire (LINEAR16 at the declared rate).

Needs Debian's `chromium` and the `playwright` package (dev extra). Under CI=true chromium is installed, so these
tests run (a missing browser fails them there instead of skipping). Screenshots go to test-artifacts/screenshots/.
"""

from __future__ import annotations

import math
import os
import shutil
import struct
import time
import wave
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from mock_symbl.server import MockServer
from mock_symbl.streaming.connection import StreamConnection
from tests.conftest import make_settings

CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
TONE_HZ = 440.0
WAV_RATE = 44100

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        CHROMIUM is None and not os.environ.get("CI"),
        reason="chromium is not installed (apt-get install -y chromium)",
    ),
]


def write_tone(path: Path, seconds: int = 3) -> None:
    """A 440 Hz tone (whole cycles, so the fake device's loop is seamless) as 16-bit mono WAV."""
    frames = b"".join(
        struct.pack("<h", int(12000 * math.sin(2 * math.pi * TONE_HZ * i / WAV_RATE)))
        for i in range(WAV_RATE * seconds)
    )
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(WAV_RATE)
        out.writeframes(frames)


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    wav = tmp_path_factory.mktemp("live-audio") / "tone.wav"
    write_tone(wav)
    args = [
        "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--autoplay-policy=no-user-gesture-required",
        "--mute-audio", "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-audio-capture={wav}",
    ]  # fmt: skip
    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=args)
        yield instance
        instance.close()


@pytest.fixture
def server() -> Iterator[MockServer]:
    mock = MockServer(make_settings(port=0, labs_enabled=False)).start()
    yield mock
    mock.stop()


@pytest.fixture
def wire(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """What the speaker sockets receive, server side: (arrival time, bytes) per binary frame, and the handshake."""
    seen: dict[str, Any] = {"frames": [], "subprotocols": [], "paths": [], "queries": []}
    original = StreamConnection.__init__

    def tapped(self: StreamConnection, websocket: Any, *args: Any, **kwargs: Any) -> None:
        original(self, websocket, *args, **kwargs)
        seen["subprotocols"].append(list(websocket.scope.get("subprotocols") or []))
        seen["paths"].append(websocket.scope["path"])
        seen["queries"].append(websocket.scope.get("query_string", b"").decode())
        receive = websocket.receive

        async def recorder() -> Any:
            message = await receive()
            if message.get("bytes") is not None:
                seen["frames"].append((time.monotonic(), message["bytes"]))
            return message

        websocket.receive = recorder

    monkeypatch.setattr(StreamConnection, "__init__", tapped)
    return seen


def api(server: MockServer, app_id: str) -> httpx.Client:
    http = httpx.Client(base_url=server.base_url, timeout=20)
    body = {"type": "application", "appId": app_id, "appSecret": "mock-secret"}
    http.headers["x-api-key"] = http.post("/oauth2/token:generate", json=body).json()["accessToken"]
    return http


def open_page(browser: Browser, server: MockServer, path: str) -> Page:
    page = browser.new_page(viewport={"width": 1360, "height": 900})
    errors: list[str] = []
    outside: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on(
        "request",
        lambda req: (
            None if req.url.startswith((server.base_url, "data:", "blob:")) else outside.append(req.url)
        ),
    )
    page.goto(server.base_url + path, wait_until="load")
    page.checks = (errors, outside)  # type: ignore[attr-defined]
    return page


def finish(page: Page, shot: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{shot}.png"), full_page=True)
    errors, outside = page.checks  # type: ignore[attr-defined]
    assert not errors, errors
    assert not outside, f"requests left the mock: {outside}"
    page.close()


def final_lines(page: Page) -> list[str]:
    return [t.strip() for t in page.locator("#live-transcript li.final .msg-text").all_inner_texts()]


def stop_and_complete(page: Page) -> str:
    page.click("#toggle")
    page.wait_for_selector("#conversation-link:not([hidden])", timeout=20_000)
    assert page.inner_text("#state") == "Completed"
    href = page.get_attribute("#conversation-link", "href") or ""
    cid = page.inner_text("#conversation-id").strip()
    assert href == f"/__admin/ui/conversations/{cid}"
    return cid


def test_microphone_streams_a_conversation(browser: Browser, server: MockServer) -> None:
    page = open_page(browser, server, "/__admin/ui/live")
    assert page.inner_text("#state") == "Idle"
    page.check('input[name="source"][value="mic"]')
    page.select_option("#script", "standup")
    page.fill("#speaker", "Jane Doe")
    page.fill("#app-id", "live-mic")
    page.click("#toggle")
    page.wait_for_selector("#live-transcript li.line.interim", timeout=20_000)  # words arrive as interims...
    page.wait_for_selector("#live-transcript li.final", timeout=20_000)  # ...then the line settles
    page.wait_for_selector("#live-insights li.live-insight", timeout=25_000)
    assert page.inner_text("#state").startswith("Live")
    page.screenshot(path=str(SHOTS / "live-microphone-streaming.png"))
    cid = stop_and_complete(page)

    lines = final_lines(page)
    names = set(page.locator("#live-transcript li.final .who").all_inner_texts())
    assert names == {"Jane Doe"}  # start_request.speaker: one connection carries one speaker
    http = api(server, "live-mic")
    answer = http.get(f"/v1/conversations/{cid}/messages")
    assert answer.status_code == 200, answer.text
    messages = answer.json()["messages"]
    assert [m["text"] for m in messages] == lines
    assert {m["from"]["name"] for m in messages} == {"Jane Doe"}
    questions = http.get(f"/v1/conversations/{cid}/questions").json()["questions"]
    shown = page.locator("#list-question li p").all_inner_texts()
    assert shown and set(shown) <= {q["text"] for q in questions}
    assert http.get(f"/v1/conversations/{cid}").json()["id"] == cid
    finish(page, "live-microphone")


def test_kiosk_demo_recording_and_subscriber_view(browser: Browser, server: MockServer) -> None:
    unknown = open_page(browser, server, "/__admin/ui/live?source=demo&fixture=nope&autostart=1")
    assert "Unknown demo recording “nope”" in unknown.inner_text("#notice")
    assert "standup" in unknown.inner_text("#notice")
    assert unknown.inner_text("#state") == "Idle"  # a kiosk with a typo does not stream something else
    finish(unknown, "live-kiosk-unknown-fixture")

    connection_id = "kiosk-demo-0001"
    viewer = open_page(browser, server, f"/__admin/ui/live/{connection_id}?appId=kiosk")
    viewer.wait_for_function("document.body.dataset.state === 'waiting'", timeout=10_000)
    kiosk = open_page(
        browser,
        server,
        f"/__admin/ui/live?source=demo&fixture=standup&autostart=1&appId=kiosk&connectionId={connection_id}",
    )
    assert "kiosk" in (kiosk.get_attribute("body", "class") or "")
    kiosk.wait_for_function(
        "document.querySelectorAll('#live-transcript li.final').length >= 2", timeout=30_000
    )
    kiosk.wait_for_selector("#live-insights li.live-insight", timeout=20_000)
    viewer.wait_for_selector("#live-insights li.live-insight", timeout=10_000)
    assert kiosk.inner_text("#state") == "Live · Platform team daily stand-up"
    assert viewer.inner_text("#state") == "Live"
    cid = stop_and_complete(kiosk)
    viewer.wait_for_selector("#conversation-link:not([hidden])", timeout=10_000)

    lines = final_lines(kiosk)
    # The recording's own transcript plays, in time with the audio (standup.audio, registered by sha256).
    recording = server.services.transcripts.find("standup.audio")
    assert lines[:2] == [line.text for line in recording.lines[:2]]
    assert final_lines(viewer) == lines  # the subscriber saw the same stream
    assert viewer.inner_text("#conversation-id") == cid
    assert viewer.locator("#live-insights li.live-insight").all_inner_texts() == (
        kiosk.locator("#live-insights li.live-insight").all_inner_texts()
    )
    speakers = kiosk.locator("#live-transcript li.final .who").all_inner_texts()
    assert speakers[:2] == [line.speaker for line in recording.lines[:2]]

    answer = api(server, "kiosk").get(f"/v1/conversations/{cid}/messages")
    assert answer.status_code == 200, answer.text
    messages = answer.json()["messages"]
    assert [m["text"] for m in messages] == lines
    finish(viewer, "live-subscriber")
    finish(kiosk, "live-kiosk")


def dominant_frequency(pcm: bytes, rate: int) -> float:
    samples = struct.unpack(f"<{len(pcm) // 2}h", pcm)
    rising = sum(1 for a, b in zip(samples, samples[1:], strict=False) if a < 0 <= b)
    return rising / (len(samples) / rate)


def test_frames_are_linear16_at_the_declared_rate(
    browser: Browser, server: MockServer, wire: dict[str, Any]
) -> None:
    rate = 24000
    page = open_page(browser, server, f"/__admin/ui/live?source=mic&rate={rate}&autostart=1&appId=rate")
    page.wait_for_function(
        f"window.liveStats && window.liveStats.sentBytes >= {rate * 2 * 4}", timeout=30_000
    )
    stop_and_complete(page)
    stats = page.evaluate("window.liveStats")
    finish(page, "live-rate")

    # The handshake is the Web SDK's: the token only as the subprotocol, on /v1/streaming/{connectionId}.
    assert wire["paths"] == [f"/v1/streaming/{stats['connectionId']}"]
    assert wire["queries"] == [""]
    assert len(wire["subprotocols"][0]) == 1 and wire["subprotocols"][0][0].count(".") == 2  # a JWT

    frames = wire["frames"]
    sizes = [len(data) for _, data in frames]
    total = sum(sizes)
    assert total == stats["sentBytes"] == 2 * stats["outputSamples"]
    assert all(size % 2 == 0 and size <= 8192 for size in sizes)  # whole 16-bit samples, small frames
    assert max(sizes) == rate // 20 * 2  # 50 ms frames
    # Byte count vs duration: samples captured at the context rate, and the wall time the frames took to come.
    declared_seconds = total / (2 * rate)
    assert declared_seconds == pytest.approx(stats["inputSamples"] / stats["contextRate"], abs=0.06)
    wall = frames[-1][0] - frames[0][0] + 0.05
    assert declared_seconds == pytest.approx(wall, rel=0.15)
    # And the samples really are at that rate: the 440 Hz tone of the fake microphone reads as 440 Hz.
    pcm = b"".join(data for _, data in frames)
    assert dominant_frequency(pcm[rate // 2 : -rate // 2], rate) == pytest.approx(TONE_HZ, rel=0.02)
