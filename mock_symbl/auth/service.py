"""Issue, verify and revoke the JWTs Symbl clients send as `x-api-key` or `Authorization: Bearer`."""

from __future__ import annotations

import functools
import hmac
from typing import Any

import jwt

from mock_symbl.errors import Unauthorized
from mock_symbl.services import Services
from mock_symbl.store import tokens as tokens_repo
from mock_symbl.tenancy import Tenant

ISSUER = "mock-symbl"
ALGORITHM = "HS256"


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


@functools.lru_cache(maxsize=4096)
def _signed_claims(token: str, secret: str) -> dict[str, Any]:
    """Claims of a token whose signature and issuer check out: the same token is checked on every request
    (and twice: by the journal and by the route), so the signature is verified once. Expiry and revocation
    depend on the clock and on later revokes, and are checked on every call by `decode`."""
    claims: dict[str, Any] = jwt.decode(
        token,
        secret,
        algorithms=[ALGORITHM],
        issuer=ISSUER,
        options={"verify_exp": False, "require": ["exp", "iat", "sub"]},
    )
    return claims


def decode(services: Services, token: str) -> dict[str, Any]:
    """Claims of a valid token (signature, issuer, expiry by the mock's clock, not revoked)."""
    try:
        claims = dict(_signed_claims(token, services.jwt_key))
    except jwt.PyJWTError as exc:
        raise Unauthorized() from exc
    if not isinstance(claims.get("exp"), int | float) or claims["exp"] <= services.clock.time():
        raise Unauthorized()
    if claims.get("jti") in services.revoked:
        raise Unauthorized()
    allowed = _allowed_ids(services.settings.apps)
    if allowed and str(claims.get("sub")) not in allowed:
        raise Unauthorized()  # issued before --apps dropped this app id: it is no longer a valid account
    return claims


@functools.lru_cache(maxsize=8)
def _allowed_ids(apps: str) -> frozenset[str]:
    return frozenset(app_id for item in apps.split(",") if (app_id := item.partition(":")[0].strip()))


def verify_token(services: Services, token: str | None, namespace: str = "") -> Tenant:
    """The tenant a token belongs to; Unauthorized for missing, malformed, expired or revoked tokens."""
    if not token:
        raise Unauthorized()
    claims = decode(services, token.strip())
    return Tenant(account=str(claims["sub"]), namespace=namespace)


def token_from_headers(authorization: str | None, api_key: str | None) -> str | None:
    """`Authorization: Bearer` wins over `x-api-key` when both are sent (rest.md §2.4)."""
    if authorization:
        scheme, _, value = authorization.strip().partition(" ")
        if scheme.lower() == "bearer" and value.strip():
            return value.strip()
        if not value and scheme:
            return scheme  # a bare token in Authorization
    return api_key.strip() if api_key else None


def revoke(services: Services, token: str) -> None:
    claims = decode(services, token)
    jti = str(claims.get("jti"))
    with services.db.transaction() as session:
        tokens_repo.revoke(session, jti=jti, account=str(claims["sub"]), at=services.clock.now())
    services.revoked.add(jti)


def load_revoked(services: Services) -> None:
    with services.db.session() as session:
        services.revoked = tokens_repo.revoked_ids(session)
