"""The live demo console pages (/__admin/ui/live): served, guarded like the dashboard, wired to the fixtures."""

from __future__ import annotations

import html as htmllib
import re
from collections.abc import Callable

from fastapi.testclient import TestClient


def test_live_page_offers_every_fixture_recording_with_its_transcript(client: TestClient) -> None:
    response = client.get("/__admin/ui/live")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    text = htmllib.unescape(response.text)
    assert 'data-mode="speaker"' in text
    # Deferred scripts run in document order: each uses what the one before it defines.
    tags = [
        f'<script src="/__admin/ui/static/{name}" defer>'
        for name in ("live-view.js", "live-audio.js", "live.js")
    ]
    positions = [text.find(tag) for tag in tags]
    assert -1 not in positions and positions == sorted(positions)
    options = re.findall(
        r'<option value="([^"]+)" data-url="([^"]+)" data-title="[^"]+" data-transcript="([^"]*)"', text
    )
    names = {name for name, _, _ in options}
    assert {"standup", "sales-call", "support-call"} <= names
    for name, url, transcript in options:
        # The recording's own transcript (manifest.json, by sha256) so the words follow the audio played.
        assert transcript == f"{name}.audio"
        assert client.get(url).status_code == 200
    scripts = re.findall(r'<option value="([a-z-]+)">\1</option>', text)
    assert "standup" in scripts  # the microphone source can pick a library transcript
    assert '<option value="16000" selected>' in text


def test_subscriber_page_and_invalid_connection_id(client: TestClient) -> None:
    response = client.get("/__admin/ui/live/SFhZUUJWRjZLMlM4=")
    assert response.status_code == 200
    assert 'data-mode="subscriber"' in response.text
    assert 'data-connection-id="SFhZUUJWRjZLMlM4="' in response.text
    assert 'id="toggle"' not in response.text  # read-only: no start/stop
    bad = client.get("/__admin/ui/live/" + "x" * 129)
    assert bad.status_code == 400
    assert "Invalid connection id" in bad.text
    assert client.get("/__admin/ui/live/a%3Cscript%3E").status_code == 400


def test_live_scripts_are_served_from_the_package(client: TestClient) -> None:
    for name in ("live-view.js", "live-audio.js", "live.js", "pcm-worklet.js"):
        response = client.get(f"/__admin/ui/static/{name}")
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/javascript")
    worklet = client.get("/__admin/ui/static/pcm-worklet.js").text
    assert 'registerProcessor("pcm-downsampler"' in worklet


def test_live_pages_need_the_admin_token_when_one_is_set(app_factory: Callable[..., TestClient]) -> None:
    guarded = app_factory(admin_token="s3cret")
    for path in ("/__admin/ui/live", "/__admin/ui/live/abc-123"):
        assert guarded.get(path).status_code == 401
        assert guarded.get(path, headers={"X-Admin-Token": "s3cret"}).status_code == 200
