"""Insights UI under 50 words (rest.md §5.21): a 400 for the details URL, no link in the list page."""

from __future__ import annotations

from collections.abc import Callable

import httpx
from fastapi.testclient import TestClient

from mock_symbl.web import service
from tests.helpers import auth_headers, submit_text, wait_job
from tests.web.conftest import make_conversation, path_of

SHORT = [{"payload": {"content": "Hi Bob, can you hear me? Yes, loud and clear."}, "from": {"name": "Ann"}}]
MESSAGE = "The Insights UI needs a transcript of at least 50 words; this conversation has 10 words."


def short_conversation(client: TestClient, headers: dict[str, str]) -> str:
    submitted = submit_text(client, headers, SHORT, name="Tiny call")
    assert wait_job(client, headers, submitted["jobId"]) == "completed"
    return submitted["conversationId"]


def details(client: TestClient, headers: dict[str, str], cid: str) -> httpx.Response:
    return client.get(
        f"/v1/conversations/experiences/insights/details/{cid}?includeCallScore=true", headers=headers
    )


def test_details_url_needs_50_words(client: TestClient, headers: dict[str, str]) -> None:
    tiny = short_conversation(client, headers)
    response = details(client, headers, tiny)
    assert response.status_code == 400
    assert response.json() == {"message": MESSAGE}
    long = make_conversation(client, headers)
    given = details(client, headers, long)
    assert given.status_code == 200
    assert set(given.json()) == {"url"}
    page = client.get(path_of(given.json()["url"]))
    assert page.status_code == 200
    assert "Sales call" in page.text and "Not enough transcript" not in page.text


def test_details_url_of_a_conversation_in_progress_is_given(app_factory: Callable[..., TestClient]) -> None:
    client = app_factory(job_progression="manual")
    headers = auth_headers(client)
    submitted = submit_text(client, headers, SHORT)
    response = details(client, headers, submitted["conversationId"])
    assert response.status_code == 200  # the page says it is processing; the count is known afterwards
    page = client.get(path_of(response.json()["url"]))
    assert page.status_code == 200
    assert "Insights are not computed yet" in page.text
    assert "Not enough transcript" not in page.text


def test_list_page_does_not_link_short_conversations(client: TestClient, headers: dict[str, str]) -> None:
    tiny = short_conversation(client, headers)
    long = make_conversation(client, headers, name="Long call")
    url = client.get(
        "/v1/conversations/experiences/insights/list?includeCallScore=true", headers=headers
    ).json()["url"]
    page = client.get(path_of(url))
    assert page.status_code == 200
    assert "Tiny call" in page.text and "10 words: the Insights UI needs at least 50" in page.text
    assert page.text.count('href="/__admin/ui/experience/') == 1  # the long call only
    row = page.text.split("Tiny call", 1)[0].rsplit("<tr", 1)[1]
    assert 'class="too-short"' in row
    # A details link made for the short conversation anyway (e.g. from an older list page) says why not.
    services = client.app.state.services  # type: ignore[attr-defined]
    claims = {"acc": "app-one", "ns": "", "callScore": True, "exp": None}
    forged = client.get(service.EXPERIENCE_PATH + service.details_token_for(services, claims, tiny))
    assert forged.status_code == 400 and "at least 50 words" in forged.text
    ok = client.get(service.EXPERIENCE_PATH + service.details_token_for(services, claims, long))
    assert ok.status_code == 200
    assert "Long call" in ok.text and "at least 50 words" not in ok.text
