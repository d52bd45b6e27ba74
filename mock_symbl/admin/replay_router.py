"""/__admin/import and /__admin/export: recorded Symbl traffic in, conversations out as recordings."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse
from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from mock_symbl.admin import replay as service
from mock_symbl.admin.schemas import HarExport, ImportReport
from mock_symbl.admin.security import ADMIN_PREFIX, ADMIN_TAG, AdminDep
from mock_symbl.deps import ServicesDep
from mock_symbl.errors import BadRequest, too_large
from mock_symbl.replay.export import FILE_NAMES, MEDIA_TYPES
from mock_symbl.tenancy import SHARED_ACCOUNT, Tenant
from mock_symbl.wire import AnswerRoute

router = APIRouter(route_class=AnswerRoute, prefix=ADMIN_PREFIX, tags=[ADMIN_TAG], dependencies=[AdminDep])

IMPORT_BODY = {
    "required": True,
    "content": {
        "application/octet-stream": {"schema": {"type": "string", "format": "binary"}},
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "properties": {"file": {"type": "array", "items": {"type": "string", "format": "binary"}}},
            }
        },
    },
}
# The HAR (JSON) answer is documented by its model; the other two formats are downloads.
EXPORT_CONTENT = {
    MEDIA_TYPES["vcrpy"]: {
        "schema": {
            "type": "object",
            "description": "vcrpy cassette (YAML)",
            "required": ["interactions", "version"],
            "properties": {
                "interactions": {"type": "array", "items": {"type": "object"}},
                "version": {"type": "integer"},
            },
        }
    },
    MEDIA_TYPES["folder"]: {"schema": {"type": "string", "format": "binary", "description": "zip"}},
}
Account = Annotated[
    str, Query(description='Account (app id) to import into; "*" or allAccounts=true: every account.')
]


async def _spool(request: Request, folder: Path, limit: int) -> list[tuple[Path, str]]:
    """The uploaded files on disk (streamed, never held in memory; the edge leaves this body to the route)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise too_large(limit)
    content_type = request.headers.get("content-type", "")
    saved: list[tuple[Path, str]] = []
    if content_type.startswith("multipart/form-data"):
        form = await request.form()
        for index, (_, value) in enumerate(form.multi_items()):
            if isinstance(value, UploadFile):
                target = folder / f"upload-{index}"
                with target.open("wb") as out:
                    await run_in_threadpool(shutil.copyfileobj, value.file, out)
                saved.append((target, value.filename or f"upload {index + 1}"))
        await form.close()
        return saved
    target = folder / "upload-body"
    size = 0
    with target.open("wb") as out:
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                raise too_large(limit)
            out.write(chunk)
    if size:
        saved.append((target, request.query_params.get("name") or "request body"))
    return saved


@router.post("/import", response_model=ImportReport, openapi_extra={"requestBody": IMPORT_BODY})
async def import_recordings(
    request: Request,
    services: ServicesDep,
    account: Account = service.DEFAULT_ACCOUNT,
    namespace: Annotated[str, Query(description="Namespace (X-Mock-Namespace) to import into.")] = "",
    allAccounts: Annotated[bool, Query(description="Visible to every account (account *).")] = False,
) -> ImportReport:
    """Import recorded Symbl traffic (vcrpy, go-vcr, Polly.js, nock, HAR, folder zip) under its original ids."""
    target = SHARED_ACCOUNT if allAccounts else account.strip()
    if not target:
        raise BadRequest('"account" must not be empty')
    with tempfile.TemporaryDirectory(prefix="mock-symbl-import-") as folder:
        paths = await _spool(request, Path(folder), services.settings.max_admin_body_bytes)
        if not paths:
            raise BadRequest("Send a recording as the request body or as multipart file fields.")
        report = await run_in_threadpool(
            service.import_paths, services, paths, account=target, namespace=namespace
        )
    if not report.imported and any(f.error for f in report.files):
        raise BadRequest("Nothing imported: " + "; ".join(f.error for f in report.files if f.error))
    return report


@router.get(
    "/export",
    response_model=HarExport,
    responses={200: {"content": EXPORT_CONTENT, "description": "The recording (a file download)."}},
)
def export_recordings(
    services: ServicesDep,
    format: Annotated[Literal["vcrpy", "har", "folder"], Query(description="Recording format.")] = "vcrpy",
    account: Account = service.DEFAULT_ACCOUNT,
    namespace: Annotated[str, Query(description="Namespace (X-Mock-Namespace).")] = "",
) -> Any:
    """Write an account's conversations as a vcrpy cassette, a HAR 1.2 file or a zip of the folder layout."""
    handle = tempfile.NamedTemporaryFile(prefix="mock-symbl-export-", delete=False)
    try:
        with handle:
            service.export(services, Tenant(account, namespace), format, handle)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise
    return FileResponse(
        handle.name,
        media_type=MEDIA_TYPES[format],
        filename=FILE_NAMES[format],
        background=BackgroundTask(Path(handle.name).unlink, missing_ok=True),
    )
