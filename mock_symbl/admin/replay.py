"""Import recorded Symbl traffic under its original ids, and export conversations as recordings.

The parsing and planning are pure (`mock_symbl.replay`); this service opens the files, writes each planned
conversation in its own transaction (all of it or none of it), and renders exports from what the API
serves (recorded answers where there are, derived ones elsewhere), so an export imports back identically.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any

from mock_symbl import __version__
from mock_symbl.admin.schemas import FileRead, ImportedConversation, ImportReport, SkippedItem
from mock_symbl.conversations import insights_service
from mock_symbl.conversations import service as conv_service
from mock_symbl.errors import SymblError
from mock_symbl.insights import views
from mock_symbl.insights.models import DEFAULT_CONFIDENCE_THRESHOLD
from mock_symbl.replay import export as writers
from mock_symbl.replay.exchange import RecordingError
from mock_symbl.replay.plan import Collector, ConversationPlan, Skipped
from mock_symbl.replay.routes import RESOURCES
from mock_symbl.replay.sources import open_recording
from mock_symbl.services import Services
from mock_symbl.store import replay as store
from mock_symbl.tenancy import SHARED_ACCOUNT, Tenant

log = logging.getLogger("mock_symbl.admin")

DEFAULT_ACCOUNT = "imported"
# What unrecorded insights are derived with: every kind the engine can compute from the messages.
IMPORT_OPTIONS: dict[str, Any] = {
    "confidenceThreshold": DEFAULT_CONFIDENCE_THRESHOLD,
    "detectEntities": True,
    "enableSummary": True,
    "enableAllTrackers": True,
}


def import_paths(
    services: Services,
    paths: Sequence[tuple[Path, str]],
    *,
    account: str = DEFAULT_ACCOUNT,
    namespace: str = "",
) -> ImportReport:
    """Import recordings (path, name shown in the report); `account` "*" shares them with every account."""
    tenant = Tenant(account, namespace)
    collector = Collector()
    files: list[FileRead] = []
    for path, source in paths:
        try:
            recording = open_recording(path, source)
            collector.add(recording)
            files.append(
                FileRead(source=source, format=recording.format, exchanges=collector.counts[-1], error=None)
            )
        except RecordingError as exc:
            files.append(FileRead(source=_safe(source), format=None, exchanges=0, error=_safe(str(exc))))
    report = ImportReport(account=account, namespace=namespace, files=files, imported=[], skipped=[])
    for item in collector.plans(services.clock.now()):
        if isinstance(item, Skipped):
            report.skipped.append(_skipped(item.source, item.item, item.reason))
            continue
        try:
            replaced = _write(services, tenant, item)
        except store.IdConflict as exc:
            reason = str(exc)
            where = item.sources[0] if item.sources else "-"
            report.skipped.append(_skipped(where, f"conversation {item.conversation_id}", reason))
            continue
        report.imported.append(_imported(tenant, item, replaced))
    report.skipped.extend(_skipped(s.source, s.item, s.reason) for s in collector.skipped)
    return report


def _safe(text: str) -> str:
    """Report text quoting a recording (a URL, a parser message) always encodes as UTF-8."""
    return text.encode("utf-8", "replace").decode("utf-8")


def _skipped(source: str, item: str, reason: str) -> SkippedItem:
    return SkippedItem(source=_safe(source), item=_safe(item)[:2000], reason=_safe(reason))


def _write(services: Services, tenant: Tenant, plan: ConversationPlan) -> bool:
    with services.processing_lock, services.db.transaction() as session:
        replaced = store.write_plan(session, tenant, plan, options=IMPORT_OPTIONS, now=services.clock.now())
    # Unrecorded resources come from the engine, computed on first read like a finished job's.
    services.deferred.defer(plan.conversation_id, None)
    return replaced


def _imported(tenant: Tenant, plan: ConversationPlan, replaced: bool) -> ImportedConversation:
    recorded = sorted(plan.answers)
    have = {key.split("?")[0] for key in recorded}
    return ImportedConversation(
        conversationId=plan.conversation_id,
        account=tenant.account,
        namespace=tenant.namespace,
        jobIds=[j.id for j in plan.jobs],
        messages=len(plan.messages),
        members=len(plan.members),
        recorded=recorded,
        derived=[r for r in RESOURCES if r not in have],
        replaced=replaced,
        sources=plan.sources,
    )


def describe(report: ImportReport) -> str:
    """The report as `mock-symbl import` prints it."""
    who = "every account" if report.account == SHARED_ACCOUNT else f"account {report.account!r}"
    ns = f", namespace {report.namespace!r}" if report.namespace else ""
    lines = [f"Imported {len(report.imported)} conversation(s) into {who}{ns}."]
    for f in report.files:
        state = f"ERROR: {f.error}" if f.error else f"{f.format}, {f.exchanges} recorded requests"
        lines.append(f"  file {f.source}: {state}")
    for c in report.imported:
        again = " (replaced)" if c.replaced else ""
        lines.append(
            f"  {c.conversationId}{again}: {c.messages} messages, {c.members} members, jobs "
            f"{', '.join(c.jobIds) or '-'}; recorded: {', '.join(c.recorded)}; "
            f"derived: {', '.join(c.derived) or '-'}"
        )
    if report.skipped:
        lines.append(f"Skipped {len(report.skipped)}:")
        lines.extend(f"  {s.item} ({s.source}): {s.reason}" for s in report.skipped)
    return "\n".join(lines)


# ---- export ------------------------------------------------------------------------------------------

Derive = Callable[[Services, Tenant, str], Any]
DERIVED: dict[str, Derive] = {
    "conversation": conv_service.get,
    "messages": lambda s, t, c: {"messages": conv_service.messages(s, t, c)},
    "members": lambda s, t, c: {"members": conv_service.members(s, t, c)},
    "topics": lambda s, t, c: insights_service.topics(
        s, t, c, sentiment=False, parent_refs=False, vocabulary=None, refresh=False
    ),
    "questions": lambda s, t, c: insights_service.render(s, t, c, views.questions),
    "action-items": lambda s, t, c: insights_service.render(s, t, c, views.action_items),
    "follow-ups": lambda s, t, c: insights_service.render(s, t, c, views.follow_ups),
    "entities": insights_service.entities,
    "analytics": lambda s, t, c: insights_service.render(s, t, c, views.analytics),
    "trackers": lambda s, t, c: insights_service.render(s, t, c, views.trackers),
    "summary": lambda s, t, c: insights_service.summary(s, t, c, refresh=None),
}


def _conversation(services: Services, tenant: Tenant, cid: str) -> writers.ConversationExport:
    """Every resource as the API answers it now: the recorded answer where there is one, else derived."""
    with services.db.session() as session:
        recorded = store.recorded_answers(session, cid)
        jobs = [(j.id, j.kind, j.status) for j in store.jobs_of(session, cid)]
    answers: list[tuple[str, Any]] = []
    for resource in RESOURCES:
        if resource in recorded:
            answers.append((resource, recorded[resource]))
            continue
        try:
            answers.append((resource, DERIVED[resource](services, tenant, cid)))
        except SymblError:  # e.g. no summary while a job runs: nothing to record
            continue
    answers.extend((key, body) for key, body in sorted(recorded.items()) if "?" in key)
    return writers.ConversationExport(cid, answers, jobs)


def _conversations(services: Services, tenant: Tenant) -> Iterator[writers.ConversationExport]:
    with services.db.session() as session:
        ids = store.conversations_of(session, tenant)
    for cid in ids:  # one conversation in memory at a time
        yield _conversation(services, tenant, cid)


def export(services: Services, tenant: Tenant, fmt: str, out: IO[bytes]) -> None:
    """Write the tenant's conversations to `out` as a vcrpy cassette, HAR 1.2 or a folder-layout zip."""
    conversations = _conversations(services, tenant)
    if fmt == "vcrpy":
        writers.write_vcrpy(conversations, out)
    elif fmt == "har":
        writers.write_har(conversations, out, creator=__version__)
    elif fmt == "folder":
        writers.write_folder(conversations, out)
    else:
        raise ValueError(f"unknown export format {fmt!r}")
