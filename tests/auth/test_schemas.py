"""OAuth2 answers read strictly as their models; the types the Go SDK (AuthResp) and symbl_rest declare."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from pydantic import BaseModel

from mock_symbl.auth import schemas
from tests.strict import json_types, strict


def test_token_answers(client: TestClient) -> None:
    body = {"type": "application", "appId": "app-one", "appSecret": "secret"}
    token = strict(schemas.TokenResponse, client.post("/oauth2/token:generate", json=body))
    assert token.expiresIn > 0
    refreshed = client.post("/oauth2/token:refresh", headers={"x-api-key": token.accessToken}, json={})
    assert strict(schemas.RefreshTokenResponse, refreshed).expiresIn == token.expiresIn


SDK_TYPES: list[tuple[type[BaseModel], str, set[str]]] = [
    (schemas.TokenResponse, "accessToken", {"string"}),
    (schemas.TokenResponse, "expiresIn", {"integer"}),  # Go AuthResp.ExpiresIn int (symbl_rest float)
    (schemas.RefreshTokenResponse, "refershToken", {"string"}),
    (schemas.RefreshTokenResponse, "expiresIn", {"integer"}),
]


@pytest.mark.parametrize(
    ("model", "field", "declared"), SDK_TYPES, ids=lambda v: getattr(v, "__name__", str(v))
)
def test_declared_types_match_the_sdks(model: type[BaseModel], field: str, declared: set[str]) -> None:
    assert json_types(model, field) == declared
