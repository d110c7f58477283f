"""Indicator and Measurement: how a strategy's progress is followed."""

from __future__ import annotations

import datetime as dt
import enum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from smartspec.registry.models.base import Base, CreatedMixin, IdMixin, enum_type

__all__ = ["Indicator", "IndicatorKind", "Measurement"]


class IndicatorKind(enum.StrEnum):
    """Output indicators count what actions produce; result indicators the change sought."""

    OUTPUT = "output"
    RESULT = "result"


class Indicator(IdMixin, CreatedMixin, Base):
    """An output or result indicator with a baseline and a target.

    Attributes
    ----------
    evidence_measure:
        Optional name of a measure in the evidence store that feeds this indicator.
    """

    __tablename__ = "indicator"

    strategy_id: Mapped[int] = mapped_column(sa.ForeignKey("strategy.id"), index=True)
    priority_id: Mapped[int | None] = mapped_column(sa.ForeignKey("priority.id"), index=True)
    action_id: Mapped[int | None] = mapped_column(sa.ForeignKey("action.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(500))
    kind: Mapped[IndicatorKind] = mapped_column(enum_type(IndicatorKind, "indicator_kind"))
    unit: Mapped[str | None] = mapped_column(sa.String(100))
    description: Mapped[str | None] = mapped_column(sa.Text)
    baseline_value: Mapped[float | None] = mapped_column(sa.Float)
    baseline_year: Mapped[int | None]
    target_value: Mapped[float | None] = mapped_column(sa.Float)
    target_year: Mapped[int | None]
    evidence_measure: Mapped[str | None] = mapped_column(sa.String(200))


class Measurement(IdMixin, CreatedMixin, Base):
    """A measured value of an indicator."""

    __tablename__ = "measurement"
    __table_args__ = (sa.UniqueConstraint("indicator_id", "measured_on"),)

    indicator_id: Mapped[int] = mapped_column(sa.ForeignKey("indicator.id"), index=True)
    measured_on: Mapped[dt.date]
    value: Mapped[float] = mapped_column(sa.Float)
    note: Mapped[str | None] = mapped_column(sa.Text)
    source_id: Mapped[int | None] = mapped_column(sa.ForeignKey("source_document.id"))
