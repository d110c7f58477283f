"""TransformativeGoal and RoadmapMilestone: where a strategy wants to go, and when."""

from __future__ import annotations

import datetime as dt
import enum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from smartspec.registry.models.base import Base, CreatedMixin, IdMixin, enum_type

__all__ = ["MilestoneStatus", "RoadmapMilestone", "TransformativeGoal"]


class TransformativeGoal(IdMixin, CreatedMixin, Base):
    """A transformative goal (transformativt mål) of a strategy, optionally of one priority."""

    __tablename__ = "transformative_goal"

    strategy_id: Mapped[int] = mapped_column(sa.ForeignKey("strategy.id"), index=True)
    priority_id: Mapped[int | None] = mapped_column(sa.ForeignKey("priority.id"), index=True)
    title: Mapped[str] = mapped_column(sa.String(500))
    description: Mapped[str | None] = mapped_column(sa.Text)
    target_year: Mapped[int | None]


class MilestoneStatus(enum.StrEnum):
    """Progress of a roadmap milestone."""

    PLANNED = "planned"
    REACHED = "reached"
    DELAYED = "delayed"
    DROPPED = "dropped"


class RoadmapMilestone(IdMixin, CreatedMixin, Base):
    """A step on a strategy's roadmap (färdplan), optionally towards one goal."""

    __tablename__ = "roadmap_milestone"

    strategy_id: Mapped[int] = mapped_column(sa.ForeignKey("strategy.id"), index=True)
    priority_id: Mapped[int | None] = mapped_column(sa.ForeignKey("priority.id"), index=True)
    goal_id: Mapped[int | None] = mapped_column(sa.ForeignKey("transformative_goal.id"), index=True)
    title: Mapped[str] = mapped_column(sa.String(500))
    description: Mapped[str | None] = mapped_column(sa.Text)
    due_date: Mapped[dt.date | None]
    status: Mapped[MilestoneStatus] = mapped_column(
        enum_type(MilestoneStatus, "milestone_status"), default=MilestoneStatus.PLANNED
    )
