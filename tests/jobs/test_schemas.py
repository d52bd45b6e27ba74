"""Job answers read strictly as their model; the types the Go SDK (JobStatus) and symbl_rest declare."""

from __future__ import annotations

from fastapi.testclient import TestClient

from mock_symbl.jobs import schemas
from tests.helpers import submit_text
from tests.strict import json_types, strict


def test_job_answer(client: TestClient, headers: dict[str, str]) -> None:
    job_id = submit_text(client, headers)["jobId"]
    job = strict(schemas.JobResponse, client.get(f"/v1/job/{job_id}", headers=headers))
    assert job.id == job_id and job.status == "completed"


def test_declared_types_match_the_sdks() -> None:
    # Go JobStatus {ID string, Status string}; symbl_rest JobResponse {id: str, status: str}
    assert json_types(schemas.JobResponse, "id") == json_types(schemas.JobResponse, "status") == {"string"}
