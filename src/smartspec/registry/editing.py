"""Editing a strategy: its priorities (add, rename, update, remove) and its own fields.

Every edit writes a new dated revision of the strategy
(:func:`~smartspec.registry.revisions.write_revision`) in one audited transaction, under
optimistic concurrency: the caller passes the strategy ``version`` the edit is based on,
and a :class:`~smartspec.registry.errors.ConflictError` says that someone else changed it
since (nothing is written). :class:`StrategyEditing` is part of
:class:`~smartspec.registry.service.Registry`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from smartspec.errors import InputError, UnknownCodeError
from smartspec.registry.dates import DatePrecision, PartialDate
from smartspec.registry.errors import ConflictError
from smartspec.registry.labels import label_key
from smartspec.registry.models import (
    PriorityKind,
    SourceDocument,
    Strategy,
    StrategyKind,
    StrategyRevision,
    StrategyStatus,
)
from smartspec.registry.queries import (
    find_region,
    find_strategy,
    revision_in_effect,
    revision_info,
)
from smartspec.registry.revisions import (
    PriorityInput,
    StrategyMeta,
    inputs_from_revision,
    write_revision,
)
from smartspec.registry.transactions import RegistryBase
from smartspec.registry.views import RevisionInfo

__all__ = ["StrategyEditing"]

_UNSET: Any = object()


class StrategyEditing(RegistryBase):
    """The editing operations of :class:`~smartspec.registry.service.Registry`: each
    writes a new revision of a strategy."""

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
