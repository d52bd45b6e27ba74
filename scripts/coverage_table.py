"""Generate docs/COVERAGE.md from Symbl's route list (rest.md §14) and the app's own route table.

Usage: .venv/bin/python scripts/coverage_table.py > docs/COVERAGE.md  (tests/test_coverage_doc.py checks it is current)
"""

from __future__ import annotations

import re
import sys
from functools import lru_cache
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

# (method, path, host) for every route of rest.md §14; "WS" rows are the WebSocket host (realtime-and-sdks.md §1).
SYMBL_ROUTES: list[tuple[str, str, str]] = [
    ("POST", "/oauth2/token:generate", "api"),
    ("POST", "/oauth2/token:refresh", "api"),
    ("DELETE", "/oauth2/token:revoke", "api"),
    ("POST", "/v1/process/text", "api"),
    ("PUT", "/v1/process/text/{conversationId}", "api"),
    ("POST", "/v1/process/audio", "api"),
    ("PUT", "/v1/process/audio/{conversationId}", "api"),
    ("POST", "/v1/process/audio/url", "api"),
    ("PUT", "/v1/process/audio/url/{conversationId}", "api"),
    ("POST", "/v1/process/video", "api"),
    ("PUT", "/v1/process/video/{conversationId}", "api"),
    ("POST", "/v1/process/video/url", "api"),
    ("PUT", "/v1/process/video/url/{conversationId}", "api"),
    ("GET", "/v1/job/{jobId}", "api"),
    ("GET", "/v1/conversations", "api"),
    ("GET", "/v1/conversations/{conversationId}", "api"),
    ("PUT", "/v1/conversations/{conversationId}", "api"),
    ("DELETE", "/v1/conversations/{conversationId}", "api"),
    ("GET", "/v1/conversations/{conversationId}/messages", "api"),
    ("GET", "/v1/conversations/{conversationId}/members", "api"),
    ("PUT", "/v1/conversations/{conversationId}/members/{id}", "api"),
    ("PUT", "/v1/conversations/{conversationId}/speakers", "api"),
    ("GET", "/v1/conversations/{conversationId}/insights", "api"),
    ("GET", "/v1/conversations/{conversationId}/topics", "api"),
    ("GET", "/v1/conversations/{conversationId}/questions", "api"),
    ("GET", "/v1/conversations/{conversationId}/action-items", "api"),
    ("GET", "/v1/conversations/{conversationId}/follow-ups", "api"),
    ("GET", "/v1/conversations/{conversationId}/entities", "api"),
    ("GET", "/v1/conversations/{conversationId}/analytics", "api"),
    ("GET", "/v1/conversations/{conversationId}/trackers", "api"),
    ("GET", "/v1/conversations/{conversationId}/trackers-detected", "api"),
    ("GET", "/v1/conversations/{conversationId}/intents", "api"),
    ("GET", "/v1/conversations/{conversationId}/summary", "api"),
    ("POST", "/v1/conversations/{conversationId}/summary", "api"),
    ("POST", "/v1/conversations/{conversationId}/transcript", "api"),
    ("POST", "/v1/conversations/{conversationId}/experiences", "api"),
    ("PUT", "/v1/conversations/{conversationId}/experiences/url", "api"),
    ("GET", "/v1/conversations/experiences/insights/list", "api"),
    ("GET", "/v1/conversations/experiences/insights/details/{conversationId}", "api"),
    ("GET", "/v1/conversations/{conversationId}/callscore", "api"),
    ("GET", "/v1/conversations/{conversationId}/callscore/status", "api"),
    ("GET", "/v1/conversations/{conversationId}/lm-insights", "api"),
    ("GET", "/v1/conversations/{conversationId}/lm-insights/status", "api"),
    ("GET", "/v1/conversations/{conversationId}/bookmarks", "api"),
    ("POST", "/v1/conversations/{conversationId}/bookmarks", "api"),
    ("POST", "/v1/conversations/{conversationId}/bookmarks/bulk", "api"),
    ("GET", "/v1/conversations/{conversationId}/bookmarks/{bookmarkId}", "api"),
    ("PUT", "/v1/conversations/{conversationId}/bookmarks/{bookmarkId}", "api"),
    ("DELETE", "/v1/conversations/{conversationId}/bookmarks/{bookmarkId}", "api"),
    ("GET", "/v1/conversations/{conversationId}/bookmarks/{bookmarkId}/summary", "api"),
    ("GET", "/v1/conversations/{conversationId}/bookmarks-summary", "api"),
    ("GET", "/v1/groups/{groupId}/conversations", "api"),
    ("POST", "/v1/manage/tracker", "api"),
    ("POST", "/v1/manage/trackers", "api"),
    ("POST", "/v1/manage/trackers/bulk", "api"),
    ("GET", "/v1/manage/trackers", "api"),
    ("GET", "/v1/manage/tracker/{trackerId}", "api"),
    ("PUT", "/v1/manage/tracker/{trackerId}", "api"),
    ("DELETE", "/v1/manage/tracker/{trackerId}", "api"),
    ("PATCH", "/v1/manage/trackers/{trackerId}", "api"),
    ("DELETE", "/v1/manage/trackers/{trackerId}", "api"),
    ("POST", "/v1/manage/entities", "api"),
    ("POST", "/v1/manage/entities/bulk", "api"),
    ("GET", "/v1/manage/entities", "api"),
    ("GET", "/v1/manage/entities/{entityId}", "api"),
    ("PUT", "/v1/manage/entities/{entityId}", "api"),
    ("DELETE", "/v1/manage/entities/{entityId}", "api"),
    ("DELETE", "/v1/manage/entities?subType={subType}", "api"),
    ("POST", "/v1/manage/group", "api"),
    ("POST", "/v1/manage/groups", "api"),
    ("GET", "/v1/manage/group/{groupId}", "api"),
    ("GET", "/v1/manage/groups", "api"),
    ("PUT", "/v1/manage/group/{groupId}", "api"),
    ("DELETE", "/v1/manage/group/{groupId}", "api"),
    ("POST", "/v1/manage/callscore/criteria", "api"),
    ("GET", "/v1/manage/callscore/criteria", "api"),
    ("GET", "/v1/manage/callscore/criteria/{criteriaId}", "api"),
    ("PUT", "/v1/manage/callscore/criteria/{criteriaId}", "api"),
    ("PATCH", "/v1/manage/callscore/criteria/{criteriaId}", "api"),
    ("DELETE", "/v1/manage/callscore/criteria/{criteriaId}", "api"),
    ("POST", "/v1/manage/callscore/scorecards", "api"),
    ("GET", "/v1/manage/callscore/scorecards", "api"),
    ("GET", "/v1/manage/callscore/scorecards/{scorecardId}", "api"),
    ("PUT", "/v1/manage/callscore/scorecards/{scorecardId}", "api"),
    ("PATCH", "/v1/manage/callscore/scorecards/{scorecardId}", "api"),
    ("DELETE", "/v1/manage/callscore/scorecards/{scorecardId}", "api"),
    ("GET", "/v1/manage/settings", "api"),
    ("PATCH", "/v1/manage/settings", "api"),
    ("POST", "/v1/endpoint:connect", "api"),
    ("POST", "/v1/event/{connectionId}", "api"),
    ("GET", "/v1/metric/{metricId}", "api"),
    ("POST", "/v1/metric/{metricId}/entry", "api"),
    ("GET", "/v1/conversations/{conversationId}/abstract-topics", "labs"),
    ("GET", "/v1/conversations/{conversationId}/comprehensive/action-items", "labs"),
    ("GET", "/v1/conversations/{conversationId}/summary", "labs"),
    ("POST", "/v1/process/text", "labs"),
    ("POST", "/v1/model/generate", "nebula"),
    ("WS", "/v1/streaming/{connectionId}", "wss"),
    ("WS", "/v1/realtime/insights/{connectionId}", "wss"),
    ("WS", "/v1/subscribe/{connectionId}", "wss"),
    ("WS", "/session/subscribe/{connectionId}", "wss"),
    ("WS", "/events/{connectionId}", "wss"),
]

