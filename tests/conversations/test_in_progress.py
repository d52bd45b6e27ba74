"""A conversation still in progress answers the same way on every read of its messages and insights.

The documented behaviour (Symbl's summary page: 404 "with a message indicating that it is in progress"),
applied to every such route: never 200 with empty lists on some and 404 on others.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from mock_symbl.conversations.insights_service import MSG_IN_PROGRESS
from tests.helpers import auth_headers, submit_text

READS = [
    ("GET", "messages"),
    ("GET", "messages?verbose=true"),
    ("GET", "insights"),
    ("GET", "questions"),
    ("GET", "action-items"),
    ("GET", "follow-ups"),
    ("GET", "topics"),
    ("GET", "topics?parentRefs=true"),
    ("GET", "entities"),
    ("GET", "analytics"),
    ("GET", "trackers"),
    ("GET", "trackers-detected"),
    ("GET", "intents"),
    ("GET", "summary"),
    ("POST", "summary?refresh=true"),
    ("GET", "callscore"),
    ("GET", "lm-insights"),
]


@pytest.mark.parametrize(("method", "route"), READS)
def test_every_insight_route_answers_404_in_progress(
    app_factory: Callable[..., TestClient], method: str, route: str
) -> None:
    client = app_factory(job_progression="manual")
    headers = auth_headers(client)
    submitted = submit_text(client, headers)
    answer = client.request(
        method, f"/v1/conversations/{submitted['conversationId']}/{route}", headers=headers
    )
    assert answer.status_code == 404, answer.text
    assert answer.json() == {"message": MSG_IN_PROGRESS}
    client.post(f"/__admin/jobs/{submitted['jobId']}/advance", params={"to": "completed"})
    done = client.request(method, f"/v1/conversations/{submitted['conversationId']}/{route}", headers=headers)
    assert done.status_code != 404 or route in ("callscore", "lm-insights"), done.text


def test_transcript_and_labs_routes_too(app_factory: Callable[..., TestClient]) -> None:
    client = app_factory(job_progression="manual")
    headers = auth_headers(client)
    conv = submit_text(client, headers)["conversationId"]
    transcript = client.post(
        f"/v1/conversations/{conv}/transcript", headers=headers, json={"contentType": "text/markdown"}
    )
    assert transcript.status_code == 404 and transcript.json() == {"message": MSG_IN_PROGRESS}
    labs = {**headers, "host": "api-labs.symbl.ai"}
    for route in ("abstract-topics", "comprehensive/action-items"):
        answer = client.get(f"/v1/conversations/{conv}/{route}", headers=labs)
        assert answer.status_code == 404 and answer.json() == {"message": MSG_IN_PROGRESS}


def test_the_conversation_and_its_status_still_answer(app_factory: Callable[..., TestClient]) -> None:
    client = app_factory(job_progression="manual")
    headers = auth_headers(client)
    submitted = submit_text(client, headers)
    conv = submitted["conversationId"]
    assert client.get(f"/v1/conversations/{conv}", headers=headers).status_code == 200
    status = client.get(f"/v1/conversations/{conv}/callscore/status", headers=headers).json()
    assert status == {"jobId": submitted["jobId"], "status": "scheduled"}


def test_an_append_in_progress_hides_the_old_answers_until_done(
    app_factory: Callable[..., TestClient],
) -> None:
    client = app_factory(job_progression="immediate")
    headers = auth_headers(client)
    conv = submit_text(client, headers)["conversationId"]
    assert client.get(f"/v1/conversations/{conv}/messages", headers=headers).status_code == 200
    body = {"messages": [{"payload": {"content": "One more thing."}, "from": {"name": "Ann"}}]}
    put = client.put(
        f"/v1/process/text/{conv}", headers={**headers, "x-mock-job-progression": "manual"}, json=body
    )
    assert put.status_code == 200, put.text
    answer = client.get(f"/v1/conversations/{conv}/questions", headers=headers)
    assert answer.status_code == 404 and answer.json() == {"message": MSG_IN_PROGRESS}
