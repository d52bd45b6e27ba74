"""Telephony API routes: POST /v1/endpoint:connect (start | stop) and POST /v1/event/{connectionId}."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

from mock_symbl.deps import ServicesDep, TenantDep
from mock_symbl.telephony import service
from mock_symbl.telephony.schemas import ConnectRequest, ConnectResponse, EventAccepted, SpeakerEvent
from mock_symbl.wire import AnswerRoute

router = APIRouter(route_class=AnswerRoute)


def _base(request: Request, services: ServicesDep) -> str:
    return (services.settings.public_base_url or str(request.base_url)).rstrip("/")


@router.post(
    "/v1/endpoint:connect",
    status_code=201,
    response_model=ConnectResponse,
    responses={200: {"model": ConnectResponse, "description": "The call was stopped (with summaryInfo)."}},
)
async def endpoint_connect(
    body: ConnectRequest, request: Request, response: Response, tenant: TenantDep, services: ServicesDep
) -> dict[str, Any]:
    """Start a PSTN/SIP call (201 with its connection and URLs) or stop one (200 with summaryInfo)."""
    if body.operation == "start":
        return await service.start(services, tenant, body, _base(request, services))
    response.status_code = 200
    return await service.stop(services, tenant, body.connectionId or "", _base(request, services))


@router.post("/v1/event/{connectionId}", response_model=EventAccepted)
async def push_event(
    connectionId: str, body: SpeakerEvent, tenant: TenantDep, services: ServicesDep
) -> dict[str, Any]:
    """Speaker event (started_speaking, stopped_speaking, joined, left) for a live call."""
    await service.push_event(services, tenant, connectionId, body.model_dump(exclude_unset=True))
    return {}