OUT_OF_SCOPE = {("POST", "/v1/model/generate"): "Nebula LLM: a separate product (rest.md §10)"}
NOT_SYMBL = ("/__admin", "/docs", "/redoc", "/openapi.json", "/asyncapi.json")
UI_PREFIX = "/__admin/ui"


def normalize(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "{}", path.split("?")[0])


@lru_cache(maxsize=1)
def _route_table() -> tuple[tuple[str, str], ...]:
    """(method or "WS", path as declared) for every route of a freshly built app."""
    from mock_symbl.app import create_app
    from mock_symbl.routes import iter_routes
    from mock_symbl.settings import Settings

    app = create_app(Settings(database=":memory:"))
    found: set[tuple[str, str]] = set()
    for route in iter_routes(app):
        if route.websocket:
            found.add(("WS", route.path))
        for method in route.methods - {"HEAD", "OPTIONS"}:
            found.add((method, route.path))
    app.state.services.db.close()
    return tuple(sorted(found))


def app_routes() -> set[tuple[str, str]]:
    return {(method, normalize(path)) for method, path in _route_table()}


def ui_routes() -> list[tuple[str, str]]:
    """The web UI's pages and assets (mock only, not part of Symbl's API)."""
    return sorted({(m, p) for m, p in _route_table() if p.startswith(UI_PREFIX)}, key=lambda r: (r[1], r[0]))


