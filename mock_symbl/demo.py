"""`mock-symbl demo`: load every library transcript into one account as finished conversations.

Each pack becomes a conversation with a stable id (a function of app id, namespace and pack name) and goes
through the same path as `PUT /v1/process/text/{conversationId}`: a `text` job whose processor turns the
transcript lines (timings kept) into messages, then the insights engine stores the bundle. Loading twice
changes nothing: a pack whose conversation already completed is skipped.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from mock_symbl.clock import iso
from mock_symbl.demo_flags import DEFAULT_APP_ID
from mock_symbl.errors import NotFound
from mock_symbl.ids import stable_numeric_id
from mock_symbl.insights.models import DEFAULT_CONFIDENCE_THRESHOLD
from mock_symbl.job_lifecycle import JobStatus, Progression
from mock_symbl.process import service as process_service
from mock_symbl.services import Services
from mock_symbl.settings import Settings
from mock_symbl.store import conversations as conv_repo
from mock_symbl.tenancy import Tenant

# Every insight type the engine can derive, so the demo shows all of them.
DEMO_OPTIONS: dict[str, Any] = {
    "confidenceThreshold": DEFAULT_CONFIDENCE_THRESHOLD,
    "detectPhrases": True,
    "detectEntities": True,
    "enableSummary": True,
    "enableAllTrackers": True,
}


class DemoError(Exception):
    """The demo could not be loaded (no transcript library, or a job failed)."""


@dataclass(frozen=True)
class LoadedPack:
    name: str
    title: str
    conversation_id: str
    created: bool  # False when it was already there
    audio: str | None  # path of the pack's demo recording, relative to the fixtures folder


def demo_conversation_id(app_id: str, namespace: str, pack: str) -> str:
    return stable_numeric_id("demo-pack", app_id, namespace, pack)


def text_request(transcript: Any, start: datetime) -> dict[str, Any]:
    """A Text API body carrying the transcript's lines, speakers and timings from `start`."""
    messages = []
    for line in transcript.lines:
        sender: dict[str, Any] = {"name": line.speaker}
        if line.email:
            sender.update(userId=line.email, email=line.email)
        messages.append(
            {
                "payload": {"content": line.text, "contentType": "text/plain"},
                "from": sender,
                "duration": {
                    "startTime": iso(start + timedelta(seconds=line.start)),
                    "endTime": iso(start + timedelta(seconds=line.end)),
                },
            }
        )
    return {"name": transcript.title, "messages": messages, **DEMO_OPTIONS}


def _audio_for(settings: Settings, pack: str) -> str | None:
    relative = f"audio/{pack}.mp3"
    return relative if (Path(settings.fixtures_dir) / relative).is_file() else None


def load_demo(services: Services, *, app_id: str = DEFAULT_APP_ID, namespace: str = "") -> list[LoadedPack]:
    """Load every pack of the transcript library into the tenant (app_id, namespace); idempotent."""
    library = services.transcripts
    tenant = Tenant(account=app_id, namespace=namespace)
    names = list(library.names())
    # One pack a day ending yesterday, at 15:00 UTC: plausible dates, fixed under a frozen clock.
    today = services.clock.now().replace(hour=15, minute=0, second=0, microsecond=0)
    loaded: list[LoadedPack] = []
    for index, name in enumerate(names):
        transcript = library.get(name)
        conversation_id = demo_conversation_id(app_id, namespace, name)
        audio = _audio_for(services.settings, name)
        start = today - timedelta(days=len(names) - index)
        with services.db.transaction() as session:
            try:
                existing = conv_repo.get_conversation(session, tenant, conversation_id)
            except NotFound:
                existing = None
            if existing is not None and existing.status == JobStatus.COMPLETED:
                loaded.append(LoadedPack(name, transcript.title, conversation_id, False, audio))
                continue
            if existing is not None:  # a load that stopped half-way: start that pack again
                conv_repo.delete_conversation(session, existing)
                session.flush()
            conv_repo.create_conversation(
                session,
                tenant,
                conversation_id=conversation_id,
                now=start,
                name=transcript.title,
                metadata={"demoPack": name, **({"audioFile": audio} if audio else {})},
            )
        job = process_service.submit(
            services,
            tenant,
            kind="text",
            request=text_request(transcript, start),
            conversation_id=conversation_id,
            progression=Progression.IMMEDIATE,
        )
        with services.db.session() as session:
            status = conv_repo.get_conversation(session, tenant, conversation_id).status
        if status != JobStatus.COMPLETED:
            raise DemoError(f"demo pack {name!r}: job {job.id} ended {status}")
        loaded.append(LoadedPack(name, transcript.title, conversation_id, True, audio))
    return loaded


# ---- command line -------------------------------------------------------------------------------------


def _public_url(settings: Settings, port: int) -> str:
    if settings.public_base_url:
        return settings.public_base_url.rstrip("/")
    host = "127.0.0.1" if settings.host in ("0.0.0.0", "::", "") else settings.host
    return f"http://{host}:{port}"


def describe(loaded: list[LoadedPack], *, settings: Settings, base_url: str, app_id: str) -> str:
    """What `mock-symbl demo` prints: the packs, the UI link and curl lines to read them."""
    secret = settings.allowed_apps().get(app_id) or "demo-secret"
    new = sum(1 for pack in loaded if pack.created)
    out = [
        f"Demo account {app_id!r}: {len(loaded)} conversations ({new} loaded now, {len(loaded) - new} already there)"
    ]
    for pack in loaded:
        audio = f"  audio: {Path(settings.fixtures_dir) / pack.audio}" if pack.audio else ""
        out.append(f"  {pack.conversation_id}  {pack.name:<20} {pack.title}{audio}")
    first = loaded[0].conversation_id if loaded else "<conversationId>"
    out += [
        "",
        f"Web UI:  {base_url}/__admin/ui/",
        "",
        "Read them with curl:",
        f"  TOKEN=$(curl -s -X POST {base_url}/oauth2/token:generate -H 'Content-Type: application/json' \\",
        f'    -d \'{{"type":"application","appId":"{app_id}","appSecret":"{secret}"}}\' \\',
        "    | python3 -c 'import json,sys; print(json.load(sys.stdin)[\"accessToken\"])')",
        f'  curl -s {base_url}/v1/conversations -H "Authorization: Bearer $TOKEN"',
    ]
    for what in ("messages", "questions", "action-items", "follow-ups", "topics", "entities", "summary"):
        out.append(f'  curl -s {base_url}/v1/conversations/{first}/{what} -H "Authorization: Bearer $TOKEN"')
    return "\n".join(out)


def _say(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def run(settings: Settings, args: argparse.Namespace) -> int:
    """Entry point of `mock-symbl demo`."""
    from mock_symbl.app import create_app
    from mock_symbl.server import MockServer

    app_id: str = args.app_id
    if not args.serve:
        if settings.in_memory:
            sys.stderr.write("mock-symbl demo: --no-serve with an in-memory database would keep nothing\n")
            return 2
        services: Services = create_app(settings).state.services
        try:
            loaded = load_demo(services, app_id=app_id, namespace=args.namespace)
        finally:
            services.db.close()
        _say(
            describe(loaded, settings=settings, base_url=_public_url(settings, settings.port), app_id=app_id)
        )
        return 0
    server = MockServer(settings)
    loaded = load_demo(server.services, app_id=app_id, namespace=args.namespace)
    _say(describe(loaded, settings=settings, base_url=_public_url(settings, server.port), app_id=app_id))
    _say(f"\nServing on {server.base_url} (Ctrl+C to stop)")
    server.run()
    return 0
