"""Monitoring a strategy: indicators, measurements, their status, and the follow-up record.

An :class:`~smartspec.registry.models.Indicator` has a baseline (value, year) and a
target (value, year); :class:`~smartspec.registry.models.Measurement` rows record what
was measured since. :func:`indicator_status` says, per indicator, whether the strategy
is *on track*, *behind*, has *achieved* the target, or has *no data* to tell (the status
rule is set out in :mod:`~smartspec.registry.monitoring_rule`).

Writes (indicators, measurements, follow-up notes, evaluations, self-assessments) go
through :meth:`Registry.session <smartspec.registry.service.Registry.session>`, so each
is one audited transaction. :func:`strategy_review` gathers everything a follow-up
report shows, as plain dataclasses.

Modules
    :mod:`~smartspec.registry.monitoring_rule` (the status rule: :func:`assess`,
    :class:`MonitoringRule`, :class:`Status`),
    :mod:`~smartspec.registry.indicators` (indicators and measurements,
    :func:`indicator_status`),
    :mod:`~smartspec.registry.follow_up` (follow-up notes, evaluations,
    self-assessments, :func:`strategy_review`).

This module re-exports their public names.
"""

from __future__ import annotations

from smartspec.registry.follow_up import (
    AssessmentView,
    EvaluationView,
    FollowUpView,
    StrategyReview,
    add_evaluation,
    add_follow_up,
    add_self_assessment,
    strategy_codes,
    strategy_review,
)
from smartspec.registry.indicators import (
    IndicatorStatus,
    MeasurementView,
    add_indicator,
    add_measurement,
    indicator_status,
)
from smartspec.registry.monitoring_rule import Assessment, MonitoringRule, Status, assess

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
