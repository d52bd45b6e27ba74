"""Shared fixtures: a fresh app on a fresh database per test, tokens, and a real server on a free port."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from mock_symbl.app import create_app
from mock_symbl.settings import Settings
from tests.helpers import auth_headers

pytest_plugins = ["pytester", "tests.ci_skips"]


def make_settings(**overrides: Any) -> Settings:
    """Test settings: private temporary database, immediate jobs, no Labs port."""
    base: dict[str, Any] = {"database": ":memory:", "job_progression": "immediate", "port": 0, "labs_port": 0}
    base.update(overrides)
    return Settings(**base)


@pytest.fixture
def app_factory() -> Iterator[Callable[..., TestClient]]:
    """Build TestClients on fresh apps; all are closed (lifespan ended) after the test."""
    clients: list[TestClient] = []

    def factory(**overrides: Any) -> TestClient:
        client = TestClient(create_app(make_settings(**overrides)))
        client.__enter__()
        clients.append(client)
        return client

    yield factory
    for client in clients:
        client.__exit__(None, None, None)


@pytest.fixture
def client(app_factory: Callable[..., TestClient]) -> TestClient:
    return app_factory()


@pytest.fixture
def headers(client: TestClient) -> dict[str, str]:
    return auth_headers(client, "app-one")
