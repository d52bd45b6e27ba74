"""Conversation core routes: get, update metadata, delete, messages, members."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from mock_symbl.conversations import recorded, service
from mock_symbl.conversations.cached_read import messages_key
from mock_symbl.conversations.schemas import (
    ConversationOut,
    ConversationUpdate,
    DeleteResponse,
    MembersResponse,
    MessagesResponse,
)
from mock_symbl.deps import ServicesDep, TenantDep
from mock_symbl.errors import BadRequest
from mock_symbl.jobs.deferred import ensure_bundle
from mock_symbl.wire import AnswerRoute, query_values

router = APIRouter(prefix="/v1/conversations", tags=["Conversation API"], route_class=AnswerRoute)


@router.get("/{conversationId}", response_model=ConversationOut)
def get_conversation(
    conversationId: str, tenant: TenantDep, services: ServicesDep
) -> dict[str, Any] | Response:
    """Return a conversation with its members and metadata."""
    if (body := recorded.lookup(services, tenant, conversationId, "conversation")) is not None:
        return Response(body, media_type="application/json")  # imported: the recorded answer, as recorded
    return service.get(services, tenant, conversationId)


@router.put("/{conversationId}", response_model=ConversationOut)
def update_conversation(
    conversationId: str, body: ConversationUpdate, tenant: TenantDep, services: ServicesDep
) -> dict[str, Any]:
    """Update a conversation's metadata (the only updatable field)."""
    return service.update_metadata(services, tenant, conversationId, body.metadata)


@router.delete("/{conversationId}", response_model=DeleteResponse)
def delete_conversation(conversationId: str, tenant: TenantDep, services: ServicesDep) -> DeleteResponse:
    """Delete a conversation and everything derived from it."""
    service.delete(services, tenant, conversationId)
    return DeleteResponse(message="successfully deleted the conversation")


def _exclude(request: Request) -> list[str]:
    raw = query_values(request.query_params, ["exclude"]).get("exclude")
    if raw is None:
        return []
    items = raw if isinstance(raw, list) else [raw]
    flat: list[str] = []
    for item in items:
        flat.extend(item if isinstance(item, list) else str(item).split(","))
    if not all(isinstance(x, str) for x in flat):
        raise BadRequest('"exclude" must be an array of entity types')
    return [x.strip() for x in flat if x.strip()]


@router.get("/{conversationId}/messages", response_model=MessagesResponse)
async def get_messages(
    conversationId: str,
    request: Request,
    tenant: TenantDep,
    services: ServicesDep,
    verbose: Annotated[bool, Query()] = False,
    sentiment: Annotated[bool, Query()] = False,
    redact: Annotated[
        bool | None, Query(description="default: the account's redaction.default setting")
    ] = None,
    exclude: Annotated[str | None, Query(description='JSON array, e.g. ["PERSON_NAME"]')] = None,
) -> Response:
    """Return the conversation's transcript as sentence-level messages."""
    excluded = tuple(_exclude(request)) if exclude is not None else ()
    # The most read answer of the API: served from the answer cache while nothing was written since it was
    # rendered (store/answers.py); async so a cache hit costs no threadpool hop. A plain read's hit is served
    # before the routing by cached_read.py, under the same key.
    key = messages_key(tenant, conversationId, verbose, sentiment, redact, excluded)
    body, generation = services.answers.lookup(key)
    if body is None:

        def render() -> tuple[bytes, int]:
            # A bundle deferred by the job is computed (and stored: a write) first, so the answer is cached
            # under the generation that follows that write.
            ensure_bundle(services, conversationId)
            generation = services.answers.generation
            params = request.query_params.multi_items()
            if (body := recorded.lookup(services, tenant, conversationId, "messages", params)) is not None:
                return body, generation
            messages = service.messages(
                services,
                tenant,
                conversationId,
                verbose=verbose,
                sentiment=sentiment,
                redact=redact,
                exclude=list(excluded),
            )
            # Rendered from the answer model, exactly as a plain response_model route would.
            return MessagesResponse.model_validate({"messages": messages}).model_dump_json(
                by_alias=True, exclude_unset=True
            ).encode(), generation

        rendered, generation = await run_in_threadpool(render)
        services.answers.store(key, generation, rendered)
        body = rendered
    return Response(body, media_type="application/json")


@router.get("/{conversationId}/members", response_model=MembersResponse)
def get_members(conversationId: str, tenant: TenantDep, services: ServicesDep) -> dict[str, Any] | Response:
    """Return the conversation's members."""
    if (body := recorded.lookup(services, tenant, conversationId, "members")) is not None:
        return Response(body, media_type="application/json")
    return {"members": service.members(services, tenant, conversationId)}
