"""Experience API logic: validate the options, sign page links, set the Insights UI media URL."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from mock_symbl.conversations import insights_service
from mock_symbl.errors import BadRequest, NotFound
from mock_symbl.job_lifecycle import UNFINISHED
from mock_symbl.services import Services
from mock_symbl.store import conversations as repo
from mock_symbl.store import web as web_repo
from mock_symbl.tenancy import Tenant
from mock_symbl.web import tokens
from mock_symbl.web.schemas import DEFAULT_EXPIRES_IN, EXPERIENCE_NAMES, HEX_COLOR, ExperienceRequest

EXPERIENCE_PATH = "/__admin/ui/experience/"
FONT_FAMILY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 _\-]{0,63}$")
MSG_CONVERSATION = "The conversationId is either invalid or does not exist."


def _http_url(value: str, field: str) -> str:
    text = value.strip()
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise BadRequest(f'"{field}" must be a valid uri with a scheme matching the http|https pattern')
    return text


def _options(body: ExperienceRequest) -> dict[str, Any]:
    """The page options carried in the signed link, validated (they end up in CSS and HTML attributes)."""
    out: dict[str, Any] = {"readOnly": body.readOnly}
    for field in ("logo", "favicon"):
        value = getattr(body, field)
        if value:
            out[field] = _http_url(value, field)
    if body.color is not None:
        colors = {}
        for key, value in body.color.model_dump(exclude_none=True).items():
            if not re.match(HEX_COLOR, value):
                raise BadRequest(f'"color.{key}" must be a hex colour code such as "#0A2136"')
            colors[key] = value
        if colors:
            out["color"] = colors
    if body.font is not None and body.font.family is not None:
        if not FONT_FAMILY.match(body.font.family):
            raise BadRequest('"font.family" must be a font name such as "roboto"')
        out["font"] = body.font.family
    return out


def _tenant_claims(tenant: Tenant) -> dict[str, Any]:
    return {"acc": tenant.account, "ns": tenant.namespace}


def _sign(services: Services, claims: dict[str, Any], expires_in: int) -> str:
    return tokens.sign(claims, secret=services.jwt_key, now=services.clock.time(), expires_in=expires_in)


def link(base_url: str, token: str, query: str = "") -> str:
    return f"{base_url.rstrip('/')}{EXPERIENCE_PATH}{token}{query}"


def create_experience(
    services: Services, tenant: Tenant, conversation_id: str, body: ExperienceRequest, base_url: str
) -> dict[str, str]:
    """A signed URL of the text, video or audio summary page of one conversation."""
    if body.name not in EXPERIENCE_NAMES:
        raise BadRequest(f'"name" must be one of [{", ".join(EXPERIENCE_NAMES)}]')
    if body.disableSummaryURLAuthentication:
        raise BadRequest("disableSummaryURLAuthentication is not supported.")
    media: str | None = None
    if body.name == "video-summary":
        if not body.videoUrl:
            raise BadRequest('"videoUrl" is required')
        media = _http_url(body.videoUrl, "videoUrl")
    elif body.name == "audio-summary":
        if not body.audioUrl:
            raise BadRequest('"audioUrl" is required')
        media = _http_url(body.audioUrl, "audioUrl")
    options = _options(body)
    with services.db.session() as session:
        try:
            repo.get_conversation(session, tenant, conversation_id)
        except NotFound as exc:
            raise NotFound(MSG_CONVERSATION) from exc
    claims = {
        **_tenant_claims(tenant),
        "kind": "summary",
        "name": body.name,
        "cid": conversation_id,
        "opt": options,
    }
    if media:
        claims["media"] = media
    expires_in = DEFAULT_EXPIRES_IN if body.summaryURLExpiresIn is None else body.summaryURLExpiresIn
    token = _sign(services, claims, expires_in)
    query = "?showVideoSummary=true" if body.name == "video-summary" else ""
    return {"name": body.name, "url": link(base_url, token, query)}


def set_media_url(services: Services, tenant: Tenant, conversation_id: str, url: str) -> dict[str, str]:
    """PUT .../experiences/url: the media the Insights UI plays for the conversation."""
    clean = _http_url(url, "url")
    with services.db.transaction() as session:
        try:
            conv = repo.get_conversation(session, tenant, conversation_id)
        except NotFound as exc:
            raise NotFound(MSG_CONVERSATION) from exc
        web_repo.set_media_url(session, conv, clean)
    return {"url": clean}


def insights_details(
    services: Services, tenant: Tenant, conversation_id: str, include_call_score: bool, base_url: str
) -> dict[str, str]:
    """A signed URL of the Insights UI details page of one conversation (400 under 50 words once processed)."""
    try:
        snap = insights_service.snapshot(services, tenant, conversation_id, any_status=True)
    except NotFound as exc:
        raise NotFound(MSG_CONVERSATION) from exc
    if snap.conversation.status not in UNFINISHED:  # in progress: the page says so
        insights_service.require_words(snap.bundle, "The Insights UI")
    claims = {
        **_tenant_claims(tenant),
        "kind": "details",
        "cid": conversation_id,
        "callScore": include_call_score,
    }
    return {"url": link(base_url, _sign(services, claims, DEFAULT_EXPIRES_IN))}


def insights_list(
    services: Services, tenant: Tenant, include_call_score: bool, base_url: str
) -> dict[str, str]:
    """A signed URL of the Insights UI list of every conversation of the caller."""
    claims = {**_tenant_claims(tenant), "kind": "list", "callScore": include_call_score}
    return {"url": link(base_url, _sign(services, claims, DEFAULT_EXPIRES_IN))}


def details_token_for(services: Services, list_claims: dict[str, Any], conversation_id: str) -> str:
    """A details link made from a list link: same tenant and options, expiring no later than the list."""
    claims = {
        "acc": list_claims["acc"],
        "ns": list_claims.get("ns", ""),
        "kind": "details",
        "cid": conversation_id,
        "callScore": bool(list_claims.get("callScore")),
    }
    exp = list_claims.get("exp")
    remaining = int(exp - services.clock.time()) if isinstance(exp, int | float) else 0
    return _sign(services, claims, max(1, remaining) if exp is not None else 0)
