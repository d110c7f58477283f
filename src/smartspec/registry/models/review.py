"""FollowUp and Evaluation: notes on how a strategy is going."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from smartspec.registry.models.base import Base, CreatedMixin, IdMixin

__all__ = ["Evaluation", "FollowUp"]


class FollowUp(IdMixin, CreatedMixin, Base):
    """A follow-up note (uppföljning): what was observed, by whom, when."""

    __tablename__ = "follow_up"

    strategy_id: Mapped[int] = mapped_column(sa.ForeignKey("strategy.id"), index=True)
    priority_id: Mapped[int | None] = mapped_column(sa.ForeignKey("priority.id"), index=True)
    noted_on: Mapped[dt.date]
    author: Mapped[str] = mapped_column(sa.String(200))
    text: Mapped[str] = mapped_column(sa.Text)
    source_id: Mapped[int | None] = mapped_column(sa.ForeignKey("source_document.id"))


class Evaluation(IdMixin, CreatedMixin, Base):
    """An evaluation (utvärdering) of a strategy or of one of its priorities."""

    __tablename__ = "evaluation"

    strategy_id: Mapped[int] = mapped_column(sa.ForeignKey("strategy.id"), index=True)
    priority_id: Mapped[int | None] = mapped_column(sa.ForeignKey("priority.id"), index=True)
    evaluated_on: Mapped[dt.date]
    evaluator: Mapped[str] = mapped_column(sa.String(300))
    summary: Mapped[str] = mapped_column(sa.Text)
    recommendations: Mapped[str | None] = mapped_column(sa.Text)
    source_id: Mapped[int | None] = mapped_column(sa.ForeignKey("source_document.id"))
