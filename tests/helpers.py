"""Small test helpers shared by the areas' tests."""

from __future__ import annotations

import time
from typing import Any

from fastapi.testclient import TestClient

SAMPLE_MESSAGES: list[dict[str, Any]] = [
    {
        "payload": {"content": "Hi everyone. Can you send me the pricing proposal by Friday?"},
        "from": {"name": "Alice", "userId": "alice@example.com"},
    },
    {
        "payload": {"content": "Sure, I will send it to you by Friday. Let's schedule a call next week."},
        "from": {"name": "Bob", "userId": "bob@example.com"},
    },
]


def token_for(client: TestClient, app_id: str = "app-one", secret: str = "secret") -> str:
    response = client.post(
        "/oauth2/token:generate", json={"type": "application", "appId": app_id, "appSecret": secret}
    )
    assert response.status_code == 200, response.text
    token: str = response.json()["accessToken"]
    return token


def auth_headers(client: TestClient, app_id: str = "app-one") -> dict[str, str]:
    return {"x-api-key": token_for(client, app_id)}


def submit_text(
    client: TestClient, headers: dict[str, str], messages: list[dict[str, Any]] | None = None, **extra: Any
) -> dict[str, str]:
    body = {"messages": messages or SAMPLE_MESSAGES, **extra}
    response = client.post("/v1/process/text", headers=headers, json=body)
    assert response.status_code == 200, response.text
    result: dict[str, str] = response.json()
    return result


def wait_job(client: TestClient, headers: dict[str, str], job_id: str, timeout: float = 10.0) -> str:
    deadline = time.monotonic() + timeout
    while True:
        status: str = client.get(f"/v1/job/{job_id}", headers=headers).json()["status"]
        if status in ("completed", "failed") or time.monotonic() > deadline:
            return status
        time.sleep(0.02)
