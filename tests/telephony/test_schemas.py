"""Telephony answers read strictly as their models; the types the REST client (symbl_rest) declares."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from pydantic import BaseModel

from mock_symbl.app import create_app
from mock_symbl.auth.service import issue_token
from mock_symbl.settings import Settings
from mock_symbl.telephony import schemas
from tests.strict import json_types, strict

PSTN = {"operation": "start", "endpoint": {"type": "pstn", "phoneNumber": "14155550100"}}


@pytest.fixture
def client() -> Iterator[TestClient]:
    settings = Settings(database=":memory:", telephony_speed=40, streaming_insights_seconds=0)
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def test_start_event_stop(client: TestClient) -> None:
    headers = {"x-api-key": issue_token(client.app.state.services, "acct")[0]}  # type: ignore[attr-defined]
    start = client.post("/v1/endpoint:connect", json=PSTN, headers=headers)
    started = strict(schemas.ConnectResponse, start, 201)
    assert started.summaryInfo is None and "summaryInfo" not in start.json()  # left out, not null
    event = {"type": "started_speaking", "user": {"userId": "a@example.com", "name": "A"}}
    accepted = client.post(f"/v1/event/{started.connectionId}", json=event, headers=headers)
    assert strict(schemas.EventAccepted, accepted) == schemas.EventAccepted() and accepted.json() == {}
    stop = {"operation": "stop", "connectionId": started.connectionId}
    stopped = strict(schemas.ConnectResponse, client.post("/v1/endpoint:connect", json=stop, headers=headers))
    assert stopped.summaryInfo and stopped.summaryInfo[0].url.endswith(f"/{started.conversationId}/summary")


# symbl_rest EndpointConnectResponse, SummaryInfo and UserTrunc: strings and lists only.
SDK_TYPES: list[tuple[type[BaseModel], str, set[str]]] = [
    *[
        (schemas.ConnectResponse, f, {"string"})
        for f in ("connectionId", "eventUrl", "resultWebSocketUrl", "conversationId")
    ],
    (schemas.ConnectResponse, "summaryInfo", {"array"}),
    (schemas.SummaryInfo, "url", {"string"}),
    (schemas.SummaryInfo, "user", {"object"}),
    *[(schemas.SummaryUser, f, {"string"}) for f in ("id", "userId", "name", "role")],
]


@pytest.mark.parametrize(
    ("model", "field", "declared"), SDK_TYPES, ids=lambda v: getattr(v, "__name__", str(v))
)
def test_declared_types_match_the_sdks(model: type[BaseModel], field: str, declared: set[str]) -> None:
    assert json_types(model, field) == declared
