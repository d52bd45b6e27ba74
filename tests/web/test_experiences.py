"""Experience API: signed page URLs, their options, expiry, validation and tenant isolation."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

from tests.helpers import auth_headers
from tests.web.conftest import make_conversation, path_of


def post_experience(client: TestClient, headers: dict[str, str], cid: str, **body: Any) -> Any:
    return client.post(f"/v1/conversations/{cid}/experiences", headers=headers, json=body)


def open_page(client: TestClient, url: str) -> Any:
    # No API token on purpose: the signed URL must be enough.
    return client.get(path_of(url))


def test_text_summary_url_opens_without_a_token(
    client: TestClient, headers: dict[str, str], conversation: str
) -> None:
    response = post_experience(client, headers, conversation, name="verbose-text-summary")
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "verbose-text-summary"
    assert "/__admin/ui/experience/" in body["url"]
    page = open_page(client, body["url"])
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    html = page.text
    assert "Sales call" in html
    assert 'id="summary"' in html and 'id="transcript"' in html and 'id="insights"' in html
    assert 'data-experience="verbose-text-summary"' in html
    assert "<video" not in html and "<audio" not in html
    summary = client.get(f"/v1/conversations/{conversation}/summary", headers=headers)
    if summary.status_code == 200 and summary.json().get("summary"):
        assert summary.json()["summary"][0]["text"].split(":")[-1].strip()[:30] in html


def test_video_summary_requires_video_url_and_plays_it(
    client: TestClient, headers: dict[str, str], conversation: str
) -> None:
    missing = post_experience(client, headers, conversation, name="video-summary")
    assert missing.status_code == 400
    assert missing.json() == {"message": '"videoUrl" is required'}
    response = post_experience(
        client, headers, conversation, name="video-summary", videoUrl="https://cdn.example.com/m.mp4"
    )
    assert response.status_code == 200
    url = response.json()["url"]
    assert url.endswith("?showVideoSummary=true")
    html = open_page(client, url).text
    assert '<video id="player"' in html and 'src="https://cdn.example.com/m.mp4"' in html


def test_audio_summary_accepts_both_spellings(
    client: TestClient, headers: dict[str, str], conversation: str
) -> None:
    assert post_experience(client, headers, conversation, name="audio-summary").json() == {
        "message": '"audioUrl" is required'
    }
    spelled = post_experience(
        client, headers, conversation, name="audio-summary", audioURL="https://cdn.example.com/b.mp3"
    )
    assert spelled.status_code == 200
    assert "https://cdn.example.com/b.mp3" in open_page(client, spelled.json()["url"]).text
    response = post_experience(
        client, headers, conversation, name="audio-summary", audioUrl="https://cdn.example.com/call.mp3"
    )
    assert response.status_code == 200
    html = open_page(client, response.json()["url"]).text
    assert '<audio id="player"' in html and "https://cdn.example.com/call.mp3" in html
    # Trackers & Analytics UI: tracker matches and analytics charts are shown.
    assert 'id="trackers"' in html and "Pricing" in html
    assert 'id="analytics"' in html and html.count("<svg") >= 4


INVALID_BODIES: list[tuple[dict[str, Any], str]] = [
    ({"name": "bogus"}, '"name" must be one of'),
    ({}, '"name" is required'),
    ({"name": 5}, '"name"'),
    ({"name": "verbose-text-summary", "color": {"background": "red; x: y"}}, '"color.background"'),
    ({"name": "verbose-text-summary", "font": {"family": "x</style><script>"}}, '"font.family"'),
    ({"name": "verbose-text-summary", "logo": "javascript:alert(1)"}, '"logo"'),
    ({"name": "verbose-text-summary", "summaryURLExpiresIn": -1}, '"summaryURLExpiresIn"'),
    ({"name": "verbose-text-summary", "summaryURLExpiresIn": "soon"}, '"summaryURLExpiresIn"'),
    ({"name": "verbose-text-summary", "readOnly": "perhaps"}, '"readOnly"'),
    ({"name": "verbose-text-summary", "disableSummaryURLAuthentication": True}, "not supported"),
    ({"name": "video-summary", "videoUrl": "not a url"}, '"videoUrl"'),
]


def test_validation_errors_are_400_with_a_message(
    client: TestClient, headers: dict[str, str], conversation: str
) -> None:
    for body, fragment in INVALID_BODIES:
        response = client.post(f"/v1/conversations/{conversation}/experiences", headers=headers, json=body)
        assert response.status_code == 400, body
        assert fragment in response.json()["message"], (body, response.json())
    not_json = client.post(
        f"/v1/conversations/{conversation}/experiences",
        headers={**headers, "content-type": "application/json"},
        content=b"{",
    )
    assert not_json.status_code == 400 and "message" in not_json.json()


def test_options_are_honoured(client: TestClient, headers: dict[str, str], conversation: str) -> None:
    response = post_experience(
        client,
        headers,
        conversation,
        name="verbose-text-summary",
        logo="https://assets.example.com/logo.png",
        favicon="https://assets.example.com/favicon.png",
        color={"background": "#0A2136", "topicsFilter": "#FF0000", "insightsFilter": "#00AA55"},
        font={"family": "roboto"},
        readOnly=True,
        enableCustomDomain=True,
        summaryURLExpiresIn="3600",  # numeric strings are accepted (some clients send strings)
    )
    assert response.status_code == 200
    html = open_page(client, response.json()["url"]).text
    assert 'src="https://assets.example.com/logo.png"' in html
    assert '<link rel="icon" href="https://assets.example.com/favicon.png">' in html
    assert "--page-bg: #0A2136" in html and "--topics: #FF0000" in html and "--insights: #00AA55" in html
    assert '--font: "roboto"' in html
    assert 'data-readonly="true"' in html and "contenteditable" not in html


def test_editable_unless_read_only(client: TestClient, headers: dict[str, str], conversation: str) -> None:
    html = open_page(
        client, post_experience(client, headers, conversation, name="verbose-text-summary").json()["url"]
    ).text
    assert 'data-readonly="false"' in html and 'contenteditable="true"' in html


def test_expiry_follows_the_mock_clock(
    client: TestClient, headers: dict[str, str], conversation: str
) -> None:
    clock = client.app.state.services.clock  # type: ignore[attr-defined]
    short = post_experience(
        client, headers, conversation, name="verbose-text-summary", summaryURLExpiresIn=60
    ).json()["url"]
    never = post_experience(
        client, headers, conversation, name="verbose-text-summary", summaryURLExpiresIn=0
    ).json()["url"]
    default = post_experience(client, headers, conversation, name="verbose-text-summary").json()["url"]
    assert open_page(client, short).status_code == 200
    clock.advance(61)
    expired = open_page(client, short)
    assert expired.status_code == 410
    assert "expired" in expired.text.lower()
    assert open_page(client, default).status_code == 200
    clock.advance(2_592_000)
    assert open_page(client, default).status_code == 410
    clock.advance(10 * 365 * 86400)
    assert open_page(client, never).status_code == 200


def test_tampered_or_foreign_links_are_refused(
    client: TestClient, headers: dict[str, str], conversation: str
) -> None:
    url = post_experience(client, headers, conversation, name="verbose-text-summary").json()["url"]
    head, _, signature = url.rpartition(".")
    tampered = client.get(path_of(head + "." + ("A" if signature[0] != "A" else "B") + signature[1:]))
    assert tampered.status_code == 403
    # An API token is not an experience link either.
    token = headers["x-api-key"]
    assert client.get(f"/__admin/ui/experience/{token}").status_code == 403


def test_an_experience_link_is_not_an_api_token(
    client: TestClient, headers: dict[str, str], conversation: str
) -> None:
    url = post_experience(client, headers, conversation, name="verbose-text-summary").json()["url"]
    link_token = url.rsplit("/", 1)[1]
    response = client.get(f"/v1/conversations/{conversation}", headers={"x-api-key": link_token})
    assert response.status_code == 401


def test_unknown_and_foreign_conversations_are_404(
    client: TestClient, headers: dict[str, str], conversation: str
) -> None:
    other = auth_headers(client, "app-two")
    for path in (
        f"/v1/conversations/{conversation}/experiences",
        "/v1/conversations/1234567890123456/experiences",
    ):
        response = client.post(path, headers=other, json={"name": "verbose-text-summary"})
        assert response.status_code == 404
        assert response.json() == {"message": "The conversationId is either invalid or does not exist."}
    assert (
        client.get(
            f"/v1/conversations/experiences/insights/details/{conversation}", headers=other
        ).status_code
        == 404
    )
    assert (
        client.put(
            f"/v1/conversations/{conversation}/experiences/url",
            headers=other,
            json={"url": "https://x.io/a.mp3"},
        ).status_code
        == 404
    )
    namespaced = {**headers, "X-Mock-Namespace": "worker-2"}
    assert post_experience(client, namespaced, conversation, name="verbose-text-summary").status_code == 404


def test_routes_need_a_token(client: TestClient, conversation: str) -> None:
    assert (
        client.post(
            f"/v1/conversations/{conversation}/experiences", json={"name": "verbose-text-summary"}
        ).status_code
        == 401
    )
    assert client.get("/v1/conversations/experiences/insights/list").status_code == 401


def test_deleted_conversation_page_is_404(
    client: TestClient, headers: dict[str, str], conversation: str
) -> None:
    url = post_experience(client, headers, conversation, name="verbose-text-summary").json()["url"]
    assert client.delete(f"/v1/conversations/{conversation}", headers=headers).status_code == 200
    page = open_page(client, url)
    assert page.status_code == 404
    assert "no longer exists" in page.text


def test_public_base_url_is_used(app_factory: Callable[..., TestClient]) -> None:
    client = app_factory(public_base_url="https://mock.example.test:9443/")
    headers = auth_headers(client)
    cid = make_conversation(client, headers)
    url = client.post(
        f"/v1/conversations/{cid}/experiences", headers=headers, json={"name": "verbose-text-summary"}
    ).json()["url"]
    assert url.startswith("https://mock.example.test:9443/__admin/ui/experience/")
    assert client.get(url.replace("https://mock.example.test:9443", "")).status_code == 200


def test_insights_details_and_call_score(
    client: TestClient, headers: dict[str, str], conversation: str
) -> None:
    plain = client.get(f"/v1/conversations/experiences/insights/details/{conversation}", headers=headers)
    assert plain.status_code == 200 and set(plain.json()) == {"url"}
    html = open_page(client, plain.json()["url"]).text
    assert 'data-experience="details"' in html and 'id="entities"' in html and 'id="callscore"' not in html
    scored = client.get(
        f"/v1/conversations/experiences/insights/details/{conversation}?includeCallScore=true",
        headers=headers,
    )
    html = open_page(client, scored.json()["url"]).text
    score = client.get(f"/v1/conversations/{conversation}/callscore", headers=headers)
    assert 'id="callscore"' in html
    if score.status_code == 200:
        for criterion in score.json().get("criteria", []):
            assert criterion["name"] in html
    assert (
        client.get(
            "/v1/conversations/experiences/insights/details/1111222233334444", headers=headers
        ).status_code
        == 404
    )


def test_media_url_update_feeds_the_insights_player(
    client: TestClient, headers: dict[str, str], conversation: str
) -> None:
    bad = client.put(
        f"/v1/conversations/{conversation}/experiences/url", headers=headers, json={"url": "ftp://x"}
    )
    assert bad.status_code == 400 and '"url"' in bad.json()["message"]
    missing = client.put(f"/v1/conversations/{conversation}/experiences/url", headers=headers, json={})
    assert missing.status_code == 400
    ok = client.put(
        f"/v1/conversations/{conversation}/experiences/url",
        headers=headers,
        json={"url": "https://cdn.example.com/v.mp4"},
    )
    assert ok.status_code == 200 and ok.json() == {"url": "https://cdn.example.com/v.mp4"}
    url = client.get(
        f"/v1/conversations/experiences/insights/details/{conversation}", headers=headers
    ).json()["url"]
    assert '<video id="player"' in open_page(client, url).text


def test_insights_list_shows_only_the_callers_conversations(
    client: TestClient, headers: dict[str, str]
) -> None:
    mine = make_conversation(client, headers, name="Mine")
    other = auth_headers(client, "app-two")
    make_conversation(client, other, name="Not mine", fixture="standup")
    response = client.get(
        "/v1/conversations/experiences/insights/list?includeCallScore=true", headers=headers
    )
    assert response.status_code == 200
    page = open_page(client, response.json()["url"])
    assert page.status_code == 200
    assert "Mine" in page.text and "Not mine" not in page.text
    assert '<th class="num">Call score</th>' in page.text  # includeCallScore=true adds the column
    assert "Maria Lopez" in page.text  # participants of each conversation
    link = page.text.split('href="/__admin/ui/experience/', 1)[1].split('"', 1)[0]
    details = client.get("/__admin/ui/experience/" + link)
    assert details.status_code == 200
    assert f'data-conversation-id="{mine}"' in details.text and 'id="callscore"' in details.text


def test_experience_pages_do_not_need_the_admin_token(app_factory: Callable[..., TestClient]) -> None:
    client = app_factory(admin_token="s3cret")
    headers = auth_headers(client)
    cid = make_conversation(client, headers)
    url = client.post(
        f"/v1/conversations/{cid}/experiences", headers=headers, json={"name": "verbose-text-summary"}
    ).json()["url"]
    assert open_page(client, url).status_code == 200
    assert client.get("/__admin/ui/static/app.css").status_code == 200
