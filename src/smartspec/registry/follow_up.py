"""The follow-up record of a strategy: notes, evaluations, self-assessments, the review.

Follow-up notes (uppföljning), evaluations (utvärdering) and self-assessments with the
RIS3 wheel are recorded here, each write one audited transaction through
:meth:`Registry.session <smartspec.registry.service.Registry.session>`.
:func:`strategy_review` gathers everything a follow-up report shows — the revision in
effect and the history of its priorities, the status of the indicators
(:mod:`smartspec.registry.indicators`), the latest notes, evaluations and
self-assessment — as plain dataclasses, read in one transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Session

from smartspec.errors import InputError
from smartspec.registry.dates import as_of_date
from smartspec.registry.indicators import (
    IndicatorStatus,
    _day,
    _priority_labels,
    _resolve_priority,
    _source,
    _statuses,
)
from smartspec.registry.models import (
    RIS3_STEPS,
    Evaluation,
    FollowUp,
    SelfAssessment,
    SelfAssessmentScore,
    SourceDocument,
    Strategy,
    StrategyKind,
    StrategyRegion,
    StrategyRevision,
)
from smartspec.registry.monitoring_rule import MonitoringRule
from smartspec.registry.queries import (
    find_strategy,
    priority_views,
    revision_in_effect,
    revision_info,
    strategy_state,
)
from smartspec.registry.views import PriorityView, RevisionInfo, StrategyState

if TYPE_CHECKING:
    from smartspec.registry.service import Registry

__all__ = [
    "AssessmentView",
    "EvaluationView",
    "FollowUpView",
    "StrategyReview",
    "add_evaluation",
    "add_follow_up",
    "add_self_assessment",
    "strategy_codes",
    "strategy_review",
]


# --------------------------------------------------------------------------- views


@dataclass(frozen=True)
class FollowUpView:
    """A follow-up note (uppföljning)."""

    noted_on: dt.date
    author: str
    text: str
    priority: str | None
    source: str | None


@dataclass(frozen=True)
class EvaluationView:
    """An evaluation (utvärdering)."""

    evaluated_on: dt.date
    evaluator: str
    summary: str
    recommendations: str | None
    priority: str | None
    source: str | None


@dataclass(frozen=True)
class AssessmentView:
    """A self-assessment with the RIS3 wheel: ``scores[(step, factor)]`` is 0–5.

    Attributes
    ----------
    factor_labels:
        ``(step, factor)`` → the factor's name, where the assessment names it.
    """

    assessed_on: dt.date
    assessor: str
    note: str | None
    scores: Mapping[tuple[int, int], int]
    factor_labels: Mapping[tuple[int, int], str]
    comments: Mapping[tuple[int, int], str]

    def step_mean(self, step: int) -> float | None:
        """The mean score of a step's scored factors (``None`` if none is scored)."""
        values = [score for (s, _f), score in self.scores.items() if s == step]
        return sum(values) / len(values) if values else None


@dataclass(frozen=True)
class StrategyReview:
    """Everything a follow-up report shows about one strategy, as of one day.

    Attributes
    ----------
    state:
        The strategy with the revision in effect (``None`` if none is in effect yet).
    priorities:
        The priorities that revision states, in published order.
    first_listed:
        Priority id → the earliest revision (of this strategy) that lists it.
    last_sourced:
        Priority id → the latest revision in effect by ``at`` that lists it and names a
        source: where the priority is published (an edit without a source keeps it).
    history:
        Every revision of the strategy, by effective date.
    joint_strategies:
        For a region's own strategy: the joint strategies its region belongs to.
    """

    code: str
    name: str
    joint: bool
    regions: tuple[tuple[str, str], ...]  # (code, name)
    at: dt.date
    state: StrategyState | None
    priorities: tuple[PriorityView, ...]
    first_listed: Mapping[int, RevisionInfo]
    last_sourced: Mapping[int, RevisionInfo]
    history: tuple[RevisionInfo, ...]
    indicators: tuple[IndicatorStatus, ...]
    follow_ups: tuple[FollowUpView, ...]
    evaluations: tuple[EvaluationView, ...]
    assessment: AssessmentView | None
    joint_strategies: tuple[str, ...] = ()
    schema_revision: str | None = None
    steps: tuple[str, ...] = field(default=RIS3_STEPS)


# --------------------------------------------------------------------------- writing


