"""What the registry's services return: plain, immutable dataclasses (no database objects).

The CLI prints them, the web app renders them and the JSON API serialises them with
:meth:`to_dict`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from smartspec.registry.models import PriorityKind, StrategyKind
from smartspec.registry.serial import encode

__all__ = [
    "AuditRecord",
    "Diff",
    "ImportReport",
    "PriorityChange",
    "PriorityView",
    "RegionInfo",
    "RegionPriorities",
    "RevisionInfo",
    "SourceInfo",
    "StrategyState",
]


class _ToDict:
    def to_dict(self) -> dict[str, Any]:
        """The object as JSON-ready values (dates ISO 8601, enums by value)."""
        plain: dict[str, Any] = _plain(dataclasses.asdict(self))  # type: ignore[call-overload]
        return plain


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return encode(value)


@dataclass(frozen=True)
class RegionInfo(_ToDict):
    """A region known to the registry."""

    code: str
    name: str


@dataclass(frozen=True)
class SourceInfo(_ToDict):
    """A source document, as shown next to what it says."""

    key: str
    title: str
    publisher: str | None
    url: str | None
    date: str | None  # "2019", "2019-10" or "2019-02-13"
    date_inferred: bool


@dataclass(frozen=True)
class PriorityView(_ToDict):
    """A priority as one revision states it.

    Attributes
    ----------
    priority_id:
        The stable identity of the priority within its strategy.
    label:
        As published (Swedish if there is a Swedish label, else English).
    joint:
        True for an area of a joint strategy of several regions.
    effective:
        The effective date of the revision stating it (``2019``, ``2019-10``, ``2019-02-13``).
    """

    priority_id: int
    label: str
    label_sv: str | None
    label_en: str | None
    kind: PriorityKind
    category: str | None
    description: str | None
    niches: tuple[str, ...]
    position: int
    joint: bool
    strategy: str
    revision: int
    effective: str
    source: SourceInfo | None


@dataclass(frozen=True)
class StrategyState(_ToDict):
    """A strategy as of a date: the revision in effect and its metadata."""

    code: str
    name: str
    kind: StrategyKind
    regions: tuple[str, ...]
    version: int  # the strategy's current version (for expected_version)
    revision: int  # the revision in effect at the date asked
    effective: str
    source: SourceInfo | None
    vision: str | None
    status: str | None
    period_start: int | None
    period_end: int | None
    adopted_on: dt.date | None

    @property
    def joint(self) -> bool:
        """True for a joint strategy."""
        return self.kind is StrategyKind.JOINT


@dataclass(frozen=True)
class RegionPriorities(_ToDict):
    """A region's priorities as of a date: its own strategy's and its joint strategies'.

    Attributes
    ----------
    at:
        The day asked for; ``None`` means "now" (the latest effective revisions).
    priorities:
        The region's own priorities first (in published order), then joint areas.
    strategies:
        The strategies that contributed, with the revision in effect.
    """

    region: RegionInfo
    at: dt.date | None
    priorities: tuple[PriorityView, ...]
    strategies: tuple[StrategyState, ...]

    def labels(
        self, kind: PriorityKind | str | None = None, *, joint: bool | None = None
    ) -> list[str]:
        """Labels, optionally of one kind only, or only joint / only own areas.

        Examples
        --------
        >>> RegionPriorities(RegionInfo("SE999", "Test"), None, (), ()).labels()
        []
        """
        wanted = PriorityKind(kind) if kind is not None else None
        return [
            p.label
            for p in self.priorities
            if (wanted is None or p.kind is wanted) and (joint is None or p.joint is joint)
        ]


@dataclass(frozen=True)
class RevisionInfo(_ToDict):
    """One revision in a region's history."""

    strategy: str
    joint: bool
    number: int
    effective: str
    effective_date: dt.date  # the first day of the effective period
    recorded_at: dt.datetime
    author: str
    reason: str | None
    source: SourceInfo | None
    priority_count: int


@dataclass(frozen=True)
class PriorityChange(_ToDict):
    """A priority present in both revisions of a diff, with what changed."""

    priority_id: int
    before: PriorityView
    after: PriorityView
    fields: tuple[str, ...]


@dataclass(frozen=True)
class Diff(_ToDict):
    """What changed from revision ``a`` to revision ``b`` of one strategy.

    Attributes
    ----------
    added, removed:
        Priorities only in ``b`` / only in ``a``.
    renamed:
        Same priority, a different normalised label (linked by an editor or ``same_as``).
    reworded:
        Same priority and normalised label, but different text: label spelling,
        punctuation, English label or description.
    changed:
        Same priority with a different kind, category or niches.

    A priority can be in ``renamed`` or ``reworded`` and in ``changed`` at once.
    """

    strategy: str
    a: RevisionInfo
    b: RevisionInfo
    added: tuple[PriorityView, ...] = ()
    removed: tuple[PriorityView, ...] = ()
    renamed: tuple[PriorityChange, ...] = ()
    reworded: tuple[PriorityChange, ...] = ()
    changed: tuple[PriorityChange, ...] = ()

    @property
    def is_empty(self) -> bool:
        """True when the two revisions state the same priorities the same way."""
        return not (self.added or self.removed or self.renamed or self.reworded or self.changed)


@dataclass(frozen=True)
class ImportReport(_ToDict):
    """What an import did."""

    source: str
    regions_added: int = 0
    regions_updated: int = 0
    sources_added: int = 0
    sources_updated: int = 0
    strategies_added: int = 0
    revisions_added: int = 0
    revisions_unchanged: int = 0
    revised: tuple[str, ...] = field(default=())  # "SE211#3 (jonkoping-s3)"

    @property
    def changed_anything(self) -> bool:
        """False when the import found everything already in the registry."""
        return bool(
            self.regions_added
            or self.regions_updated
            or self.sources_added
            or self.sources_updated
            or self.strategies_added
            or self.revisions_added
        )


@dataclass(frozen=True)
class AuditRecord(_ToDict):
    """One entry of the audit log."""

    id: int
    recorded_at: dt.datetime
    actor: str
    operation: str
    reason: str | None
    table: str
    row_key: str
    action: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
