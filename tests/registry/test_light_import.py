"""`import smartspec` stays light: the registry (and SQLAlchemy) load only when used."""

from __future__ import annotations

import json
import subprocess
import sys


def test_import_smartspec_does_not_import_sqlalchemy() -> None:
    code = "import smartspec, sys, json; print(json.dumps(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    ).stdout
    modules = set(json.loads(out.strip().splitlines()[-1]))
    assert not {m for m in modules if m.split(".")[0] in {"sqlalchemy", "alembic", "psycopg"}}
    assert "smartspec.registry" not in modules
