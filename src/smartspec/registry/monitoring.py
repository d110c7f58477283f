"""Monitoring a strategy: indicators, measurements, their status, and the follow-up record.

An :class:`~smartspec.registry.models.Indicator` has a baseline (value, year) and a
target (value, year); :class:`~smartspec.registry.models.Measurement` rows record what
was measured since. :func:`indicator_status` says, per indicator, whether the strategy
is *on track*, *behind*, has *achieved* the target, or has *no data* to tell.

The status rule
---------------
Years stand for their **last day**, as in the registry's *as-of* rule: a baseline of
2018 is the value on 2018-12-31 and a target for 2024 is due on 2024-12-31. The *planned
path* is the straight line from the baseline to the target over those days. For the
**latest** measurement (on or before ``at``, if given), with ``gap = target − baseline``
and the direction of improvement ``sign(gap)`` (a target above the baseline means *more
is better*, below means *less is better*):

1. **achieved** — the measured value has reached the target in the direction of
   improvement (``value ≥ target`` when more is better, ``≤`` when less is better), on
   any date;
2. otherwise the *expected* value is the path's value on the measurement's date (the
   baseline before the baseline date, the target after the target date), and the
   *shortfall* is how far the value lags behind it in the direction of improvement;
   **on track** when ``shortfall ≤ tolerance × |gap|`` (being ahead of the path is on
   track), else **behind**. The tolerance is :attr:`MonitoringRule.tolerance`, by
   default 0.10: up to a tenth of the planned change behind the path still counts as
   on track. On or after the target date, a value short of the target is **behind**
   whatever the tolerance: the time is up;
3. **no data** — no measurement yet, or the baseline or the target is incomplete (the
   status's ``reason`` says which).

A target equal to the baseline means *keep the level*: on track while the value stays
within ``tolerance × |target|`` of it (exactly, for a target of 0), achieved when it does
so on or after the target date, else behind.

>>> rule = MonitoringRule()
>>> a = assess(100, 2018, 200, 2024, dt.date(2021, 12, 31), 145, rule)
>>> a.status.value, a.expected, round(a.progress, 2)
('on track', 150.0, 0.45)
>>> assess(100, 2018, 200, 2024, dt.date(2021, 12, 31), 139, rule).status.value
'behind'

Writes (indicators, measurements, follow-up notes, evaluations, self-assessments) go
through :meth:`Registry.session <smartspec.registry.service.Registry.session>`, so each
is one audited transaction. :func:`strategy_review` gathers everything a follow-up
report shows, as plain dataclasses.
"""

from __future__ import annotations

import datetime as dt
import enum
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from smartspec.errors import InputError, UnknownCodeError
from smartspec.registry.dates import as_of_date
from smartspec.registry.labels import label_key
from smartspec.registry.models import (
    RIS3_STEPS,
    Evaluation,
    FollowUp,
    Indicator,
    IndicatorKind,
    Measurement,
    RevisionPriority,
    SelfAssessment,
    SelfAssessmentScore,
    SourceDocument,
    Strategy,
    StrategyKind,
    StrategyRegion,
    StrategyRevision,
)
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
    "Assessment",
    "AssessmentView",
    "EvaluationView",
    "FollowUpView",
    "IndicatorStatus",
    "MeasurementView",
    "MonitoringRule",
    "Status",
    "StrategyReview",
    "add_evaluation",
    "add_follow_up",
    "add_indicator",
    "add_measurement",
    "add_self_assessment",
    "assess",
    "indicator_status",
    "strategy_codes",
    "strategy_review",
]


class Status(enum.StrEnum):
    """The status of an indicator (see the module's rule)."""

    ON_TRACK = "on track"
    BEHIND = "behind"
    ACHIEVED = "achieved"
    NO_DATA = "no data"


