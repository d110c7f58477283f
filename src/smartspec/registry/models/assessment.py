"""SelfAssessment: the RIS3 assessment wheel (6 steps × 3 critical factors, scored 0–5).

The wheel is the S3 Platform's self-assessment tool, built on the six steps of the RIS3
Guide (Foray et al. 2012) with three critical factors per step. A score says how serious
the evidence for a factor is: 0 no information, 1 poor, 2 to be improved, 3 fair,
4 strong, 5 excellent.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from smartspec.registry.models.base import Base, CreatedMixin, IdMixin

__all__ = ["RIS3_STEPS", "SelfAssessment", "SelfAssessmentScore"]

#: The six steps of the RIS3 Guide, in order (step 1 … 6).
RIS3_STEPS: tuple[str, ...] = (
    "Analysis of the regional context and potential for innovation",
    "Governance: ensuring participation and ownership",
    "Elaboration of an overall vision for the future of the region",
    "Identification of priorities",
    "Definition of a coherent policy mix, roadmaps and action plan",
    "Integration of monitoring and evaluation mechanisms",
)


class SelfAssessment(IdMixin, CreatedMixin, Base):
    """One dated self-assessment of a strategy with the wheel."""

    __tablename__ = "self_assessment"

    strategy_id: Mapped[int] = mapped_column(sa.ForeignKey("strategy.id"), index=True)
    assessed_on: Mapped[dt.date]
    assessor: Mapped[str] = mapped_column(sa.String(300))
    note: Mapped[str | None] = mapped_column(sa.Text)

    scores: Mapped[list[SelfAssessmentScore]] = relationship(
        order_by="(SelfAssessmentScore.step, SelfAssessmentScore.factor)",
        cascade="all, delete-orphan",
    )


class SelfAssessmentScore(IdMixin, Base):
    """The score (0–5) of one critical factor (1–3) of one step (1–6)."""

    __tablename__ = "self_assessment_score"
    __table_args__ = (
        sa.UniqueConstraint("assessment_id", "step", "factor"),
        sa.CheckConstraint("step BETWEEN 1 AND 6", name="step_range"),
        sa.CheckConstraint("factor BETWEEN 1 AND 3", name="factor_range"),
        sa.CheckConstraint("score BETWEEN 0 AND 5", name="score_range"),
    )

    assessment_id: Mapped[int] = mapped_column(sa.ForeignKey("self_assessment.id"), index=True)
    step: Mapped[int]
    factor: Mapped[int]
    factor_label: Mapped[str | None] = mapped_column(sa.String(300))
    score: Mapped[int]
    comment: Mapped[str | None] = mapped_column(sa.Text)
