"""The pure job lifecycle."""

from __future__ import annotations

import pytest

from mock_symbl import job_lifecycle as lifecycle
from mock_symbl.job_lifecycle import JobStatus


def test_success_path() -> None:
    assert lifecycle.next_status("scheduled") == JobStatus.IN_PROGRESS
    assert lifecycle.next_status("in_progress") == JobStatus.COMPLETED
    assert lifecycle.next_status("completed") is None
    assert lifecycle.next_status("failed") is None


def test_terminal() -> None:
    assert lifecycle.is_terminal("completed") and lifecycle.is_terminal("failed")
    assert not lifecycle.is_terminal("scheduled") and not lifecycle.is_terminal("in_progress")


def test_unknown_status_is_rejected() -> None:
    with pytest.raises(ValueError):
        lifecycle.next_status("COMPLETED")


def test_due_by_time() -> None:
    assert lifecycle.due_by_time(progression="time", due_at=10.0, now=10.0)
    assert not lifecycle.due_by_time(progression="time", due_at=10.5, now=10.0)
    assert lifecycle.due_by_time(progression="immediate", due_at=99.0, now=0.0)  # crash leftovers
    assert not lifecycle.due_by_time(progression="manual", due_at=0.0, now=10.0)
    assert not lifecycle.due_by_time(progression="polls", due_at=0.0, now=10.0)


def test_due_by_polls() -> None:
    assert lifecycle.due_by_polls(progression="polls", polls=2, polls_per_step=2)
    assert not lifecycle.due_by_polls(progression="polls", polls=1, polls_per_step=2)
    assert not lifecycle.due_by_polls(progression="time", polls=5, polls_per_step=1)
