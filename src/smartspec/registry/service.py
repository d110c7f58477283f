"""The registry service: what the CLI, the web app and notebooks call.

:class:`Registry` reads the registry (regions, priorities on a day, history, diffs,
the audit log), loads priority files and the bundled map, and backs it up as JSON; it
takes its transactions from :mod:`smartspec.registry.transactions`, its editing
operations from :mod:`smartspec.registry.editing` and its accounts from
:mod:`smartspec.registry.accounts`.

>>> import tempfile, pathlib
>>> with tempfile.TemporaryDirectory() as folder:
...     with open_registry(pathlib.Path(folder) / "registry.sqlite", user="doctest") as reg:
...         report = reg.load_bundled()
...         print(reg.show("SE211", at="2019-06-01").labels())
['Attityder för innovationer', 'Effektiva processer för innovation', 'Samverkan för innovation']
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from smartspec.errors import InputError
from smartspec.registry import db
from smartspec.registry.accounts import AccountAdmin
from smartspec.registry.dates import as_of_date
from smartspec.registry.diff import diff_revisions
from smartspec.registry.editing import StrategyEditing
from smartspec.registry.errors import ConflictError
from smartspec.registry.exchange import dump_tables, load_tables, read_export
from smartspec.registry.models import AuditEntry, Region, StrategyRevision
from smartspec.registry.queries import (
    find_region,
    find_strategy,
    get_revision,
    priority_views,
    region_strategies,
    revision_in_effect,
    revision_info,
    strategy_state,
)
from smartspec.registry.views import (
    AuditRecord,
    Diff,
    ImportReport,
    PriorityView,
    RegionInfo,
    RegionPriorities,
    RevisionInfo,
)

__all__ = ["Registry", "open_registry"]

_T = TypeVar("_T")


def open_registry(
    url_or_path: str | os.PathLike[str] | None = None,
    *,
    user: str | None = None,
    echo: bool = False,
) -> Registry:
    """Open (and create or upgrade) a registry.

    Parameters
    ----------
    url_or_path:
        A SQLAlchemy URL (``postgresql://user@host/db``, ``sqlite:///…``), a path to a
        SQLite file, or ``None`` for ``registry.sqlite`` in the data directory
        (:func:`smartspec.config.data_dir`).
    user:
        Who is working: recorded as author of revisions and in the audit log. Default:
        ``$SMARTSPEC_USER``, else the operating-system user.
    echo:
        Log every SQL statement (for debugging).

    Returns
    -------
    Registry
        With the schema migrated to the newest revision.
    """
    engine = db.create_registry_engine(db.resolve_url(url_or_path), echo=echo)
    try:
        db.upgrade(engine)
    except Exception:
        engine.dispose()
        raise
    return Registry(engine, user=user)


class Registry(StrategyEditing, AccountAdmin):
    """A strategy registry on one database.

    Every write runs in one transaction with its audit entries; a failed write leaves
    the database as it was. Use :func:`open_registry` to get one.
    """

    # ------------------------------------------------------------------ reading

    def regions(self) -> list[RegionInfo]:
        """The regions in the registry, by code."""
        with self._reading() as s:
            return [
                RegionInfo(r.code, r.name)
                for r in s.scalars(sa.select(Region).order_by(Region.code))
            ]

    def show(self, region: str, at: dt.date | str | None = None) -> RegionPriorities:
        """A region's priorities in effect on a day (default: today).

        Parameters
        ----------
        region:
            A NUTS code (``SE211``) or a unique part of a region's name.
        at:
            The day; a year or month (``"2019"``, ``"2019-10"``) means its last day.

        Returns
        -------
        RegionPriorities
            The region's own priorities, then the areas of its joint strategies (marked
            ``joint``), each with kind, label, source and effective date.
        """
        day = as_of_date(at) or dt.date.today()
        with self._reading() as s:
            return self._show(s, find_region(s, region), day)

    def map(self, at: dt.date | str | None = None) -> list[RegionPriorities]:
        """Every region's priorities on a day: the national map as of that day."""
        day = as_of_date(at) or dt.date.today()
        with self._reading() as s:
            regions = s.scalars(sa.select(Region).order_by(Region.code)).all()
            return [self._show(s, r, day) for r in regions]

    @staticmethod
    def _show(s: Session, region: Region, day: dt.date) -> RegionPriorities:
        views: list[PriorityView] = []
        states = []
        for strategy in region_strategies(s, region):
            revision = revision_in_effect(s, strategy, day)
            if revision is None:
                continue
            states.append(strategy_state(strategy, revision))
            views.extend(priority_views(strategy, revision))
        return RegionPriorities(
            RegionInfo(region.code, region.name), day, tuple(views), tuple(states)
        )

    def history(self, region: str) -> list[RevisionInfo]:
        """Every revision of the region's own and joint strategies, by effective date."""
        with self._reading() as s:
            found = find_region(s, region)
            infos: list[RevisionInfo] = []
            for strategy in region_strategies(s, found):
                revisions = s.scalars(
                    sa.select(StrategyRevision).where(StrategyRevision.strategy_id == strategy.id)
                )
                infos.extend(revision_info(strategy, r) for r in revisions)
            return sorted(infos, key=lambda i: (i.effective_date, i.joint, i.strategy, i.number))

    def revision(self, strategy: str, number: int) -> list[PriorityView]:
        """The priorities revision ``number`` of a strategy (or a region's own) states."""
        with self._reading() as s:
            found = find_strategy(s, strategy)
            return list(priority_views(found, get_revision(s, found, number)))

    def version(self, strategy: str) -> int:
        """The current version of a strategy (or a region's own): pass it as
        ``expected_version`` to the editing operations."""
        with self._reading() as s:
            return find_strategy(s, strategy).version

    def diff(
        self,
        region: str,
        rev_a: int | RevisionInfo,
        rev_b: int | RevisionInfo,
        *,
        strategy: str | None = None,
    ) -> Diff:
        """What changed from one revision to another.

        Parameters
        ----------
        region:
            The region; its own strategy is compared unless ``strategy`` (e.g. a joint
            strategy's code) is given, or the revisions are :class:`RevisionInfo` objects
            from :meth:`history`, which name their strategy.
        rev_a, rev_b:
            Revision numbers (or history entries), in either order.
        """
        code = strategy
        for rev in (rev_a, rev_b):
            if isinstance(rev, RevisionInfo):
                if code is not None and code != rev.strategy:
                    raise InputError(
                        f"revisions of different strategies cannot be compared "
                        f"({code} and {rev.strategy})"
                    )
                code = rev.strategy
        with self._reading() as s:
            found_region = find_region(s, region)
            found = find_strategy(s, code or found_region.code)
            if found_region.code not in {r.code for r in found.regions}:
                raise InputError(f"strategy {found.code} is not a strategy of {found_region.code}")
            a = get_revision(s, found, rev_a.number if isinstance(rev_a, RevisionInfo) else rev_a)
            b = get_revision(s, found, rev_b.number if isinstance(rev_b, RevisionInfo) else rev_b)
            return diff_revisions(found, a, b)

    def audit_log(self, *, table: str | None = None, limit: int | None = None) -> list[AuditRecord]:
        """The audit log, oldest first (with ``limit``: the newest ``limit`` entries)."""
        with self._reading() as s:
            query = sa.select(AuditEntry)
            if table is not None:
                query = query.where(AuditEntry.table_name == table)
            if limit is not None:
                query = query.order_by(AuditEntry.id.desc()).limit(limit)
            entries = sorted(s.scalars(query), key=lambda e: e.id)
            return [
                AuditRecord(
                    id=e.id,
                    recorded_at=e.recorded_at,
                    actor=e.actor,
                    operation=e.operation,
                    reason=e.reason,
                    table=e.table_name,
                    row_key=e.row_key,
                    action=e.action.value,
                    before=e.before,
                    after=e.after,
                )
                for e in entries
            ]

    # ------------------------------------------------------------------ importing

    def import_yaml(
        self, path: str | os.PathLike[str], *, author: str | None = None
    ) -> ImportReport:
        """Import a priorities file (format: :mod:`smartspec.registry.yaml_import`).

        All or nothing: the whole file is validated first and written in one transaction;
        on any error (:class:`~smartspec.errors.InputError` saying where and what is
        allowed) the registry is left as it was. Importing the same file again changes
        nothing.
        """
        from smartspec.registry.yaml_import import apply_plan, parse_yaml

        with self.session(author=author, operation="import_yaml") as s:
            known = {r.code: r.name for r in s.scalars(sa.select(Region))}
            plan = parse_yaml(path, known)
            s.info["reason"] = f"import of {plan.origin}"
            return self._guarded(lambda: apply_plan(s, plan, author=author or self.user))

    def load_bundled(self, *, author: str | None = None) -> ImportReport:
        """Load the 21 Swedish regions and the bundled priorities (idempotent)."""
        from smartspec.registry.bundled import load_bundled_into

        with self.session(
            author=author or "smartspec", operation="load_bundled", reason="bundled Swedish S3 map"
        ) as s:
            return self._guarded(lambda: load_bundled_into(s, author=author or "smartspec"))

    def _guarded(self, work: Callable[[], _T]) -> _T:
        try:
            return work()
        except StaleDataError:
            raise ConflictError(None) from None

    # ------------------------------------------------------------------ backup

    def export_json(self, path: str | os.PathLike[str] | None = None) -> dict[str, Any]:
        """Every row of the registry (revisions and audit log included) as JSON.

        Written to ``path`` if given (UTF-8, indented); always returned as a dict.
        See :mod:`smartspec.registry.exchange` for the format.
        """
        schema = self.schema_revision() or ""
        with self.engine.connect() as connection:
            if connection.dialect.name == "postgresql":
                connection = connection.execution_options(isolation_level="REPEATABLE READ")
            with connection.begin():
                export = dump_tables(connection, schema)
        if path is not None:
            Path(path).write_text(
                json.dumps(export, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
            )
        return export

    def import_json(self, data: dict[str, Any] | str | os.PathLike[str]) -> int:
        """Restore an export into this (empty) registry; returns the number of rows.

        All or nothing; the restored registry exports exactly as the original.
        """
        export = read_export(data)
        schema = self.schema_revision() or ""
        with self.engine.begin() as connection:
            return load_tables(connection, export, schema)
