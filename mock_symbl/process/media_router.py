"""Async audio/video routes: /v1/process/{audio,video}[/url][/{conversationId}] (rest.md §3.3–3.6).

The file routes are `async` (unlike the rest of the API) because they stream the request body to disk
as it arrives; everything touching the database still runs in a worker thread.
"""

from __future__ import annotations

import json
from functools import partial
from typing import Annotated, Any

import anyio
from fastapi import APIRouter, Header, Request
from starlette.requests import ClientDisconnect

from mock_symbl.deps import ServicesDep, TenantDep
from mock_symbl.errors import BadRequest, PayloadTooLarge
from mock_symbl.process import media_service
from mock_symbl.process.media_openapi import AUDIO_FILE, URL_ROUTE, VIDEO_FILE
from mock_symbl.process.schemas import ProcessResponse, progression_header
from mock_symbl.services import Services
from mock_symbl.tenancy import Tenant

router = APIRouter(tags=["Async API"])

ProgressionHeader = Annotated[str | None, Header()]


async def _file(
    request: Request,
    services: Services,
    tenant: Tenant,
    *,
    medium: str,
    conversation_id: str | None,
    progression: str | None,
) -> ProcessResponse:
    mode = progression_header(progression)
    params = media_service.file_params(request.query_params)
    content_type = request.headers.get("content-type")
    media_service.check_declared_type(content_type, medium=medium)
    await anyio.to_thread.run_sync(media_service.precheck, services, tenant, conversation_id)
    try:
        upload = await media_service.receive(
            services,
            request.stream(),
            content_type=content_type,
            content_length=request.headers.get("content-length"),
        )
    except ClientDisconnect:
        # The client went away mid-upload (the partial file is already gone): a client error, not ours.
        raise BadRequest("The upload was interrupted before the whole body arrived.") from None
    try:
        job = await anyio.to_thread.run_sync(
            partial(
                media_service.submit_upload,
                services,
                tenant,
                medium=medium,
                params=params,
                upload=upload,
                conversation_id=conversation_id,
                progression=mode,
            )
        )
    finally:
        media_service.discard(upload)
    return ProcessResponse(conversationId=job.conversation_id, jobId=job.id)


# A URL request is a small JSON document; a bigger body is refused without being held in memory.
MAX_JSON_BYTES = 1024 * 1024


async def _json_body(request: Request) -> Any:
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_JSON_BYTES:
            raise PayloadTooLarge(f"The JSON body is larger than {MAX_JSON_BYTES} bytes.")
        chunks.append(chunk)
    raw = b"".join(chunks)
    if not raw.strip():
        raise BadRequest('"url" is required')
    try:
        return json.loads(raw)
    except ValueError:
        raise BadRequest("Malformed JSON in request body.") from None


async def _url(
    request: Request,
    services: Services,
    tenant: Tenant,
    *,
    medium: str,
    conversation_id: str | None,
    progression: str | None,
) -> ProcessResponse:
    mode = progression_header(progression)
    params = media_service.url_params(await _json_body(request), request.query_params)
    job = await anyio.to_thread.run_sync(
        partial(
            media_service.submit_url,
            services,
            tenant,
            medium=medium,
            params=params,
            conversation_id=conversation_id,
            progression=mode,
        )
    )
    return ProcessResponse(conversationId=job.conversation_id, jobId=job.id)


@router.post("/v1/process/audio/url", response_model=ProcessResponse, openapi_extra=URL_ROUTE)
async def process_audio_url(
    request: Request,
    tenant: TenantDep,
    services: ServicesDep,
    x_mock_job_progression: ProgressionHeader = None,
) -> ProcessResponse:
    """Submit a publicly reachable audio URL; returns its conversationId and jobId."""
    return await _url(
        request, services, tenant, medium="audio", conversation_id=None, progression=x_mock_job_progression
    )


@router.put("/v1/process/audio/url/{conversationId}", response_model=ProcessResponse, openapi_extra=URL_ROUTE)
async def append_audio_url(
    conversationId: str,
    request: Request,
    tenant: TenantDep,
    services: ServicesDep,
    x_mock_job_progression: ProgressionHeader = None,
) -> ProcessResponse:
    """Append the audio at a URL to an existing conversation; returns a new jobId."""
    return await _url(
        request,
        services,
        tenant,
        medium="audio",
        conversation_id=conversationId,
        progression=x_mock_job_progression,
    )


@router.post("/v1/process/video/url", response_model=ProcessResponse, openapi_extra=URL_ROUTE)
async def process_video_url(
    request: Request,
    tenant: TenantDep,
    services: ServicesDep,
    x_mock_job_progression: ProgressionHeader = None,
) -> ProcessResponse:
    """Submit a publicly reachable MP4 video URL; returns its conversationId and jobId."""
    return await _url(
        request, services, tenant, medium="video", conversation_id=None, progression=x_mock_job_progression
    )


@router.put("/v1/process/video/url/{conversationId}", response_model=ProcessResponse, openapi_extra=URL_ROUTE)
async def append_video_url(
    conversationId: str,
    request: Request,
    tenant: TenantDep,
    services: ServicesDep,
    x_mock_job_progression: ProgressionHeader = None,
) -> ProcessResponse:
    """Append the MP4 video at a URL to an existing conversation; returns a new jobId."""
    return await _url(
        request,
        services,
        tenant,
        medium="video",
        conversation_id=conversationId,
        progression=x_mock_job_progression,
    )


@router.post("/v1/process/audio", response_model=ProcessResponse, openapi_extra=AUDIO_FILE)
async def process_audio(
    request: Request,
    tenant: TenantDep,
    services: ServicesDep,
    x_mock_job_progression: ProgressionHeader = None,
) -> ProcessResponse:
    """Submit an audio file (raw bytes, or one multipart file part); returns conversationId and jobId."""
    return await _file(
        request, services, tenant, medium="audio", conversation_id=None, progression=x_mock_job_progression
    )


@router.put("/v1/process/audio/{conversationId}", response_model=ProcessResponse, openapi_extra=AUDIO_FILE)
async def append_audio(
    conversationId: str,
    request: Request,
    tenant: TenantDep,
    services: ServicesDep,
    x_mock_job_progression: ProgressionHeader = None,
) -> ProcessResponse:
    """Append an audio file to an existing conversation; returns a new jobId."""
    return await _file(
        request,
        services,
        tenant,
        medium="audio",
        conversation_id=conversationId,
        progression=x_mock_job_progression,
    )


@router.post("/v1/process/video", response_model=ProcessResponse, openapi_extra=VIDEO_FILE)
async def process_video(
    request: Request,
    tenant: TenantDep,
    services: ServicesDep,
    x_mock_job_progression: ProgressionHeader = None,
) -> ProcessResponse:
    """Submit an MP4 video file (Content-Type video/mp4); returns conversationId and jobId."""
    return await _file(
        request, services, tenant, medium="video", conversation_id=None, progression=x_mock_job_progression
    )


@router.put("/v1/process/video/{conversationId}", response_model=ProcessResponse, openapi_extra=VIDEO_FILE)
async def append_video(
    conversationId: str,
    request: Request,
    tenant: TenantDep,
    services: ServicesDep,
    x_mock_job_progression: ProgressionHeader = None,
) -> ProcessResponse:
    """Append an MP4 video file to an existing conversation; returns a new jobId."""
    return await _file(
        request,
        services,
        tenant,
        medium="video",
        conversation_id=conversationId,
        progression=x_mock_job_progression,
    )
