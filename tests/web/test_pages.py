"""Dashboard and admin conversation pages: content comes from the stored bundle, tenants stay apart."""

from __future__ import annotations

import html as htmllib
from collections.abc import Callable

from fastapi.testclient import TestClient

from tests.helpers import auth_headers, submit_text, wait_job
from tests.web.conftest import make_conversation


def page_text(response: object) -> str:
    return htmllib.unescape(response.text)  # type: ignore[attr-defined]


def test_empty_dashboard(client: TestClient) -> None:
    response = client.get("/__admin/ui/")
    assert response.status_code == 200
    assert "No data yet" in response.text
    assert client.get("/__admin/ui").status_code == 200


def test_dashboard_lists_accounts_conversations_and_jobs(
    client: TestClient, headers: dict[str, str], conversation: str
) -> None:
    other = auth_headers(client, "app-two")
    make_conversation(client, other, name="Standup of app two", fixture="standup")
    text = page_text(client.get("/__admin/ui/?account=app-one"))
    assert "app-one" in text and "app-two" in text  # both accounts are offered
    assert "Sales call" in text and conversation in text
    assert "Standup of app two" not in text  # only the chosen account's data
    assert 'class="status status-completed">completed' in text
    text_two = page_text(client.get("/__admin/ui/?account=app-two"))
    assert "Standup of app two" in text_two and "Sales call" not in text_two


def test_dashboard_shows_webhooks_and_journal(client: TestClient, headers: dict[str, str]) -> None:
    result = submit_text(
        client, headers, None, name="Hooked", webhookUrl="http://127.0.0.1:9/never-listening"
    )
    wait_job(client, headers, result["jobId"])
    client.get(f"/v1/job/{result['jobId']}", headers=headers)
    text = page_text(client.get("/__admin/ui/?account=app-one"))
    assert 'id="webhooks"' in text and 'id="journal"' in text
    journal = text.split('id="journal"', 1)[1]
    assert "/v1/job/" in journal and "/v1/process/text" in journal
    webhooks = text.split('id="webhooks"', 1)[1].split('id="journal"', 1)[0]
    assert "never-listening" in webhooks and result["jobId"] in webhooks


def test_namespaces_are_separate_accounts(client: TestClient, headers: dict[str, str]) -> None:
    make_conversation(client, {**headers, "X-Mock-Namespace": "worker-7"}, name="Namespaced")
    text = page_text(client.get("/__admin/ui/"))
    assert "ns: worker-7" in text
    assert "Namespaced" not in page_text(client.get("/__admin/ui/?account=app-one&namespace="))
    assert "Namespaced" in page_text(client.get("/__admin/ui/?account=app-one&namespace=worker-7"))


def test_conversation_page_renders_every_insight(
    client: TestClient, headers: dict[str, str], conversation: str
) -> None:
    response = client.get(f"/__admin/ui/conversations/{conversation}?account=app-one")
    assert response.status_code == 200
    text = page_text(response)
    base = f"/v1/conversations/{conversation}"
    messages = client.get(f"{base}/messages", headers=headers).json()["messages"]
    assert messages and all(m["text"] in text for m in messages)
    assert all(m["from"]["name"] in text for m in messages if m.get("from"))
    for path, key in (
        ("questions", "questions"),
        ("action-items", "actionItems"),
        ("follow-ups", "followUps"),
        ("topics", "topics"),
    ):
        items = client.get(f"{base}/{path}", headers=headers).json()[key]
        for item in items:
            assert item["text"] in text, (path, item["text"])
    entities = client.get(f"{base}/entities", headers=headers)
    if entities.status_code == 200:
        for entity in entities.json()["entities"]:
            for match in entity.get("matches", []):
                assert match["detectedValue"] in text
    trackers = client.get(f"{base}/trackers", headers=headers)
    if trackers.status_code == 200 and trackers.json():
        assert trackers.json()[0]["name"] in text
    for section in (
        "summary",
        "analytics",
        "transcript",
        "topics",
        "insights",
        "trackers",
        "entities",
        "callscore",
        "participants",
    ):
        assert f'id="{section}"' in text, section
    assert text.count("<svg") >= 5  # analytics charts + call score gauge, generated inline
    assert "cdn" not in text.lower() and "https://" not in text  # nothing loaded from outside


def test_conversation_page_of_another_account_is_404(client: TestClient, conversation: str) -> None:
    response = client.get(f"/__admin/ui/conversations/{conversation}?account=app-two")
    assert response.status_code == 404
    assert "not found" in response.text.lower()
    assert client.get("/__admin/ui/conversations/1234?account=app-one").status_code == 404
    # Without ?account= the page opens the conversation in its own account (conversation ids are unique).
    own = client.get(f"/__admin/ui/conversations/{conversation}")
    assert own.status_code == 200 and "Sales call" in own.text
    assert client.get("/__admin/ui/conversations/1234").status_code == 404


