"""OAuth2 routes: generate (open), refresh and revoke (token required)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Header, Response

from mock_symbl import credentials
from mock_symbl.auth import service
from mock_symbl.auth.schemas import (
    RefreshTokenRequest,
    RefreshTokenResponse,
    RevokeTokenRequest,
    TokenRequest,
    TokenResponse,
)
from mock_symbl.deps import ServicesDep, TenantDep
from mock_symbl.errors import BadRequest, Unauthorized

router = APIRouter(tags=["Authentication"])


@router.post("/oauth2/token:generate", response_model=TokenResponse)
def generate_token(body: TokenRequest, services: ServicesDep) -> TokenResponse:
    """Generate an access token for an app id and secret."""
    kind = (body.type or "").strip()
    if kind == "application":
        app_id, secret = (body.appId or "").strip(), (body.appSecret or "").strip()
    elif kind == "password":
        app_id, secret = (body.username or "").strip(), (body.password or "").strip()
    else:
        raise BadRequest('"type" must be one of [application, password]')
    if not app_id or not secret:
        raise BadRequest(
            '"appId" and "appSecret" are required'
            if kind == "application"
            else '"username" and "password" are required'
        )
    service.check_credentials(services, app_id, secret)
    token, expires_in = service.issue_token(services, app_id)
    return TokenResponse(accessToken=token, expiresIn=expires_in)


@router.post("/oauth2/token:refresh", response_model=RefreshTokenResponse)
def refresh_token(
    tenant: TenantDep, services: ServicesDep, body: RefreshTokenRequest | None = None
) -> RefreshTokenResponse:
    """Return a fresh token for the calling app."""
    if body and body.appId and body.appId != tenant.account:
        raise Unauthorized("appId does not match the token.")
    token, expires_in = service.issue_token(services, tenant.account)
    refresh, _ = service.issue_token(services, tenant.account)
    return RefreshTokenResponse(accessToken=token, refershToken=refresh, expiresIn=expires_in)


@router.delete("/oauth2/token:revoke", status_code=200, response_class=Response)
def revoke_token(
    tenant: TenantDep,
    services: ServicesDep,
    body: Annotated[RevokeTokenRequest | None, Body()] = None,
    authorization: Annotated[str | None, Header(include_in_schema=False)] = None,
    x_api_key: Annotated[str | None, Header(alias="x-api-key", include_in_schema=False)] = None,
) -> Response:
    """Revoke the token used for this call; it is refused from then on."""
    if body and body.appId and body.appId != tenant.account:
        raise Unauthorized("appId does not match the token.")
    token = credentials.token_from_headers(authorization, x_api_key)
    assert token is not None  # TenantDep already verified it
    service.revoke(services, token)
    return Response(status_code=200)
