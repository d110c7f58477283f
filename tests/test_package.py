"""The package's public surface: a curated, sorted ``__all__`` and a light import."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

import smartspec

HEAVY = (
    # web
    "fastapi",
    "starlette",
    "uvicorn",
    "jinja2",
    "httpx",
    # database
    "sqlalchemy",
    "duckdb",
    "sqlite3",
    "psycopg",
    "psycopg2",
    "ibis",
    "pyspark",
    # plotting
    "altair",
    "vl_convert",
    "matplotlib",
    "plotly",
)


def test_all_is_sorted_and_unique() -> None:
    assert list(smartspec.__all__) == sorted(set(smartspec.__all__))


def test_all_lists_exactly_the_lazy_names() -> None:
    lazy = {*smartspec._LAZY, *smartspec._SUBMODULES, "__version__"}
    assert set(smartspec.__all__) == lazy


def test_every_public_name_resolves() -> None:
    for name in smartspec.__all__:
        assert getattr(smartspec, name) is not None, name


def test_unknown_attribute_is_a_clear_error() -> None:
    with pytest.raises(AttributeError, match="no_such_thing"):
        smartspec.no_such_thing  # type: ignore[attr-defined]  # noqa: B018


def test_py_typed_is_shipped() -> None:
    assert (Path(smartspec.__file__).parent / "py.typed").is_file()


def _modules_after(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", f"{code}\nimport sys, json; print(json.dumps(sorted(sys.modules)))"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return set(json.loads(out.strip().splitlines()[-1]))


def _heavy(mods: set[str]) -> list[str]:
    return sorted(m for m in mods if m.split(".")[0] in HEAVY)


def test_import_smartspec_is_light() -> None:
    assert _heavy(_modules_after("import smartspec")) == []


def test_core_packages_import_no_web_database_or_plotting() -> None:
    code = (
        "import smartspec.geo, smartspec.taxonomy, smartspec.metrics, smartspec.table\n"
        "import smartspec.errors, smartspec.config"
    )
    assert _heavy(_modules_after(code)) == []


# An absolute path of a developer's or CI machine (a user's clone has none of them).
MACHINE_PATH = re.compile(r"(?<![\w.~])/(?:work|root|farm|tmp)/|/home/[a-z]+/")


def test_no_committed_file_names_a_machine_path() -> None:
    root = Path(__file__).resolve().parent.parent
    files = subprocess.run(
        ["git", "ls-files", "src", "scripts", "tests", "docs", "benchmarks", "README.md"],
        cwd=root,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    hits = []
    for name in files:
        path = root / name
        if path.suffix in {".gz", ".parquet", ".xlsx", ".png"} or not path.is_file():
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if MACHINE_PATH.search(line):
                hits.append(f"{name}:{number}: {line.strip()}")
    assert hits == []
