"""The admin token check: with settings.admin_token set, /__admin (but health/ready) needs it."""

from __future__ import annotations

import hmac

from fastapi import Depends, Request

# Re-exported: the admin routers take their prefix and tag from here.
from mock_symbl.admin.probes import ADMIN_PREFIX as ADMIN_PREFIX
from mock_symbl.admin.probes import ADMIN_TAG as ADMIN_TAG
from mock_symbl.deps import ServicesDep
from mock_symbl.errors import Unauthorized

ADMIN_TOKEN_MESSAGE = "The admin API needs the admin token (X-Admin-Token or Authorization: Bearer)."


async def require_admin(request: Request, services: ServicesDep) -> None:
    """401 unless the admin token matches (no-op when no admin token is configured)."""
    # Async (no threadpool hop) and headers read directly (no per-route parameter validators).
    expected = services.settings.admin_token
    if not expected:
        return
    given = request.headers.get("x-admin-token")
    authorization = request.headers.get("authorization")
    if given is None and authorization:
        scheme, _, value = authorization.strip().partition(" ")
        given = value.strip() if scheme.lower() == "bearer" else None
    if not given or not hmac.compare_digest(given.encode(), expected.encode()):
        raise Unauthorized(ADMIN_TOKEN_MESSAGE)


AdminDep = Depends(require_admin)
