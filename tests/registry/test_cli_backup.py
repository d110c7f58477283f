"""Backup and restore of the whole registry from the CLI, SQLite ↔ PostgreSQL.

`SMARTSPEC_REGISTRY_URL` points the CLI at a shared PostgreSQL registry; a JSON export
from one backend imported into an empty registry on the other must export identically
(revisions, audit log and ids included).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from smartspec.cli import app
from smartspec.config import ENV_REGISTRY_URL
from smartspec.registry import open_registry


def _cli(data: Path, *args: str, url: str | None = None) -> str:
    env = {ENV_REGISTRY_URL: url} if url else {ENV_REGISTRY_URL: ""}
    result = CliRunner().invoke(app, ["--data-dir", str(data), *args], env=env)
    assert result.exit_code == 0, result.output
    return result.output


def _canonical(path: Path) -> dict[str, object]:
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc.pop("exported_at", None)  # when the file was written, not what it holds
    return doc


@pytest.mark.postgres
def test_backup_sqlite_restore_postgresql_and_back(tmp_path: Path, pg_url: str) -> None:
    data = tmp_path / "data"
    data.mkdir()
    with open_registry(data / "registry.sqlite", user="tester") as registry:
        registry.load_bundled()

    sqlite_dump = tmp_path / "from-sqlite.json"
    _cli(data, "registry", "export", "--format", "json", "--out", str(sqlite_dump))

    _cli(data, "registry", "import", str(sqlite_dump), url=pg_url)
    shown = _cli(data, "registry", "show", "SE211", url=pg_url)
    assert "Livsmedel och livsmedelsförädling" in shown
    pg_dump = tmp_path / "from-postgresql.json"
    _cli(data, "registry", "export", "--format", "json", "--out", str(pg_dump), url=pg_url)
    assert _canonical(pg_dump) == _canonical(sqlite_dump)

    back = tmp_path / "back"
    back.mkdir()
    _cli(back, "registry", "import", str(pg_dump))
    round_trip = tmp_path / "round-trip.json"
    _cli(back, "registry", "export", "--format", "json", "--out", str(round_trip))
    assert _canonical(round_trip) == _canonical(sqlite_dump)
