"""GET /v1/conversations (rest.md §5.1) and GET /v1/groups/{groupId}/conversations (§5.24)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from mock_symbl.conversations import list_service
from mock_symbl.conversations.schemas import ConversationList
from mock_symbl.deps import ServicesDep, SessionDep, TenantDep
from mock_symbl.wire import AnswerRoute

router = APIRouter(tags=["Conversation API"], route_class=AnswerRoute)


def list_params(
    limit: Annotated[str | None, Query(description="0-65536, default 20")] = None,
    offset: Annotated[str | None, Query(description="items to skip, default 0")] = None,
    order: Annotated[str | None, Query(description="asc (default) or desc")] = None,
    sort: Annotated[
        str | None, Query(description="conversation.startTime (default), .endTime, .name, .id, .type")
    ] = None,
    startTime: Annotated[str | None, Query(description="ISO 8601; default endTime - 7 days")] = None,
    endTime: Annotated[str | None, Query(description="ISO 8601; default now")] = None,
    filter: Annotated[
        str | None, Query(description="RSQL: ==, !=, =in=, =out=, <, <=, >, >=; and/; only")
    ] = None,
) -> dict[str, str | None]:
    # Declared as strings: the service validates them and answers Symbl's 400 messages.
    return {
        "limit": limit,
        "offset": offset,
        "order": order,
        "sort": sort,
        "startTime": startTime,
        "endTime": endTime,
        "filter": filter,
    }


ParamsDep = Annotated[dict[str, str | None], Depends(list_params)]


@router.get("/v1/conversations", response_model=ConversationList)
def list_conversations(
    params: ParamsDep, tenant: TenantDep, services: ServicesDep, session: SessionDep
) -> dict[str, Any]:
    """List the account's conversations: limit/offset/order/sort, startTime/endTime window, RSQL filter."""
    return {"conversations": list_service.list_conversations(services, session, tenant, params)}


@router.get("/v1/groups/{groupId}/conversations", response_model=ConversationList)
def group_conversations(
    groupId: str, params: ParamsDep, tenant: TenantDep, services: ServicesDep, session: SessionDep
) -> dict[str, Any]:
    """Conversations matching a group's criteria, with the same parameters as the list."""
    return {"conversations": list_service.group_conversations(services, session, tenant, groupId, params)}
