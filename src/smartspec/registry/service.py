"""The registry service: what the CLI, the web app and notebooks call.

>>> import tempfile, pathlib
>>> with tempfile.TemporaryDirectory() as folder:
...     with open_registry(pathlib.Path(folder) / "registry.sqlite", user="doctest") as reg:
...         report = reg.load_bundled()
...         print(reg.show("SE211", at="2019-06-01").labels())
['Attityder för innovationer', 'Effektiva processer för innovation', 'Samverkan för innovation']
"""

from __future__ import annotations

import datetime as dt
import getpass
import json
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from smartspec.errors import InputError, UnknownCodeError
from smartspec.registry import db
from smartspec.registry.auditing import RegistrySession
from smartspec.registry.dates import DatePrecision, PartialDate, as_of_date
from smartspec.registry.diff import diff_revisions
from smartspec.registry.errors import ConflictError
from smartspec.registry.exchange import dump_tables, load_tables, read_export
from smartspec.registry.labels import label_key
from smartspec.registry.models import (
    Account,
    AccountRegion,
    AuditEntry,
    Person,
    PriorityKind,
    Region,
    SourceDocument,
    Strategy,
    StrategyKind,
    StrategyRevision,
    StrategyStatus,
)
from smartspec.registry.models.base import utcnow
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
from smartspec.registry.revisions import (
    PriorityInput,
    StrategyMeta,
    inputs_from_revision,
    write_revision,
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

_UNSET: Any = object()
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


def _default_user() -> str:
    env = os.environ.get("SMARTSPEC_USER")
    if env:
        return env
    try:
        return getpass.getuser()
    except Exception:  # pragma: no cover - no user name in some containers
        return "unknown"


class Registry:
    """A strategy registry on one database.

    Every write runs in one transaction with its audit entries; a failed write leaves
    the database as it was. Use :func:`open_registry` to get one.
    """

    def __init__(self, engine: Engine, *, user: str | None = None) -> None:
        self.engine = engine
        self.user = user or _default_user()
        self._sessions = sessionmaker(bind=engine, class_=RegistrySession, expire_on_commit=False)

    # ------------------------------------------------------------------ plumbing

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()

    def __enter__(self) -> Registry:
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

    # ------------------------------------------------------------------ editing

    def add_priority(
        self,
        strategy: str,
        label: str,
        *,
        expected_version: int,
        kind: PriorityKind | str = PriorityKind.STRENGTH_AREA,
        label_en: str | None = None,
        description: str | None = None,
        niches: Sequence[str] = (),
        position: int | None = None,
        effective: dt.date | str | None = None,
        author: str | None = None,
        reason: str | None = None,
        source: str | None = None,
    ) -> RevisionInfo:
        """Add a priority (a new revision).

        Parameters
        ----------
        strategy:
            A region code (its own strategy; created if the region has none, at version
            0) or a joint strategy's code.
        label:
            The Swedish label (or the only label); ``label_en`` the English one.
        expected_version:
            The strategy version the edit is based on (:meth:`version`, or ``version``
            of :meth:`show`'s strategies).
        position:
            1-based place in the list (default: last).
        effective:
            When the change takes effect (default: today). The change applies to the
            revision in effect on that day.
        source:
            Key of a source document that states the change.

        Raises
        ------
        ConflictError
            If the strategy has changed since ``expected_version``; nothing is written.
        """
        try:
            new = PriorityInput(
                label_sv=label,
                label_en=label_en,
                kind=PriorityKind(kind),
                description=description,
                niches=tuple(niches),
            )
        except ValueError:
            raise InputError(
                f"unknown kind {kind!r}",
                hint="use one of " + ", ".join(k.value for k in PriorityKind),
            ) from None

        def change(
            items: list[PriorityInput], meta: StrategyMeta
        ) -> tuple[list[PriorityInput], StrategyMeta]:
            place = len(items) if position is None else max(0, min(len(items), position - 1))
            return [*items[:place], new, *items[place:]], meta

        return self._edit(
            strategy,
            change,
            "add_priority",
            expected_version,
            effective,
            author,
            reason,
            source,
            create=True,
        )

    def rename_priority(
        self,
        strategy: str,
        priority: int | str,
        new_label: str,
        *,
        expected_version: int,
        label_en: str | None = _UNSET,
        effective: dt.date | str | None = None,
        author: str | None = None,
        reason: str | None = None,
        source: str | None = None,
    ) -> RevisionInfo:
        """Rename a priority, keeping its identity (a new revision).

        ``priority`` is its id or its current label. A new label that normalises to a
        different key is a *rename* in diffs; one differing only in case, spacing or
        punctuation is a *rewording*.
        """

        def change(
            items: list[PriorityInput], meta: StrategyMeta
        ) -> tuple[list[PriorityInput], StrategyMeta]:
            i = _find(items, priority, strategy)
            updated = replace(items[i], label_sv=new_label)
            if label_en is not _UNSET:
                updated = replace(updated, label_en=label_en)
            items[i] = updated
            return items, meta

        return self._edit(
            strategy, change, "rename_priority", expected_version, effective, author, reason, source
        )

    def update_priority(
        self,
        strategy: str,
        priority: int | str,
        *,
        expected_version: int,
        kind: PriorityKind | str = _UNSET,
        label_en: str | None = _UNSET,
        description: str | None = _UNSET,
        niches: Sequence[str] = _UNSET,
        effective: dt.date | str | None = None,
        author: str | None = None,
        reason: str | None = None,
        source: str | None = None,
    ) -> RevisionInfo:
        """Change a priority's kind, English label, description or niches (a new revision)."""

        def change(
            items: list[PriorityInput], meta: StrategyMeta
        ) -> tuple[list[PriorityInput], StrategyMeta]:
            i = _find(items, priority, strategy)
            item = items[i]
            if kind is not _UNSET:
                item = replace(item, kind=PriorityKind(kind))
            if label_en is not _UNSET:
                item = replace(item, label_en=label_en)
            if description is not _UNSET:
                item = replace(item, description=description)
            if niches is not _UNSET:
                item = replace(item, niches=tuple(niches))
            items[i] = item
            return items, meta

        return self._edit(
            strategy, change, "update_priority", expected_version, effective, author, reason, source
        )

    def remove_priority(
        self,
        strategy: str,
        priority: int | str,
        *,
        expected_version: int,
        effective: dt.date | str | None = None,
        author: str | None = None,
        reason: str | None = None,
        source: str | None = None,
    ) -> RevisionInfo:
        """Remove a priority from the strategy (a new revision; history keeps it)."""

        def change(
            items: list[PriorityInput], meta: StrategyMeta
        ) -> tuple[list[PriorityInput], StrategyMeta]:
            del items[_find(items, priority, strategy)]
            return items, meta

        return self._edit(
            strategy, change, "remove_priority", expected_version, effective, author, reason, source
        )

    def update_strategy(
        self,
        strategy: str,
        *,
        expected_version: int,
        vision: str | None = _UNSET,
        status: StrategyStatus | str | None = _UNSET,
        period_start: int | None = _UNSET,
        period_end: int | None = _UNSET,
        adopted_on: dt.date | None = _UNSET,
        effective: dt.date | str | None = None,
        author: str | None = None,
        reason: str | None = None,
        source: str | None = None,
    ) -> RevisionInfo:
        """Change a strategy's vision, status, period or adoption date (a new revision)."""
        updates: dict[str, Any] = {
            k: v
            for k, v in {
                "vision": vision,
                "status": StrategyStatus(status) if isinstance(status, str) else status,
                "period_start": period_start,
                "period_end": period_end,
                "adopted_on": adopted_on,
            }.items()
            if v is not _UNSET
        }

        def change(
            items: list[PriorityInput], meta: StrategyMeta
        ) -> tuple[list[PriorityInput], StrategyMeta]:
            return items, replace(meta, **updates)

        return self._edit(
            strategy, change, "update_strategy", expected_version, effective, author, reason, source
        )

    def _edit(
        self,
        code: str,
        change: Any,
        operation: str,
        expected_version: int,
        effective: dt.date | str | None,
        author: str | None,
        reason: str | None,
        source_key: str | None,
        *,
        create: bool = False,
    ) -> RevisionInfo:
        when = (
            PartialDate(dt.date.today(), DatePrecision.DAY)
            if effective is None
            else PartialDate.parse(effective, where="effective date")
        )
        with self.session(author=author, operation=operation, reason=reason) as s:
            strategy = self._strategy_for_edit(s, code, create=create)
            if strategy.version != expected_version:
                raise ConflictError(
                    strategy.code, expected=expected_version, current=strategy.version
                )
            source = None
            if source_key is not None:
                source = s.scalar(sa.select(SourceDocument).where(SourceDocument.key == source_key))
                if source is None:
                    raise UnknownCodeError("source", source_key)
            base = revision_in_effect(s, strategy, when.end)
            items, meta = change(inputs_from_revision(base), StrategyMeta.of(base))

            def write() -> StrategyRevision:
                return write_revision(
                    s,
                    strategy,
                    items,
                    effective=when,
                    author=author or self.user,
                    reason=reason,
                    source=source,
                    meta=meta,
                    expected_version=expected_version,
                )

            try:
                revision = write()
            except StaleDataError:
                raise ConflictError(
                    strategy.code, expected=expected_version, current=None
                ) from None
            return revision_info(strategy, revision)

    @staticmethod
    def _strategy_for_edit(s: Session, code: str, *, create: bool) -> Strategy:
        try:
            return find_strategy(s, code)
        except UnknownCodeError:
            if not create:
                raise
        region = find_region(s, code)
        strategy = Strategy(
            code=region.code,
            name=region.name,
            kind=StrategyKind.REGIONAL,
            version=0,
            regions=[region],
        )
        s.add(strategy)
        s.flush()
        return strategy

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

    # ------------------------------------------------------------------ accounts

    def add_account(
        self,
        username: str,
        *,
        display_name: str | None = None,
        email: str | None = None,
        is_admin: bool = False,
        author: str | None = None,
    ) -> None:
        """Create an account (it may edit no region until :meth:`grant`)."""
        name = username.strip()
        if not name:
            raise InputError("the user name is empty")
        with self.session(author=author, operation="add_account") as s:
            if s.scalar(sa.select(Account).where(Account.username == name)) is not None:
                raise InputError(f"account {name!r} exists already")
            s.add(Account(username=name, display_name=display_name, email=email, is_admin=is_admin))

    def grant(self, username: str, regions: Iterable[str], *, author: str | None = None) -> None:
        """Let an account edit the strategies of these regions."""
        with self.session(author=author, operation="grant") as s:
            account = _account(s, username)
            have = set(
                s.scalars(
                    sa.select(AccountRegion.region_id).where(AccountRegion.account_id == account.id)
                )
            )
            for code in regions:
                region = find_region(s, code)
                if region.id not in have:
                    s.add(
                        AccountRegion(
                            account_id=account.id,
                            region_id=region.id,
                            granted_at=s.info["now"],
                            granted_by=author or self.user,
                        )
                    )
                    have.add(region.id)

    def revoke(self, username: str, regions: Iterable[str], *, author: str | None = None) -> None:
        """Withdraw an account's right to edit these regions."""
        with self.session(author=author, operation="revoke") as s:
            account = _account(s, username)
            for code in regions:
                region = find_region(s, code)
                row = s.get(AccountRegion, (account.id, region.id))
                if row is not None:
                    s.delete(row)

    def editable_regions(self, username: str) -> list[str]:
        """The codes of the regions the account may edit."""
        with self._reading() as s:
            account = _account(s, username)
            return list(
                s.scalars(
                    sa.select(Region.code)
                    .join(AccountRegion, AccountRegion.region_id == Region.id)
                    .where(AccountRegion.account_id == account.id)
                    .order_by(Region.code)
                )
            )

    def can_edit(self, username: str, strategy: str) -> bool:
        """True if the account may edit the strategy (admins may edit every strategy;
        a joint strategy needs a permission for one of its regions)."""
        with self._reading() as s:
            account = _account(s, username)
            if not account.active:
                return False
            if account.is_admin:
                return True
            found = find_strategy(s, strategy)
            allowed = set(
                s.scalars(
                    sa.select(AccountRegion.region_id).where(AccountRegion.account_id == account.id)
                )
            )
            return any(r.id in allowed for r in found.regions)

    # ------------------------------------------------------------------ persons

    def erase_person(
        self, person_id: int, *, author: str | None = None, reason: str | None = None
    ) -> None:
        """Erase a person's personal data; the row and its participations stay.

        The audit log never held the personal fields, so it needs no change.
        """
        with self.session(
            author=author, operation="erase_person", reason=reason or "erasure request"
        ) as s:
            person = s.get(Person, person_id)
            if person is None:
                raise UnknownCodeError("person", str(person_id))
            person.name = None
            person.email = None
            person.consent = False
            person.erased_at = s.info["now"]


def _find(items: list[PriorityInput], priority: int | str, strategy: str) -> int:
    if isinstance(priority, int):
        for i, item in enumerate(items):
            if item.priority_id == priority:
                return i
        raise UnknownCodeError(
            "priority", str(priority), context=f"in the current revision of {strategy}"
        )
    key = label_key(priority)
    for i, item in enumerate(items):
        if label_key(item.label) == key or (item.label_en and label_key(item.label_en) == key):
            return i
    import difflib

    labels = [item.label for item in items]
    close = difflib.get_close_matches(priority, labels, n=3, cutoff=0.5)
    raise UnknownCodeError(
        "priority", priority, close, context=f"in the current revision of {strategy}"
    )


def _account(s: Session, username: str) -> Account:
    account = s.scalar(sa.select(Account).where(Account.username == username.strip()))
    if account is None:
        raise UnknownCodeError("account", username)
    return account
