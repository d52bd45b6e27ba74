"""Issue and revoke the JWTs Symbl clients send (verifying them is mock_symbl.credentials)."""

from __future__ import annotations

import hmac
from typing import Any

import jwt

from mock_symbl.credentials import ALGORITHM, ISSUER, decode
from mock_symbl.errors import Unauthorized
from mock_symbl.services import Services
from mock_symbl.store import tokens as tokens_repo


def check_credentials(services: Services, app_id: str, app_secret: str) -> None:
    """Any non-empty pair by default; with MOCK_SYMBL_APPS only the listed pairs."""
    if not app_id or not app_secret:
        raise Unauthorized("appId and appSecret are required.")
    allowed = services.settings.allowed_apps()
    if allowed and not (app_id in allowed and hmac.compare_digest(allowed[app_id], app_secret)):
        raise Unauthorized("Invalid appId or appSecret.")


def _payload_segment(token: str) -> str:
    return token.split(".")[1]


def issue_token(services: Services, app_id: str, *, ttl: int | None = None) -> tuple[str, int]:
    """A signed JWT naming the app, with numeric iat/exp; returns (token, expiresIn)."""
    now = int(services.clock.time())
    expires_in = ttl if ttl is not None else services.settings.token_ttl_seconds
    claims: dict[str, Any] = {
        "iss": ISSUER,
        "sub": app_id,
        "appId": app_id,
        "iat": now,
        "exp": now + expires_in,
        "jti": services.ids.uuid(),
    }
    # The Web SDK decodes the payload with the browser's atob, which rejects base64url's '-' and '_';
    # a padding claim is varied until the payload segment has neither.
    for pad in range(64):
        claims["pad"] = "x" * pad
        token = jwt.encode(claims, services.jwt_key, algorithm=ALGORITHM)
        segment = _payload_segment(token)
        if "-" not in segment and "_" not in segment:
            return token, expires_in
    return token, expires_in


def revoke(services: Services, token: str) -> None:
    claims = decode(services, token)
    jti = str(claims.get("jti"))
    with services.db.transaction() as session:
        tokens_repo.revoke(session, jti=jti, account=str(claims["sub"]), at=services.clock.now())
    services.revoked.add(jti)


def load_revoked(services: Services) -> None:
    with services.db.session() as session:
        services.revoked = tokens_repo.revoked_ids(session)