def add_follow_up(
    registry: Registry,
    strategy: str,
    text: str,
    *,
    noted_on: dt.date | str | None = None,
    priority: int | str | None = None,
    source: str | None = None,
    author: str | None = None,
    reason: str | None = None,
) -> None:
    """Record a follow-up note (uppföljning) on a strategy (one audited transaction).

    ``noted_on`` defaults to today; ``author`` to the registry's user.
    """
    if not (text or "").strip():
        raise InputError("the follow-up note is empty")
    day = _day(noted_on, "note date") if noted_on is not None else dt.date.today()
    with registry.session(author=author, operation="add_follow_up", reason=reason) as s:
        found = find_strategy(s, strategy)
        src = _source(s, source)
        s.add(
            FollowUp(
                strategy_id=found.id,
                priority_id=_resolve_priority(s, found, priority),
                noted_on=day,
                author=author or registry.user,
                text=text.strip(),
                source_id=src.id if src else None,
            )
        )


def add_evaluation(
    registry: Registry,
    strategy: str,
    evaluator: str,
    summary: str,
    *,
    evaluated_on: dt.date | str | None = None,
    recommendations: str | None = None,
    priority: int | str | None = None,
    source: str | None = None,
    author: str | None = None,
    reason: str | None = None,
) -> None:
    """Record an evaluation (utvärdering) of a strategy (one audited transaction)."""
    if not (summary or "").strip():
        raise InputError("the evaluation's summary is empty")
    if not (evaluator or "").strip():
        raise InputError("the evaluator is empty", hint="name who evaluated")
    day = _day(evaluated_on, "evaluation date") if evaluated_on is not None else dt.date.today()
    with registry.session(author=author, operation="add_evaluation", reason=reason) as s:
        found = find_strategy(s, strategy)
        src = _source(s, source)
        s.add(
            Evaluation(
                strategy_id=found.id,
                priority_id=_resolve_priority(s, found, priority),
                evaluated_on=day,
                evaluator=evaluator.strip(),
                summary=summary.strip(),
                recommendations=recommendations,
                source_id=src.id if src else None,
            )
        )


def add_self_assessment(
    registry: Registry,
    strategy: str,
    assessor: str,
    scores: Mapping[tuple[int, int], int],
    *,
    assessed_on: dt.date | str | None = None,
    note: str | None = None,
    factor_labels: Mapping[tuple[int, int], str] | None = None,
    comments: Mapping[tuple[int, int], str] | None = None,
    author: str | None = None,
    reason: str | None = None,
) -> int:
    """Record a self-assessment with the RIS3 wheel (one audited transaction).

    Parameters
    ----------
    scores:
        ``(step, factor)`` → score: steps 1–6, factors 1–3, scores 0–5 (0 no
        information, 1 poor, 2 to be improved, 3 fair, 4 strong, 5 excellent).

    Returns
    -------
    int
        The new assessment's id.
    """
    if not (assessor or "").strip():
        raise InputError("the assessor is empty", hint="name who assessed")
    rows = []
    for (step, factor), score in sorted(scores.items()):
        if not (1 <= step <= 6 and 1 <= factor <= 3):
            raise InputError(
                f"no step {step}, factor {factor} on the wheel", hint="steps 1–6, factors 1–3"
            )
        if isinstance(score, bool) or not isinstance(score, int) or not 0 <= score <= 5:
            raise InputError(
                f"step {step}, factor {factor}: score {score!r} is not 0–5",
                hint="0 no information, 1 poor, 2 to be improved, 3 fair, 4 strong, 5 excellent",
            )
        rows.append(
            SelfAssessmentScore(
                step=step,
                factor=factor,
                score=score,
                factor_label=(factor_labels or {}).get((step, factor)),
                comment=(comments or {}).get((step, factor)),
            )
        )
    day = _day(assessed_on, "assessment date") if assessed_on is not None else dt.date.today()
    with registry.session(author=author, operation="add_self_assessment", reason=reason) as s:
        found = find_strategy(s, strategy)
        assessment = SelfAssessment(
            strategy_id=found.id,
            assessed_on=day,
            assessor=assessor.strip(),
            note=note,
            scores=rows,
        )
        s.add(assessment)
        s.flush()
        return assessment.id


# --------------------------------------------------------------------------- reading


def strategy_codes(registry: Registry) -> list[str]:
    """The codes of every strategy in the registry (regional and joint), sorted."""
    with registry.session(operation="read") as s:
        return list(s.scalars(sa.select(Strategy.code).order_by(Strategy.code)))


