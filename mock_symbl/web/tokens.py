"""Signed experience links: a JWT in the page URL stands in for the API token (summaryURLExpiresIn)."""

from __future__ import annotations

import hashlib
from typing import Any

import jwt

ISSUER = "mock-symbl-experience"
ALGORITHM = "HS256"


class LinkExpired(Exception):
    """The link was valid but its summaryURLExpiresIn has passed."""


class LinkInvalid(Exception):
    """The link was not signed by this server (tampered, truncated or another secret)."""


def _key(secret: str) -> bytes:
    # A key derived from the API token key, so an experience link can never pass as an API token or vice versa.
    return hashlib.sha256(("experience-link:" + secret).encode()).digest()


def sign(claims: dict[str, Any], *, secret: str, now: float, expires_in: int) -> str:
    """A compact token for `claims`; expires_in 0 means the link never expires."""
    payload = {**claims, "iss": ISSUER, "iat": int(now)}
    if expires_in > 0:
        payload["exp"] = int(now) + expires_in
    return jwt.encode(payload, _key(secret), algorithm=ALGORITHM)


def verify(token: str, *, secret: str, now: float) -> dict[str, Any]:
    """The claims of a link signed here; expiry is judged by the mock's clock, not the OS clock."""
    try:
        claims: dict[str, Any] = jwt.decode(
            token, _key(secret), algorithms=[ALGORITHM], issuer=ISSUER, options={"verify_exp": False}
        )
    except jwt.PyJWTError as exc:
        raise LinkInvalid(str(exc)) from exc
    exp = claims.get("exp")
    if exp is not None and (not isinstance(exp, int | float) or exp <= now):
        raise LinkExpired()
    return claims
