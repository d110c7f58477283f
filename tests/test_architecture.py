"""Dependencies point one way: interfaces → services/stores → core.

Core (no I/O side effects, no web or database imports): ``errors``, ``table``, ``geo``,
``taxonomy``, ``metrics``. Services and stores: ``data``, ``datasets``, ``registry``,
``reports``, ``config``. Interfaces: ``cli``, ``web``. A module may import its own layer
or a lower one, never a higher one. Imports are read with ``ast`` (also those inside
functions), so a lazy import cannot hide a wrong-way dependency.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import smartspec

PACKAGE = Path(smartspec.__file__).resolve().parent
CORE = {"errors", "table", "geo", "taxonomy", "metrics", "_version"}
SERVICES = {"data", "datasets", "registry", "reports", "config"}
INTERFACES = {
    "cli",
    "cli_common",
    "cli_data",
    "cli_datasets",
    "cli_metrics",
    "cli_registry",
    "web",
    "__main__",
}
LAYER = {**dict.fromkeys(CORE, 0), **dict.fromkeys(SERVICES, 1), **dict.fromkeys(INTERFACES, 2)}


def _top(path: Path) -> str:
    rel = path.relative_to(PACKAGE)
    return rel.parts[0].removesuffix(".py")


def _imported_tops(tree: ast.AST) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
            if node.module == "smartspec":
                names = [f"smartspec.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        for name in names:
            parts = name.split(".")
            if parts[0] == "smartspec" and len(parts) > 1:
                found.add(parts[1])
    return found


MODULES = sorted(p for p in PACKAGE.rglob("*.py") if _top(p) != "__init__")


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_dependencies_point_one_way(path: Path) -> None:
    here = _top(path)
    assert here in LAYER, f"{here} is in no layer: add it to tests/test_architecture.py"
    tree = ast.parse(path.read_text(encoding="utf-8"))
    wrong = sorted(
        t for t in _imported_tops(tree) if t in LAYER and LAYER[t] > LAYER[here] and t != here
    )
    assert not wrong, f"{path.relative_to(PACKAGE)} ({here}) imports higher layers: {wrong}"
