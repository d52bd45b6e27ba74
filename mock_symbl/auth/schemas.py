"""Wire format of the OAuth2 routes (rest.md §2)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from mock_symbl.wire import Answer


class TokenRequest(BaseModel):
    model_config = ConfigDict(extra="allow")  # the Go SDK leaks an AuthURI field; ignore unknown keys

    type: str = Field(..., description='"application" (or "password" with username/password).')
    appId: str | None = None
    appSecret: str | None = None
    username: str | None = None
    password: str | None = None


class TokenResponse(Answer):
    accessToken: str
    expiresIn: int


class RefreshTokenRequest(BaseModel):
    model_config = ConfigDict(extra="allow")

    appId: str | None = None
    appSecret: str | None = None
    refreshToken: str | None = None


class RefreshTokenResponse(Answer):
    accessToken: str
    refershToken: str = Field(..., description="Spelled as the official REST client spells it.")
    expiresIn: int


class RevokeTokenRequest(BaseModel):
    model_config = ConfigDict(extra="allow")

    appId: str | None = None
    appSecret: str | None = None
