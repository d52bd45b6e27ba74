"""Metric API (rest.md §7) over HTTP and through the official symbl_rest client."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
import symbl_rest
from fastapi.testclient import TestClient

from mock_symbl.server import MockServer
from tests.conftest import make_settings
from tests.helpers import auth_headers


def test_get_metric(client: TestClient, headers: dict[str, str]) -> None:
    body = client.get("/v1/metric/calls", headers=headers).json()
    assert body["errors"] == []
    assert set(body["metric"]) == {
        "id",
        "type",
        "unit",
        "name",
        "description",
        "provider",
        "providerType",
        "createdOn",
    }
    assert body["metric"]["id"] == "calls"


def test_post_entry(client: TestClient, headers: dict[str, str]) -> None:
    entry = {"value": 3.5, "labels": [{"key": "env", "value": "ci"}], "timestamp": "2024-01-02T03:04:05Z"}
    response = client.post("/v1/metric/calls/entry", headers=headers, json=entry)
    assert response.status_code == 200
    stored = response.json()["metricEntry"]
    assert stored["metricId"] == "calls" and stored["value"] == 3.5
    assert stored["labels"] == [{"key": "env", "value": "ci"}]
    assert stored["timestamp"] == "2024-01-02T03:04:05.000Z"
    assert "1 entries" in client.get("/v1/metric/calls", headers=headers).json()["metric"]["description"]
    assert (
        "0 entries"
        in client.get("/v1/metric/calls", headers=auth_headers(client, "app-two")).json()["metric"][
            "description"
        ]
    )


def test_entry_validation(client: TestClient, headers: dict[str, str]) -> None:
    for body in [{"value": "high"}, {"labels": "x"}, {"timestamp": "yesterday"}, {"unknown": 1}, [1, 2]]:
        assert client.post("/v1/metric/calls/entry", headers=headers, json=body).status_code == 400, body


def test_requires_token(client: TestClient) -> None:
    assert client.get("/v1/metric/calls").status_code == 401


@pytest.fixture
def server() -> Iterator[MockServer]:
    running = MockServer(make_settings(labs_enabled=False)).start()
    yield running
    running.stop()


@pytest.mark.sdk
def test_symbl_rest_metric_api(server: MockServer) -> None:
    generated = httpx.post(
        f"{server.base_url}/oauth2/token:generate",
        json={"type": "application", "appId": "app-one", "appSecret": "s"},
    )
    token = generated.json()["accessToken"]
    config = symbl_rest.Configuration()
    config.host = server.base_url
    config.api_key["x-api-key"] = token
    api = symbl_rest.MetricApi(symbl_rest.ApiClient(config))
    api.api_client.set_default_header("x-api-key", token)
    metric = api.get_metric_by_id("latency")
    assert metric.metric.id == "latency" and metric.metric.type == "counter"
    entry = api.add_metric_entry("latency", body=symbl_rest.MetricEntryCreate())
    assert entry.metric_entry.metric_id == "latency"
