"""Recording a revision: priority identity, the version check, the immutable snapshot.

Every change to a strategy's content goes through :func:`write_revision`, which

1. refuses the change if it was based on a stale version (optimistic concurrency: the
   strategy's ``version`` must equal ``expected_version``, and the row is updated with
   ``WHERE version = <read version>`` so a concurrent writer fails at flush);
2. gives every listed priority its identity: an explicit ``priority_id`` (editors), a
   ``same_as`` link to an earlier label (a rename), or the priority that already carries
   the same normalised label in this strategy; otherwise a new priority;
3. stores the full list as a new numbered revision, and bumps the version.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace

import sqlalchemy as sa
from sqlalchemy.orm import Session

from smartspec.errors import InputError
from smartspec.registry.dates import PartialDate
from smartspec.registry.errors import ConflictError
from smartspec.registry.labels import MAX_LABEL_LENGTH, clean_label, label_key
from smartspec.registry.models import (
    Priority,
    PriorityKind,
    RevisionPriority,
    SourceDocument,
    Strategy,
    StrategyRevision,
    StrategyStatus,
)
from smartspec.registry.models.base import utcnow

__all__ = [
    "PriorityInput",
    "StrategyMeta",
    "content_signature",
    "inputs_from_revision",
    "known_labels",
    "write_revision",
]


@dataclass(frozen=True)
class PriorityInput:
    """A priority as a new revision should state it.

    Attributes
    ----------
    label_sv, label_en:
        The labels; at least one. The Swedish one, if any, is the published label and
        gives the priority its identity key.
    same_as:
        A label this priority had before (a rename): the new label keeps that identity.
    priority_id:
        The identity to keep, when the caller knows it (editing operations).
    """

    label_sv: str | None
    label_en: str | None = None
    kind: PriorityKind = PriorityKind.STRENGTH_AREA
    category: str | None = None
    description: str | None = None
    niches: tuple[str, ...] = ()
    same_as: str | None = None
    priority_id: int | None = None

    @property
    def label(self) -> str:
        """The published label (Swedish if any)."""
        return self.label_sv if self.label_sv is not None else (self.label_en or "")

    @property
    def key(self) -> str:
        """The identity key of the published label."""
        return label_key(self.label)


@dataclass(frozen=True)
class StrategyMeta:
    """A strategy's metadata as a revision states it."""

    vision: str | None = None
    status: StrategyStatus | None = None
    period_start: int | None = None
    period_end: int | None = None
    adopted_on: dt.date | None = None

    @classmethod
    def of(cls, revision: StrategyRevision | None) -> StrategyMeta:
        """The metadata a revision states (empty for ``None``)."""
        if revision is None:
            return cls()
        return cls(
            vision=revision.vision,
            status=revision.status,
            period_start=revision.period_start,
            period_end=revision.period_end,
            adopted_on=revision.adopted_on,
        )


def inputs_from_revision(revision: StrategyRevision | None) -> list[PriorityInput]:
    """The priorities of a revision as inputs that keep their identities."""
    if revision is None:
        return []
    return [
        PriorityInput(
            label_sv=row.label_sv,
            label_en=row.label_en,
            kind=row.kind,
            category=row.category,
            description=row.description,
            niches=tuple(row.niches or ()),
            priority_id=row.priority_id,
        )
        for row in revision.priorities
    ]


def known_labels(session: Session, strategy: Strategy) -> dict[str, int]:
    """Every normalised label the strategy's priorities ever had -> the priority id."""
    rows = session.execute(
        sa.select(RevisionPriority.label_key, RevisionPriority.priority_id)
        .join(StrategyRevision, StrategyRevision.id == RevisionPriority.revision_id)
        .where(StrategyRevision.strategy_id == strategy.id)
        .distinct()
    )
    return {row[0]: row[1] for row in rows}


def content_signature(
    priorities: Sequence[PriorityInput] | StrategyRevision, effective: PartialDate | None = None
) -> tuple[object, ...]:
    """What a revision states, for "is this already recorded?" comparisons."""
    if isinstance(priorities, StrategyRevision):
        effective = priorities.effective
        priorities = inputs_from_revision(priorities)
    return (
        str(effective) if effective is not None else None,
        tuple(
            (
                _clean(p.label_sv),
                _clean(p.label_en),
                PriorityKind(p.kind).value,
                p.category,
                p.description,
                tuple(p.niches),
            )
            for p in priorities
        ),
    )


