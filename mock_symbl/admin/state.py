"""The control plane's in-memory state for one server (services.admin)."""

from __future__ import annotations

from dataclasses import dataclass, field

from mock_symbl.admin.faults import FaultEngine
from mock_symbl.admin.journal import Journal
from mock_symbl.admin.results import ResultQueue
from mock_symbl.services import Services


@dataclass
class AdminState:
    journal: Journal
    faults: FaultEngine
    results: ResultQueue = field(default_factory=ResultQueue)


def admin_state(services: Services) -> AdminState:
    """This server's control-plane state (created by admin.install)."""
    state = services.admin
    assert state is not None, "admin.install(services) runs at boot"
    return state
