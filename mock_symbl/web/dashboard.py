"""Dashboard data: accounts with data, an account's conversations and jobs, webhook deliveries, the journal.

The webhook delivery log (store.webhooks) and the request journal (services.admin.journal) belong
to other areas; the dashboard says "not available" when they are absent.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from mock_symbl.clock import iso
from mock_symbl.services import Services
from mock_symbl.store import web as web_repo
from mock_symbl.store import webhooks as repo
from mock_symbl.tenancy import Tenant
from mock_symbl.web.charts import clock

MAX_ROWS = 100


def conversation_rows(services: Services, tenant: Tenant) -> list[dict[str, Any]]:
    with services.db.session() as session:
        rows = web_repo.list_conversations(session, tenant, limit=MAX_ROWS)
    return [
        {
            "id": c.id,
            "name": c.name or c.id,
            "source": c.source,
            "status": c.status,
            "messages": c.message_count,
            "start": iso(c.start_time),
            "duration": clock((c.end_time - c.start_time).total_seconds()),
            "media": bool(c.media_url),
        }
        for c in rows
    ]


def job_rows(services: Services, tenant: Tenant) -> list[dict[str, Any]]:
    with services.db.session() as session:
        rows = web_repo.list_jobs(session, tenant, limit=MAX_ROWS)
    return [
        {
            "id": j.id,
            "conversation_id": j.conversation_id,
            "kind": j.kind,
            "status": j.status,
            "progression": j.progression,
            "created": iso(j.created_at),
            "updated": iso(j.updated_at),
            "webhook": j.webhook_url,
            "error": j.error,
        }
        for j in rows
    ]


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return iso(value)
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True)[:300]
    return value


def _table(items: list[dict[str, Any]], columns: tuple[str, ...]) -> dict[str, Any]:
    rows = [{k: _plain(v) for k, v in item.items()} for item in items]
    return {"available": True, "columns": list(columns), "rows": rows}


def _unavailable() -> dict[str, Any]:
    return {"available": False, "columns": [], "rows": []}


def webhook_table(services: Services, tenant: Tenant) -> dict[str, Any]:
    """The newest webhook delivery attempts of the tenant (store.webhooks)."""
    try:
        with services.db.session() as session:
            rows = repo.list_deliveries(
                session, account=tenant.account, namespace=tenant.namespace, limit=100_000
            )
            items = [repo.to_dict(r) for r in rows[-MAX_ROWS:]]
    except Exception:  # another area's reader must never break the dashboard
        return _unavailable()
    items.reverse()
    return _table(
        items,
        (
            "attemptedAt",
            "jobId",
            "status",
            "url",
            "attempt",
            "statusCode",
            "delivered",
            "durationMs",
            "error",
        ),
    )


def journal_table(services: Services, tenant: Tenant) -> dict[str, Any]:
    """The newest journal entries of the tenant (the control plane's journal, when installed)."""
    state = services.admin
    journal = getattr(state, "journal", None)
    if journal is None:
        return _unavailable()
    try:
        entries = journal.find(account=tenant.account, namespace=tenant.namespace, limit=MAX_ROWS)
        items = [e.to_dict() for e in entries]
    except Exception:  # another area's reader must never break the dashboard
        return _unavailable()
    items.reverse()
    return _table(items, ("time", "method", "path", "query", "status", "latency_ms", "fault"))


def collect(services: Services, account: str | None, namespace: str) -> dict[str, Any]:
    """The dashboard's data; the first account with data is chosen when none is asked for."""
    with services.db.session() as session:
        tenants = web_repo.tenants_with_data(session)
    selected: Tenant | None = None
    if account:
        selected = Tenant(account=account, namespace=namespace)
    elif tenants:
        selected = tenants[0][0]
    data: dict[str, Any] = {
        "tenants": [{"account": t.account, "namespace": t.namespace, "count": n} for t, n in tenants],
        "selected": selected,
        "conversations": [],
        "jobs": [],
        "webhooks": {"available": False, "columns": [], "rows": []},
        "journal": {"available": False, "columns": [], "rows": []},
        "job_counts": {},
    }
    if selected is not None:
        data["conversations"] = conversation_rows(services, selected)
        data["jobs"] = job_rows(services, selected)
        data["webhooks"] = webhook_table(services, selected)
        data["journal"] = journal_table(services, selected)
        counts: dict[str, int] = {}
        for job in data["jobs"]:
            counts[job["status"]] = counts.get(job["status"], 0) + 1
        data["job_counts"] = counts
    return data
