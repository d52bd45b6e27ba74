"""Scripted results: the next job of a tenant produces queued lines, a fixture, or fails."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.helpers import submit_text


def _messages(client: TestClient, headers: dict[str, str], conversation_id: str) -> list[dict]:
    return client.get(f"/v1/conversations/{conversation_id}/messages", headers=headers).json()["messages"]


def test_scripted_lines_replace_the_processor(client: TestClient, headers: dict[str, str]) -> None:
    queued = client.post(
        "/__admin/results",
        json={
            "account": "app-one",
            "lines": [
                {"speaker": "Dana", "text": "We will ship the beta on Monday."},
                {"speaker": "Eli", "text": "I will send the release notes to the customers."},
            ],
        },
    )
    assert queued.status_code == 201 and queued.json()["queued"] == 1
    scripted = submit_text(client, headers)["conversationId"]
    texts = [m["text"] for m in _messages(client, headers, scripted)]
    assert texts == ["We will ship the beta on Monday.", "I will send the release notes to the customers."]
    speakers = {m["from"]["name"] for m in _messages(client, headers, scripted)}
    assert speakers == {"Dana", "Eli"}
    actions = client.get(f"/v1/conversations/{scripted}/action-items", headers=headers).json()["actionItems"]
    assert any("release notes" in a["text"] for a in actions)  # insights follow the scripted transcript
    normal = submit_text(client, headers)["conversationId"]  # the queue is consumed: the next job is normal
    assert "pricing proposal" in " ".join(m["text"] for m in _messages(client, headers, normal))


def test_scripted_fixture(client: TestClient, headers: dict[str, str]) -> None:
    library = client.app.state.services.transcripts  # type: ignore[attr-defined]
    name = library.names()[0]
    client.post("/__admin/results", json={"account": "app-one", "fixture": name})
    conversation = submit_text(client, headers)["conversationId"]
    transcript = " ".join(m["text"] for m in _messages(client, headers, conversation))
    expected = " ".join(line.text for line in library.get(name).lines)
    assert transcript.split() == expected.split()
    assert {m["from"]["name"] for m in _messages(client, headers, conversation)} == set(
        library.get(name).speakers
    )


def test_scripted_failure(client: TestClient, headers: dict[str, str]) -> None:
    client.post(
        "/__admin/results", json={"account": "app-one", "outcome": "failed", "reason": "Corrupt media"}
    )
    job = submit_text(client, headers)["jobId"]
    assert client.get(f"/v1/job/{job}", headers=headers).json()["status"] == "failed"
    assert client.get(f"/__admin/jobs/{job}").json()["error"] == "Corrupt media"


def test_results_are_per_tenant(client: TestClient, headers: dict[str, str]) -> None:
    client.post("/__admin/results", json={"account": "app-one", "namespace": "w1", "outcome": "failed"})
    job = submit_text(client, headers)["jobId"]  # namespace "" is not w1
    assert client.get(f"/v1/job/{job}", headers=headers).json()["status"] == "completed"
    ns_headers = {**headers, "X-Mock-Namespace": "w1"}
    job = submit_text(client, ns_headers)["jobId"]
    assert client.get(f"/v1/job/{job}", headers=ns_headers).json()["status"] == "failed"


def test_invalid_results_are_refused(client: TestClient) -> None:
    assert client.post("/__admin/results", json={"account": "a"}).status_code == 400
    assert (
        client.post("/__admin/results", json={"account": "a", "fixture": "no-such-fixture"}).status_code
        == 400
    )
    assert client.post("/__admin/results", json={"account": "a", "outcome": "maybe"}).status_code == 400
    client.post("/__admin/results", json={"account": "a", "lines": [{"text": "hi"}]})
    assert len(client.get("/__admin/results").json()["results"]) == 1
    assert client.delete("/__admin/results").json()["results"] == []
