"""The architecture rules are checked by import-linter ([tool.importlinter] in pyproject.toml, `make lint`).

These tests run the real `lint-imports`, keep the contracts' router lists whole, and show that each kind of
contract does catch the violation it is there for (on the real import graph plus one added import).
"""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import grimp
import pytest
from importlinter.configuration import configure
from importlinter.contracts.acyclic_siblings import AcyclicSiblingsContract
from importlinter.contracts.forbidden import ForbiddenContract
from importlinter.contracts.layers import LayersContract
from importlinter.contracts.protected import ProtectedContract
from importlinter.domain.contract import Contract

ROOT = Path(__file__).resolve().parent.parent
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
KINDS: dict[str, type[Contract]] = {
    "layers": LayersContract,
    "forbidden": ForbiddenContract,
    "protected": ProtectedContract,
    "acyclic_siblings": AcyclicSiblingsContract,
}

configure()


def _contract(starts_with: str) -> Contract:
    (options,) = [c for c in CONFIG["contracts"] if c["name"].startswith(starts_with)]
    # As lint-imports reads pyproject.toml: scalar options as strings.
    options = {k: str(v).lower() if isinstance(v, bool) else v for k, v in options.items()}
    name, kind = options.pop("name"), options.pop("type")
    return KINDS[kind](name=name, session_options=CONFIG, contract_options=options)


def _graph(*extra: tuple[str, str]) -> grimp.ImportGraph:
    graph = grimp.build_graph(
        "mock_symbl", include_external_packages=True, exclude_type_checking_imports=True, cache_dir=None
    )
    for importer, imported in extra:
        graph.add_import(importer=importer, imported=imported, line_number=1, line_contents="import")
    return graph


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return _graph()


def test_lint_imports_passes() -> None:
    lint_imports = Path(sys.executable).parent / "lint-imports"
    done = subprocess.run([str(lint_imports)], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"Contracts: {len(CONFIG['contracts'])} kept, 0 broken." in done.stdout


def _router_modules() -> set[str]:
    """Every module that declares an APIRouter."""
    found = set()
    for path in (ROOT / "mock_symbl").rglob("*.py"):
        if re.search(r"\bAPIRouter\(", path.read_text(encoding="utf-8")):
            found.add(".".join(path.relative_to(ROOT).with_suffix("").parts))
    return found


def _layer_modules(layer: str) -> set[str]:
    return {m.strip() for m in re.split(r"[:|]", layer) if m.strip()}


def test_every_router_is_in_the_routers_layer_and_the_routers_contract() -> None:
    routers = _router_modules()
    assert len(routers) > 20
    (layers,) = [c for c in CONFIG["contracts"] if c["type"] == "layers"]
    in_layers = [_layer_modules(layer) for layer in layers["layers"]]
    # admin/router.py (which includes the admin routers) sits just above the layer of all the others
    at = next(i for i, layer in enumerate(in_layers) if layer == {"mock_symbl.admin.router"})
    routers_layers = in_layers[at] | in_layers[at + 1]
    assert routers == routers_layers, (sorted(routers - routers_layers), sorted(routers_layers - routers))
    assert "|" in layers["layers"][at + 1] and ":" not in layers["layers"][at + 1]  # independent
    (call_services,) = [c for c in CONFIG["contracts"] if c["name"].startswith("Routers call services only")]
    assert routers <= set(call_services["source_modules"]), sorted(
        routers - set(call_services["source_modules"])
    )


@pytest.mark.parametrize(
    ("contract", "importer", "imported"),
    [
        ("Layers", "mock_symbl.store.db", "mock_symbl.jobs.service"),  # store above a service
        ("Layers", "mock_symbl.jobs.service", "mock_symbl.jobs.router"),  # a service calling a router
        ("Layers", "mock_symbl.conversations.service", "mock_symbl.app"),  # a service reaching the app
        (
            "Layers",
            "mock_symbl.conversations.insights_router",
            "mock_symbl.web.experiences",
        ),  # router -> router
        ("store/ imports no web framework", "mock_symbl.store.conversations", "fastapi"),
        ("store/ imports no web framework", "mock_symbl.store.jobs", "mock_symbl.insights.models"),
        ("SQL only in store/", "mock_symbl.jobs.deferred", "sqlalchemy"),
        ("SQL only in store/", "mock_symbl.auth.service", "sqlmodel"),
        ("Routers call services only", "mock_symbl.jobs.router", "mock_symbl.store.jobs"),
        ("Pure cores", "mock_symbl.insights.engine", "starlette"),
        ("Pure cores", "mock_symbl.job_lifecycle", "mock_symbl.settings"),
        ("Pure cores", "mock_symbl.rsql.filters", "sqlmodel"),
        ("No import cycles", "mock_symbl.rsql.ast", "mock_symbl.rsql.filters"),
        ("No import cycles", "mock_symbl.conversations.service", "mock_symbl.web.service"),
    ],
)
def test_each_contract_catches_its_violation(
    graph: grimp.ImportGraph, contract: str, importer: str, imported: str
) -> None:
    checker = _contract(contract)
    assert checker.check(graph, verbose=False).kept, f"{checker.name} is broken on the real code"
    if graph.direct_import_exists(importer=importer, imported=imported):
        pytest.fail(f"{importer} already imports {imported}: pick another example")
    broken = _graph((importer, imported))
    result: Any = checker.check(broken, verbose=False)
    assert not result.kept, f"{checker.name} missed {importer} -> {imported}"
