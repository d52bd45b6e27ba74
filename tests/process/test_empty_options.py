"""An empty optional text option means "not set" on every Async route (issue 13, point 3).

The docs' example bodies for the four Async URL routes carry `"webhookUrl": ""`; the Go SDK sends
`webhookUrl=` on POST /v1/process/audio whenever sentiment is on. Neither may be refused, and neither may
leave a webhook behind.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from mock_symbl.media.synth import make_mp4, make_wav
from tests.helpers import SAMPLE_MESSAGES, auth_headers

AUDIO_URL = "https://symbltestdata.s3.us-east-2.amazonaws.com/sample_audio_file.wav"
VIDEO_URL = "https://symbltestdata.s3.us-east-2.amazonaws.com/sample_video_file.mp4"
# The docs' example body of PUT /v1/process/audio/url (symbl-docs put-audio-url.md), trackers left out.
DOCS_BODY: dict[str, Any] = {
    "customVocabulary": ["Platform", "Discussion", "Targets"],
    "confidenceThreshold": 0.6,
    "detectPhrases": True,
    "name": "Business Meeting",
    "webhookUrl": "",
    "entities": [
        {"customType": "Company Executives", "value": "Marketing director", "text": "Marketing director"}
    ],
    "detectEntities": True,
    "languageCode": "en-US",
    "mode": "phone",
    "enableSeparateRecognitionPerChannel": True,
    "channelMetadata": [],
}


def _job(client: TestClient, answer: Any) -> dict[str, Any]:
    assert answer.status_code in (200, 201), answer.text
    job: dict[str, Any] = client.get(f"/__admin/jobs/{answer.json()['jobId']}").json()
    return job


def _no_webhook(client: TestClient, answer: Any) -> None:
    job = _job(client, answer)
    assert job["webhookUrl"] is None
    assert client.get("/__admin/webhooks", params={"jobId": job["id"]}).json()["deliveries"] == []


@pytest.fixture
def setup(client: TestClient) -> tuple[TestClient, dict[str, str], str]:
    headers = auth_headers(client)
    conv = client.post("/v1/process/text", headers=headers, json={"messages": SAMPLE_MESSAGES}).json()
    return client, headers, conv["conversationId"]


def test_text_body_and_query(setup: tuple[TestClient, dict[str, str], str]) -> None:
    client, headers, conv = setup
    body = {"messages": SAMPLE_MESSAGES, "webhookUrl": "", "name": "", "conversationType": ""}
    _no_webhook(client, client.post("/v1/process/text", headers=headers, json=body))
    _no_webhook(
        client,
        client.post("/v1/process/text?webhookUrl=", headers=headers, json={"messages": SAMPLE_MESSAGES}),
    )
    _no_webhook(client, client.put(f"/v1/process/text/{conv}", headers=headers, json=body))
    _no_webhook(
        client,
        client.put(
            f"/v1/process/text/{conv}?webhookUrl=%20", headers=headers, json={"messages": SAMPLE_MESSAGES}
        ),
    )


def test_an_empty_name_leaves_the_default_name(setup: tuple[TestClient, dict[str, str], str]) -> None:
    client, headers, _ = setup
    made = client.post(
        "/v1/process/text", headers=headers, json={"messages": SAMPLE_MESSAGES, "name": ""}
    ).json()
    found = client.get(f"/v1/conversations/{made['conversationId']}", headers=headers).json()
    assert found["name"] == made["conversationId"]  # Symbl's default name: the conversation id


def test_the_docs_example_bodies_on_the_four_url_routes(
    setup: tuple[TestClient, dict[str, str], str],
) -> None:
    client, headers, _ = setup
    audio = client.post("/v1/process/audio/url", headers=headers, json={**DOCS_BODY, "url": AUDIO_URL})
    _no_webhook(client, audio)
    conv = audio.json()["conversationId"]
    _no_webhook(
        client,
        client.put(f"/v1/process/audio/url/{conv}", headers=headers, json={**DOCS_BODY, "url": AUDIO_URL}),
    )
    video = client.post("/v1/process/video/url", headers=headers, json={**DOCS_BODY, "url": VIDEO_URL})
    _no_webhook(client, video)
    conv = video.json()["conversationId"]
    _no_webhook(
        client,
        client.put(f"/v1/process/video/url/{conv}", headers=headers, json={**DOCS_BODY, "url": VIDEO_URL}),
    )


def test_file_routes_with_empty_query_options(setup: tuple[TestClient, dict[str, str], str]) -> None:
    client, headers, _ = setup
    query = (
        "?webhookUrl=&name=&languageCode=&mode=&timezoneOffset=&enableSpeakerDiarization=&customVocabulary="
    )
    wav = {**headers, "content-type": "audio/wav"}
    audio = client.post(f"/v1/process/audio{query}", headers=wav, content=make_wav(1))
    _no_webhook(client, audio)
    _no_webhook(
        client,
        client.put(
            f"/v1/process/audio/{audio.json()['conversationId']}{query}", headers=wav, content=make_wav(1)
        ),
    )
    mp4 = {**headers, "content-type": "video/mp4"}
    _no_webhook(client, client.post(f"/v1/process/video{query}", headers=mp4, content=make_mp4(1)))


def test_a_webhook_that_is_set_still_counts_and_a_bad_one_is_400(
    setup: tuple[TestClient, dict[str, str], str],
) -> None:
    client, headers, _ = setup
    body = {"messages": SAMPLE_MESSAGES, "webhookUrl": "https://example.com/hook"}
    assert (
        _job(client, client.post("/v1/process/text", headers=headers, json=body))["webhookUrl"]
        == body["webhookUrl"]
    )
    bad = client.post("/v1/process/text", headers=headers, json={**body, "webhookUrl": "not a url"})
    assert bad.status_code == 400 and "webhookUrl" in bad.json()["message"]
    bad_query = client.post(
        "/v1/process/audio?webhookUrl=ftp://x",
        headers={**headers, "content-type": "audio/wav"},
        content=make_wav(1),
    )
    assert bad_query.status_code == 400
