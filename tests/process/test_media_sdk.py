"""The official clients against a real server: symbl-rest (AsyncApi) and the Python `symbl` SDK, media routes."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import symbl_rest

from mock_symbl.media.synth import make_mp3, make_mp4, make_wav
from mock_symbl.server import MockServer
from tests.conftest import make_settings

pytestmark = pytest.mark.sdk

CREDS = {"app_id": "a" * 64, "app_secret": "b" * 128}


@pytest.fixture(scope="module")
def server() -> Iterator[MockServer]:
    settings = make_settings(job_progression="time", job_step_seconds=0.05, scheduler_tick_seconds=0.02)
    live = MockServer(settings).start()
    yield live
    live.stop()


def _api(server: MockServer) -> Any:
    cfg = symbl_rest.Configuration()
    cfg.host = server.base_url
    cfg.api_key = {}  # a private key dict: the default configuration's is shared with every copy
    api = symbl_rest.ApiClient(cfg)
    token = symbl_rest.AuthenticationApi(api).generate_token(
        {"type": "application", "appId": "x", "appSecret": "y"}
    )
    cfg.api_key["x-api-key"] = token.access_token
    return api


def _wait(api: Any, job_id: str) -> str:
    jobs = symbl_rest.JobsApi(api)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        status: str = jobs.get_job_status(job_id).status
        if status in ("completed", "failed"):
            return status
        time.sleep(0.05)
    return "timeout"


def _messages(api: Any, conversation_id: str) -> list[Any]:
    result: list[Any] = (
        symbl_rest.ConversationsApi(api).get_messages_by_conversation_id(conversation_id).messages
    )
    return result


def test_symbl_rest_audio_and_video_files(server: MockServer) -> None:
    api = _api(server)
    async_api = symbl_rest.AsyncApi(api)
    created = async_api.add_audio(
        make_wav(20),
        "audio/wav",
        name="REST audio",
        custom_vocabulary=["Northwind", "BrightWave"],
        enable_speaker_diarization=True,
        diarization_speaker_count=2,
        confidence_threshold=0.6,
    )
    assert _wait(api, created.job_id) == "completed"
    first = _messages(api, created.conversation_id)
    assert first and {m._from.name for m in first} <= {"Speaker 1", "Speaker 2"}

    appended = async_api.append_audio(make_mp3(10), "audio/mpeg", created.conversation_id)
    assert appended.conversation_id == created.conversation_id
    assert _wait(api, appended.job_id) == "completed"
    video = async_api.append_video(make_mp4(10), "video/mp4", created.conversation_id)
    assert _wait(api, video.job_id) == "completed"
    assert len(_messages(api, created.conversation_id)) > len(first)

    fresh = async_api.add_video(make_mp4(60), "video/mp4", name="REST video")
    assert _wait(api, fresh.job_id) == "completed"
    assert _messages(api, fresh.conversation_id)

    octet = async_api.add_audio(make_wav(5), "application/octet-stream")  # the client's default type: sniffed
    assert _wait(api, octet.job_id) == "completed"


def test_symbl_rest_urls(server: MockServer) -> None:
    api = _api(server)
    async_api = symbl_rest.AsyncApi(api)
    created = async_api.add_audio_url(
        body={"url": "https://example.com/rest.mp3", "name": "REST url"},
        enable_speaker_diarization=True,
        diarization_speaker_count=3,
    )
    assert _wait(api, created.job_id) == "completed"
    names = {m._from.name for m in _messages(api, created.conversation_id)}
    assert names <= {"Speaker 1", "Speaker 2", "Speaker 3"} and len(names) >= 2
    again = async_api.append_audio_url(
        created.conversation_id, body={"url": "https://example.com/rest-2.mp3"}
    )
    assert _wait(api, again.job_id) == "completed"
    video = async_api.add_video_url(body={"url": "https://example.com/rest.mp4"})
    assert _wait(api, video.job_id) == "completed"
    more = async_api.append_video_url(video.conversation_id, body={"url": "https://example.com/rest-2.mp4"})
    assert _wait(api, more.job_id) == "completed"

    with pytest.raises(symbl_rest.rest.ApiException) as bad:
        async_api.add_audio_url(body={"url": "file:///etc/passwd"})
    assert bad.value.status == 400


@pytest.fixture(scope="module")
def symbl_sdk(server: MockServer) -> Any:
    """The `symbl` package pointed at the server (realtime-and-sdks.md §3.1), job polling sped up."""
    symbl_rest.Configuration()  # make sure the default configuration exists, then move it
    symbl_rest.Configuration._default.host = server.base_url
    import symbl

    # Objects built at `import symbl` copied the default before we moved it (another test may have imported it).
    for facade in (symbl.Audio, symbl.Video, symbl.Text, symbl.Conversations):
        for value in vars(facade).values():
            client = getattr(value, "api_client", None)
            if client is not None:
                client.configuration.host = server.base_url
    sys.modules["symbl.AuthenticationToken"].configuration = None  # fresh token from this server
    sys.modules["symbl.Conversations"].Conversation._Conversation__INTERVAL_TIME_IN_SECONDS = 0.1
    return symbl


def test_symbl_sdk_audio_and_video(symbl_sdk: Any, tmp_path: Path) -> None:
    wav = tmp_path / "call.wav"
    wav.write_bytes(make_wav(30))
    conversation = symbl_sdk.Audio.process_file(file_path=str(wav), credentials=CREDS)
    assert conversation.get_job_status() == "completed"
    messages = conversation.get_messages()
    assert messages.messages

    mp3 = tmp_path / "more.mp3"
    mp3.write_bytes(make_mp3(10))
    appended = symbl_sdk.Audio.append_file(
        file_path=str(mp3),
        conversation_id=conversation.get_conversation_id(),
        credentials=CREDS,
        content_type="audio/mpeg",
    )
    assert appended.get_job_status() == "completed"
    assert len(appended.get_messages().messages) > len(messages.messages)

    mp4 = tmp_path / "demo.mp4"
    mp4.write_bytes(make_mp4(120))
    video = symbl_sdk.Video.process_file(
        file_path=str(mp4), credentials=CREDS, parameters={"name": "SDK video", "customVocabulary": ["Acme"]}
    )
    assert video.get_job_status() == "completed"
    assert video.get_messages().messages
    assert video.get_members().members
    before = len(video.get_messages().messages)
    more = symbl_sdk.Video.append_file(
        file_path=str(mp4), conversation_id=video.get_conversation_id(), credentials=CREDS
    )
    assert more.get_job_status() == "completed"
    assert len(more.get_messages().messages) > before


def test_symbl_sdk_urls(symbl_sdk: Any) -> None:
    audio = symbl_sdk.Audio.process_url(
        payload={"url": "https://example.com/sdk.mp3", "name": "SDK url"},
        credentials=CREDS,
        parameters={"enableSpeakerDiarization": True, "diarizationSpeakerCount": 2},
    )
    assert audio.get_job_status() == "completed"
    assert {m.name for m in audio.get_members().members} == {"Speaker 1", "Speaker 2"}
    appended = symbl_sdk.Audio.append_url(
        payload={"url": "https://example.com/sdk-2.mp3"},
        conversation_id=audio.get_conversation_id(),
        credentials=CREDS,
    )
    assert appended.get_job_status() == "completed"
    video = symbl_sdk.Video.process_url(payload={"url": "https://example.com/sdk.mp4"}, credentials=CREDS)
    assert video.get_job_status() == "completed"
    before = len(video.get_messages().messages)
    assert before
    more = symbl_sdk.Video.append_url(
        payload={"url": "https://example.com/sdk-2.mp4"},
        conversation_id=video.get_conversation_id(),
        credentials=CREDS,
    )
    assert more.get_job_status() == "completed"
    assert len(more.get_messages().messages) > before
