"""Helpers for the audio/video route tests."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient


def upload(
    client: TestClient,
    headers: dict[str, str],
    data: bytes,
    content_type: str | None = "audio/wav",
    path: str = "/v1/process/audio",
    method: str = "POST",
    params: Any = None,
) -> Any:
    h = dict(headers)
    if content_type is not None:
        h["content-type"] = content_type
    return client.request(method, path, headers=h, content=data, params=params)


def ok(response: Any) -> dict[str, str]:
    assert response.status_code == 200, response.text
    body: dict[str, str] = response.json()
    assert set(body) == {"conversationId", "jobId"}
    return body


def messages(client: TestClient, headers: dict[str, str], conversation_id: str) -> list[dict[str, Any]]:
    response = client.get(f"/v1/conversations/{conversation_id}/messages", headers=headers)
    assert response.status_code == 200, response.text
    result: list[dict[str, Any]] = response.json()["messages"]
    return result


def member_names(client: TestClient, headers: dict[str, str], conversation_id: str) -> set[str]:
    response = client.get(f"/v1/conversations/{conversation_id}/members", headers=headers)
    assert response.status_code == 200, response.text
    return {m["name"] for m in response.json()["members"]}


def job_status(client: TestClient, headers: dict[str, str], job_id: str) -> str:
    status: str = client.get(f"/v1/job/{job_id}", headers=headers).json()["status"]
    return status
