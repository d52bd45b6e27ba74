"""The Jinja2 environment of the UI (templates ship inside the package; autoescaping on)."""

from __future__ import annotations

import json
import re
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from mock_symbl.web.charts import clock

if TYPE_CHECKING:
    from jinja2 import Environment


def _tojson_attr(value: Any) -> str:
    return json.dumps(value, sort_keys=True)


def _pct(value: Any) -> str:
    try:
        return f"{float(value):.0f}%"
    except (TypeError, ValueError):
        return "-"


def _short_time(value: str | None) -> str:
    """2026-11-24T02:50:22.366Z -> 2026-11-24 02:50:22 (UTC)."""
    if not value:
        return ""
    return value.replace("T", " ")[:19]


def _is_dark(value: str) -> bool:
    """True for a dark hex colour (light text goes on it)."""
    text = value.lstrip("#")
    if len(text) in (3, 4):
        text = "".join(c * 2 for c in text[:3])
    try:
        r, g, b = (int(text[i : i + 2], 16) for i in (0, 2, 4))
    except ValueError:
        return False
    return (0.299 * r + 0.587 * g + 0.114 * b) < 140


def _humanize(key: str) -> str:
    """attemptedAt / latency_ms -> Attempted at / Latency ms (generic table headers)."""
    spaced = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", key).replace("_", " ")
    return spaced[:1].upper() + spaced[1:].lower()


@lru_cache(maxsize=1)
def environment() -> Environment:
    # Imported on first render: Jinja2 is ~13 ms of server start-up that API-only users never need.
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(
        loader=PackageLoader("mock_symbl.web", "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["clock"] = clock
    env.filters["pct"] = _pct
    env.filters["short_time"] = _short_time
    env.filters["json_attr"] = _tojson_attr
    env.filters["is_dark"] = _is_dark
    env.filters["humanize"] = _humanize
    return env


def render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)
