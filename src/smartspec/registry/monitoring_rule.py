"""The status rule: whether an indicator is on track, behind, achieved, or without data.

:func:`assess` places one measured value against the straight path from an indicator's
baseline to its target, with the tolerance of a :class:`MonitoringRule`;
:func:`smartspec.registry.indicators.indicator_status` applies it to the latest
measurement of every indicator of a strategy.

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
"""

from __future__ import annotations

import datetime as dt
import enum
import math
from dataclasses import dataclass

from smartspec.errors import InputError

__all__ = ["Assessment", "MonitoringRule", "Status", "assess"]


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
