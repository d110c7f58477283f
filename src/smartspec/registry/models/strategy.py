"""Strategy: the smart specialisation strategy of one region, or a joint one of several."""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from smartspec.registry.models.base import Base, CreatedMixin, IdMixin, enum_type

if TYPE_CHECKING:
    from smartspec.registry.models.region import Region

__all__ = ["Strategy", "StrategyKind", "StrategyRegion", "StrategyStatus"]


class StrategyKind(enum.StrEnum):
    """Whose strategy it is."""

    REGIONAL = "regional"  # one region's own strategy; its code is the region code
    JOINT = "joint"  # a joint strategy of several regions (e.g. East Middle Sweden)


class StrategyStatus(enum.StrEnum):
    """Where a strategy is in its life cycle."""

    DRAFT = "draft"
    ADOPTED = "adopted"
    UNDER_REVISION = "under_revision"
    EXPIRED = "expired"


class Strategy(IdMixin, CreatedMixin, Base):
    """A strategy's identity; its content lives in its immutable revisions.

    Attributes
    ----------
    code:
        The region code for a regional strategy (``SE211``); for a joint strategy the
        member codes joined by ``+`` unless the import names it.
    version:
        The optimistic-concurrency counter: the number of the latest revision recorded.
        Every edit names the version it was based on; an edit based on an older version
        is refused with :class:`~smartspec.registry.errors.ConflictError`.
    """

    __tablename__ = "strategy"

    code: Mapped[str] = mapped_column(sa.String(200), unique=True)
    name: Mapped[str] = mapped_column(sa.String(500))
    kind: Mapped[StrategyKind] = mapped_column(enum_type(StrategyKind, "strategy_kind"))
    version: Mapped[int] = mapped_column(default=0)

    regions: Mapped[list[Region]] = relationship(
        secondary="strategy_region", order_by="Region.code", lazy="selectin"
    )

    # UPDATE ... WHERE version = <the version read>: a concurrent edit fails at flush.
    __mapper_args__ = {  # noqa: RUF012 - SQLAlchemy reads this class attribute
        "version_id_col": version,
        "version_id_generator": False,
    }

    @property
    def is_joint(self) -> bool:
        """True for a joint strategy of several regions."""
        return self.kind is StrategyKind.JOINT


class StrategyRegion(Base):
    """Membership of a region in a strategy (one row for a regional strategy)."""

    __tablename__ = "strategy_region"

    strategy_id: Mapped[int] = mapped_column(sa.ForeignKey("strategy.id"), primary_key=True)
    region_id: Mapped[int] = mapped_column(sa.ForeignKey("region.id"), primary_key=True, index=True)
