"""PriorityClassification: NACE divisions and themes suggested for a priority, and reviewed.

A priority's classification *describes* the priority (which activities and cross-cutting
themes it is about); it is not part of the strategy as published. So it is a living
record: changing it records no strategy revision and does not bump the strategy's
version, but every change is in the audit log with the old and new values.
"""

from __future__ import annotations

import datetime as dt
import enum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from smartspec.registry.models.base import Base, CreatedMixin, IdMixin, enum_type

__all__ = ["ClassificationScheme", "ClassificationStatus", "PriorityClassification"]


class ClassificationScheme(enum.StrEnum):
    """What a classification code is."""

    NACE = "nace"  # a NACE Rev. 2 division ("10")
    THEME = "theme"  # a cross-cutting theme id of smartspec.taxonomy.themes() ("food")


class ClassificationStatus(enum.StrEnum):
    """Where a classification is in its review."""

    SUGGESTED = "suggested"  # computed by the classifier, not yet reviewed
    ACCEPTED = "accepted"  # a suggestion an editor accepted
    REJECTED = "rejected"  # a suggestion (or an earlier addition) an editor rejected
    ADDED = "added"  # a code an editor added (a correction; no score)


class PriorityClassification(IdMixin, CreatedMixin, Base):
    """One NACE division or theme of a priority, suggested or set by an editor.

    Attributes
    ----------
    priority_id:
        The priority's stable identity (so a classification survives renames).
    scheme, code:
        ``nace`` and a NACE Rev. 2 division (``"10"``), or ``theme`` and a theme id
        (``"food"``). Unique per priority.
    score:
        The classifier's confidence score in [0, 1]; ``None`` for an editor's addition.
    method:
        The classifier and its data version, e.g. ``"lexical/lexicon_sv_en v1"``
        (``None`` for an editor's addition).
    evidence:
        Why the classifier suggested it, one item per line.
    source_text:
        The priority's labels when it was suggested or added (``"Swedish | English"``).
    status:
        ``suggested`` (not reviewed), ``accepted``, ``rejected`` or ``added``.
    reviewed_by, reviewed_at:
        Who reviewed it and when (set for every status but ``suggested``).
    """

    __tablename__ = "priority_classification"
    __table_args__ = (
        sa.UniqueConstraint("priority_id", "scheme", "code"),
        sa.CheckConstraint("score IS NULL OR (score >= 0 AND score <= 1)", name="score_range"),
        sa.CheckConstraint(
            "status = 'suggested' OR (reviewed_by IS NOT NULL AND reviewed_at IS NOT NULL)",
            name="reviewed_has_reviewer",
        ),
    )

    priority_id: Mapped[int] = mapped_column(sa.ForeignKey("priority.id"), index=True)
    scheme: Mapped[ClassificationScheme] = mapped_column(
        enum_type(ClassificationScheme, "classification_scheme")
    )
    code: Mapped[str] = mapped_column(sa.String(32))
    score: Mapped[float | None] = mapped_column(sa.Float)
    method: Mapped[str | None] = mapped_column(sa.String(100))
    evidence: Mapped[str | None] = mapped_column(sa.Text)
    source_text: Mapped[str | None] = mapped_column(sa.Text)
    status: Mapped[ClassificationStatus] = mapped_column(
        enum_type(ClassificationStatus, "classification_status"),
        default=ClassificationStatus.SUGGESTED,
    )
    reviewed_by: Mapped[str | None] = mapped_column(sa.String(200))
    reviewed_at: Mapped[dt.datetime | None]

    @property
    def reviewed(self) -> bool:
        """True once an editor has reviewed (accepted, rejected or added) it."""
        return self.status is not ClassificationStatus.SUGGESTED

    def __repr__(self) -> str:
        return (
            f"PriorityClassification(priority={self.priority_id}, {self.scheme.value} "
            f"{self.code!r}, {self.status.value})"
        )
