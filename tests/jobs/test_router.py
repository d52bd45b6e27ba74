"""GET /v1/job/{jobId}."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.helpers import auth_headers, submit_text


def test_shape(client: TestClient, headers: dict[str, str]) -> None:
    job = submit_text(client, headers)["jobId"]
    assert client.get(f"/v1/job/{job}", headers=headers).json() == {"id": job, "status": "completed"}


def test_unknown_job_is_404(client: TestClient, headers: dict[str, str]) -> None:
    response = client.get("/v1/job/9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d", headers=headers)
    assert response.status_code == 404 and "message" in response.json()


def test_other_accounts_job_is_404(client: TestClient, headers: dict[str, str]) -> None:
    job = submit_text(client, headers)["jobId"]
    assert client.get(f"/v1/job/{job}", headers=auth_headers(client, "app-two")).status_code == 404


def test_namespace_isolation(client: TestClient, headers: dict[str, str]) -> None:
    job = submit_text(client, {**headers, "X-Mock-Namespace": "worker-1"})["jobId"]
    assert (
        client.get(f"/v1/job/{job}", headers={**headers, "X-Mock-Namespace": "worker-1"}).status_code == 200
    )
    assert client.get(f"/v1/job/{job}", headers=headers).status_code == 404
    assert (
        client.get(f"/v1/job/{job}", headers={**headers, "X-Mock-Namespace": "worker-2"}).status_code == 404
    )


def test_wrong_method_is_405_in_symbl_shape(client: TestClient, headers: dict[str, str]) -> None:
    response = client.post("/v1/job/x", headers=headers)
    assert response.status_code == 405 and set(response.json()) == {"message"}
