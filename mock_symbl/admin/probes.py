"""The container probes under /__admin: liveness (`health`) and readiness (`ready`), always open.

Light on purpose: the app answers them while its database and API are still loading (mock_symbl.boot).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

from mock_symbl import __version__
from mock_symbl.admin.paths import ADMIN_PREFIX, ADMIN_TAG
from mock_symbl.admin.schemas import Health, Ready
from mock_symbl.wire import AnswerRoute

router = APIRouter(route_class=AnswerRoute, prefix=ADMIN_PREFIX, tags=[ADMIN_TAG])


@router.get("/health", response_model=Health)
async def health() -> dict[str, Any]:
    """Say the process is alive."""
    # async: answered on the event loop, not queued behind busy worker threads (liveness under load).
    return {"status": "ok", "version": __version__}


@router.get("/ready", response_model=Ready, responses={503: {"model": Ready, "description": "Not ready."}})
def ready(request: Request, response: Response) -> dict[str, Any]:
    """Say whether the database is open, fixtures loaded and valid and the scheduler running (503 otherwise)."""
    services = getattr(request.app.state, "services", None)  # None while the app is still booting
    checks = {"database": False, "fixtures": False, "scheduler": False}
    if services is not None:
        checks = {
            "database": services.db.ping(),
            # TranscriptLibrary.load validates every file at startup, so a loaded library is a valid one.
            "fixtures": services.transcripts is not None,
            "scheduler": services.scheduler_running,
        }
    ok = all(checks.values())
    response.status_code = 200 if ok else 503
    return {"status": "ready" if ok else "not ready", "checks": checks}
