"""The container probes under /__admin: liveness (`health`) and readiness (`ready`), always open.

Light on purpose: the app answers them while its database and API are still loading (mock_symbl.boot).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from mock_symbl import __version__

ADMIN_PREFIX = "/__admin"
ADMIN_TAG = "Admin"
PROBE_PATHS = frozenset({f"{ADMIN_PREFIX}/health", f"{ADMIN_PREFIX}/ready"})

router = APIRouter(prefix=ADMIN_PREFIX, tags=[ADMIN_TAG])


@router.get("/health")
async def health() -> dict[str, Any]:
    """Say the process is alive."""
    # async: answered on the event loop, not queued behind busy worker threads (liveness under load).
    return {"status": "ok", "version": __version__}


@router.get("/ready")
def ready(request: Request) -> JSONResponse:
    """Say whether the database is open, fixtures loaded and valid and the scheduler running (503 otherwise)."""
    services = getattr(request.app.state, "services", None)  # None while the app is still booting
    checks = {"database": False, "fixtures": False, "scheduler": False}
    if services is not None:
        from mock_symbl.store.admin import ping  # SQLAlchemy: loaded by then

        checks = {
            "database": ping(services.db),
            # TranscriptLibrary.load validates every file at startup, so a loaded library is a valid one.
            "fixtures": services.transcripts is not None,
            "scheduler": services.scheduler_running,
        }
    ok = all(checks.values())
    return JSONResponse(
        status_code=200 if ok else 503, content={"status": "ready" if ok else "not ready", "checks": checks}
    )
