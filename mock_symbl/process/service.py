"""Async text submission: create or find the conversation, then submit a job."""

from __future__ import annotations

from typing import Any

from mock_symbl.clock import parse_iso
from mock_symbl.errors import BadRequest
from mock_symbl.jobs import service as jobs
from mock_symbl.services import Services
from mock_symbl.store import conversations as conv_repo
from mock_symbl.store.tables import Job
from mock_symbl.tenancy import Tenant


def _check_durations(request: dict[str, Any]) -> None:
    for i, message in enumerate(request.get("messages") or []):
        duration = message.get("duration")
        if not duration:
            continue
        for key in ("startTime", "endTime"):
            try:
                parse_iso(str(duration.get(key)))
            except ValueError as exc:
                raise BadRequest(f'"messages[{i}].duration.{key}" must be a valid ISO 8601 date') from exc
        if parse_iso(duration["endTime"]) < parse_iso(duration["startTime"]):
            raise BadRequest(f'"messages[{i}].duration.endTime" must not be before startTime')


def submit(
    services: Services,
    tenant: Tenant,
    *,
    kind: str,
    request: dict[str, Any],
    conversation_id: str | None = None,
    progression: str | None = None,
    source: str = "text",
    media_url: str | None = None,
) -> Job:
    """Create the conversation (POST) or find it (PUT, 404 otherwise) and submit a job for it."""
    if kind == "text":
        _check_durations(request)
    with services.db.transaction() as session:
        if conversation_id is None:
            conv = conv_repo.create_conversation(
                session,
                tenant,
                conversation_id=services.ids.numeric(),
                now=services.clock.now(),
                name=request.get("name"),
                source=source,
                metadata=request.get("metadata") if isinstance(request.get("metadata"), dict) else None,
                media_url=media_url,
            )
        else:
            conv = conv_repo.get_conversation(session, tenant, conversation_id)
            if media_url:
                conv.media_url = media_url
        job = jobs.submit_job(
            services,
            session,
            tenant,
            conversation_id=conv.id,
            kind=kind,
            request=request,
            webhook_url=request.get("webhookUrl"),
            progression=progression,
        )
        conv.status = job.status
        session.add(conv)
    jobs.after_submit(services, job)
    return job