@dataclass(frozen=True)
class MonitoringRule:
    """The parameters of the status rule.

    Parameters
    ----------
    tolerance:
        How far behind the planned path a value may be and still be *on track*, as a
        share of the planned change ``|target − baseline|`` (default 0.10).
    """

    tolerance: float = 0.10

    def __post_init__(self) -> None:
        if not (math.isfinite(self.tolerance) and self.tolerance >= 0):
            raise InputError(
                f"tolerance {self.tolerance!r} is not a non-negative number",
                hint="use e.g. 0.1 for a tenth of the planned change",
            )


@dataclass(frozen=True)
class Assessment:
    """The status of one measured value against the planned path.

    Attributes
    ----------
    expected:
        The planned path's value on the measurement's date.
    progress:
        The share of the planned change achieved (0 at the baseline, 1 at the target);
        ``None`` when the target equals the baseline.
    direction:
        ``"increase"`` (more is better), ``"decrease"`` or ``"maintain"``.
    """

    status: Status
    expected: float
    progress: float | None
    direction: str


def _year_end(year: int) -> dt.date:
    return dt.date(year, 12, 31)


def assess(
    baseline_value: float,
    baseline_year: int,
    target_value: float,
    target_year: int,
    measured_on: dt.date,
    value: float,
    rule: MonitoringRule | None = None,
) -> Assessment:
    """Where a measured value stands against the straight path from baseline to target.

    Parameters
    ----------
    baseline_value, baseline_year:
        The starting point (the year stands for its last day).
    target_value, target_year:
        The goal and the year it is due (its last day).
    measured_on, value:
        The measurement.
    rule:
        The tolerance (default :class:`MonitoringRule()`).

    Returns
    -------
    Assessment
        Status, the path's expected value on ``measured_on``, progress and direction.

    Examples
    --------
    Less is better (a target below the baseline), half-way through the period:

    >>> a = assess(50, 2020, 30, 2030, dt.date(2025, 12, 31), 41)
    >>> a.status.value, a.expected, a.direction
    ('on track', 40.0, 'decrease')
    >>> assess(50, 2020, 30, 2030, dt.date(2025, 12, 31), 29).status.value
    'achieved'
    """
    rule = rule or MonitoringRule()
    start, end = _year_end(baseline_year), _year_end(target_year)
    gap = float(target_value) - float(baseline_value)
    if gap == 0:
        allowed = rule.tolerance * abs(float(target_value))
        within = abs(float(value) - float(target_value)) <= allowed + 1e-12 * max(1.0, allowed)
        if not within:
            status = Status.BEHIND
        elif measured_on >= end:
            status = Status.ACHIEVED
        else:
            status = Status.ON_TRACK
        return Assessment(status, float(target_value), None, "maintain")
    sign = 1.0 if gap > 0 else -1.0
    direction = "increase" if gap > 0 else "decrease"
    if end <= start:
        fraction = 1.0 if measured_on >= end else 0.0
    else:
        elapsed = (measured_on - start).days / (end - start).days
        fraction = min(1.0, max(0.0, elapsed))
    expected = float(baseline_value) + fraction * gap
    progress = (float(value) - float(baseline_value)) / gap
    if (float(value) - float(target_value)) * sign >= 0:
        return Assessment(Status.ACHIEVED, expected, progress, direction)
    if measured_on >= end:  # the target date has come and the target is not reached
        return Assessment(Status.BEHIND, expected, progress, direction)
    shortfall = (expected - float(value)) * sign
    slack = rule.tolerance * abs(gap)
    on_track = shortfall <= slack + 1e-9 * abs(gap)
    return Assessment(Status.ON_TRACK if on_track else Status.BEHIND, expected, progress, direction)


# --------------------------------------------------------------------------- views


@dataclass(frozen=True)
class MeasurementView:
    """A measured value of an indicator."""

    measured_on: dt.date
    value: float
    note: str | None
    source: str | None  # the source document's key

    def to_dict(self) -> dict[str, Any]:
        """The measurement as JSON-ready values."""
        return {
            "measured_on": self.measured_on.isoformat(),
            "value": self.value,
            "note": self.note,
            "source": self.source,
        }


