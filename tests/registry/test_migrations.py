"""The schema comes only from the Alembic migrations, and matches the models."""

from __future__ import annotations

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from smartspec.registry import Registry, open_registry
from smartspec.registry.db import current_revision, head_revision
from smartspec.registry.models import Base


def test_open_registry_migrates_to_head(registry: Registry) -> None:
    assert current_revision(registry.engine) == head_revision() == registry.schema_revision()
    names = set(sa.inspect(registry.engine).get_table_names())
    assert {t.name for t in Base.metadata.sorted_tables} | {"alembic_version"} == names


def test_models_match_the_migrations(registry: Registry) -> None:
    """A model change without a migration would show up here."""
    with registry.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_reopening_is_harmless(db_url: str) -> None:
    with open_registry(db_url, user="a") as first:
        first.load_bundled()
        before = first.export_json()
    with open_registry(db_url, user="b") as second:
        assert second.export_json() == before


def test_sqlite_enforces_foreign_keys(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with open_registry(tmp_path / "r.sqlite") as reg, reg.engine.connect() as conn:
        assert conn.execute(sa.text("PRAGMA foreign_keys")).scalar_one() == 1


def test_downgrade_to_base_and_upgrade_again(registry: Registry) -> None:
    from alembic import command

    from smartspec.registry.db import alembic_config, upgrade

    with registry.engine.begin() as conn:
        command.downgrade(alembic_config(conn), "base")
    assert set(sa.inspect(registry.engine).get_table_names()) <= {"alembic_version"}
    upgrade(registry.engine)
    assert current_revision(registry.engine) == head_revision()
    registry.load_bundled()
    assert len(registry.regions()) == 21
