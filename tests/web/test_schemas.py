"""Experience API answers read strictly as their models; the types the SDKs declare (url: string)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from pydantic import BaseModel

from mock_symbl.web import schemas
from tests.strict import json_types, strict


def test_experience_answers(client: TestClient, headers: dict[str, str], conversation: str) -> None:
    body = {"name": "verbose-text-summary", "summaryURLExpiresIn": 0}
    made = client.post(f"/v1/conversations/{conversation}/experiences", headers=headers, json=body)
    assert strict(schemas.ExperienceResponse, made).name == "verbose-text-summary"
    strict(schemas.UrlResponse, client.get("/v1/conversations/experiences/insights/list", headers=headers))
    details = f"/v1/conversations/experiences/insights/details/{conversation}"
    strict(schemas.UrlResponse, client.get(details, headers=headers))
    media = {"url": "https://example.com/call.mp3"}
    strict(
        schemas.UrlResponse,
        client.put(f"/v1/conversations/{conversation}/experiences/url", headers=headers, json=media),
    )


# Python SDK / symbl_rest ExperienceResponse: {name, url} strings.
SDK_TYPES: list[tuple[type[BaseModel], str, set[str]]] = [
    (schemas.ExperienceResponse, "name", {"string"}),
    (schemas.ExperienceResponse, "url", {"string"}),
    (schemas.UrlResponse, "url", {"string"}),
    (schemas.ExperienceRequest, "summaryURLExpiresIn", {"integer"}),
]


@pytest.mark.parametrize(
    ("model", "field", "declared"), SDK_TYPES, ids=lambda v: getattr(v, "__name__", str(v))
)
def test_declared_types_match_the_sdks(model: type[BaseModel], field: str, declared: set[str]) -> None:
    assert json_types(model, field) == declared
