"""POST/PUT /v1/process/{audio,video}/url: offline by default (the URL picks the transcript), fetching on demand."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient

from mock_symbl.media.synth import make_mp4, make_wav
from mock_symbl.transcripts.library import TranscriptLibrary
from tests.helpers import auth_headers
from tests.process.media_support import job_status, member_names, messages, ok
from tests.webhooks.receiver import Receiver, Route, running_receiver

URL = "https://storage.example.com/calls/2024-03-01.mp3"


@pytest.fixture
def media_server() -> Iterator[Receiver]:
    with running_receiver() as r:
        yield r


def _library(client: TestClient) -> TranscriptLibrary:
    library: TranscriptLibrary = client.app.state.services.transcripts  # type: ignore[attr-defined]
    return library


@pytest.mark.parametrize("path", ["/v1/process/audio/url", "/v1/process/video/url"])
def test_offline_url_selects_a_whole_library_transcript(
    client: TestClient, headers: dict[str, str], path: str
) -> None:
    created = ok(client.post(path, headers=headers, json={"url": URL, "name": "March call"}))
    assert job_status(client, headers, created["jobId"]) == "completed"
    msgs = messages(client, headers, created["conversationId"])
    expected = _library(client).choose("url:" + URL)
    assert len(msgs) >= len(expected.lines)
    assert member_names(client, headers, created["conversationId"]) == set(expected.speakers)
    conv = client.get(f"/v1/conversations/{created['conversationId']}", headers=headers).json()
    assert conv["name"] == "March call"


def test_same_url_same_transcript_and_urls_spread(client: TestClient, headers: dict[str, str]) -> None:
    seen = []
    for _ in range(2):
        cid = ok(client.post("/v1/process/audio/url", headers=headers, json={"url": URL}))["conversationId"]
        seen.append([(m["text"], m["from"]["name"]) for m in messages(client, headers, cid)])
    assert seen[0] == seen[1]
    library = _library(client)
    picks = {library.choose(f"url:https://example.com/{i}.mp3").name for i in range(40)}
    assert len(picks) >= 4


def test_registered_url_wins(client: TestClient, headers: dict[str, str]) -> None:
    _library(client).register("interview", url=URL)
    cid = ok(client.post("/v1/process/audio/url", headers=headers, json={"url": URL}))["conversationId"]
    assert member_names(client, headers, cid) == {"Hannah Meyer", "Omar Haddad"}


@pytest.mark.parametrize("where", ["query", "body"])
def test_diarization_in_query_or_body(client: TestClient, headers: dict[str, str], where: str) -> None:
    _library(client).register("product-planning", url=URL)  # four speakers
    flags = {"enableSpeakerDiarization": "true", "diarizationSpeakerCount": "2"}
    if where == "query":
        response = client.post("/v1/process/audio/url", headers=headers, json={"url": URL}, params=flags)
    else:
        body = {"url": URL, "enableSpeakerDiarization": True, "diarizationSpeakerCount": 2}
        response = client.post("/v1/process/audio/url", headers=headers, json=body)
    assert member_names(client, headers, ok(response)["conversationId"]) == {"Speaker 1", "Speaker 2"}


def test_custom_vocabulary_and_channels_in_the_body(client: TestClient, headers: dict[str, str]) -> None:
    _library(client).register("customer-onboarding", url=URL)
    body = {
        "url": URL,
        "customVocabulary": ["StackPoint", "Lumen Health"],
        "enableSeparateRecognitionPerChannel": True,
        "channelMetadata": [
            {"channel": 1, "speaker": {"name": "Onboarding", "email": "onboarding@stackpoint.io"}},
            {"channel": 2, "speaker": {"name": "Customer", "email": "it@lumenhealth.org"}},
        ],
        "enableSummary": True,
        "confidenceThreshold": 0.6,
        "languageCode": "en-US",
    }
    cid = ok(client.post("/v1/process/video/url", headers=headers, json=body))["conversationId"]
    msgs = messages(client, headers, cid)
    text = " ".join(m["text"] for m in msgs)
    assert "StackPoint" in text and "Stackpoint" not in text
    assert member_names(client, headers, cid) == {"Onboarding", "Customer"}


def test_put_url_appends_after_the_last_message(client: TestClient, headers: dict[str, str]) -> None:
    cid = ok(client.post("/v1/process/audio/url", headers=headers, json={"url": URL}))["conversationId"]
    before = messages(client, headers, cid)
    appended = ok(client.put(f"/v1/process/video/url/{cid}", headers=headers, json={"url": URL + "?part=2"}))
    assert appended["conversationId"] == cid
    after = messages(client, headers, cid)
    assert len(after) > len(before)
    assert after[len(before)]["startTime"] >= before[-1]["endTime"]


def test_fetching_uses_the_bytes(app_factory: Callable[..., TestClient], media_server: Receiver) -> None:
    client = app_factory(fetch_media_urls=True, fetch_timeout_seconds=5)
    headers = auth_headers(client)
    data = make_wav(12)
    media_server.routes["/a.wav"] = Route(body=data, headers={"content-type": "audio/wav"})
    media_server.routes["/v.mp4"] = Route(body=make_mp4(600), headers={"content-type": "video/mp4"})
    _library(client).register("support-call", sha256=hashlib.sha256(data).hexdigest())
    created = ok(
        client.post("/v1/process/audio/url", headers=headers, json={"url": media_server.url + "/a.wav"})
    )
    assert job_status(client, headers, created["jobId"]) == "completed"
    assert member_names(client, headers, created["conversationId"]) == {"Kevin O'Brien", "Sarah Chen"}
    assert len(media_server.hits_for("/a.wav")) == 1
    video = ok(
        client.post("/v1/process/video/url", headers=headers, json={"url": media_server.url + "/v.mp4"})
    )
    assert job_status(client, headers, video["jobId"]) == "completed"
    assert len(messages(client, headers, video["conversationId"])) >= 40  # 10 minutes: the whole meeting


FETCH_PROBLEMS = (
    (Route(status=404), "/missing.wav"),
    (Route(body=b"<html>not media</html>", headers={"content-type": "audio/wav"}), "/page.wav"),
    (Route(body=make_wav(3)[:-500]), "/cut.wav"),
    (Route(status=302, headers={"location": "file:///etc/passwd"}), "/evil.wav"),
    (Route(body=make_wav(3), headers={"content-type": "audio/wav"}), "/audio-on-video-route.wav"),
)


def test_fetch_problems_fail_the_job(app_factory: Callable[..., TestClient], media_server: Receiver) -> None:
    client = app_factory(fetch_media_urls=True, fetch_timeout_seconds=5)
    headers = auth_headers(client)
    for route, path in FETCH_PROBLEMS:
        media_server.routes[path] = route
        endpoint = "/v1/process/video/url" if "video" in path else "/v1/process/audio/url"
        created = ok(client.post(endpoint, headers=headers, json={"url": media_server.url + path}))
        assert job_status(client, headers, created["jobId"]) == "failed", path
        assert messages(client, headers, created["conversationId"]) == [], path


def test_unreachable_url_fails_the_job(app_factory: Callable[..., TestClient]) -> None:
    client = app_factory(fetch_media_urls=True, fetch_timeout_seconds=2)
    headers = auth_headers(client)
    created = ok(
        client.post("/v1/process/audio/url", headers=headers, json={"url": "http://127.0.0.1:9/x.wav"})
    )
    assert job_status(client, headers, created["jobId"]) == "failed"


def test_download_starts_at_submission(
    app_factory: Callable[..., TestClient], media_server: Receiver
) -> None:
    from mock_symbl.jobs.service import step_job

    client = app_factory(fetch_media_urls=True, job_progression="manual")
    headers = auth_headers(client)
    data = make_wav(8)
    media_server.routes["/early.wav"] = Route(body=data)
    _library(client).register("standup", sha256=hashlib.sha256(data).hexdigest())
    created = ok(
        client.post("/v1/process/audio/url", headers=headers, json={"url": media_server.url + "/early.wav"})
    )
    assert len(media_server.wait_for("/early.wav", 1, timeout=5)) == 1  # fetched while still `scheduled`
    assert job_status(client, headers, created["jobId"]) == "scheduled"
    services = client.app.state.services  # type: ignore[attr-defined]
    while step_job(services, created["jobId"]):
        pass
    assert job_status(client, headers, created["jobId"]) == "completed"
    assert len(media_server.hits_for("/early.wav")) == 1  # processing used the download, no second fetch
    assert "Alex Novak" in member_names(client, headers, created["conversationId"])
