"""Bad input on the audio/video routes: a clear 4xx in Symbl's shape, never a 500, nothing half-written."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from mock_symbl.media.synth import make_mp3, make_mp4, make_wav
from mock_symbl.process.media_service import media_dir
from tests.helpers import auth_headers
from tests.process.media_support import ok, upload


def _count_conversations(client: TestClient, headers: dict[str, str]) -> int:
    return len(
        client.get("/v1/conversations", headers=headers, params={"limit": 1000}).json()["conversations"]
    )


def _conversation(client: TestClient, headers: dict[str, str]) -> str:
    """The test's one good conversation (created on first use), target of the bad appends."""
    listed = client.get("/v1/conversations", headers=headers).json()["conversations"]
    if listed:
        return str(listed[0]["id"])
    return ok(upload(client, headers, make_wav(1)))["conversationId"]


def _assert_clean(client: TestClient, headers: dict[str, str], conversations: int = 0) -> None:
    assert _count_conversations(client, headers) == conversations
    folder: Path = media_dir(client.app.state.services)  # type: ignore[attr-defined]
    assert not folder.exists() or list(folder.iterdir()) == []


def _bad(response: object, status: int = 400, fragment: str = "") -> None:
    assert response.status_code == status, response.text  # type: ignore[attr-defined]
    body = response.json()  # type: ignore[attr-defined]
    assert isinstance(body.get("message"), str) and body["message"]
    assert fragment.lower() in body["message"].lower()


BAD_MEDIA = (
    ("/v1/process/audio", make_wav(1), "text/plain", "not supported"),
    ("/v1/process/audio", make_wav(1), "audio/ogg", "not supported"),
    ("/v1/process/audio", make_wav(1), "application/json", "not supported"),
    ("/v1/process/audio", make_mp3(1), "audio/wav", "not audio/wav"),
    ("/v1/process/audio", make_wav(1), "audio/mpeg", "not audio/mpeg"),
    ("/v1/process/audio", b"this is not audio at all" * 20, "audio/wav", "not audio/wav"),
    ("/v1/process/audio", b"this is not audio at all" * 20, None, "not audio"),
    ("/v1/process/audio", b"\x00" * 2000, "application/octet-stream", "not audio"),
    ("/v1/process/audio", make_wav(3)[:-3000], "audio/wav", "truncated"),
    ("/v1/process/audio", make_wav(3)[:44], "audio/wav", "truncated"),
    ("/v1/process/audio", b"", "audio/wav", "empty"),
    ("/v1/process/audio", b"", None, "empty"),
    ("/v1/process/video", make_mp4(2), None, "video/mp4"),
    ("/v1/process/video", make_mp4(2), "audio/wav", "video/mp4"),
    ("/v1/process/video", make_mp4(2), "application/octet-stream", "video/mp4"),
    ("/v1/process/video", make_wav(2), "video/mp4", "not an MP4"),
    ("/v1/process/video", make_mp4(2)[:-20], "video/mp4", "truncated"),
    ("/v1/process/video", b"", "video/mp4", "empty"),
)


def test_bad_media_is_400(client: TestClient, headers: dict[str, str]) -> None:
    cid = _conversation(client, headers)
    before = client.get(f"/v1/conversations/{cid}/messages", headers=headers).json()["messages"]
    for path, data, content_type, fragment in BAD_MEDIA:
        _bad(upload(client, headers, data, content_type, path), 400, fragment)
        put = path + "/" + _conversation(client, headers)
        _bad(upload(client, headers, data, content_type, put, "PUT"), 400, fragment)
    _assert_clean(client, headers, conversations=1)
    assert client.get(f"/v1/conversations/{cid}/messages", headers=headers).json()["messages"] == before


def test_oversize_body_is_413(app_factory: Callable[..., TestClient]) -> None:
    client = app_factory(max_upload_bytes=10_000)
    headers = auth_headers(client)
    _bad(upload(client, headers, make_wav(2)), 413, "larger")

    def chunks() -> Iterator[bytes]:  # no Content-Length: cut while streaming
        yield make_wav(2)[:8000]
        yield bytes(8000)

    _bad(
        client.post("/v1/process/audio", headers={**headers, "content-type": "audio/wav"}, content=chunks()),
        413,
    )
    _bad(
        client.post("/v1/process/audio", headers=headers, files={"f": ("a.wav", make_wav(2), "audio/wav")}),
        413,
    )
    _assert_clean(client, headers)
    ok(upload(client, headers, make_wav(0.5)))  # under the limit still works


def test_multipart_without_a_file(client: TestClient, headers: dict[str, str]) -> None:
    _bad(client.post("/v1/process/audio", headers=headers, data={"name": "x"}), 400)
    _assert_clean(client, headers)


