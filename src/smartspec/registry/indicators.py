"""Indicators and their measurements: recording them, and the status of each indicator.

An :class:`~smartspec.registry.models.Indicator` has a baseline (value, year) and a
target (value, year); :class:`~smartspec.registry.models.Measurement` rows record what
was measured since. :func:`indicator_status` says, per indicator, whether the strategy
is *on track*, *behind*, has *achieved* the target, or has *no data* to tell, by the
rule of :mod:`smartspec.registry.monitoring_rule`.

Writes go through :meth:`Registry.session <smartspec.registry.service.Registry.session>`,
so each is one audited transaction. The helpers that resolve a source, a date or a
priority are shared with :mod:`smartspec.registry.follow_up`.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from smartspec.errors import InputError, UnknownCodeError
from smartspec.registry.dates import as_of_date
from smartspec.registry.labels import label_key
from smartspec.registry.models import (
    Indicator,
    IndicatorKind,
    Measurement,
    RevisionPriority,
    SourceDocument,
    Strategy,
    StrategyRevision,
)
from smartspec.registry.monitoring_rule import MonitoringRule, Status, assess
from smartspec.registry.queries import find_strategy, revision_in_effect

if TYPE_CHECKING:
    from smartspec.registry.service import Registry

__all__ = [
    "IndicatorStatus",
    "MeasurementView",
    "add_indicator",
    "add_measurement",
    "indicator_status",
]


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


# --------------------------------------------------------------------------- reading


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
