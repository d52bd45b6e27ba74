"""POST/PUT /v1/process/audio and /v1/process/video with real media bytes, through HTTP."""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from mock_symbl.clock import parse_iso
from mock_symbl.media.synth import make_flac, make_mp3, make_mp4, make_wav
from mock_symbl.transcripts.library import TranscriptLibrary
from tests.helpers import auth_headers, submit_text
from tests.process.media_support import job_status, member_names, messages, ok, upload


def _span(msgs: list[dict[str, object]]) -> float:
    return (parse_iso(str(msgs[-1]["endTime"])) - parse_iso(str(msgs[0]["startTime"]))).total_seconds()


@pytest.mark.parametrize(
    ("data", "content_type"),
    [
        (make_wav(20), "audio/wav"),
        (make_wav(20), "audio/wave"),
        (make_wav(20), None),
        (make_mp3(20), "audio/mpeg"),
        (make_mp3(20), "audio/mp3"),
        (make_mp3(20), "application/octet-stream"),
        (make_mp3(20), ""),
        (make_flac(20), None),  # not a documented Content-Type, but a documented format: detected
        (make_mp4(20, brand=b"M4A ", audio=True), "application/octet-stream"),
    ],
)
def test_audio_upload_produces_a_transcript_scaled_to_the_media(
    client: TestClient, headers: dict[str, str], data: bytes, content_type: str | None
) -> None:
    created = ok(upload(client, headers, data, content_type))
    assert job_status(client, headers, created["jobId"]) == "completed"
    msgs = messages(client, headers, created["conversationId"])
    assert 2 <= len(msgs) <= 20  # 20 seconds hold a few lines, not a whole meeting
    assert _span(msgs) <= 20.0 + 1e-3
    assert _span(msgs) >= 15.0
    assert all(m["from"].get("name") for m in msgs)


def test_longer_media_gives_more_of_the_conversation(client: TestClient, headers: dict[str, str]) -> None:
    short, full = make_mp4(30.0), make_mp4(1200.0)
    short_id = ok(upload(client, headers, short, "video/mp4", "/v1/process/video"))["conversationId"]
    full_id = ok(upload(client, headers, full, "video/mp4", "/v1/process/video"))["conversationId"]
    short_msgs, full_msgs = messages(client, headers, short_id), messages(client, headers, full_id)
    assert len(full_msgs) >= 40 > 15 >= len(short_msgs)  # 30 s hold a few lines, 20 min the whole meeting
    assert _span(short_msgs) <= 30.0
    assert 1100.0 <= _span(full_msgs) <= 1200.0  # stretched over the whole 20 minutes


def test_same_media_same_transcript_across_servers(app_factory: Callable[..., TestClient]) -> None:
    data = make_wav(45)
    texts = []
    for _ in range(2):
        client = app_factory()
        headers = auth_headers(client)
        created = ok(upload(client, headers, data))
        texts.append(
            [(m["text"], m["from"]["name"]) for m in messages(client, headers, created["conversationId"])]
        )
    assert texts[0] == texts[1]


def test_multipart_upload_uses_the_file_part_and_its_name(
    client: TestClient, headers: dict[str, str]
) -> None:
    response = client.post(
        "/v1/process/audio", headers=headers, files={"file": ("weekly-sync.mp3", make_mp3(10), "audio/mpeg")}
    )
    created = ok(response)
    conv = client.get(f"/v1/conversations/{created['conversationId']}", headers=headers).json()
    assert conv["name"] == "weekly-sync.mp3"
    assert messages(client, headers, created["conversationId"])


def test_video_upload(client: TestClient, headers: dict[str, str]) -> None:
    created = ok(
        upload(client, headers, make_mp4(240.0), "video/mp4", "/v1/process/video", params={"name": "Demo"})
    )
    assert job_status(client, headers, created["jobId"]) == "completed"
    msgs = messages(client, headers, created["conversationId"])
    assert len(msgs) >= 40
    conv = client.get(f"/v1/conversations/{created['conversationId']}", headers=headers).json()
    assert conv["name"] == "Demo"


def test_insights_come_from_the_engine_for_media(client: TestClient, headers: dict[str, str]) -> None:
    created = ok(upload(client, headers, make_mp4(300.0), "video/mp4", "/v1/process/video"))
    cid = created["conversationId"]
    questions = client.get(f"/v1/conversations/{cid}/questions", headers=headers).json()["questions"]
    by_id = {m["id"]: m["text"] for m in messages(client, headers, cid)}
    assert questions
    for question in questions:  # each is one of the conversation's own sentences, pointing at it
        assert question["messageIds"], question
        assert {by_id[mid] for mid in question["messageIds"]} == {question["text"]}, question


