"""The UI in headless Chromium: dashboard, conversation page and every experience page (screenshots kept).

Needs Debian's `chromium` (apt-get install -y chromium): skipped without it locally, a failure under CI=true.
Screenshots go to test-artifacts/screenshots/.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright import sync_api

from mock_symbl.server import MockServer
from tests.conftest import make_settings
from tests.web.conftest import TRACKERS

CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--autoplay-policy=no-user-gesture-required", "--mute-audio",
]  # fmt: skip

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install -y chromium)"),
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield instance
        instance.close()


@pytest.fixture
def server() -> Iterator[MockServer]:
    mock = MockServer(make_settings(port=0, labs_enabled=False)).start()
    yield mock
    mock.stop()


class Api:
    def __init__(self, base: str, app_id: str = "app-one") -> None:
        self.base = base
        self.http = httpx.Client(base_url=base, timeout=20)
        token = self.http.post(
            "/oauth2/token:generate", json={"type": "application", "appId": app_id, "appSecret": "secret"}
        ).json()["accessToken"]
        self.http.headers["x-api-key"] = token

    def conversation(self, server: MockServer, name: str, fixture: str, limit: int | None = None) -> str:
        library = server.services.transcripts
        lines = library.get(fixture).lines[:limit]
        messages = [
            {"payload": {"content": ln.text}, "from": {"name": ln.speaker, "userId": ln.email}}
            for ln in lines
        ]
        body = {"name": name, "messages": messages, "trackers": TRACKERS}
        result = self.http.post("/v1/process/text", json=body).json()
        assert self.http.get(f"/v1/job/{result['jobId']}").json()["status"] == "completed"
        return str(result["conversationId"])

    def experience(self, cid: str, **body: Any) -> str:
        response = self.http.post(f"/v1/conversations/{cid}/experiences", json=body)
        assert response.status_code == 200, response.text
        return str(response.json()["url"])


def open_page(browser: Any, url: str, shot: str, base: str) -> Any:
    page = browser.new_page(viewport={"width": 1360, "height": 900})
    page.errors = []
    outside: list[str] = []
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    page.on(
        "request", lambda req: outside.append(req.url) if not req.url.startswith((base, "data:")) else None
    )
    response = page.goto(url, wait_until="load")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{shot}.png"), full_page=True)
    assert not page.errors, page.errors
    assert not outside, f"requests left the mock: {outside}"
    page.status = response.status if response else None
    return page


def test_dashboard_and_conversation_page(browser: Any, server: MockServer) -> None:
    api = Api(server.base_url)
    cid = api.conversation(server, "Sales call with Acme", "sales-call")
    api.conversation(server, "Weekly standup", "standup", limit=12)
    Api(server.base_url, "app-two").conversation(server, "Support call", "support-call", limit=12)

    page = open_page(browser, server.base_url + "/__admin/ui/", "dashboard", server.base_url)
    assert page.status == 200
    assert page.locator("#accounts .account").count() == 2
    assert page.locator("#conversations-table tbody tr").count() == 2
    assert page.locator("#jobs-table .status-completed").count() == 2
    page.fill("#conversations input.filter", "standup")
    assert page.locator("#conversations-table tbody tr:visible").count() == 1
    page.fill("#conversations input.filter", "")
    page.click("text=Sales call with Acme")
    page.wait_for_load_state("load")
    assert page.locator("h1#conversation-title").inner_text() == "Sales call with Acme"
    page.close()

    page = open_page(
        browser,
        f"{server.base_url}/__admin/ui/conversations/{cid}?account=app-one",
        "conversation",
        server.base_url,
    )
    messages = api.http.get(f"/v1/conversations/{cid}/messages").json()["messages"]
    assert page.locator("#transcript-list .msg").count() == len(messages)
    assert page.locator("#analytics svg").count() >= 4
    box = page.locator("#analytics svg").first.bounding_box()
    assert box and box["width"] > 200 and box["height"] > 30
    topics = page.locator("#topics .chip.topic")
    assert topics.count() > 0
    topics.first.click()
    assert page.locator("#active-filter").is_visible()
    visible = page.locator("#transcript-list .msg:not(.hidden)").count()
    assert 0 < visible < len(messages)
    page.screenshot(path=str(SHOTS / "conversation-topic-filter.png"), full_page=False)
    page.click("#clear-filter")
    assert page.locator("#transcript-list .msg.hidden").count() == 0
    page.fill("#transcript-search", messages[3]["text"][:25])
    assert page.locator("#transcript-list .msg:not(.hidden)").count() >= 1
    page.close()


def test_each_experience_type(browser: Any, server: MockServer) -> None:
    api = Api(server.base_url)
    cid = api.conversation(server, "Customer onboarding", "customer-onboarding")
    own = server.base_url + "/__admin/ui/static/favicon.svg"
    media = server.base_url + "/__admin/ui/static/missing-media"
    cases = {
        "experience-text-summary": {"name": "verbose-text-summary"},
        "experience-video-summary": {"name": "video-summary", "videoUrl": media + ".mp4", "readOnly": True},
        "experience-audio-summary": {
            "name": "audio-summary",
            "audioUrl": media + ".mp3",
            "logo": own,
            "color": {"background": "#0A2136", "topicsFilter": "#FF0000", "insightsFilter": "#7C3AED"},
            "font": {"family": "Georgia"},
        },
    }
    for shot, body in cases.items():
        page = open_page(browser, api.experience(cid, **body), shot, server.base_url)
        assert page.status == 200
        assert page.locator("#transcript-list .msg").count() > 10
        assert page.locator("#summary li").count() >= 1
        kind = body["name"]
        if kind == "video-summary":
            assert page.locator("video#player").count() == 1
            assert page.get_attribute("body", "data-readonly") == "true"
            assert page.locator("[contenteditable]").count() == 0
        elif kind == "audio-summary":
            assert page.locator("audio#player").count() == 1
            assert page.locator("#trackers").is_visible() and page.locator("#analytics svg").count() >= 4
            background = page.evaluate("getComputedStyle(document.body).backgroundColor")
            assert background == "rgb(10, 33, 54)"
            assert "Georgia" in page.evaluate("getComputedStyle(document.body).fontFamily")
            assert page.locator("img.logo").get_attribute("src") == own
            chip = page.locator("#topics .chip.topic").first
            chip.click()
            assert (
                page.evaluate("(el) => getComputedStyle(el).backgroundColor", chip.element_handle())
                == "rgb(255, 0, 0)"
            )
        else:
            assert page.locator("video, audio").count() == 0
            assert page.locator("#conversation-title[contenteditable]").count() == 1
        # Timestamps jump to their message.
        page.locator("#insights .ts.seek").first.click()
        page.close()


def test_insights_ui_and_expired_link(browser: Any, server: MockServer) -> None:
    api = Api(server.base_url)
    cid = api.conversation(server, "Product planning", "product-planning")
    api.http.put(
        f"/v1/conversations/{cid}/experiences/url", json={"url": server.base_url + "/__admin/ui/static/x.mp3"}
    )
    listing = api.http.get("/v1/conversations/experiences/insights/list?includeCallScore=true").json()["url"]
    page = open_page(browser, listing, "insights-list", server.base_url)
    page.click("text=Product planning")
    page.wait_for_load_state("load")
    page.screenshot(path=str(SHOTS / "insights-details.png"), full_page=True)
    assert page.locator("#callscore").is_visible() and page.locator("audio#player").count() == 1
    assert page.locator("#callscore .criteria li").count() >= 1
    page.close()

    short = api.experience(cid, name="verbose-text-summary", summaryURLExpiresIn=30)
    server.services.clock.advance(31)
    page = open_page(browser, short, "experience-expired", server.base_url)
    assert page.status == 410
    assert "expired" in page.locator("h1").inner_text().lower()
    page.close()


def test_swagger_ui_renders_offline(browser: Any, server: MockServer) -> None:
    page = open_page(browser, server.base_url + "/docs", "docs", server.base_url)
    page.wait_for_selector(".swagger-ui .opblock", timeout=15_000)
    assert page.locator(".swagger-ui .opblock").count() > 50
    assert "OAS 3.1" in page.inner_text(".swagger-ui .info")  # Swagger UI 5: reads OpenAPI 3.1
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert any(p.replace("\u200b", "") == "/v1/conversations/{conversationId}/experiences" for p in paths)
    page.screenshot(path=str(SHOTS / "docs.png"))
    page.close()
