"""Connecting to the registry database and bringing its schema up to date.

The schema is created and changed only by the Alembic migrations shipped in
``smartspec/registry/migrations`` (never by ``metadata.create_all``), on SQLite and on
PostgreSQL alike.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from smartspec.errors import InputError

__all__ = [
    "MIGRATIONS",
    "alembic_config",
    "create_registry_engine",
    "current_revision",
    "head_revision",
    "resolve_url",
    "upgrade",
]

#: Folder of the Alembic environment shipped inside the package.
MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def resolve_url(url_or_path: str | os.PathLike[str] | None = None) -> sa.URL:
    """The database URL for a URL, a SQLite file path, or ``None`` (the data directory).

    ``postgresql://`` and ``postgres://`` URLs use the psycopg 3 driver.

    >>> resolve_url("postgresql://u@localhost/s3").drivername
    'postgresql+psycopg'
    >>> resolve_url("/srv/r.sqlite").render_as_string()
    'sqlite:////srv/r.sqlite'
    """
    if url_or_path is None:
        from smartspec.config import data_dir

        path = data_dir().ensure().registry_db
        return sa.URL.create("sqlite", database=str(path))
    text = os.fspath(url_or_path)
    if "://" not in text:
        path = Path(text).expanduser().resolve()
        if not path.parent.is_dir():
            raise InputError(
                f"folder {str(path.parent)!r} of the registry file does not exist",
                hint="create it first, or give another path",
            )
        return sa.URL.create("sqlite", database=str(path))
    try:
        url = sa.make_url(text)
    except sa.exc.ArgumentError as err:
        raise InputError(
            f"{text!r} is not a database URL",
            hint="use e.g. postgresql://user@host/dbname or a path to a SQLite file",
        ) from err
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    return url


def create_registry_engine(url: sa.URL, **kwargs: Any) -> Engine:
    """An engine with the registry's connection settings.

    SQLite: foreign keys enforced, a 30 s busy timeout (concurrent writers wait, then
    fail instead of corrupting).
    """
    if url.get_backend_name() == "sqlite":
        kwargs.setdefault("connect_args", {"timeout": 30})
        engine = sa.create_engine(url, **kwargs)

        @sa.event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys = ON")
            cursor.close()

        return engine
    kwargs.setdefault("pool_pre_ping", True)
    return sa.create_engine(url, **kwargs)


def alembic_config(connection: sa.Connection | None = None) -> Any:
    """An Alembic ``Config`` for the shipped migrations (on ``connection``, if given)."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Run the migrations up to ``revision`` (default: the newest) in one transaction."""
    from alembic import command

    if engine.dialect.name != "sqlite":
        with engine.begin() as connection:
            command.upgrade(alembic_config(connection), revision)
        return
    # Python's sqlite3 runs DDL outside transactions (each CREATE commits on its own: slow,
    # and a failed migration would stop half-way). Open the transaction ourselves.
    with engine.connect() as connection:
        dbapi = connection.connection.dbapi_connection
        assert dbapi is not None
        previous = dbapi.isolation_level
        dbapi.isolation_level = None
        try:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
            try:
                command.upgrade(alembic_config(connection), revision)
            except BaseException:
                connection.exec_driver_sql("ROLLBACK")
                raise
            connection.exec_driver_sql("COMMIT")
        finally:
            dbapi.isolation_level = previous
            connection.rollback()


def head_revision() -> str:
    """The newest migration shipped with this smartspec."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    """The migration the database is at (``None`` for an empty database)."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()
