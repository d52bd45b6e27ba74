"""A real server on a free port for the SDK tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from mock_symbl.server import MockServer
from tests.conftest import make_settings


@pytest.fixture
def live_server() -> Iterator[MockServer]:
    server = MockServer(
        make_settings(job_progression="time", job_step_seconds=0.05, scheduler_tick_seconds=0.02)
    ).start()
    yield server
    server.stop()
