"""Metric API answers read strictly as their models; the types the REST client (symbl_rest) declares."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from pydantic import BaseModel

from mock_symbl.metric import schemas
from tests.strict import json_types, strict


def test_metric_and_entries(client: TestClient, headers: dict[str, str]) -> None:
    described = strict(schemas.MetricResponse, client.get("/v1/metric/calls", headers=headers))
    assert described.metric.id == "calls" and described.errors == []
    empty = strict(schemas.MetricEntryResponse, client.post("/v1/metric/calls/entry", headers=headers))
    assert empty.metricEntry.value is None and empty.metricEntry.labels == []
    body = {"value": 5, "labels": {"team": "sales"}, "timestamp": "2024-01-02T03:04:05Z"}
    entry = client.post("/v1/metric/calls/entry", headers=headers, json=body)
    read = strict(schemas.MetricEntryResponse, entry)
    assert read.metricEntry.value == 5.0 and read.metricEntry.labels[0].value == "sales"
    assert entry.json()["metricEntry"]["value"] == 5.0  # the client's MetricEntry.value is a float


def test_bad_entries_are_symbl_400s(client: TestClient, headers: dict[str, str]) -> None:
    for body, fragment in (
        ({"value": "5"}, '"value"'),
        ({"value": True}, '"value"'),
        ({"colour": "red"}, '"colour" is not allowed'),
        ({"timestamp": "yesterday"}, "ISO 8601"),
        ({"labels": [{"value": "x"}]}, '"labels[0].key" is required'),
    ):
        response = client.post("/v1/metric/m/entry", headers=headers, json=body)
        assert response.status_code == 400 and fragment in response.json()["message"], (body, response.text)


# symbl_rest models: Metric, MetricEntry (value: float), MetricLabel, Error.
SDK_TYPES: list[tuple[type[BaseModel], str, set[str]]] = [
    *[
        (schemas.Metric, f, {"string"})
        for f in ("id", "type", "unit", "name", "description", "provider", "providerType", "createdOn")
    ],
    *[
        (schemas.MetricEntry, f, {"string"})
        for f in ("id", "metricId", "valueString", "identityId", "timestamp")
    ],
    (schemas.MetricEntry, "value", {"number"}),
    (schemas.MetricEntry, "labels", {"array"}),
    *[(schemas.Label, f, {"string"}) for f in ("key", "value")],
    *[(schemas.MetricError, f, {"string"}) for f in ("code", "message", "url")],
]


@pytest.mark.parametrize(
    ("model", "field", "declared"), SDK_TYPES, ids=lambda v: getattr(v, "__name__", str(v))
)
def test_declared_types_match_the_sdks(model: type[BaseModel], field: str, declared: set[str]) -> None:
    assert json_types(model, field) == declared
