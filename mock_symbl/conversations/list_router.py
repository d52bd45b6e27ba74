"""GET /v1/conversations (rest.md §5.1) and GET /v1/groups/{groupId}/conversations (§5.24)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from mock_symbl.conversations import list_service
from mock_symbl.deps import ServicesDep, SessionDep, TenantDep

router = APIRouter(tags=["Conversation API"])

PARAMS = ("limit", "offset", "order", "sort", "startTime", "endTime", "filter")


def _params(request: Request) -> dict[str, str | None]:
    return {name: request.query_params.get(name) for name in PARAMS}


@router.get("/v1/conversations")
def list_conversations(
    request: Request, tenant: TenantDep, services: ServicesDep, session: SessionDep
) -> dict[str, Any]:
    """List the account's conversations: limit/offset/order/sort, startTime/endTime window, RSQL filter."""
    return {"conversations": list_service.list_conversations(services, session, tenant, _params(request))}


@router.get("/v1/groups/{groupId}/conversations")
def group_conversations(
    groupId: str, request: Request, tenant: TenantDep, services: ServicesDep, session: SessionDep
) -> dict[str, Any]:
    """Conversations matching a group's criteria, with the same parameters as the list."""
    conversations = list_service.group_conversations(services, session, tenant, groupId, _params(request))
    return {"conversations": conversations}
