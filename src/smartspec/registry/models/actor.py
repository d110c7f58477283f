"""Actor: an organisation taking part in smart specialisation, by quadruple-helix sector."""

from __future__ import annotations

import enum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from smartspec.registry.models.base import Base, CreatedMixin, IdMixin, enum_type

__all__ = ["Actor", "Helix"]


class Helix(enum.StrEnum):
    """The quadruple helix: the four sectors that develop a strategy together."""

    BUSINESS = "business"  # näringsliv
    ACADEMIA = "academia"  # akademi
    PUBLIC = "public"  # offentlig sektor
    CIVIL_SOCIETY = "civil_society"  # idéburen sektor / civilsamhälle


class Actor(IdMixin, CreatedMixin, Base):
    """An organisation (company, university, agency, association…).

    Named persons are not actors; see :class:`~smartspec.registry.models.stakeholders.Person`.
    """

    __tablename__ = "actor"

    name: Mapped[str] = mapped_column(sa.String(300))
    helix: Mapped[Helix] = mapped_column(enum_type(Helix, "helix"))
    region_id: Mapped[int | None] = mapped_column(sa.ForeignKey("region.id"), index=True)
    org_number: Mapped[str | None] = mapped_column(
        sa.String(32)
    )  # e.g. Swedish organisationsnummer
    website: Mapped[str | None] = mapped_column(sa.String(500))
    note: Mapped[str | None] = mapped_column(sa.Text)