@dataclass(frozen=True)
class IndicatorStatus:
    """An indicator with its measurements and its status.

    Attributes
    ----------
    priority:
        The label of the priority it follows (as currently published), if any.
    latest:
        The latest measurement considered (on or before the date asked).
    expected:
        The planned path's value on the latest measurement's date.
    reason:
        Why the status is *no data* (otherwise ``None``).
    """

    indicator_id: int
    strategy: str
    name: str
    kind: IndicatorKind
    unit: str | None
    description: str | None
    priority: str | None
    baseline_value: float | None
    baseline_year: int | None
    target_value: float | None
    target_year: int | None
    measurements: tuple[MeasurementView, ...]
    latest: MeasurementView | None
    status: Status
    expected: float | None = None
    progress: float | None = None
    direction: str | None = None
    reason: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The status as JSON-ready values."""
        return {
            "indicator_id": self.indicator_id,
            "strategy": self.strategy,
            "name": self.name,
            "kind": self.kind.value,
            "unit": self.unit,
            "description": self.description,
            "priority": self.priority,
            "baseline": {"value": self.baseline_value, "year": self.baseline_year},
            "target": {"value": self.target_value, "year": self.target_year},
            "measurements": [m.to_dict() for m in self.measurements],
            "latest": self.latest.to_dict() if self.latest else None,
            "status": self.status.value,
            "expected": self.expected,
            "progress": self.progress,
            "direction": self.direction,
            "reason": self.reason,
        }


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


def _source(s: Session, key: str | None) -> SourceDocument | None:
    if key is None:
        return None
    found = s.scalar(sa.select(SourceDocument).where(SourceDocument.key == key))
    if found is None:
        raise UnknownCodeError("source", key)
    return found


def _day(value: dt.date | str, what: str) -> dt.date:
    day = as_of_date(value) if isinstance(value, str) else value
    if not isinstance(day, dt.date):
        raise InputError(f"{what}: {value!r} is not a date")
    if isinstance(day, dt.datetime):
        return day.date()
    return day


def _resolve_priority(s: Session, strategy: Strategy, priority: int | str | None) -> int | None:
    """A priority of the strategy's current revision, by id or label."""
    if priority is None:
        return None
    current = revision_in_effect(s, strategy)
    rows = list(current.priorities) if current is not None else []
    for row in rows:
        if isinstance(priority, int) and row.priority_id == priority:
            return row.priority_id
        if isinstance(priority, str) and label_key(priority) in {
            row.label_key,
            label_key(row.label_en or ""),
        }:
            return row.priority_id
    raise UnknownCodeError(
        "priority",
        str(priority),
        [row.label for row in rows][:5] if isinstance(priority, str) else (),
        context=f"in the current revision of {strategy.code}",
    )


def _number(value: float | None, what: str) -> float | None:
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise InputError(f"{what} {value!r} is not a number") from None
    if not math.isfinite(number):
        raise InputError(f"{what} {value!r} is not a finite number")
    return number


