"""Verify the JWTs Symbl clients send as `x-api-key` or `Authorization: Bearer`.

Every HTTP and WebSocket entry needs this (deps, the edge guard, the control plane's journal, the streaming
handshake), so it sits below the areas; auth/ issues and revokes the tokens.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

import jwt

from mock_symbl.errors import Unauthorized
from mock_symbl.tenancy import Tenant

if TYPE_CHECKING:
    from mock_symbl.services import Services

ISSUER = "mock-symbl"
ALGORITHM = "HS256"


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
