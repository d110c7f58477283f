"""StrategyRevision and RevisionPriority: immutable snapshots of a strategy over time."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from smartspec.registry.dates import DatePrecision, PartialDate
from smartspec.registry.models.base import Base, IdMixin, enum_type
from smartspec.registry.models.priority import PriorityKind
from smartspec.registry.models.strategy import StrategyStatus

if TYPE_CHECKING:
    from smartspec.registry.models.priority import Priority
    from smartspec.registry.models.source import SourceDocument
    from smartspec.registry.models.strategy import Strategy

__all__ = ["RevisionPriority", "StrategyRevision"]


class StrategyRevision(IdMixin, Base):
    """One immutable state of a strategy: its metadata and its full list of priorities.

    Attributes
    ----------
    number:
        1, 2, 3… in the order the revisions were recorded for the strategy.
    effective_date, effective_precision:
        When the published priorities took effect (the start of the period for a year or
        month); the *as-of* view takes, per strategy, the revision with the latest
        effective date on or before the asked date (ties: the higher number).
    recorded_at:
        When the revision entered smartspec (the audit time).
    author, reason, source_id:
        Who recorded it, why, and from which published document.
    """

    __tablename__ = "strategy_revision"
    __table_args__ = (sa.UniqueConstraint("strategy_id", "number"),)

    strategy_id: Mapped[int] = mapped_column(sa.ForeignKey("strategy.id"), index=True)
    number: Mapped[int]
    effective_date: Mapped[dt.date]
    effective_precision: Mapped[DatePrecision]
    recorded_at: Mapped[dt.datetime]
    author: Mapped[str] = mapped_column(sa.String(200))
    reason: Mapped[str | None] = mapped_column(sa.Text)
    source_id: Mapped[int | None] = mapped_column(sa.ForeignKey("source_document.id"), index=True)
    # the strategy's metadata as of this revision
    vision: Mapped[str | None] = mapped_column(sa.Text)
    status: Mapped[StrategyStatus | None] = mapped_column(
        enum_type(StrategyStatus, "strategy_status")
    )
    period_start: Mapped[int | None]  # first year of the programme period
    period_end: Mapped[int | None]  # last year
    adopted_on: Mapped[dt.date | None]

    strategy: Mapped[Strategy] = relationship()
    source: Mapped[SourceDocument | None] = relationship(lazy="joined")
    priorities: Mapped[list[RevisionPriority]] = relationship(
        order_by="RevisionPriority.position", lazy="selectin"
    )

    @property
    def effective(self) -> PartialDate:
        """The effective date with its precision."""
        return PartialDate(self.effective_date, self.effective_precision)


class RevisionPriority(IdMixin, Base):
    """A priority as it stands in one revision (label, kind, niches…)."""

    __tablename__ = "revision_priority"
    __table_args__ = (
        sa.UniqueConstraint("revision_id", "priority_id"),
        sa.UniqueConstraint("revision_id", "label_key"),
        sa.CheckConstraint("label_sv IS NOT NULL OR label_en IS NOT NULL", name="has_label"),
    )

    revision_id: Mapped[int] = mapped_column(sa.ForeignKey("strategy_revision.id"), index=True)
    priority_id: Mapped[int] = mapped_column(sa.ForeignKey("priority.id"), index=True)
    position: Mapped[int]  # order in the published list, from 1
    label_sv: Mapped[str | None] = mapped_column(sa.String(500))
    label_en: Mapped[str | None] = mapped_column(sa.String(500))
    label_key: Mapped[str] = mapped_column(sa.String(500), index=True)
    kind: Mapped[PriorityKind] = mapped_column(enum_type(PriorityKind, "priority_kind"))
    category: Mapped[str | None] = mapped_column(sa.String(300))  # heading in the source
    description: Mapped[str | None] = mapped_column(sa.Text)
    niches: Mapped[list[str]] = mapped_column(sa.JSON, default=list)

    priority: Mapped[Priority] = relationship()

    @property
    def label(self) -> str:
        """The label as published (Swedish if there is one, else English)."""
        return self.label_sv if self.label_sv is not None else (self.label_en or "")
