"""Async text routes: POST /v1/process/text and PUT /v1/process/text/{conversationId}."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Request

from mock_symbl.deps import ServicesDep, TenantDep
from mock_symbl.process import service
from mock_symbl.process.schemas import QUERY_PARAMS, ProcessResponse, TextRequest, progression_header
from mock_symbl.services import Services
from mock_symbl.tenancy import Tenant
from mock_symbl.wire import query_values, validate

router = APIRouter(tags=["Async API"])


def _merged(body: TextRequest, request: Request) -> dict[str, Any]:
    # The Text API takes parameters in the body or the query (the REST client sends webhookUrl as query).
    data = body.model_dump(by_alias=True, exclude_none=True)
    for key, value in query_values(request.query_params, QUERY_PARAMS).items():
        data.setdefault(key, value)
    validate(TextRequest, data)  # query values are validated like body values
    return data


def _submit(
    body: TextRequest,
    request: Request,
    tenant: Tenant,
    services: Services,
    progression: str | None,
    conversation_id: str | None,
) -> ProcessResponse:
    job = service.submit(
        services,
        tenant,
        kind="text",
        request=_merged(body, request),
        conversation_id=conversation_id,
        progression=progression_header(progression),
    )
    return ProcessResponse(conversationId=job.conversation_id, jobId=job.id)


@router.post("/v1/process/text", response_model=ProcessResponse)
def process_text(
    body: TextRequest,
    request: Request,
    tenant: TenantDep,
    services: ServicesDep,
    x_mock_job_progression: Annotated[str | None, Header()] = None,
) -> ProcessResponse:
    """Submit a text conversation; returns its conversationId and jobId."""
    return _submit(body, request, tenant, services, x_mock_job_progression, None)


@router.put("/v1/process/text/{conversationId}", response_model=ProcessResponse)
def append_text(
    conversationId: str,
    body: TextRequest,
    request: Request,
    tenant: TenantDep,
    services: ServicesDep,
    x_mock_job_progression: Annotated[str | None, Header()] = None,
) -> ProcessResponse:
    """Append text messages to an existing conversation; returns a new jobId."""
    return _submit(body, request, tenant, services, x_mock_job_progression, conversationId)