def strategy_review(
    registry: Registry,
    strategy: str,
    *,
    at: dt.date | str | None = None,
    rule: MonitoringRule | None = None,
    follow_ups: int = 5,
    evaluations: int = 1,
) -> StrategyReview:
    """Everything a follow-up report shows about a strategy, read in one transaction.

    Parameters
    ----------
    strategy:
        A strategy code, or a region code or name (its own strategy).
    at:
        The day of the review (default today): the revision in effect then, the
        measurements, notes and assessments up to then.
    follow_ups, evaluations:
        How many of the latest follow-up notes and evaluations to include.
    """
    day = as_of_date(at) or dt.date.today()
    schema = registry.schema_revision()
    with registry.session(operation="read") as s:
        found = find_strategy(s, strategy)
        revision = revision_in_effect(s, found, day)
        revisions = s.scalars(
            sa.select(StrategyRevision).where(StrategyRevision.strategy_id == found.id)
        ).all()
        history = sorted(
            (revision_info(found, r) for r in revisions),
            key=lambda i: (i.effective_date, i.number),
        )
        first: dict[int, RevisionInfo] = {}
        sourced: dict[int, RevisionInfo] = {}
        by_number = {r.number: r for r in revisions}
        for info in history:
            for row in by_number[info.number].priorities:
                first.setdefault(row.priority_id, info)
                if info.source is not None and info.effective_date <= day:
                    sourced[row.priority_id] = info
        labels = _priority_labels(s, found)
        keys = {
            row[0]: row[1] for row in s.execute(sa.select(SourceDocument.id, SourceDocument.key))
        }
        notes = s.scalars(
            sa.select(FollowUp)
            .where(FollowUp.strategy_id == found.id, FollowUp.noted_on <= day)
            .order_by(FollowUp.noted_on.desc(), FollowUp.id.desc())
            .limit(follow_ups)
        ).all()
        evals = s.scalars(
            sa.select(Evaluation)
            .where(Evaluation.strategy_id == found.id, Evaluation.evaluated_on <= day)
            .order_by(Evaluation.evaluated_on.desc(), Evaluation.id.desc())
            .limit(evaluations)
        ).all()
        latest = s.scalar(
            sa.select(SelfAssessment)
            .where(SelfAssessment.strategy_id == found.id, SelfAssessment.assessed_on <= day)
            .order_by(SelfAssessment.assessed_on.desc(), SelfAssessment.id.desc())
            .limit(1)
        )
        joint = () if found.is_joint else _joint_of(s, found)
        return StrategyReview(
            code=found.code,
            name=found.name,
            joint=found.is_joint,
            regions=tuple((r.code, r.name) for r in found.regions),
            at=day,
            state=strategy_state(found, revision) if revision is not None else None,
            priorities=priority_views(found, revision) if revision is not None else (),
            first_listed=first,
            last_sourced=sourced,
            history=tuple(history),
            indicators=tuple(_statuses(s, found, as_of_date(at), rule or MonitoringRule(), labels)),
            follow_ups=tuple(
                FollowUpView(
                    n.noted_on,
                    n.author,
                    n.text,
                    labels.get(n.priority_id) if n.priority_id is not None else None,
                    keys.get(n.source_id) if n.source_id is not None else None,
                )
                for n in notes
            ),
            evaluations=tuple(
                EvaluationView(
                    e.evaluated_on,
                    e.evaluator,
                    e.summary,
                    e.recommendations,
                    labels.get(e.priority_id) if e.priority_id is not None else None,
                    keys.get(e.source_id) if e.source_id is not None else None,
                )
                for e in evals
            ),
            assessment=_assessment_view(latest) if latest is not None else None,
            joint_strategies=joint,
            schema_revision=schema,
        )


def _joint_of(s: Session, strategy: Strategy) -> tuple[str, ...]:
    region_ids = [r.id for r in strategy.regions]
    if not region_ids:
        return ()
    return tuple(
        s.scalars(
            sa.select(Strategy.code)
            .join(StrategyRegion, StrategyRegion.strategy_id == Strategy.id)
            .where(StrategyRegion.region_id.in_(region_ids), Strategy.kind == StrategyKind.JOINT)
            .distinct()
            .order_by(Strategy.code)
        )
    )


def _assessment_view(row: SelfAssessment) -> AssessmentView:
    scores = {(x.step, x.factor): x.score for x in row.scores}
    labels = {(x.step, x.factor): x.factor_label for x in row.scores if x.factor_label}
    comments = {(x.step, x.factor): x.comment for x in row.scores if x.comment}
    return AssessmentView(row.assessed_on, row.assessor, row.note, scores, labels, comments)
