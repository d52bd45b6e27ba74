"""The live demo console under /__admin/ui/live: stream from the browser and watch results arrive.

The pages are static HTML plus script: the browser itself gets a token from /oauth2/token:generate and speaks
Symbl's real-time protocol to /v1/streaming/{connectionId} (or listens on /v1/subscribe/{connectionId}), exactly
as a customer's web app would, so the demo exercises the same code paths as any client.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from mock_symbl import __version__
from mock_symbl.demo_flags import DEFAULT_APP_ID
from mock_symbl.deps import ServicesDep
from mock_symbl.services import Services
from mock_symbl.web.html import FIXTURE_MEDIA, guarded, html_page, notice
from mock_symbl.web.render import render

router = APIRouter(prefix="/__admin/ui", include_in_schema=False)

# Connection ids are chosen by clients: UUIDs (JS, web, Go), base64 (Python, docs' btoa(email)).
CONNECTION_ID = re.compile(r"^[A-Za-z0-9._~=+-]{1,128}$")
SAMPLE_RATES = (8000, 16000, 24000, 44100, 48000)  # what the Web SDK allows for LINEAR16
DEFAULT_RATE = 16000


@dataclass(frozen=True)
class Recording:
    """A demo recording under fixtures_dir/audio and the transcript registered for its bytes (if any)."""

    name: str  # file name without extension: the kiosk's `fixture=` value
    url: str
    title: str
    transcript: str | None  # sent as the start_request's mockTranscript so the words follow the audio
    duration: float | None


@lru_cache(maxsize=64)
def _digest(path: str, size: int, mtime: float) -> str:
    # Keyed by size and mtime: a page view hashes each recording once, not on every load.
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def recordings(services: Services) -> list[Recording]:
    """The fixture recordings the demo source can play, in name order."""
    folder = Path(services.settings.fixtures_dir) / "audio"
    library = services.transcripts
    out = []
    for path in sorted(folder.glob("*")) if folder.is_dir() else []:
        if not FIXTURE_MEDIA.match(path.name) or not path.is_file():
            continue
        stat = path.stat()
        transcript = library.registered_for_sha256(_digest(str(path), stat.st_size, stat.st_mtime))
        out.append(
            Recording(
                name=path.stem,
                url=f"/__admin/ui/fixtures/audio/{path.name}",
                title=transcript.title if transcript else path.stem.replace("-", " ").capitalize(),
                transcript=transcript.name if transcript else None,
                duration=transcript.duration if transcript else None,
            )
        )
    return out


def _scripts(services: Services) -> list[str]:
    return list(services.transcripts.names())


@router.get("/live", response_class=HTMLResponse)
def live_page(request: Request, services: ServicesDep) -> HTMLResponse:
    """Live demo console: stream the microphone or a demo recording and watch transcript and insights."""

    def build() -> HTMLResponse:
        return html_page(
            render(
                "live.html",
                version=__version__,
                mode="speaker",
                connection_id="",
                recordings=recordings(services),
                scripts=_scripts(services),
                rates=SAMPLE_RATES,
                default_rate=DEFAULT_RATE,
                default_app_id=DEFAULT_APP_ID,
            )
        )

    return guarded(request, services, build)


@router.get("/live/{connectionId}", response_class=HTMLResponse)
def live_subscriber_page(connectionId: str, request: Request, services: ServicesDep) -> HTMLResponse:
    """Read-only view of a live connection through /v1/subscribe/{connectionId} (for a second screen)."""
    if not CONNECTION_ID.match(connectionId):
        return guarded(
            request, services, lambda: notice("Invalid connection id", "Not a valid connection id.", 400)
        )

    def build() -> HTMLResponse:
        return html_page(
            render(
                "live.html",
                version=__version__,
                mode="subscriber",
                connection_id=connectionId,
                recordings=[],
                scripts=[],
                rates=SAMPLE_RATES,
                default_rate=DEFAULT_RATE,
                default_app_id=DEFAULT_APP_ID,
            )
        )

    return guarded(request, services, build)
