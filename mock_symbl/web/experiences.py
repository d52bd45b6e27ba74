"""Experience API routes: signed URLs of the summary pages and the Insights UI (rest.md §5.20–5.21)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from mock_symbl.conversations import insights_service
from mock_symbl.deps import ServicesDep, TenantDep
from mock_symbl.services import Services
from mock_symbl.web import service
from mock_symbl.web.schemas import (
    ExperienceRequest,
    ExperienceResponse,
    MediaUrlRequest,
    SummaryAnswer,
    SummaryRequest,
    UrlResponse,
)
from mock_symbl.wire import AnswerRoute, validate

router = APIRouter(prefix="/v1/conversations", tags=["Experience API"], route_class=AnswerRoute)


def base_url(services: Services, request: Request) -> str:
    """settings.public_base_url, else the base URL the caller used (so links work behind port mappings)."""
    return services.settings.public_base_url or str(request.base_url)


@router.get("/experiences/insights/list", response_model=UrlResponse)
def insights_list(
    request: Request,
    tenant: TenantDep,
    services: ServicesDep,
    includeCallScore: Annotated[bool, Query()] = False,
) -> dict[str, str]:
    """Return the URL of the Insights UI listing every conversation of the caller."""
    return service.insights_list(services, tenant, includeCallScore, base_url(services, request))


@router.get("/experiences/insights/details/{conversationId}", response_model=UrlResponse)
def insights_details(
    conversationId: str,
    request: Request,
    tenant: TenantDep,
    services: ServicesDep,
    includeCallScore: Annotated[bool, Query()] = False,
) -> dict[str, str]:
    """Return the URL of the Insights UI page of one conversation."""
    return service.insights_details(
        services, tenant, conversationId, includeCallScore, base_url(services, request)
    )


@router.post("/{conversationId}/experiences", response_model=ExperienceResponse)
def create_experience(
    conversationId: str, body: ExperienceRequest, request: Request, tenant: TenantDep, services: ServicesDep
) -> dict[str, str]:
    """Return the signed URL of a verbose-text-summary, video-summary or audio-summary page."""
    return service.create_experience(services, tenant, conversationId, body, base_url(services, request))


# POST .../summary belongs to the Conversation API, but it is also an alias of POST .../experiences, so it is
# served here: the Experience API depends on the conversations area, never the other way round.
@router.post("/{conversationId}/summary", tags=["Conversation API: insights"], response_model=SummaryAnswer)
def post_summary(
    conversationId: str,
    request: Request,
    tenant: TenantDep,
    services: ServicesDep,
    refresh: Annotated[bool, Query()] = False,
    body: SummaryRequest | None = None,
) -> Any:
    """Summarize again (refresh=true all, false only new messages); a body with `name` is POST /experiences."""
    if body is not None and "name" in body.model_fields_set:
        # The Go SDK posts the Experience API body here instead of to /experiences (rest.md §5.20, §12 item 17).
        experience = validate(ExperienceRequest, body.model_dump(exclude_unset=True))
        return service.create_experience(
            services, tenant, conversationId, experience, base_url(services, request)
        )
    return insights_service.summary(services, tenant, conversationId, refresh=refresh)


@router.put("/{conversationId}/experiences/url", response_model=UrlResponse)
def update_media_url(
    conversationId: str, body: MediaUrlRequest, tenant: TenantDep, services: ServicesDep
) -> dict[str, str]:
    """Set the audio/video URL the Insights UI plays for the conversation."""
    return service.set_media_url(services, tenant, conversationId, body.url)
