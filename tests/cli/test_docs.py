"""docs/cli.md is generated from the real --help; it must match the commands."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[2]


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "gen_cli_docs", ROOT / "scripts" / "gen_cli_docs.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_cli_docs_are_up_to_date() -> None:
    expected = _script().generate()
    current = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert current == expected, "docs/cli.md is out of date: run `make docs-cli`"


def test_cli_docs_cover_every_command() -> None:
    text = _script().generate()
    for title in (
        "smartspec",
        "smartspec regions",
        "smartspec datasets list",
        "smartspec datasets show",
        "smartspec datasets export",
        "smartspec setup",
        "smartspec serve",
        "smartspec metrics",
        "smartspec classify",
        "smartspec registry",
        "smartspec registry show",
        "smartspec registry history",
        "smartspec registry diff",
        "smartspec registry export",
        "smartspec registry import",
        "smartspec data import",
        "smartspec data list",
        "smartspec data show",
        "smartspec data drop",
    ):
        assert f"## `{title}`" in text
    assert "\x1b[" not in text  # no ANSI escapes