def test_append_audio_continues_a_text_conversation(client: TestClient, headers: dict[str, str]) -> None:
    created = submit_text(client, headers)
    cid = created["conversationId"]
    before = messages(client, headers, cid)
    appended = ok(upload(client, headers, make_wav(30), "audio/wav", f"/v1/process/audio/{cid}", "PUT"))
    assert appended["conversationId"] == cid and appended["jobId"] != created["jobId"]
    after = messages(client, headers, cid)
    assert [m["id"] for m in after[: len(before)]] == [m["id"] for m in before]
    new = after[len(before) :]
    assert new
    assert parse_iso(new[0]["startTime"]) >= parse_iso(before[-1]["endTime"])
    assert {"Alice", "Bob"} < member_names(client, headers, cid)


def test_append_video_then_audio_keeps_the_timeline_in_order(
    client: TestClient, headers: dict[str, str]
) -> None:
    cid = ok(upload(client, headers, make_mp3(15), "audio/mpeg"))["conversationId"]
    ok(upload(client, headers, make_mp4(15), "video/mp4", f"/v1/process/video/{cid}", "PUT"))
    ok(upload(client, headers, make_wav(15), "audio/wav", f"/v1/process/audio/{cid}", "PUT"))
    msgs = messages(client, headers, cid)
    starts = [parse_iso(m["startTime"]) for m in msgs]
    assert starts == sorted(starts)
    assert 40.0 <= _span(msgs) <= 45.0  # three 15-second recordings back to back


def test_registered_transcript_is_used_as_written(client: TestClient, headers: dict[str, str]) -> None:
    library: TranscriptLibrary = client.app.state.services.transcripts  # type: ignore[attr-defined]
    data = make_wav(5)
    library.register("support-call", sha256=hashlib.sha256(data).hexdigest())
    cid = ok(upload(client, headers, data))["conversationId"]
    msgs = messages(client, headers, cid)
    expected = library.get("support-call")
    assert msgs[0]["text"].startswith("Thank you for calling Acme Cloud support")
    assert len(msgs) >= len(expected.lines)  # the whole conversation, not cut to 5 seconds
    assert member_names(client, headers, cid) == {"Kevin O'Brien", "Sarah Chen"}


@pytest.mark.parametrize(
    "params",
    [
        [("customVocabulary", json.dumps(["BrightWave", "Acme Kloud", "Orbit Labs"]))],
        [
            ("customVocabulary", "BrightWave"),
            ("customVocabulary", "Acme Kloud"),
            ("customVocabulary", "Orbit Labs"),
        ],
        [("customVocabulary", "[BrightWave,Acme Kloud,Orbit Labs]")],
    ],
    ids=["json", "repeated", "bracket"],
)
def test_custom_vocabulary_encodings_surface_in_the_transcript(
    client: TestClient, headers: dict[str, str], params: list[tuple[str, str]]
) -> None:
    library: TranscriptLibrary = client.app.state.services.transcripts  # type: ignore[attr-defined]
    data = make_mp4(600)
    library.register("sales-call", sha256=hashlib.sha256(data).hexdigest())
    cid = ok(upload(client, headers, data, "video/mp4", "/v1/process/video", params=params))["conversationId"]
    text = " ".join(m["text"] for m in messages(client, headers, cid))
    assert "BrightWave" in text and "Brightwave" not in text


@pytest.mark.parametrize(("count", "expected"), [("2", 2), ("3", 3), (None, 4)])
def test_diarization_names_speakers_by_number(
    client: TestClient, headers: dict[str, str], count: str | None, expected: int
) -> None:
    library: TranscriptLibrary = client.app.state.services.transcripts  # type: ignore[attr-defined]
    data = make_mp4(600)
    library.register("standup", sha256=hashlib.sha256(data).hexdigest())  # four speakers
    params = {"enableSpeakerDiarization": "true"} | ({"diarizationSpeakerCount": count} if count else {})
    cid = ok(upload(client, headers, data, "video/mp4", "/v1/process/video", params=params))["conversationId"]
    assert member_names(client, headers, cid) == {f"Speaker {i}" for i in range(1, expected + 1)}


