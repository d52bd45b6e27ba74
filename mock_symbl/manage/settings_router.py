"""User settings routes (rest.md §8.5): GET the document, PATCH it with RFC 6902 operations."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends

from mock_symbl.deps import SessionDep, TenantDep
from mock_symbl.manage import schemas
from mock_symbl.manage import service_settings as settings

router = APIRouter(prefix="/v1/manage", tags=["Management API: settings"])


@router.get("/settings")
def get_settings(tenant: TenantDep, session: SessionDep) -> dict[str, Any]:
    """The account's settings (`{"settings": {}}` until something is configured)."""
    return {"settings": settings.account_settings(session, tenant)}


@router.patch("/settings")
def patch_settings(
    body: Annotated[Any, Depends(schemas.json_body)], tenant: TenantDep, session: SessionDep
) -> dict[str, Any]:
    """Apply RFC 6902 operations; answers the settings id and the new document."""
    document = settings.patch_settings(session, tenant, body=body)
    return {"id": settings.settings_id(tenant), **document}
