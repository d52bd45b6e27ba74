"""In-process timings that explain a benchmark's figure (what bounds it), measured on the same kind of data."""

from __future__ import annotations

import json
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.common import PY, REPO, text_messages


def _ms(fn: Callable[[], Any], n: int = 30) -> float:
    fn()
    times = []
    for _ in range(n):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return round(statistics.median(times) * 1000, 2)


def messages_route() -> dict[str, float]:
    """Server time of GET .../messages on a 100-message conversation, step by step."""
    from mock_symbl.app import create_app
    from mock_symbl.auth.service import issue_token
    from mock_symbl.conversations import service as conv_service
    from mock_symbl.conversations.schemas import MessagesResponse
    from mock_symbl.credentials import verify_token
    from mock_symbl.process import service as process_service
    from mock_symbl.process.schemas import TextRequest
    from mock_symbl.settings import Settings
    from mock_symbl.store import conversations as repo
    from mock_symbl.tenancy import Tenant

    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(Settings(database=str(Path(tmp) / "b.db"), job_progression="immediate"))
        services = app.state.services
        tenant = Tenant("bench", "")
        body = TextRequest.model_validate({"messages": text_messages(100, one_sentence=True)})
        request = body.model_dump(by_alias=True, exclude_none=True)
        cid = process_service.submit(services, tenant, kind="text", request=request).conversation_id
        token, _ = issue_token(services, "bench")

        def step(fn: Callable[[Any], Any]) -> Callable[[], Any]:
            def run() -> Any:
                with services.db.session() as session:
                    return fn(session)

            return run

        rendered = conv_service.messages(services, tenant, cid)
        out = {
            "token verification": _ms(lambda: verify_token(services, token)),
            "conversation row": _ms(step(lambda s: repo.get_conversation(s, tenant, cid))),
            "100 message rows": _ms(step(lambda s: repo.load_messages(s, cid))),
            "insight bundle (cached parse)": _ms(step(lambda s: repo.get_bundle_shared(s, cid))),
            "whole service call (rows + render)": _ms(lambda: conv_service.messages(services, tenant, cid)),
            "response model validation": _ms(lambda: MessagesResponse.model_validate({"messages": rendered})),
            "JSON encoding": _ms(lambda: json.dumps({"messages": rendered}).encode()),
        }
        services.db.close()
        return out


def compute_bundle_100() -> float:
    """Median ms of insights.engine.compute_bundle on the job bench's 100 messages (the job's NLP)."""
    from datetime import UTC, datetime, timedelta

    from mock_symbl.insights import engine, models
    from mock_symbl.messages import Message, Speaker

    start = datetime(2024, 1, 1, tzinfo=UTC)
    messages = []
    for i, m in enumerate(text_messages(100, salt=3)):
        speaker = Speaker(id=f"s{i % 3}", name=m["from"]["name"], user_id=m["from"]["userId"], email=None)
        messages.append(
            Message(
                id=str(1000 + i),
                seq=i,
                text=m["payload"]["content"],
                start=start + timedelta(seconds=5 * i),
                end=start + timedelta(seconds=5 * i + 4),
                time_offset=5.0 * i,
                duration=4.0,
                speaker=speaker,
                conversation_id="1",
            )
        )
    options = models.InsightOptions(conversation_id="1", conversation_start=start)
    return _ms(lambda: engine.compute_bundle(messages, options), n=10)


GROUPS = {
    "SQLAlchemy + SQLModel": ("sqlalchemy", "sqlmodel"),
    "FastAPI + Starlette + pydantic": (
        "fastapi",
        "starlette",
        "pydantic",
        "pydantic_core",
        "pydantic_settings",
    ),
    "uvicorn": ("uvicorn", "uvloop", "httptools", "websockets", "h11"),
    "mock_symbl (routes, schemas, services)": ("mock_symbl",),
}


# What `python -m mock_symbl` imports by the time it is ready: the command line, the server and what the boot loads.
LOAD_EVERYTHING = (
    "import importlib, mock_symbl.cli, mock_symbl.server, mock_symbl.boot as b, mock_symbl.store.db, "
    "mock_symbl.web.openapi, mock_symbl.transcripts.library; "
    "[importlib.import_module(spec.partition(':')[0]) for spec in b.ROUTERS]"
)


def import_groups(runs: int = 3) -> dict[str, float]:
    """Median self import time (ms) of `python -m mock_symbl`'s modules, grouped by package."""
    samples: dict[str, list[float]] = {}
    for _ in range(runs):
        err = subprocess.run(
            [PY, "-X", "importtime", "-c", LOAD_EVERYTHING],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=True,
        ).stderr
        totals: dict[str, float] = {}
        for line in err.splitlines()[1:]:
            parts = line.split("|")
            if len(parts) != 3:
                continue
            self_us = float(parts[0].split(":")[1])
            top = parts[2].strip().split(".")[0]
            group = next((g for g, tops in GROUPS.items() if top in tops), "other libraries and stdlib")
            totals[group] = totals.get(group, 0.0) + self_us / 1000
        totals["total"] = sum(totals.values())
        for k, v in totals.items():
            samples.setdefault(k, []).append(v)
    return {k: round(statistics.median(v)) for k, v in samples.items()}