def write_revision(
    session: Session,
    strategy: Strategy,
    priorities: Sequence[PriorityInput],
    *,
    effective: PartialDate,
    author: str,
    reason: str | None = None,
    source: SourceDocument | None = None,
    meta: StrategyMeta | None = None,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
    where: str | None = None,
) -> StrategyRevision:
    """Record a new revision of ``strategy`` stating exactly ``priorities``.

    Parameters
    ----------
    expected_version:
        The version the change was based on; ``None`` skips the check (imports, which
        run in one transaction and still fail at flush on a concurrent write).
    where:
        Where the input came from, for error messages (e.g. ``"revision 3, SE211"``).

    Raises
    ------
    ConflictError
        If ``expected_version`` is not the strategy's current version.
    InputError
        If a label is empty or too long, two entries are the same priority, a ``same_as``
        names no earlier priority, or a label already belongs to another priority.
    """
    if expected_version is not None and strategy.version != expected_version:
        raise ConflictError(strategy.code, expected=expected_version, current=strategy.version)
    prefix = f"{where}: " if where else f"strategy {strategy.code}: "
    known = known_labels(session, strategy)
    seen: dict[int | str, int] = {}  # priority id and label key -> position in this list
    rows: list[RevisionPriority] = []
    new_priorities: dict[str, Priority] = {}
    for position, raw in enumerate(priorities, start=1):
        item = _validated(raw, f"{prefix}priority {position}")
        key = item.key
        owner = known.get(key)
        pid: int | None
        if item.priority_id is not None:
            pid = item.priority_id
            _check_owned(session, strategy, pid, f"{prefix}priority {position}")
            if owner is not None and owner != pid:
                raise _taken(prefix, position, item.label, owner)
        elif item.same_as is not None:
            pid = known.get(label_key(item.same_as))
            if pid is None:
                raise InputError(
                    f"{prefix}priority {position} ({item.label!r}): same_as {item.same_as!r} "
                    f"names no earlier priority of strategy {strategy.code}",
                    hint="give a label the strategy had in an earlier revision",
                )
            if owner is not None and owner != pid:
                raise _taken(prefix, position, item.label, owner)
        else:
            pid = owner
        earlier = seen.get(pid) if pid is not None else None
        if earlier is None:
            earlier = seen.get(key)
        if earlier is not None:
            raise InputError(
                f"{prefix}priority {position} ({item.label!r}) is the same priority as "
                f"priority {earlier}",
                hint="list each priority once (labels that differ only in case, spaces or "
                "punctuation are the same priority)",
            )
        seen[key] = position
        if pid is not None:
            seen[pid] = position
        row = RevisionPriority(
            position=position,
            label_sv=item.label_sv,
            label_en=item.label_en,
            label_key=key,
            kind=item.kind,
            category=item.category,
            description=item.description,
            niches=list(item.niches),
        )
        if pid is None:
            priority = Priority(strategy_id=strategy.id)
            session.add(priority)
            new_priorities[key] = priority
            row.priority = priority
        else:
            row.priority_id = pid
        rows.append(row)

    meta = meta or StrategyMeta()
    strategy.version = strategy.version + 1  # UPDATE ... WHERE version = <read version>
    revision = StrategyRevision(
        strategy_id=strategy.id,
        number=strategy.version,
        effective_date=effective.start,
        effective_precision=effective.precision,
        recorded_at=now or session.info.get("now") or utcnow(),
        author=author,
        reason=reason,
        source_id=source.id if source is not None else None,
        vision=meta.vision,
        status=meta.status,
        period_start=meta.period_start,
        period_end=meta.period_end,
        adopted_on=meta.adopted_on,
        priorities=rows,
    )
    session.add(revision)
    session.flush()
    return revision


def _clean(text: str | None) -> str | None:
    return clean_label(text) if text is not None else None


def _validated(item: PriorityInput, where: str) -> PriorityInput:
    label_sv, label_en = _clean(item.label_sv), _clean(item.label_en)
    if label_sv == "":
        label_sv = None
    if label_en == "":
        label_en = None
    if label_sv is None and label_en is None:
        raise InputError(f"{where}: the label is empty", hint="give the priority a label")
    for text in (label_sv, label_en):
        if text is not None and len(text) > MAX_LABEL_LENGTH:
            raise InputError(
                f"{where}: the label is {len(text)} characters long",
                hint=f"at most {MAX_LABEL_LENGTH}; put the rest in the description",
            )
    if not label_key(label_sv if label_sv is not None else label_en or ""):
        raise InputError(
            f"{where}: the label {label_sv or label_en!r} has no letters or digits",
            hint="give the priority a label with words",
        )
    try:
        kind = PriorityKind(item.kind)
    except ValueError:
        raise InputError(
            f"{where}: unknown kind {item.kind!r}",
            hint="use one of " + ", ".join(k.value for k in PriorityKind),
        ) from None
    niches = tuple(n for n in (_clean(n) for n in item.niches) if n)
    return replace(item, label_sv=label_sv, label_en=label_en, kind=kind, niches=niches)


def _check_owned(session: Session, strategy: Strategy, pid: int, where: str) -> None:
    priority = session.get(Priority, pid)
    if priority is None or priority.strategy_id != strategy.id:
        raise InputError(f"{where}: priority {pid} is not a priority of strategy {strategy.code}")


def _taken(prefix: str, position: int, label: str, owner: int) -> InputError:
    return InputError(
        f"{prefix}priority {position}: the label {label!r} already belongs to another "
        f"priority (id {owner}) of this strategy",
        hint="choose another label, or edit that priority instead",
    )
