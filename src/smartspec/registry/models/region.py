"""Region: a NUTS region that has (or shares) a strategy."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from smartspec.registry.models.base import Base, CreatedMixin, IdMixin

__all__ = ["Region"]


class Region(IdMixin, CreatedMixin, Base):
    """A NUTS region (for Sweden one code per län, NUTS 2024 level 3).

    Attributes
    ----------
    code:
        The NUTS code, e.g. ``SE211``.
    name:
        The region's name as used in the strategies, e.g. ``Jönköpings län``.
    """

    __tablename__ = "region"

    code: Mapped[str] = mapped_column(sa.String(16), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))

    def __repr__(self) -> str:
        return f"Region({self.code!r}, {self.name!r})"
