"""User settings routes (rest.md §8.5): GET the document, PATCH it with RFC 6902 operations."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from mock_symbl.deps import SessionDep, TenantDep
from mock_symbl.manage import service_settings as settings
from mock_symbl.manage.schemas import OperationsBody, SettingsPatched, SettingsResponse, operations
from mock_symbl.wire import CappedJsonRoute

router = APIRouter(prefix="/v1/manage", tags=["Management API: settings"], route_class=CappedJsonRoute)


@router.get("/settings", response_model=SettingsResponse)
def get_settings(tenant: TenantDep, session: SessionDep) -> dict[str, Any]:
    """The account's settings (`{"settings": {}}` until something is configured)."""
    return {"settings": settings.account_settings(session, tenant)}


@router.patch("/settings", response_model=SettingsPatched)
def patch_settings(body: OperationsBody, tenant: TenantDep, session: SessionDep) -> dict[str, Any]:
    """Apply RFC 6902 operations; answers the settings id and the new document."""
    document = settings.patch_settings(session, tenant, body=operations(body))
    return {"id": settings.settings_id(tenant), **document}
