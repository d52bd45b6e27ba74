"""Telephony API routes: POST /v1/endpoint:connect (start | stop) and POST /v1/event/{connectionId}."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from mock_symbl.deps import ServicesDep, TenantDep
from mock_symbl.errors import BadRequest
from mock_symbl.telephony import service
from mock_symbl.telephony.schemas import ConnectRequest, SpeakerEvent
from mock_symbl.wire import validate

router = APIRouter()


def _base(request: Request, services: ServicesDep) -> str:
    return (services.settings.public_base_url or str(request.base_url)).rstrip("/")


async def _json(request: Request) -> Any:
    try:
        return await request.json()
    except ValueError:
        raise BadRequest("Malformed JSON in request body.") from None


@router.post("/v1/endpoint:connect", status_code=201)
async def endpoint_connect(request: Request, tenant: TenantDep, services: ServicesDep) -> JSONResponse:
    """Start a PSTN/SIP call (201 with its connection and URLs) or stop one (200 with summaryInfo)."""
    body = validate(ConnectRequest, await _json(request))
    if body.operation == "start":
        return JSONResponse(
            await service.start(services, tenant, body, _base(request, services)), status_code=201
        )
    return JSONResponse(await service.stop(services, tenant, body.connectionId, _base(request, services)))


@router.post("/v1/event/{connectionId}")
async def push_event(
    connectionId: str, request: Request, tenant: TenantDep, services: ServicesDep
) -> dict[str, Any]:
    """Speaker event (started_speaking, stopped_speaking, joined, left) for a live call."""
    data = await _json(request)
    validate(SpeakerEvent, data)
    await service.push_event(services, tenant, connectionId, data)
    return {}
