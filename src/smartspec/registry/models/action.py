"""Action and Role: what is done under a strategy, and who is responsible for what."""

from __future__ import annotations

import datetime as dt
import enum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from smartspec.registry.models.base import Base, CreatedMixin, IdMixin, enum_type

__all__ = ["Action", "ActionStatus", "Role"]


class ActionStatus(enum.StrEnum):
    """Progress of an action."""

    PLANNED = "planned"
    ONGOING = "ongoing"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class Action(IdMixin, CreatedMixin, Base):
    """An action (insats): a project, programme or instrument under a strategy.

    Attributes
    ----------
    instrument:
        The kind of instrument, e.g. "innovation voucher", "cluster programme".
    budget, currency:
        Budget in whole units of ``currency`` (ISO 4217, e.g. ``SEK``, ``EUR``).
    funding_source:
        Who pays, e.g. ``ERDF`` (ERUF), a regional budget, Vinnova.
    owner_actor_id:
        The organisation that owns the action.
    """

    __tablename__ = "action"
    __table_args__ = (
        sa.CheckConstraint(
            "end_date IS NULL OR start_date IS NULL OR end_date >= start_date",
            name="dates_ordered",
        ),
    )

    strategy_id: Mapped[int] = mapped_column(sa.ForeignKey("strategy.id"), index=True)
    priority_id: Mapped[int | None] = mapped_column(sa.ForeignKey("priority.id"), index=True)
    title: Mapped[str] = mapped_column(sa.String(500))
    description: Mapped[str | None] = mapped_column(sa.Text)
    instrument: Mapped[str | None] = mapped_column(sa.String(200))
    budget: Mapped[int | None] = mapped_column(sa.BigInteger)
    currency: Mapped[str | None] = mapped_column(sa.String(3))
    funding_source: Mapped[str | None] = mapped_column(sa.String(200))
    owner_actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("actor.id"), index=True)
    status: Mapped[ActionStatus] = mapped_column(
        enum_type(ActionStatus, "action_status"), default=ActionStatus.PLANNED
    )
    start_date: Mapped[dt.date | None]
    end_date: Mapped[dt.date | None]


class Role(IdMixin, CreatedMixin, Base):
    """An actor's responsibility for a priority *or* an action (exactly one of them)."""

    __tablename__ = "role"
    __table_args__ = (
        sa.CheckConstraint(
            "(priority_id IS NULL) <> (action_id IS NULL)", name="priority_xor_action"
        ),
    )

    actor_id: Mapped[int] = mapped_column(sa.ForeignKey("actor.id"), index=True)
    priority_id: Mapped[int | None] = mapped_column(sa.ForeignKey("priority.id"), index=True)
    action_id: Mapped[int | None] = mapped_column(sa.ForeignKey("action.id"), index=True)
    responsibility: Mapped[str] = mapped_column(sa.Text)