def add_indicator(
    registry: Registry,
    strategy: str,
    name: str,
    *,
    kind: IndicatorKind | str = IndicatorKind.RESULT,
    unit: str | None = None,
    description: str | None = None,
    baseline_value: float | None = None,
    baseline_year: int | None = None,
    target_value: float | None = None,
    target_year: int | None = None,
    priority: int | str | None = None,
    evidence_measure: str | None = None,
    author: str | None = None,
    reason: str | None = None,
) -> int:
    """Add an indicator to a strategy (one audited transaction).

    Parameters
    ----------
    strategy:
        A strategy code, or a region code or name (its own strategy).
    name:
        What is measured, e.g. ``"Private R&D expenditure"``; unique within the strategy.
    kind:
        ``"result"`` (the change sought) or ``"output"`` (what actions produce).
    baseline_value, baseline_year, target_value, target_year:
        Value and year come in pairs; the target year must be after the baseline year.
    priority:
        The priority it follows: an id or a label of the strategy's current revision.

    Returns
    -------
    int
        The new indicator's id.

    Raises
    ------
    InputError
        For an empty or duplicate name, an unknown kind, an incomplete baseline or
        target, or a target year not after the baseline year.
    """
    text = (name or "").strip()
    if not text:
        raise InputError("the indicator's name is empty")
    try:
        kind_ = IndicatorKind(kind)
    except ValueError:
        raise InputError(
            f"unknown indicator kind {kind!r}",
            hint="use one of " + ", ".join(k.value for k in IndicatorKind),
        ) from None
    base = _number(baseline_value, "baseline value")
    goal = _number(target_value, "target value")
    for what, value, year in (("baseline", base, baseline_year), ("target", goal, target_year)):
        if (value is None) != (year is None):
            raise InputError(
                f"the {what} needs both a value and a year",
                hint=f"give {what}_value and {what}_year",
            )
    if baseline_year is not None and target_year is not None and target_year <= baseline_year:
        raise InputError(
            f"the target year {target_year} is not after the baseline year {baseline_year}"
        )
    with registry.session(author=author, operation="add_indicator", reason=reason) as s:
        found = find_strategy(s, strategy)
        taken = s.scalar(
            sa.select(Indicator.id).where(Indicator.strategy_id == found.id, Indicator.name == text)
        )
        if taken is not None:
            raise InputError(f"strategy {found.code} already has an indicator {text!r}")
        indicator = Indicator(
            strategy_id=found.id,
            priority_id=_resolve_priority(s, found, priority),
            name=text,
            kind=kind_,
            unit=unit,
            description=description,
            baseline_value=base,
            baseline_year=baseline_year,
            target_value=goal,
            target_year=target_year,
            evidence_measure=evidence_measure,
        )
        s.add(indicator)
        s.flush()
        return indicator.id


def _indicator(s: Session, strategy: Strategy, indicator: int | str) -> Indicator:
    query = sa.select(Indicator).where(Indicator.strategy_id == strategy.id)
    if isinstance(indicator, int):
        found = s.scalar(query.where(Indicator.id == indicator))
    else:
        found = s.scalar(query.where(Indicator.name == indicator.strip()))
    if found is None:
        names = list(
            s.scalars(sa.select(Indicator.name).where(Indicator.strategy_id == strategy.id))
        )
        import difflib

        close = (
            difflib.get_close_matches(indicator, names, n=3, cutoff=0.5)
            if isinstance(indicator, str)
            else []
        )
        raise UnknownCodeError("indicator", str(indicator), close, context=f"of {strategy.code}")
    return found


def add_measurement(
    registry: Registry,
    strategy: str,
    indicator: int | str,
    measured_on: dt.date | str,
    value: float,
    *,
    note: str | None = None,
    source: str | None = None,
    author: str | None = None,
    reason: str | None = None,
) -> None:
    """Record a measured value of an indicator (one audited transaction).

    Parameters
    ----------
    strategy:
        The indicator's strategy (code, or a region code or name).
    indicator:
        The indicator's id or name.
    measured_on:
        A date; ``"2021"`` or ``"2021-06"`` mean the last day of that year or month.
    source:
        The key of a source document in the registry.

    Raises
    ------
    InputError
        For a value that is not a finite number, or a second value on the same day.
    """
    number = _number(value, "value")
    assert number is not None
    day = _day(measured_on, "measurement date")
    with registry.session(author=author, operation="add_measurement", reason=reason) as s:
        found = _indicator(s, find_strategy(s, strategy), indicator)
        clash = s.scalar(
            sa.select(Measurement.id).where(
                Measurement.indicator_id == found.id, Measurement.measured_on == day
            )
        )
        if clash is not None:
            raise InputError(
                f"indicator {found.name!r} already has a measurement on {day.isoformat()}",
                hint="measurements are dated facts; record a correction on another day "
                "or edit the measurement",
            )
        src = _source(s, source)
        s.add(
            Measurement(
                indicator_id=found.id,
                measured_on=day,
                value=number,
                note=note,
                source_id=src.id if src else None,
            )
        )


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


