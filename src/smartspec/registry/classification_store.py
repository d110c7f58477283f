"""Stored classifications: the priorities they describe, their rows, and their views.

A classification row belongs to a priority's stable id; the priority is named by the
latest revision that states it. :func:`classifications` reads the stored rows of a
priority or of a region's current priorities as :class:`ClassificationView` objects, in
a fixed order (NACE divisions, then themes; accepted, added, suggested, then rejected;
by score). The helpers here that find the priorities and their rows are shared by
:mod:`smartspec.registry.classification_suggest` and
:mod:`smartspec.registry.classification_review`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Session

from smartspec.errors import InputError, UnknownCodeError
from smartspec.registry.classification_codes import code_name
from smartspec.registry.models import (
    ClassificationScheme,
    ClassificationStatus,
    Priority,
    PriorityClassification,
    RevisionPriority,
    Strategy,
    StrategyKind,
    StrategyRevision,
)
from smartspec.registry.queries import find_region, region_strategies, revision_in_effect
from smartspec.registry.views import _ToDict

if TYPE_CHECKING:
    from smartspec.registry.service import Registry

__all__ = ["ClassificationView", "classifications"]

_EVIDENCE_SEPARATOR = "\n"
_STATUS_ORDER = {
    ClassificationStatus.ACCEPTED: 0,
    ClassificationStatus.ADDED: 1,
    ClassificationStatus.SUGGESTED: 2,
    ClassificationStatus.REJECTED: 3,
}
_SCHEME_ORDER = {ClassificationScheme.NACE: 0, ClassificationScheme.THEME: 1}
_IN_FORCE = (ClassificationStatus.ACCEPTED, ClassificationStatus.ADDED)


# --------------------------------------------------------------------------- views


@dataclass(frozen=True)
class ClassificationView(_ToDict):
    """One classification of a priority, as stored.

    Attributes
    ----------
    priority_id:
        The priority's stable id (what ``accept``/``reject``/``set-codes`` take).
    label:
        The priority's label in the latest revision stating it.
    strategy, joint:
        The priority's strategy, and whether it is a joint one.
    scheme, code, name:
        ``nace`` and a division (``"10"``, named in English) or ``theme`` and a theme id.
    score:
        The classifier's score in [0, 1]; ``None`` for an editor's addition.
    method:
        The classifier and its data version (``None`` for an editor's addition).
    evidence:
        Why the classifier suggested it.
    source_text:
        The priority's labels when the code was suggested or added.
    status:
        ``suggested``, ``accepted``, ``rejected`` or ``added``.
    """

    priority_id: int
    label: str
    strategy: str
    joint: bool
    scheme: ClassificationScheme
    code: str
    name: str
    score: float | None
    method: str | None
    evidence: tuple[str, ...]
    source_text: str | None
    status: ClassificationStatus
    reviewed_by: str | None
    reviewed_at: dt.datetime | None
    created_at: dt.datetime

    @property
    def reviewed(self) -> bool:
        """True once an editor has reviewed it."""
        return self.status is not ClassificationStatus.SUGGESTED

    @property
    def in_force(self) -> bool:
        """True for the codes the priority has after review: accepted or added."""
        return self.status in _IN_FORCE


# --------------------------------------------------------------------------- priorities


@dataclass(frozen=True)
class _Item:
    """A priority as its latest statement names it."""

    priority_id: int
    strategy: str
    joint: bool
    label: str
    label_sv: str | None
    label_en: str | None


def _all_strategies(s: Session) -> list[Strategy]:
    strategies = s.scalars(sa.select(Strategy)).all()
    return sorted(strategies, key=lambda st: (st.kind is not StrategyKind.REGIONAL, st.code))


def _current(s: Session, region: str | None) -> list[_Item]:
    """The priorities of the current revisions, of one region's strategies or of all."""
    strategies = (
        _all_strategies(s) if region is None else region_strategies(s, find_region(s, region))
    )
    items: dict[int, _Item] = {}
    for strategy in strategies:
        revision = revision_in_effect(s, strategy)
        if revision is None:
            continue
        for row in revision.priorities:
            items.setdefault(row.priority_id, _item(strategy, row))
    return list(items.values())


def _item(strategy: Strategy, row: RevisionPriority) -> _Item:
    return _Item(
        priority_id=row.priority_id,
        strategy=strategy.code,
        joint=strategy.is_joint,
        label=row.label,
        label_sv=row.label_sv,
        label_en=row.label_en,
    )


def _one(s: Session, priority_id: int) -> _Item:
    """A priority by id, named by the latest revision that states it."""
    if isinstance(priority_id, bool) or not isinstance(priority_id, int):
        raise InputError(f"a priority id is a whole number, not {priority_id!r}")
    priority = s.get(Priority, priority_id)
    row = None
    if priority is not None:
        row = s.scalar(
            sa.select(RevisionPriority)
            .join(StrategyRevision, StrategyRevision.id == RevisionPriority.revision_id)
            .where(RevisionPriority.priority_id == priority_id)
            .order_by(StrategyRevision.effective_date.desc(), StrategyRevision.number.desc())
            .limit(1)
        )
    if priority is None or row is None:
        raise UnknownCodeError(
            "priority",
            str(priority_id),
            context="(priority ids are shown by `smartspec registry show REGION --ids`)",
        )
    strategy = s.get_one(Strategy, priority.strategy_id)
    return _item(strategy, row)


def _scope(s: Session, priority_or_region: int | str | None) -> list[_Item]:
    if priority_or_region is None:
        return _current(s, None)
    if isinstance(priority_or_region, int) and not isinstance(priority_or_region, bool):
        return [_one(s, priority_or_region)]
    text = str(priority_or_region).strip()
    if text.isdigit():
        return [_one(s, int(text))]
    return _current(s, text)


def _rows(s: Session, ids: Iterable[int]) -> dict[int, list[PriorityClassification]]:
    wanted = list(ids)
    out: dict[int, list[PriorityClassification]] = {pid: [] for pid in wanted}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        query = sa.select(PriorityClassification).where(
            PriorityClassification.priority_id.in_(chunk)
        )
        for row in s.scalars(query):
            out[row.priority_id].append(row)
    return out


def _view(item: _Item, row: PriorityClassification) -> ClassificationView:
    return ClassificationView(
        priority_id=item.priority_id,
        label=item.label,
        strategy=item.strategy,
        joint=item.joint,
        scheme=row.scheme,
        code=row.code,
        name=code_name(row.scheme, row.code),
        score=row.score,
        method=row.method,
        evidence=tuple(row.evidence.split(_EVIDENCE_SEPARATOR)) if row.evidence else (),
        source_text=row.source_text,
        status=row.status,
        reviewed_by=row.reviewed_by,
        reviewed_at=row.reviewed_at,
        created_at=row.created_at,
    )


def _order(row: PriorityClassification) -> tuple[int, int, float, str]:
    return (
        _SCHEME_ORDER[row.scheme],
        _STATUS_ORDER[row.status],
        -(row.score if row.score is not None else -1.0),
        row.code,
    )


def _views(s: Session, items: Sequence[_Item]) -> list[ClassificationView]:
    rows = _rows(s, (i.priority_id for i in items))
    return [
        _view(item, row) for item in items for row in sorted(rows[item.priority_id], key=_order)
    ]


def _texts(item: _Item) -> list[str]:
    """The texts classified for a priority: its Swedish label, then its English one."""
    labels = (item.label_sv, item.label_en)
    return list(dict.fromkeys(t.strip() for t in labels if t and t.strip()))


# --------------------------------------------------------------------------- reading


def classifications(
    registry: Registry, priority_or_region: int | str | None = None
) -> list[ClassificationView]:
    """The stored classifications of a priority (by id) or of a region's current priorities.

    A region (code or name) gives its own and its joint strategies' current priorities,
    in published order; ``None`` every current priority. Per priority: NACE divisions,
    then themes; accepted, added, suggested, then rejected; by score.
    """
    with registry.session(operation="read") as s:
        return _views(s, _scope(s, priority_or_region))
