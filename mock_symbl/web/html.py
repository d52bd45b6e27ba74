"""The HTML answers the UI routers share (web/pages.py, web/live.py): uncached pages, notices, the admin guard."""

from __future__ import annotations

import re
from collections.abc import Callable

from fastapi import Request
from fastapi.responses import HTMLResponse

from mock_symbl.admin.security import (
    HOST_MESSAGE,
    REMOTE_MESSAGE,
    admin_allowed,
    given_token,
    host_allowed,
    token_matches,
)
from mock_symbl.services import Services
from mock_symbl.web.render import render

FIXTURE_MEDIA = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*\.(mp3|wav|ogg|m4a|mp4|webm)$")
ADMIN_COOKIE = "mock_symbl_admin"


def html_page(text: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(text, status_code=status, headers={"Cache-Control": "no-store"})


def notice(title: str, message: str, status: int) -> HTMLResponse:
    return html_page(render("notice.html", title=title, message=message, status=status), status)


def admin_check(request: Request, services: Services) -> tuple[bool, bool]:
    """(allowed, remember): the admin API's rule (admin/security.py) for the dashboard pages.

    A browser cannot send headers on navigation, so besides X-Admin-Token / Bearer the token is taken from
    `?admin_token=` once and then kept in an HttpOnly cookie scoped to /__admin/ui.
    """
    settings = services.settings
    client = request.client.host if request.client else None
    expected = settings.admin_token
    if not expected:
        return admin_allowed(settings, client, None), False
    for given in (given_token(request.headers), request.cookies.get(ADMIN_COOKIE)):
        if token_matches(given, expected):
            return True, False
    if token_matches(request.query_params.get("admin_token"), expected):
        return True, True
    return False, False


def guarded(request: Request, services: Services, build: Callable[[], HTMLResponse]) -> HTMLResponse:
    allowed, remember = admin_check(request, services)
    if not allowed and not services.settings.admin_token:
        return notice("Admin token required", REMOTE_MESSAGE, 401)
    if not services.settings.admin_token and not host_allowed(services.settings, request.headers.get("host")):
        return notice("Unknown host name", HOST_MESSAGE, 403)
    if not allowed:
        return notice(
            "Admin token required",
            "This server has an admin token. Open /__admin/ui/?admin_token=<token> once; a cookie keeps it.",
            401,
        )
    response = build()
    if remember:
        token = services.settings.admin_token or ""
        response.set_cookie(ADMIN_COOKIE, token, httponly=True, samesite="strict", path="/__admin/ui")
    return response