def admin_routes() -> list[tuple[str, str]]:
    """The control plane's routes (mock only), the UI's aside."""
    found = {(m, p) for m, p in _route_table() if p.startswith("/__admin") and not p.startswith(UI_PREFIX)}
    return sorted(found, key=lambda r: (r[1], r[0]))


def render() -> str:
    routes = app_routes()
    lines = [
        "# Route coverage",
        "",
        "Every route of the Symbl API (`../shared/symbl-api/rest.md` §14 and the WebSocket host) and whether",
        "mock-symbl serves it. Generated by `scripts/coverage_table.py` from the app's route table;",
        "`tests/test_coverage_doc.py` fails when this file is out of date. Labs rows are served on the Labs",
        "host (its own port, or a `Host: api-labs...` header); the whole `/v1` tree is mirrored there.",
        "",
        "| Method | Path | Host | State |",
        "|---|---|---|---|",
    ]
    listed: set[tuple[str, str]] = set()
    done = 0
    seen_rows: set[tuple[str, str, str]] = set()
    for method, path, host in SYMBL_ROUTES:
        key = (method, normalize(path))
        if (method, path, host) in seen_rows:
            continue
        seen_rows.add((method, path, host))
        listed.add(key)
        if (method, path) in OUT_OF_SCOPE:
            state = "out of scope: " + OUT_OF_SCOPE[(method, path)]
        elif key in routes:
            state = "implemented"
            done += 1
        else:
            state = "missing"
        lines.append(f"| {method} | `{path}` | {host} | {state} |")
    extra = sorted(r for r in routes if r not in listed and not r[1].startswith(NOT_SYMBL))
    total = len(seen_rows) - len(OUT_OF_SCOPE)
    lines += ["", f"**{done} of {total}** Symbl routes implemented.", ""]
    if extra:
        lines += ["## Other routes the app serves", "", "| Method | Path |", "|---|---|"]
        lines += [f"| {m} | `{p}` |" for m, p in extra]
        lines.append("")
    lines += [
        "## Web UI (mock only)",
        "",
        "Pages under `/__admin/ui` (dashboard, conversation pages, the live demo console, Experience API pages)",
        "and their static assets. Admin pages follow the admin access rules (QUICKSTART.md); experience pages",
        "carry their own signed token.",
        "",
        "| Method | Path |",
        "|---|---|",
    ]
    lines += [f"| {m} | `{p}` |" for m, p in ui_routes()]
    lines.append("")
    lines += [
        "## Control plane (`/__admin`, mock only)",
        "",
        "See CONTROL_PLANE.md; recorded traffic import and export (`/__admin/import`, `/__admin/export`): REPLAY.md.",
        "",
        "| Method | Path |",
        "|---|---|",
    ]
    lines += [f"| {m} | `{p}` |" for m, p in admin_routes()]
    lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.stdout.write(render())