def test_separate_channels_take_names_from_channel_metadata(
    client: TestClient, headers: dict[str, str]
) -> None:
    meta = [
        {"channel": 1, "speaker": {"name": "Agent Smith", "email": "smith@example.com"}},
        {"channel": 2, "speaker": {"name": "Caller", "email": "caller@example.com"}},
    ]
    params = {"enableSeparateRecognitionPerChannel": "true", "channelMetadata": json.dumps(meta)}
    cid = ok(upload(client, headers, make_wav(30, channels=2, tone_hz=None), params=params))["conversationId"]
    assert member_names(client, headers, cid) <= {"Agent Smith", "Caller"}
    emails = {m["from"].get("email") for m in messages(client, headers, cid)}
    assert emails <= {"smith@example.com", "caller@example.com"}


def test_parameters_are_accepted_and_kept(client: TestClient, headers: dict[str, str]) -> None:
    params = {
        "name": "Quarterly review",
        "confidenceThreshold": "0.7",
        "languageCode": "en-GB",
        "mode": "phone",
        "enableSummary": "true",
        "detectEntities": "true",
        "detectPhrases": "true",
        "enableAllTrackers": "true",
        "trackers": json.dumps([{"name": "Pricing", "vocabulary": ["price", "budget"]}]),
        "entities": json.dumps([{"customType": "Product", "text": "analytics add-on"}]),
        "features": json.dumps({"featureList": ["insights"]}),
        "metadata": json.dumps({"salesStage": "negotiation", "prospectName": "Northwind"}),
        "parentRefs": "true",  # sent by the Go SDK, ignored
    }
    created = ok(upload(client, headers, make_mp3(30), "audio/mpeg", params=params))
    assert job_status(client, headers, created["jobId"]) == "completed"
    conv = client.get(f"/v1/conversations/{created['conversationId']}", headers=headers).json()
    assert conv["name"] == "Quarterly review"


def test_documented_languages_are_accepted_case_insensitively(
    client: TestClient, headers: dict[str, str]
) -> None:
    for code in ("es-ES", "fr-ca", "JA-JP"):
        ok(upload(client, headers, make_wav(2), params={"languageCode": code}))
    # Diarization is documented for English and Spanish: Spanish is fine.
    ok(
        upload(
            client, headers, make_wav(2), params={"languageCode": "es-US", "enableSpeakerDiarization": "true"}
        )
    )


def test_video_multipart_part_may_leave_its_type_generic(client: TestClient, headers: dict[str, str]) -> None:
    files = {"media": ("clip.mp4", make_mp4(20), "application/octet-stream")}
    created = ok(client.post("/v1/process/video", headers=headers, files=files))
    assert messages(client, headers, created["conversationId"])
    wrong = {"media": ("clip.wav", make_wav(2), "audio/wav")}
    assert client.post("/v1/process/video", headers=headers, files=wrong).status_code == 400


def test_progression_header_applies_to_media_routes(client: TestClient, headers: dict[str, str]) -> None:
    manual = {**headers, "x-mock-job-progression": "manual"}
    created = ok(upload(client, manual, make_wav(2)))
    assert job_status(client, headers, created["jobId"]) == "scheduled"
    url_job = ok(client.post("/v1/process/audio/url", headers=manual, json={"url": "https://e.com/a.wav"}))
    assert job_status(client, headers, url_job["jobId"]) == "scheduled"
    bad = {**headers, "x-mock-job-progression": "warp"}
    assert upload(client, bad, make_wav(2)).status_code == 400


def test_append_audio_to_a_telephony_conversation(app_factory: Callable[..., TestClient]) -> None:
    client = app_factory(telephony_speed=0)  # the call's transcript is played instantly
    headers = auth_headers(client)
    started = client.post(
        "/v1/endpoint:connect",
        headers=headers,
        json={"operation": "start", "endpoint": {"type": "pstn", "phoneNumber": "14155550100"}},
    ).json()
    cid = started["conversationId"]
    client.post(
        "/v1/endpoint:connect",
        headers=headers,
        json={"operation": "stop", "connectionId": started["connectionId"]},
    )
    deadline = time.monotonic() + 5
    while not (before := messages(client, headers, cid)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert before
    ok(upload(client, headers, make_wav(20), "audio/wav", f"/v1/process/audio/{cid}", "PUT"))
    after = messages(client, headers, cid)
    assert [m["id"] for m in after[: len(before)]] == [m["id"] for m in before]
    assert len(after) > len(before)
    assert parse_iso(after[len(before)]["startTime"]) >= parse_iso(before[-1]["endTime"])