BAD_PARAMS = (
    {"confidenceThreshold": "1.5"},
    {"confidenceThreshold": "-0.1"},
    {"confidenceThreshold": "high"},
    {"diarizationSpeakerCount": "0"},
    {"diarizationSpeakerCount": "two"},
    {"languageCode": "xx-XX"},
    {"mode": "loud"},
    {"enableSpeakerDiarization": "true", "languageCode": "de-DE"},
    {"channelMetadata": json.dumps([{"channel": 0, "speaker": {"name": "A"}}])},
    {"channelMetadata": "{not json"},
    {"trackers": json.dumps([{"vocabulary": ["x"]}])},
    {"entities": json.dumps([{"customType": "X"}])},
    {"webhookUrl": "ftp://example.com/hook"},
    {"enableSummary": "maybe"},
)


def test_out_of_range_parameters_are_400(client: TestClient, headers: dict[str, str]) -> None:
    for params in BAD_PARAMS:
        _bad(upload(client, headers, make_wav(1), params=params), 400)
        _bad(upload(client, headers, make_mp4(1), "video/mp4", "/v1/process/video", params=params), 400)
        body = {"url": "https://example.com/a.wav", **params}
        _bad(client.post("/v1/process/audio/url", headers=headers, json=body), 400)
    _assert_clean(client, headers)


BAD_URLS = (
    ({"url": "file:///etc/passwd"}, "http or https"),
    ({"url": "ftp://example.com/a.mp3"}, "http or https"),
    ({"url": "example.com/a.mp3"}, "http or https"),
    ({"url": ""}, "url"),
    ({"name": "no url"}, "url"),
    ({"url": 42}, "url"),
    ([{"url": "https://example.com/a.mp3"}], "json object"),
)


def test_bad_url_requests(client: TestClient, headers: dict[str, str]) -> None:
    for body, fragment in BAD_URLS:
        for path in ("/v1/process/audio/url", "/v1/process/video/url"):
            _bad(client.post(path, headers=headers, json=body), 400, fragment)
    _assert_clean(client, headers)


def test_malformed_json_and_empty_url_body(client: TestClient, headers: dict[str, str]) -> None:
    h = {**headers, "content-type": "application/json"}
    _bad(client.post("/v1/process/audio/url", headers=h, content=b"{nope"), 400, "malformed")
    _bad(client.post("/v1/process/video/url", headers=h, content=b""), 400, "url")


@pytest.mark.parametrize(
    ("path", "data", "content_type"),
    [
        ("/v1/process/audio/{cid}", make_wav(1), "audio/wav"),
        ("/v1/process/video/{cid}", make_mp4(1), "video/mp4"),
    ],
)
def test_unknown_conversation_on_put_is_404(
    client: TestClient, headers: dict[str, str], path: str, data: bytes, content_type: str
) -> None:
    _bad(upload(client, headers, data, content_type, path.format(cid="1234567890123456"), "PUT"), 404)
    body = {"url": "https://example.com/a.mp4"}
    for url_path in ("/v1/process/audio/url/1234567890123456", "/v1/process/video/url/1234567890123456"):
        _bad(client.put(url_path, headers=headers, json=body), 404)
    _assert_clean(client, headers)


def test_another_tenants_conversation_is_404(app_factory: Callable[..., TestClient]) -> None:
    client = app_factory()
    mine, theirs = auth_headers(client, "app-one"), auth_headers(client, "app-two")
    cid = ok(upload(client, mine, make_wav(2)))["conversationId"]
    _bad(upload(client, theirs, make_wav(2), path=f"/v1/process/audio/{cid}", method="PUT"), 404)


def test_no_token_is_401(client: TestClient) -> None:
    _bad(upload(client, {}, make_wav(1)), 401)
    _bad(client.post("/v1/process/video/url", json={"url": "https://example.com/a.mp4"}), 401)


def test_concurrency_limit_is_429_on_every_media_route(app_factory: Callable[..., TestClient]) -> None:
    client = app_factory(job_progression="manual", max_concurrent_jobs=2, max_queued_jobs=0)
    headers = auth_headers(client)
    ok(upload(client, headers, make_wav(1)))
    cid = ok(
        client.post("/v1/process/audio/url", headers=headers, json={"url": "https://example.com/a.wav"})
    )["conversationId"]
    attempts = [
        upload(client, headers, make_wav(1)),
        upload(client, headers, make_mp4(1), "video/mp4", "/v1/process/video"),
        upload(client, headers, make_wav(1), path=f"/v1/process/audio/{cid}", method="PUT"),
        client.post("/v1/process/audio/url", headers=headers, json={"url": "https://example.com/b.wav"}),
        client.put(
            f"/v1/process/video/url/{cid}", headers=headers, json={"url": "https://example.com/b.mp4"}
        ),
    ]
    for response in attempts:
        assert response.status_code == 429, response.text
        body = response.json()
        assert body["statusCode"] == 429
        assert "maximum of `2` number of concurrent jobs" in body["message"]
    # Another account has its own limit.
    other = auth_headers(client, "app-two")
    ok(upload(client, other, make_wav(1)))


def test_oversize_url_json_is_413(client: TestClient, headers: dict[str, str]) -> None:
    body = {"url": "https://example.com/a.wav", "name": "x" * (1024 * 1024)}
    _bad(client.post("/v1/process/audio/url", headers=headers, json=body), 413)
    _assert_clean(client, headers)
