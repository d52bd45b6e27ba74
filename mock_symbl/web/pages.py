"""Read-only HTML pages under /__admin/ui: the dashboard, conversation pages and signed experience pages."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, Response

from mock_symbl import __version__
from mock_symbl.conversations import insights_service
from mock_symbl.deps import ServicesDep
from mock_symbl.errors import NotFound
from mock_symbl.job_lifecycle import UNFINISHED
from mock_symbl.services import Services
from mock_symbl.tenancy import Tenant
from mock_symbl.web import dashboard, service, tokens
from mock_symbl.web.html import FIXTURE_MEDIA, guarded, html_page, notice
from mock_symbl.web.render import render
from mock_symbl.web.view import (
    ALL_SECTIONS,
    PageOptions,
    conversation_context,
    conversation_stats,
    media_kind_of,
    owner_of,
)

router = APIRouter(prefix="/__admin/ui", include_in_schema=False)

STATIC_DIR = Path(__file__).parent / "static"
MEDIA_TYPES = {
    "mp3": "audio/mpeg",
    "wav": "audio/wav",
    "ogg": "audio/ogg",
    "m4a": "audio/mp4",
    "mp4": "video/mp4",
    "webm": "video/webm",
}
STATIC_FILES = {
    "app.css": "text/css",
    "app.js": "text/javascript",
    "favicon.svg": "image/svg+xml",
    "live-view.js": "text/javascript",
    "live-audio.js": "text/javascript",
    "live.js": "text/javascript",
    "pcm-worklet.js": "text/javascript",
}

# What each experience shows (the real pages: Text Summary, Video Summary, Trackers & Analytics, Insights UI).
EXPERIENCE_SECTIONS: dict[str, frozenset[str]] = {
    "verbose-text-summary": frozenset({"summary", "topics", "insights", "transcript"}),
    "video-summary": frozenset({"summary", "topics", "insights", "transcript"}),
    "audio-summary": frozenset({"summary", "topics", "insights", "trackers", "analytics", "transcript"}),
    "details": frozenset(
        {"summary", "topics", "insights", "trackers", "entities", "analytics", "transcript"}
    ),
}
EXPERIENCE_TITLES = {
    "verbose-text-summary": "Summary",
    "video-summary": "Video Summary",
    "audio-summary": "Trackers & Analytics",
    "details": "Insights",
}


@router.get("", response_class=HTMLResponse)
@router.get("/", response_class=HTMLResponse)
def dashboard_page(
    request: Request,
    services: ServicesDep,
    account: Annotated[str | None, Query()] = None,
    namespace: Annotated[str, Query()] = "",
) -> HTMLResponse:
    """The dashboard: accounts with data, then the chosen account's conversations, jobs, webhooks, journal."""

    def build() -> HTMLResponse:
        data = dashboard.collect(services, account, namespace)
        return html_page(render("dashboard.html", version=__version__, **data))

    return guarded(request, services, build)


@router.get("/conversations/{conversationId}", response_class=HTMLResponse)
def conversation_page(
    conversationId: str,
    request: Request,
    services: ServicesDep,
    account: Annotated[str | None, Query(description="Default: the conversation's own account.")] = None,
    namespace: Annotated[str, Query()] = "",
) -> HTMLResponse:
    """One conversation of an account, with every insight, analytics and its jobs."""
    if account is None:
        owner = owner_of(services, conversationId)
        if owner is None:
            return guarded(
                request, services, lambda: notice("Conversation not found", "No such conversation.", 404)
            )
        account, namespace = owner.account, owner.namespace
    return guarded(
        request, services, lambda: _admin_conversation(services, conversationId, account, namespace)
    )


def _admin_conversation(
    services: Services, conversationId: str, account: str, namespace: str
) -> HTMLResponse:
    tenant = Tenant(account=account, namespace=namespace)
    try:
        context = conversation_context(services, tenant, conversationId)
    except NotFound:
        return notice(
            "Conversation not found", f"No conversation {conversationId} in account {account}.", 404
        )
    conv = context["conversation"]
    options = PageOptions(sections=ALL_SECTIONS, title=conv["name"], admin=True)
    media = conv["media_url"] or fixture_media_path(services, conv["metadata"])
    if media:
        options.media_url = media
        options.media_kind = media_kind_of(media)
    return html_page(render("conversation.html", page=options, tenant=tenant, **context))


def fixture_media_path(services: Services, metadata: dict[str, Any]) -> str | None:
    """The UI URL of a demo pack's recording (metadata audioFile, a file under fixtures_dir/audio)."""
    value = metadata.get("audioFile")
    if not isinstance(value, str) or not value.startswith("audio/"):
        return None
    name = value.removeprefix("audio/")
    if not FIXTURE_MEDIA.match(name) or not (Path(services.settings.fixtures_dir) / "audio" / name).is_file():
        return None
    return f"/__admin/ui/fixtures/audio/{name}"


