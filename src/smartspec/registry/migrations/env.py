"""Alembic environment of the registry (shipped inside the package).

smartspec runs it through :func:`smartspec.registry.db.upgrade`, which passes an open
connection in ``config.attributes["connection"]``. Developers can also run Alembic
directly, e.g. to write a new migration against a scratch database::

    alembic -x url=sqlite:///scratch.sqlite \\
        -c /dev/null --name alembic revision --autogenerate -m "..."

(with ``script_location`` pointing here; see docs/guide/registry.md).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context

from smartspec.registry.models import Base

target_metadata = Base.metadata


def _configure(connection: sa.Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,  # SQLite cannot ALTER most things; batch mode copies tables
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations() -> None:
    """Run the migrations on the given connection, or on ``-x url=...``."""
    config = context.config
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        return
    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option(
        "sqlalchemy.url"
    )
    if not url:
        raise SystemExit("give the database with: alembic -x url=<database URL> ...")
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        _configure(conn)


# Only when Alembic runs this file (not when a test collector imports it).
if getattr(context, "config", None) is not None:
    run_migrations()
