"""The registry's connection, its user and its transactions.

:class:`RegistryBase` holds the database engine and the user (recorded as the author of
revisions and as the actor in the audit log) and opens the sessions:
:meth:`~RegistryBase.session` an audited transaction, committed at the end and rolled
back on an exception; ``_reading`` a read that is rolled back.
:class:`~smartspec.registry.service.Registry` is built on it, with the editing
operations of :mod:`smartspec.registry.editing` and the accounts of
:mod:`smartspec.registry.accounts`.
"""

from __future__ import annotations

import getpass
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Self

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from smartspec.registry import db
from smartspec.registry.auditing import RegistrySession
from smartspec.registry.models.base import utcnow

__all__ = ["RegistryBase"]


def _default_user() -> str:
    env = os.environ.get("SMARTSPEC_USER")
    if env:
        return env
    try:
        return getpass.getuser()
    except Exception:  # pragma: no cover - no user name in some containers
        return "unknown"


class RegistryBase:
    """The engine, the user and the transactions of a registry.

    The base of :class:`~smartspec.registry.service.Registry`; use
    :func:`~smartspec.registry.service.open_registry` to get one.
    """

    def __init__(self, engine: Engine, *, user: str | None = None) -> None:
        self.engine = engine
        self.user = user or _default_user()
        self._sessions = sessionmaker(bind=engine, class_=RegistrySession, expire_on_commit=False)

    # ------------------------------------------------------------------ plumbing

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Registry({self.engine.url.render_as_string(hide_password=True)!r})"

    @contextmanager
    def session(
        self,
        *,
        author: str | None = None,
        operation: str = "session",
        reason: str | None = None,
    ) -> Iterator[Session]:
        """An audited transaction: committed at the end, rolled back on an exception.

        For writes the service has no operation for yet (goals, actions, indicators…)::

            with registry.session(reason="workshop notes") as s:
                s.add(FollowUp(...))
        """
        with self._sessions() as session:
            session.info.update(
                actor=author or self.user, operation=operation, reason=reason, now=utcnow()
            )
            with session.begin():
                yield session

    @contextmanager
    def _reading(self) -> Iterator[Session]:
        with self._sessions() as session:
            yield session
            session.rollback()

    def schema_revision(self) -> str | None:
        """The migration the database is at."""
        return db.current_revision(self.engine)