def _page_options(claims: dict[str, Any], conv: dict[str, Any]) -> PageOptions:
    kind = "details" if claims.get("kind") == "details" else str(claims.get("name"))
    opt = claims.get("opt") or {}
    sections = set(EXPERIENCE_SECTIONS.get(kind, EXPERIENCE_SECTIONS["verbose-text-summary"]))
    if kind == "details" and claims.get("callScore"):
        sections.add("callscore")
    options = PageOptions(
        sections=frozenset(sections),
        title=f"{conv['name']} · {EXPERIENCE_TITLES.get(kind, 'Summary')}",
        logo=opt.get("logo"),
        favicon=opt.get("favicon"),
        colors=dict(opt.get("color") or {}),
        font=opt.get("font"),
        read_only=bool(opt.get("readOnly", kind == "details")),
        experience=kind,
    )
    media = claims.get("media")
    if not media and kind in ("details", "audio-summary"):
        media = conv["media_url"] or conv.get("fixture_media")
    if media:
        options.media_url = media
        options.media_kind = (
            "video"
            if kind == "video-summary"
            else ("audio" if kind == "audio-summary" else media_kind_of(media))
        )
    return options


def too_short(status: str, word_count: int | None) -> bool:
    """A processed transcript under 50 words (unknown for bundles stored before the count existed)."""
    return status not in UNFINISHED and word_count is not None and word_count < insights_service.MIN_WORDS


@router.get("/experience/{token}", response_class=HTMLResponse)
def experience_page(token: str, services: ServicesDep) -> HTMLResponse:
    """A page opened from a URL returned by the Experience API (the signed token replaces the API token)."""
    try:
        claims = tokens.verify(token, secret=services.jwt_key, now=services.clock.time())
    except tokens.LinkExpired:
        return notice(
            "This link has expired",
            "The summary URL has expired (summaryURLExpiresIn). Ask for a new one.",
            410,
        )
    except tokens.LinkInvalid:
        return notice("Invalid link", "This summary URL is not valid on this server.", 403)
    tenant = Tenant(account=str(claims.get("acc", "")), namespace=str(claims.get("ns", "")))
    if claims.get("kind") == "list":
        return _insights_list(services, tenant, claims)
    try:
        context = conversation_context(services, tenant, str(claims.get("cid", "")))
    except NotFound:
        return notice("Conversation not found", "The conversation of this link no longer exists.", 404)
    conv = context["conversation"]
    if claims.get("kind") == "details" and too_short(conv["status"], context["word_count"]):
        message = insights_service.too_short_message("The Insights UI", context["word_count"])
        return notice("Not enough transcript", message, 400)
    conv["fixture_media"] = fixture_media_path(services, conv["metadata"])
    return html_page(render("conversation.html", page=_page_options(claims, conv), tenant=tenant, **context))


def _insights_list(services: Services, tenant: Tenant, claims: dict[str, Any]) -> HTMLResponse:
    rows = dashboard.conversation_rows(services, tenant)
    stats = conversation_stats(services, [row["id"] for row in rows])
    for row in rows:
        row.update(stats[row["id"]])
        # Under 50 words there is no Insights UI page (rest.md §5.21): listed, but not linked.
        row["too_short"] = too_short(row["status"], row["words"])
        if not row["too_short"]:
            row["href"] = service.EXPERIENCE_PATH + service.details_token_for(services, claims, row["id"])
    page = PageOptions(title="Insights", read_only=True, experience="list")
    return html_page(
        render(
            "insights_list.html",
            page=page,
            conversations=rows,
            tenant=tenant,
            call_score=bool(claims.get("callScore")),
        )
    )


@router.get("/static/{name}")
def static_file(name: str) -> Response:
    """The UI's own stylesheet, script and icon (no CDN: the mock works offline)."""
    media_type = STATIC_FILES.get(name)
    if media_type is None:
        return notice("Not found", "No such file.", 404)
    return FileResponse(
        STATIC_DIR / name, media_type=media_type, headers={"Cache-Control": "public, max-age=300"}
    )


@router.get("/fixtures/audio/{name}")
def fixture_media(name: str, services: ServicesDep) -> Response:
    """A demo pack's recording from fixtures_dir/audio, so the offline demo plays in the pages."""
    match = FIXTURE_MEDIA.match(name)
    path = Path(services.settings.fixtures_dir) / "audio" / name
    if match is None or not path.is_file():
        return notice("Not found", "No such recording.", 404)
    return FileResponse(
        path, media_type=MEDIA_TYPES[match.group(1)], headers={"Cache-Control": "public, max-age=300"}
    )
