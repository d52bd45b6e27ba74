"""The control plane under /__admin: probes, jobs, clock, faults, journal, results, snapshots, webhooks."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fastapi import FastAPI

    from mock_symbl.services import Services


def install(app: FastAPI, services: Services) -> None:
    """Attach the control plane to an app: state, the journal/fault middleware, job hook, boot data."""
    from mock_symbl.admin.faults import FaultEngine
    from mock_symbl.admin.journal import Journal
    from mock_symbl.admin.middleware import ControlPlaneMiddleware
    from mock_symbl.admin.progression import scale_to_media
    from mock_symbl.admin.reset import apply_boot_clock
    from mock_symbl.admin.results import job_script
    from mock_symbl.admin.snapshots import load_at_startup
    from mock_symbl.admin.state import AdminState

    settings = services.settings
    services.extras["admin"] = AdminState(
        journal=Journal(settings.journal_size), faults=FaultEngine(settings.seed)
    )
    services.extras["job_script"] = job_script
    services.job_listeners.append(scale_to_media)
    apply_boot_clock(services)
    app.add_middleware(ControlPlaneMiddleware, services=services)
    load_at_startup(services)
