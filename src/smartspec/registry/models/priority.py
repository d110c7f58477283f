"""Priority: a priority area with a stable identity across the revisions of its strategy."""

from __future__ import annotations

import enum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from smartspec.registry.models.base import Base, CreatedMixin, IdMixin

__all__ = ["Priority", "PriorityKind"]


class PriorityKind(enum.StrEnum):
    """What kind of priority a strategy names."""

    STRENGTH_AREA = "strength_area"  # styrkeområde
    DEVELOPMENT_AREA = "development_area"  # utvecklingsområde
    CROSS_CUTTING = "cross_cutting"  # a common, cross-cutting factor (e.g. service design)
    JOINT_AREA = "joint_area"  # an area shared by the regions of a joint strategy


class Priority(IdMixin, CreatedMixin, Base):
    """The identity of a priority area inside one strategy.

    What the priority is called, its kind and its niches at a given time are recorded per
    revision in :class:`~smartspec.registry.models.revision.RevisionPriority`. Two labels
    are the same priority when their normalised keys are equal
    (:func:`~smartspec.registry.labels.label_key`), or when an editor or an import
    (``same_as``) links a new label to an old one (a rename).
    """

    __tablename__ = "priority"

    strategy_id: Mapped[int] = mapped_column(sa.ForeignKey("strategy.id"), index=True)
