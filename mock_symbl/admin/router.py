"""/__admin: the control plane (behind settings.admin_token when set); the probes are in admin.probes.

Each concern has its own router module; this one holds config, seed and reset and gathers the others
under the "Admin" OpenAPI tag.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query

from mock_symbl import __version__
from mock_symbl.admin import (
    clock_router,
    faults_router,
    jobs_router,
    journal_router,
    replay_router,
    results_router,
    snapshots_router,
    tls_router,
    webhooks_router,
)
from mock_symbl.admin.reset import reset as reset_state
from mock_symbl.admin.schemas import Config, Reset, Seed, SeedRequest
from mock_symbl.admin.security import ADMIN_PREFIX, ADMIN_TAG, AdminDep
from mock_symbl.admin.state import admin_state
from mock_symbl.deps import ServicesDep
from mock_symbl.wire import AnswerRoute

PREFIX = ADMIN_PREFIX
TAG = ADMIN_TAG
SECRET_FIELDS = ("jwt_secret", "admin_token")

control = APIRouter(route_class=AnswerRoute, prefix=PREFIX, tags=[TAG], dependencies=[AdminDep])


def _mask_apps(apps: str) -> str:
    items = [item.strip() for item in apps.split(",") if item.strip()]
    return ",".join(f"{item.partition(':')[0]}:***" for item in items)


@control.get("/config", response_model=Config)
def config(services: ServicesDep) -> dict[str, Any]:
    """The effective settings (secrets masked)."""
    data = services.settings.model_dump(mode="json")
    for name in SECRET_FIELDS:
        if data.get(name):
            data[name] = "***"
    if data.get("apps"):
        data["apps"] = _mask_apps(data["apps"])
    return {"version": __version__, "settings": data}


@control.get("/seed", response_model=Seed)
def get_seed(services: ServicesDep) -> dict[str, Any]:
    """The seed of fresh ids (null: random)."""
    return {"seed": services.ids.seed}


@control.post("/seed", response_model=Seed)
def set_seed(body: SeedRequest, services: ServicesDep) -> dict[str, Any]:
    """Reseed fresh ids (conversation, job, token ids): the same requests then give the same ids."""
    services.ids.reseed(body.seed)
    admin_state(services).faults.reseed(body.seed)
    return {"seed": body.seed}


@control.post("/reset", response_model=Reset)
def reset(
    services: ServicesDep,
    account: str | None = Query(None, description="Only this account (app id)."),
    namespace: str | None = Query(None, description="Only this namespace (X-Mock-Namespace value)."),
) -> dict[str, Any]:
    """Reset everything, one account or one namespace: data, journal, faults and scripted results."""
    return reset_state(services, account=account, namespace=namespace)


router = APIRouter()
router.include_router(control)
for _module in (
    jobs_router,
    clock_router,
    faults_router,
    journal_router,
    results_router,
    snapshots_router,
    tls_router,
    webhooks_router,
    replay_router,
):
    router.include_router(_module.router)
