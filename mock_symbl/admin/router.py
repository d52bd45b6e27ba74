"""Liveness and readiness probes (always open, for container healthchecks)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import text

from mock_symbl import __version__
from mock_symbl.deps import ServicesDep

router = APIRouter(prefix="/__admin", tags=["Admin"])


@router.get("/health")
def health() -> dict[str, Any]:
    """Say the process is alive."""
    return {"status": "ok", "version": __version__}


@router.get("/ready")
def ready(services: ServicesDep) -> JSONResponse:
    """Say whether the database is open, fixtures loaded and the scheduler running (503 otherwise)."""
    checks: dict[str, bool] = {}
    try:
        with services.db.session() as session:
            session.execute(text("SELECT 1"))
        checks["database"] = True
    except Exception:
        checks["database"] = False
    checks["fixtures"] = services.transcripts is not None
    checks["scheduler"] = services.scheduler_running
    ok = all(checks.values())
    return JSONResponse(status_code=200 if ok else 503, content={"status": "ready" if ok else "not ready", "checks": checks})
