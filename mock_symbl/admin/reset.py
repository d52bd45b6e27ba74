"""Reset: everything (as a fresh server), one account, or one namespace."""

from __future__ import annotations

from typing import Any

from mock_symbl.admin.state import admin_state
from mock_symbl.auth.service import load_revoked
from mock_symbl.clock import parse_iso
from mock_symbl.services import Services
from mock_symbl.store import admin as store


def apply_boot_clock(services: Services) -> None:
    """Start the clock as settings say: frozen at freeze_clock_at, or the wall clock."""
    services.clock.reset()
    if services.settings.freeze_clock_at:
        services.clock.freeze(parse_iso(services.settings.freeze_clock_at).timestamp())


def reset(services: Services, *, account: str | None = None, namespace: str | None = None) -> dict[str, Any]:
    """Delete stored rows, journal entries, fault rules and scripted results of the given scope.

    A full reset also restores the clock and the id seed, so what follows behaves as on a fresh server.
    """
    state = admin_state(services)
    deleted = store.delete_rows(services.db, account=account, namespace=namespace)
    state.journal.clear(account=account, namespace=namespace)
    state.faults.clear(account=account, namespace=namespace)
    state.results.clear(account=account, namespace=namespace)
    full = account is None and namespace is None
    if full:
        apply_boot_clock(services)
        services.ids.reseed(services.settings.seed)
        state.faults.reseed(services.settings.seed)
    load_revoked(services)
    return {"reset": "all" if full else {"account": account, "namespace": namespace}, "deleted": deleted}
