"""The registry's tables, one concept per module, all on one :class:`Base`."""

from __future__ import annotations

from smartspec.registry.models.account import Account, AccountRegion
from smartspec.registry.models.action import Action, ActionStatus, Role
from smartspec.registry.models.actor import Actor, Helix
from smartspec.registry.models.assessment import RIS3_STEPS, SelfAssessment, SelfAssessmentScore
from smartspec.registry.models.audit import AuditAction, AuditEntry
from smartspec.registry.models.base import Base
from smartspec.registry.models.classification import (
    ClassificationScheme,
    ClassificationStatus,
    PriorityClassification,
)
from smartspec.registry.models.indicator import Indicator, IndicatorKind, Measurement
from smartspec.registry.models.planning import MilestoneStatus, RoadmapMilestone, TransformativeGoal
from smartspec.registry.models.priority import Priority, PriorityKind
from smartspec.registry.models.region import Region
from smartspec.registry.models.review import Evaluation, FollowUp
from smartspec.registry.models.revision import RevisionPriority, StrategyRevision
from smartspec.registry.models.source import SourceDocument
from smartspec.registry.models.stakeholders import Participation, Person, StakeholderEvent
from smartspec.registry.models.strategy import (
    Strategy,
    StrategyKind,
    StrategyRegion,
    StrategyStatus,
)

__all__ = [
    "RIS3_STEPS",
    "Account",
    "AccountRegion",
    "Action",
    "ActionStatus",
    "Actor",
    "AuditAction",
    "AuditEntry",
    "Base",
    "ClassificationScheme",
    "ClassificationStatus",
    "Evaluation",
    "FollowUp",
    "Helix",
    "Indicator",
    "IndicatorKind",
    "Measurement",
    "MilestoneStatus",
    "Participation",
    "Person",
    "Priority",
    "PriorityClassification",
    "PriorityKind",
    "Region",
    "RevisionPriority",
    "RoadmapMilestone",
    "Role",
    "SelfAssessment",
    "SelfAssessmentScore",
    "SourceDocument",
    "StakeholderEvent",
    "Strategy",
    "StrategyKind",
    "StrategyRegion",
    "StrategyRevision",
    "StrategyStatus",
    "TransformativeGoal",
]