def test_html_is_escaped(client: TestClient, headers: dict[str, str]) -> None:
    evil = '<script>alert("x")</script>'
    messages = [
        {"payload": {"content": f"Hello {evil} there."}, "from": {"name": evil, "userId": "e@example.com"}}
    ]
    result = submit_text(client, headers, messages, name=evil)
    wait_job(client, headers, result["jobId"])
    for url in (
        "/__admin/ui/?account=app-one",
        f"/__admin/ui/conversations/{result['conversationId']}?account=app-one",
    ):
        raw = client.get(url).text
        assert evil not in raw and "&lt;script&gt;" in raw


def test_static_files(client: TestClient) -> None:
    css = client.get("/__admin/ui/static/app.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    assert client.get("/__admin/ui/static/app.js").headers["content-type"].startswith("text/javascript")
    assert client.get("/__admin/ui/static/../settings.py").status_code == 404
    assert client.get("/__admin/ui/static/nope.css").status_code == 404


def test_admin_token_guards_the_dashboard(app_factory: Callable[..., TestClient]) -> None:
    client = app_factory(admin_token="s3cret")
    headers = auth_headers(client)
    cid = make_conversation(client, headers)
    assert client.get("/__admin/ui/").status_code == 401
    assert client.get(f"/__admin/ui/conversations/{cid}?account=app-one").status_code == 401
    assert client.get("/__admin/ui/", headers={"x-admin-token": "s3cret"}).status_code == 200
    assert client.get("/__admin/ui/?admin_token=wrong").status_code == 401
    first = client.get("/__admin/ui/?admin_token=s3cret")
    assert first.status_code == 200 and "mock_symbl_admin" in first.headers.get("set-cookie", "")
    # The cookie set by the first visit opens the other pages.
    assert client.get(f"/__admin/ui/conversations/{cid}?account=app-one").status_code == 200


def test_demo_recordings_play_in_the_pages(
    client: TestClient, headers: dict[str, str], conversation: str
) -> None:
    # `mock-symbl demo` records each pack's recording as metadata audioFile (a file under fixtures/audio).
    response = client.put(
        f"/v1/conversations/{conversation}",
        headers=headers,
        json={"metadata": {"audioFile": "audio/sales-call.mp3"}},
    )
    assert response.status_code == 200
    page = client.get(f"/__admin/ui/conversations/{conversation}?account=app-one").text
    assert '<audio id="player"' in page and 'src="/__admin/ui/fixtures/audio/sales-call.mp3"' in page
    media = client.get("/__admin/ui/fixtures/audio/sales-call.mp3")
    assert (
        media.status_code == 200
        and media.headers["content-type"] == "audio/mpeg"
        and len(media.content) > 10_000
    )
    partial = client.get("/__admin/ui/fixtures/audio/sales-call.mp3", headers={"Range": "bytes=0-99"})
    assert partial.status_code == 206 and len(partial.content) == 100  # seeking needs range requests
    for bad in ("../manifest.json", "..%2Fmanifest.json", "nope.mp3", "sales-call.json"):
        assert client.get(f"/__admin/ui/fixtures/audio/{bad}").status_code == 404, bad
    url = client.get(
        f"/v1/conversations/experiences/insights/details/{conversation}", headers=headers
    ).json()["url"]
    assert (
        "/__admin/ui/fixtures/audio/sales-call.mp3" in client.get(url.replace("http://testserver", "")).text
    )


def test_pages_of_unfinished_and_anonymous_conversations(client: TestClient, headers: dict[str, str]) -> None:
    pending = client.post(
        "/v1/process/text",
        headers={**headers, "X-Mock-Job-Progression": "manual"},
        json={"name": "Pending", "messages": [{"payload": {"content": "Hello there."}}]},
    ).json()
    page = client.get(f"/__admin/ui/conversations/{pending['conversationId']}?account=app-one")
    assert page.status_code == 200
    assert "Insights are not computed yet" in page.text and "No messages." in page.text
    anonymous = submit_text(
        client, headers, [{"payload": {"content": "Nobody said who I am. Can you call me back?"}}]
    )
    wait_job(client, headers, anonymous["jobId"])
    page = client.get(f"/__admin/ui/conversations/{anonymous['conversationId']}?account=app-one")
    assert page.status_code == 200
    assert "Unknown speaker" in page.text and "No identified speakers." in page.text
    assert "Can you call me back?" in page_text(page)
