"""The control plane under /__admin: probes, jobs, clock, faults, journal, results, snapshots, webhooks."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mock_symbl.services import Services


def install(services: Services) -> None:
    """Give the services the control plane's state: journal, faults, job hook, boot clock and snapshot."""
    from mock_symbl.admin.faults import FaultEngine
    from mock_symbl.admin.journal import Journal
    from mock_symbl.admin.progression import scale_to_media
    from mock_symbl.admin.reset import apply_boot_clock
    from mock_symbl.admin.results import job_script
    from mock_symbl.admin.snapshots import load_at_startup
    from mock_symbl.admin.state import AdminState

    settings = services.settings
    services.admin = AdminState(journal=Journal(settings.journal_size), faults=FaultEngine(settings.seed))
    services.job_script = job_script
    services.job_listeners.append(scale_to_media)
    apply_boot_clock(services)
    load_at_startup(services)


def control_plane(app: Any, services: Services) -> Any:
    """`app` wrapped in the journal and fault middleware (mock_symbl.boot.BootGate puts it in front)."""
    from mock_symbl.admin.middleware import ControlPlaneMiddleware

    return ControlPlaneMiddleware(app, services=services)
