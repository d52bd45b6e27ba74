"""Audio/video submission: validate parameters, take the media to disk, read it, submit the job.

Uploads are checked in the order a client can act on: parameters and declared type (before a byte is
read), the conversation and the concurrency limit, then the body (size, emptiness, format, duration).
Anything wrong is a 4xx with nothing stored; the file is removed once its hash and duration are known.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from starlette.datastructures import QueryParams

from mock_symbl.errors import BadRequest
from mock_symbl.jobs.service import check_capacity
from mock_symbl.media.fetch import check_url
from mock_symbl.media.intake import StoredUpload, store_upload
from mock_symbl.media.probe import MediaError, probe
from mock_symbl.media.sniff import (
    AUDIO_CONTENT_TYPES,
    GENERIC_CONTENT_TYPES,
    VIDEO_CONTENT_TYPES,
    check_declared,
    media_type,
    sniff,
)
from mock_symbl.process import service as process_service
from mock_symbl.process.media_schemas import FILE_QUERY_PARAMS, URL_QUERY_PARAMS, MediaParams, MediaUrlRequest
from mock_symbl.services import Services
from mock_symbl.store import conversations as conv_repo
from mock_symbl.store.tables import Job
from mock_symbl.tenancy import Tenant
from mock_symbl.wire import query_values, validate

# Job kinds per (medium, from a URL?)
KINDS = {
    ("audio", False): "audio",
    ("audio", True): "audio_url",
    ("video", False): "video",
    ("video", True): "video_url",
}


def media_dir(services: Services) -> Path:
    """Where uploads land: data_dir/media, or beside the throw-away database when it is :memory:."""
    if services.settings.in_memory:
        return Path(services.db.path).parent / "media"
    return services.settings.data_dir / "media"


def file_params(query: QueryParams) -> dict[str, Any]:
    """The file routes' parameters (query string only), validated; 400 names the bad field."""
    data = query_values(query, FILE_QUERY_PARAMS)
    return validate(MediaParams, data).model_dump(by_alias=True, exclude_none=True, mode="json") | _raw(data)


def url_params(body: Any, query: QueryParams) -> dict[str, Any]:
    """The URL routes' parameters: JSON body, plus the few the REST client sends in the query."""
    if not isinstance(body, dict):
        raise BadRequest("The request body must be a JSON object with a url.")
    data = dict(body)
    for key, value in query_values(query, URL_QUERY_PARAMS).items():
        data.setdefault(key, value)
    problem = check_url(data.get("url"))
    if problem:
        raise BadRequest(problem)
    params = validate(MediaUrlRequest, data)
    return params.model_dump(by_alias=True, exclude_none=True, mode="json") | _raw(data)


def _raw(data: dict[str, Any]) -> dict[str, Any]:
    # Keep the documented-but-unmodelled extras (startTime, parentRefs, ...) exactly as sent.
    return {k: v for k, v in data.items() if k in ("startTime",) and v is not None}


def check_declared_type(content_type: str | None, *, medium: str) -> None:
    """Refuse a declared Content-Type the route never accepts, before reading the body."""
    declared = media_type(content_type)
    if declared == "multipart/form-data":
        return  # the file part's own type is checked after the upload
    if medium == "video" and declared not in VIDEO_CONTENT_TYPES:
        raise BadRequest(check_declared(declared, None, video=True))
    if medium == "audio" and declared not in AUDIO_CONTENT_TYPES and declared not in GENERIC_CONTENT_TYPES:
        raise BadRequest(check_declared(declared, None, video=False))


def precheck(services: Services, tenant: Tenant, conversation_id: str | None) -> None:
    """404 for an unknown conversation and 429 past the job limit, before a large body is read."""
    with services.db.session() as session:
        if conversation_id is not None:
            conv_repo.get_conversation(session, tenant, conversation_id)
        check_capacity(services, session, tenant)


async def receive(
    services: Services, chunks: AsyncIterator[bytes], *, content_type: str | None, content_length: str | None
) -> StoredUpload:
    """Stream the body to a fresh file under media_dir (413 past max_upload_bytes)."""
    return await store_upload(
        chunks,
        directory=media_dir(services),
        name=f"upload-{services.ids.uuid()}.bin",
        content_type=content_type,
        content_length=content_length,
        limit=services.settings.max_upload_bytes,
    )


def media_facts(upload: StoredUpload, *, medium: str) -> dict[str, Any]:
    """Check the bytes against the declared type and read them: what the job needs to know about the media."""
    kind = sniff(upload.head)
    problem = check_declared(upload.declared_type, kind, video=medium == "video", part=upload.from_part)
    if problem:
        raise BadRequest(problem)
    assert kind is not None
    try:
        info = probe(upload.path, kind)
    except MediaError as exc:
        raise BadRequest(str(exc)) from None
    return {
        "sha256": upload.sha256,
        "size": upload.size,
        "format": info.kind,
        "duration": round(info.duration, 3),
        "channels": info.channels,
        "sampleRate": info.sample_rate,
        "contentType": upload.declared_type or None,
        "filename": upload.filename,
    }


def submit_upload(
    services: Services,
    tenant: Tenant,
    *,
    medium: str,
    params: dict[str, Any],
    upload: StoredUpload,
    conversation_id: str | None,
    progression: str | None,
) -> Job:
    """Read the stored upload and submit its job; the file is gone afterwards whatever happens."""
    try:
        facts = media_facts(upload, medium=medium)
    finally:
        _remove(upload.path)
    if not params.get("name") and upload.filename:
        params = {**params, "name": upload.filename}
    return process_service.submit(
        services,
        tenant,
        kind=KINDS[(medium, False)],
        request={**params, "_media": facts},
        conversation_id=conversation_id,
        progression=progression,
        source=medium,
    )


def submit_url(
    services: Services,
    tenant: Tenant,
    *,
    medium: str,
    params: dict[str, Any],
    conversation_id: str | None,
    progression: str | None,
) -> Job:
    """Submit a media URL job (the URL is fetched, if at all, while the job is processed)."""
    return process_service.submit(
        services,
        tenant,
        kind=KINDS[(medium, True)],
        request=params,
        conversation_id=conversation_id,
        progression=progression,
        source=medium,
        media_url=params["url"].strip(),
    )


def discard(upload: StoredUpload | None) -> None:
    if upload is not None:
        _remove(upload.path)


def _remove(path: Path) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
