"""Insight routes under /v1/conversations/{conversationId}: every answer is rendered from the stored bundle."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from mock_symbl.conversations import insights_service as service
from mock_symbl.conversations import recorded
from mock_symbl.conversations.insights_schemas import (
    AbstractTopicsList,
    ActionItemsList,
    Analytics,
    CallScore,
    ComprehensiveActionItemsList,
    DetectedTracker,
    EntitiesList,
    FollowUpsList,
    InsightsList,
    IntentsList,
    LmInsight,
    MemberUpdate,
    MessageResponse,
    QuestionsList,
    SpeakerEvents,
    StatusResponse,
    SummaryList,
    TopicsList,
    TranscriptRequest,
    TranscriptResponse,
)
from mock_symbl.deps import ServicesDep, TenantDep, is_labs
from mock_symbl.errors import BadRequest, NotFound
from mock_symbl.insights import views
from mock_symbl.services import Services
from mock_symbl.tenancy import Tenant
from mock_symbl.wire import AnswerRoute, json_bytes, query_values

router = APIRouter(prefix="/v1/conversations", tags=["Conversation API: insights"], route_class=AnswerRoute)

Flag = Annotated[bool, Query()]


def _recorded(
    services: Services, tenant: Tenant, conversation_id: str, resource: str, request: Request | None = None
) -> Response | None:
    """The answer imported from a recording for this resource (and parameters), as recorded."""
    params = request.query_params.multi_items() if request is not None else ()
    body = recorded.lookup(services, tenant, conversation_id, resource, params)
    return Response(body, media_type="application/json") if body is not None else None


def require_labs(request: Request) -> None:
    """Labs-only routes do not exist on the main host (checked before authentication)."""
    if not is_labs(request):
        raise NotFound("Route not found.")


LabsOnly = Annotated[None, Depends(require_labs)]


def _vocabulary(request: Request) -> list[str] | None:
    """customTopicVocabulary (or the older customVocabulary): true, a term list, repeated keys or CSV."""
    values = query_values(request.query_params, ["customTopicVocabulary", "customVocabulary"])
    raw = values.get("customTopicVocabulary", values.get("customVocabulary"))
    if raw is None or raw is False or raw == "":
        return None
    if raw is True:
        return []
    items = raw if isinstance(raw, list) else [raw]
    terms: list[str] = []
    for item in items:
        if isinstance(item, list):
            terms.extend(str(x) for x in item)
        elif isinstance(item, str):
            terms.extend(part for part in item.split(","))
    return [t.strip() for t in terms if t.strip()]


@router.get("/{conversationId}/insights", response_model=InsightsList)
def get_insights(conversationId: str, tenant: TenantDep, services: ServicesDep) -> dict[str, Any] | Response:
    """Questions, action items and follow-ups in one list."""
    combined = recorded.insights(
        services,
        tenant,
        conversationId,
        lambda: service.render(services, tenant, conversationId, views.insights),
    )
    if combined is not None:
        # Imported: the recorded questions, action items and follow-ups together, served as recorded (like
        # every recorded answer): Symbl's own items need not match the mock's answer model.
        return Response(json_bytes(combined), media_type="application/json")
    result: dict[str, Any] = service.render(services, tenant, conversationId, views.insights)
    return result


@router.get("/{conversationId}/questions", response_model=QuestionsList)
def get_questions(conversationId: str, tenant: TenantDep, services: ServicesDep) -> dict[str, Any] | Response:
    """Questions asked in the conversation."""
    if (hit := _recorded(services, tenant, conversationId, "questions")) is not None:
        return hit
    result: dict[str, Any] = service.render(services, tenant, conversationId, views.questions)
    return result


@router.get("/{conversationId}/action-items", response_model=ActionItemsList)
def get_action_items(
    conversationId: str, tenant: TenantDep, services: ServicesDep
) -> dict[str, Any] | Response:
    """Action items (commitments and requests)."""
    if (hit := _recorded(services, tenant, conversationId, "action-items")) is not None:
        return hit
    result: dict[str, Any] = service.render(services, tenant, conversationId, views.action_items)
    return result


@router.get("/{conversationId}/follow-ups", response_model=FollowUpsList)
def get_follow_ups(
    conversationId: str, tenant: TenantDep, services: ServicesDep
) -> dict[str, Any] | Response:
    """Follow-ups: action items about meeting, calling, emailing or scheduling."""
    if (hit := _recorded(services, tenant, conversationId, "follow-ups")) is not None:
        return hit
    result: dict[str, Any] = service.render(services, tenant, conversationId, views.follow_ups)
    return result


@router.get("/{conversationId}/topics", response_model=TopicsList)
def get_topics(
    conversationId: str,
    request: Request,
    tenant: TenantDep,
    services: ServicesDep,
    sentiment: Flag = False,
    parentRefs: Flag = False,
    refresh: Flag = False,
) -> dict[str, Any] | Response:
    """Topics with scores and message ids; sentiment, hierarchy and custom vocabulary on request."""
    if not refresh and (hit := _recorded(services, tenant, conversationId, "topics", request)) is not None:
        return hit
    return service.topics(
        services,
        tenant,
        conversationId,
        sentiment=sentiment,
        parent_refs=parentRefs,
        vocabulary=_vocabulary(request),
        refresh=refresh,
    )


@router.get("/{conversationId}/entities", response_model=EntitiesList)
def get_entities(conversationId: str, tenant: TenantDep, services: ServicesDep) -> dict[str, Any] | Response:
    """Detected entities (2023 grouped format by default, 2022 flat format by setting)."""
    if (hit := _recorded(services, tenant, conversationId, "entities")) is not None:
        return hit
    return service.entities(services, tenant, conversationId)


@router.get("/{conversationId}/analytics", response_model=Analytics)
def get_analytics(conversationId: str, tenant: TenantDep, services: ServicesDep) -> dict[str, Any] | Response:
    """Talk time, listen time, silence, overlap and pace."""
    if (hit := _recorded(services, tenant, conversationId, "analytics")) is not None:
        return hit
    result: dict[str, Any] = service.render(services, tenant, conversationId, views.analytics)
    return result


@router.get("/{conversationId}/trackers", response_model=list[DetectedTracker])
def get_trackers(
    conversationId: str, tenant: TenantDep, services: ServicesDep
) -> list[dict[str, Any]] | Response:
    """Trackers detected in the conversation (a bare array)."""
    if (hit := _recorded(services, tenant, conversationId, "trackers")) is not None:
        return hit
    result: list[dict[str, Any]] = service.render(services, tenant, conversationId, views.trackers)
    return result


@router.get("/{conversationId}/trackers-detected", response_model=list[DetectedTracker])
def get_trackers_detected(
    conversationId: str, tenant: TenantDep, services: ServicesDep
) -> list[dict[str, Any]] | Response:
    """Trackers detected in the conversation (2022 name of /trackers)."""
    if (hit := _recorded(services, tenant, conversationId, "trackers")) is not None:
        return hit
    result: list[dict[str, Any]] = service.render(services, tenant, conversationId, views.trackers)
    return result


@router.get("/{conversationId}/intents", response_model=IntentsList)
def get_intents(conversationId: str, tenant: TenantDep, services: ServicesDep) -> dict[str, Any]:
    """Intents (interested, not_interested, do_not_call, answering_machine)."""
    result: dict[str, Any] = service.render(services, tenant, conversationId, views.intents)
    return result


@router.get("/{conversationId}/summary", response_model=SummaryList)
def get_summary(
    conversationId: str, tenant: TenantDep, services: ServicesDep, refresh: Flag = False
) -> dict[str, Any] | Response:
    """Extractive summary; refresh=true regenerates it (404 while the conversation is in progress)."""
    if not refresh and (hit := _recorded(services, tenant, conversationId, "summary")) is not None:
        return hit
    return service.summary(services, tenant, conversationId, refresh=True if refresh else None)


@router.post("/{conversationId}/transcript", response_model=TranscriptResponse)
def post_transcript(
    conversationId: str, tenant: TenantDep, services: ServicesDep, body: TranscriptRequest | None = None
) -> dict[str, Any]:
    """Formatted transcript as markdown or SRT."""
    if body is None:
        raise BadRequest('"contentType" is required')
    req = body
    return service.formatted_transcript(
        services,
        tenant,
        conversationId,
        content_type=req.content_type,
        create_paragraphs=req.create_paragraphs,
        show_speaker_separation=req.show_speaker_separation,
        highlight_insights=req.phrases.highlight_only_insight_key_phrases,
        highlight_all=req.phrases.highlight_all_key_phrases,
    )


@router.get("/{conversationId}/callscore", response_model=CallScore)
def get_callscore(conversationId: str, tenant: TenantDep, services: ServicesDep) -> dict[str, Any]:
    """Call score: each criterion scored out of 100 by transparent rules, total = mean."""
    return service.callscore(services, tenant, conversationId)


@router.get("/{conversationId}/callscore/status", response_model=StatusResponse)
def get_callscore_status(conversationId: str, tenant: TenantDep, services: ServicesDep) -> dict[str, Any]:
    """Status of the call score computation (the latest job's status)."""
    return service.status(services, tenant, conversationId)


@router.get("/{conversationId}/lm-insights", response_model=list[LmInsight])
def get_lm_insights(conversationId: str, tenant: TenantDep, services: ServicesDep) -> list[dict[str, Any]]:
    """Language-model style insights report (an array with one element)."""
    return service.lm_insights(services, tenant, conversationId)


@router.get("/{conversationId}/lm-insights/status", response_model=StatusResponse)
def get_lm_insights_status(conversationId: str, tenant: TenantDep, services: ServicesDep) -> dict[str, Any]:
    """Status of the lm-insights computation (the latest job's status)."""
    return service.status(services, tenant, conversationId)


@router.put("/{conversationId}/members/{memberId}", response_model=MessageResponse)
def put_member(
    conversationId: str,
    memberId: str,
    tenant: TenantDep,
    services: ServicesDep,
    body: MemberUpdate | None = None,
) -> dict[str, Any]:
    """Rename a member; messages and insights follow."""
    if body is None:
        raise BadRequest('"id" is required')
    req = body
    if req.id != memberId:
        raise BadRequest('"id" must match the member id in the path')
    message = service.update_member(
        services, tenant, conversationId, memberId, name=req.name, email=req.email
    )
    return {"message": message}


@router.put("/{conversationId}/speakers", response_model=MessageResponse)
def put_speakers(
    conversationId: str, tenant: TenantDep, services: ServicesDep, body: SpeakerEvents | None = None
) -> dict[str, Any]:
    """Speaker events: re-attribute messages (and insights) to the users speaking at their time."""
    if body is None:
        raise BadRequest('"speakerEvents" is required')
    req = body
    events = []
    for event in req.speaker_events:
        user = event.user.model_dump(by_alias=True, exclude_none=True)
        key = next(
            (v for v in (event.user.user_id, event.user.id, event.user.email, event.user.name) if v), None
        )
        if key is None:
            raise BadRequest('"speakerEvents[].user" needs an id, userId, email or name')
        seconds = event.offset.seconds + event.offset.nanos / 1e9
        events.append({"type": event.type, "user": user, "seconds": seconds, "key": key.lower()})
    return {"message": service.speaker_events(services, tenant, conversationId, events)}


@router.get("/{conversationId}/abstract-topics", response_model=AbstractTopicsList)
def get_abstract_topics(
    conversationId: str, _labs: LabsOnly, tenant: TenantDep, services: ServicesDep
) -> dict[str, Any]:
    """Labs only: abstract topics."""
    result: dict[str, Any] = service.render(services, tenant, conversationId, views.abstract_topics)
    return result


@router.get("/{conversationId}/comprehensive/action-items", response_model=ComprehensiveActionItemsList)
def get_comprehensive_action_items(
    conversationId: str, _labs: LabsOnly, tenant: TenantDep, services: ServicesDep
) -> dict[str, Any]:
    """Labs only: comprehensive action items (messageRefs instead of messageIds)."""
    result: dict[str, Any] = service.render(
        services, tenant, conversationId, views.comprehensive_action_items
    )
    return result
