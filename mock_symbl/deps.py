"""FastAPI dependencies shared by every area (Annotated aliases)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from starlette.requests import HTTPConnection

from mock_symbl.credentials import token_from_headers, verify_token
from mock_symbl.services import Services
from mock_symbl.store.db import Session
from mock_symbl.tenancy import Tenant

NAMESPACE_HEADER = "x-mock-namespace"


# The two dependencies every route has are async on purpose: FastAPI runs a sync dependency in the threadpool,
# and two thread hops per request cost more than the work they do (an attribute read, a cached token check).
async def get_services(conn: HTTPConnection) -> Services:
    services: Services = conn.app.state.services
    return services


ServicesDep = Annotated[Services, Depends(get_services)]


async def get_tenant(request: Request, services: ServicesDep) -> Tenant:
    """The caller's tenant from its token (401 otherwise) and the X-Mock-Namespace header."""
    # Headers read from the request, not declared as Header() parameters: FastAPI builds a validator per
    # declared parameter for every route that uses this dependency (about 200 of them, ~100 ms of start-up).
    headers = request.headers
    token = token_from_headers(headers.get("authorization"), headers.get("x-api-key"))
    tenant = verify_token(services, token, headers.get(NAMESPACE_HEADER, "").strip())
    request.state.tenant = tenant  # the request journal records who called
    return tenant


TenantDep = Annotated[Tenant, Depends(get_tenant)]


def get_session(services: ServicesDep) -> Iterator[Session]:
    with services.db.session() as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]


def is_labs(conn: HTTPConnection) -> bool:
    """True for the Labs host: its own port, or a Host header starting with `api-labs`."""
    services: Services = conn.app.state.services
    host = conn.headers.get("host", "").lower()
    if host.startswith(services.settings.labs_host_prefix.lower()):
        return True
    server = conn.scope.get("server")
    return bool(server and server[1] in services.labs_ports)