def _priority_labels(s: Session, strategy: Strategy) -> dict[int, str]:
    """Priority id → its label in the latest revision that states it."""
    rows = s.execute(
        sa.select(
            RevisionPriority.priority_id, RevisionPriority.label_sv, RevisionPriority.label_en
        )
        .join(StrategyRevision, StrategyRevision.id == RevisionPriority.revision_id)
        .where(StrategyRevision.strategy_id == strategy.id)
        .order_by(StrategyRevision.effective_date, StrategyRevision.number)
    )
    labels: dict[int, str] = {}
    for pid, sv, en in rows:
        labels[pid] = sv if sv is not None else (en or "")
    return labels


def _statuses(
    s: Session,
    strategy: Strategy,
    at: dt.date | None,
    rule: MonitoringRule,
    labels: Mapping[int, str],
) -> list[IndicatorStatus]:
    indicators = s.scalars(
        sa.select(Indicator).where(Indicator.strategy_id == strategy.id).order_by(Indicator.id)
    ).all()
    keys = {row[0]: row[1] for row in s.execute(sa.select(SourceDocument.id, SourceDocument.key))}
    result = []
    for ind in indicators:
        query = sa.select(Measurement).where(Measurement.indicator_id == ind.id)
        if at is not None:
            query = query.where(Measurement.measured_on <= at)
        measurements = tuple(
            MeasurementView(
                m.measured_on,
                float(m.value),
                m.note,
                keys.get(m.source_id) if m.source_id else None,
            )
            for m in s.scalars(query.order_by(Measurement.measured_on))
        )
        latest = measurements[-1] if measurements else None
        common: dict[str, Any] = {
            "indicator_id": ind.id,
            "strategy": strategy.code,
            "name": ind.name,
            "kind": ind.kind,
            "unit": ind.unit,
            "description": ind.description,
            "priority": labels.get(ind.priority_id) if ind.priority_id is not None else None,
            "baseline_value": ind.baseline_value,
            "baseline_year": ind.baseline_year,
            "target_value": ind.target_value,
            "target_year": ind.target_year,
            "measurements": measurements,
            "latest": latest,
        }
        base_value, base_year = ind.baseline_value, ind.baseline_year
        goal_value, goal_year = ind.target_value, ind.target_year
        if base_value is None or base_year is None:
            reason = "no baseline"
        elif goal_value is None or goal_year is None:
            reason = "no target"
        elif latest is None:
            reason = "no measurement" + (f" on or before {at.isoformat()}" if at else "")
        else:
            found = assess(
                base_value,
                base_year,
                goal_value,
                goal_year,
                latest.measured_on,
                latest.value,
                rule,
            )
            result.append(
                IndicatorStatus(
                    **common,
                    status=found.status,
                    expected=found.expected,
                    progress=found.progress,
                    direction=found.direction,
                )
            )
            continue
        result.append(IndicatorStatus(**common, status=Status.NO_DATA, reason=reason))
    return result


def indicator_status(
    registry: Registry,
    strategy: str,
    *,
    at: dt.date | str | None = None,
    rule: MonitoringRule | None = None,
) -> list[IndicatorStatus]:
    """The status of every indicator of a strategy (see the module's rule).

    Parameters
    ----------
    strategy:
        A strategy code, or a region code or name (its own strategy).
    at:
        Consider only measurements on or before this day (a year or month: its last
        day); default: all.
    rule:
        The tolerance (default :class:`MonitoringRule()`).

    Returns
    -------
    list[IndicatorStatus]
        In the order the indicators were added.
    """
    day = as_of_date(at)
    with registry.session(operation="read") as s:
        found = find_strategy(s, strategy)
        return _statuses(s, found, day, rule or MonitoringRule(), _priority_labels(s, found))


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
