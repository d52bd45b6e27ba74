"""docs/QUICKSTART.md: its settings table is generated from Settings and must match it."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import ModuleType

from mock_symbl.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "QUICKSTART.md"


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("settings_table", ROOT / "scripts" / "settings_table.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_settings_table_is_current() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert _script().updated(text) == text, (
        "docs/QUICKSTART.md is stale: run `.venv/bin/python scripts/settings_table.py`"
    )


def test_every_setting_has_a_row_with_its_env_var_and_flag() -> None:
    text = DOC.read_text(encoding="utf-8")
    rows = {m.group(1): m.group(0) for m in re.finditer(r"^\| `([a-z_]+)` \|.*$", text, re.M)}
    assert set(rows) == set(Settings.model_fields)
    for name, row in rows.items():
        assert f"`MOCK_SYMBL_{name.upper()}`" in row
        assert f"`--{name.replace('_', '-')}`" in row


def test_quickstart_covers_each_use() -> None:
    text = DOC.read_text(encoding="utf-8")
    for needle in (
        "docker compose up",
        "symbl_rest",
        "import symbl",
        "@symblai/symbl-js",
        "symbl-web-sdk",
        "mock-symbl demo",
        "## Fidelity",
    ):
        assert needle in text, needle
