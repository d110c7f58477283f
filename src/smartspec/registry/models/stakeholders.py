"""StakeholderEvent, Participation and Person: who took part in the strategy's process.

Organisations take part by helix. Named persons are stored only with their consent, and
can be erased: erasing blanks the personal fields and keeps the row, so participations
and the audit trail stay intact. The audit log never holds personal fields (columns
marked :data:`~smartspec.registry.models.base.PERSONAL` are redacted there).
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from smartspec.registry.models.actor import Helix
from smartspec.registry.models.base import PERSONAL, Base, CreatedMixin, IdMixin, enum_type

__all__ = ["Participation", "Person", "StakeholderEvent"]


class StakeholderEvent(IdMixin, CreatedMixin, Base):
    """A workshop, dialogue, conference… of the entrepreneurial discovery process."""

    __tablename__ = "stakeholder_event"

    strategy_id: Mapped[int | None] = mapped_column(sa.ForeignKey("strategy.id"), index=True)
    priority_id: Mapped[int | None] = mapped_column(sa.ForeignKey("priority.id"), index=True)
    title: Mapped[str] = mapped_column(sa.String(500))
    kind: Mapped[str | None] = mapped_column(sa.String(100))  # e.g. workshop, dialogue
    held_on: Mapped[dt.date]
    place: Mapped[str | None] = mapped_column(sa.String(300))
    note: Mapped[str | None] = mapped_column(sa.Text)


class Person(IdMixin, CreatedMixin, Base):
    """A named person, stored only with consent; erasable.

    A row without consent holds no name or e-mail (a CHECK constraint enforces it).
    """

    __tablename__ = "person"
    __table_args__ = (
        sa.CheckConstraint("consent OR (name IS NULL AND email IS NULL)", name="consent_for_name"),
    )

    name: Mapped[str | None] = mapped_column(sa.String(300), info=PERSONAL)
    email: Mapped[str | None] = mapped_column(sa.String(300), info=PERSONAL)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("actor.id"), index=True)
    consent: Mapped[bool] = mapped_column(default=False)
    consent_given_on: Mapped[dt.date | None]
    erased_at: Mapped[dt.datetime | None]


class Participation(IdMixin, CreatedMixin, Base):
    """An organisation's (and optionally a consenting person's) participation in an event."""

    __tablename__ = "participation"
    __table_args__ = (
        sa.CheckConstraint(
            "actor_id IS NOT NULL OR helix IS NOT NULL OR person_id IS NOT NULL",
            name="who",
        ),
    )

    event_id: Mapped[int] = mapped_column(sa.ForeignKey("stakeholder_event.id"), index=True)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("actor.id"), index=True)
    helix: Mapped[Helix | None] = mapped_column(enum_type(Helix, "helix"))
    person_id: Mapped[int | None] = mapped_column(sa.ForeignKey("person.id"), index=True)
    role: Mapped[str | None] = mapped_column(sa.String(200))  # e.g. speaker, participant
