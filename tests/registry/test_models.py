"""The rest of the domain model: actors, actions, roles, indicators, assessments,
stakeholders; consent and erasure; the constraints the database enforces."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from smartspec.errors import UnknownCodeError
from smartspec.registry import Registry
from smartspec.registry.models import (
    RIS3_STEPS,
    Action,
    ActionStatus,
    Actor,
    Evaluation,
    Helix,
    Indicator,
    IndicatorKind,
    Measurement,
    Participation,
    Person,
    Priority,
    RoadmapMilestone,
    Role,
    SelfAssessment,
    SelfAssessmentScore,
    StakeholderEvent,
    Strategy,
    TransformativeGoal,
)
from smartspec.registry.serial import REDACTED


def _ids(s: Session) -> tuple[int, int]:
    strategy = s.scalar(sa.select(Strategy).where(Strategy.code == "SE211"))
    assert strategy is not None
    priority = s.scalar(sa.select(Priority).where(Priority.strategy_id == strategy.id))
    assert priority is not None
    return strategy.id, priority.id


def test_the_whole_model(bundled: Registry) -> None:
    with bundled.session(author="analyst", reason="strategy work") as s:
        strategy_id, priority_id = _ids(s)
        ju = Actor(name="Jönköping University", helix=Helix.ACADEMIA)
        region = Actor(name="Region Jönköpings län", helix=Helix.PUBLIC)
        s.add_all([ju, region])
        s.flush()
        goal = TransformativeGoal(
            strategy_id=strategy_id,
            priority_id=priority_id,
            title="Fossilfri tillverkning",
            target_year=2030,
        )
        s.add(goal)
        s.flush()
        s.add(
            RoadmapMilestone(
                strategy_id=strategy_id,
                goal_id=goal.id,
                title="Testbädd",
                due_date=dt.date(2026, 6, 30),
            )
        )
        action = Action(
            strategy_id=strategy_id,
            priority_id=priority_id,
            title="Testbädd",
            instrument="testbädd",
            budget=12_000_000,
            currency="SEK",
            funding_source="ERDF",
            owner_actor_id=region.id,
            status=ActionStatus.ONGOING,
            start_date=dt.date(2024, 1, 1),
            end_date=dt.date(2026, 12, 31),
        )
        s.add(action)
        s.flush()
        s.add_all(
            [
                Role(actor_id=ju.id, priority_id=priority_id, responsibility="forskning"),
                Role(actor_id=region.id, action_id=action.id, responsibility="projektägare"),
            ]
        )
        indicator = Indicator(
            strategy_id=strategy_id,
            action_id=action.id,
            name="Företag i testbädden",
            kind=IndicatorKind.OUTPUT,
            unit="företag",
            baseline_value=0,
            baseline_year=2023,
            target_value=40,
            target_year=2026,
            evidence_measure="establishments",
        )
        s.add(indicator)
        s.flush()
        s.add(Measurement(indicator_id=indicator.id, measured_on=dt.date(2024, 12, 31), value=12.0))
        s.add(
            Evaluation(
                strategy_id=strategy_id,
                evaluated_on=dt.date(2025, 3, 1),
                evaluator="Extern utvärderare",
                summary="God förankring.",
            )
        )
        wheel = SelfAssessment(
            strategy_id=strategy_id, assessed_on=dt.date(2024, 5, 1), assessor="S3-gruppen"
        )
        wheel.scores = [
            SelfAssessmentScore(step=step, factor=factor, score=(step + factor) % 6)
            for step in range(1, 7)
            for factor in range(1, 4)
        ]
        s.add(wheel)
        event = StakeholderEvent(
            strategy_id=strategy_id,
            title="Entreprenöriell upptäckt",
            kind="workshop",
            held_on=dt.date(2024, 4, 10),
        )
        s.add(event)
        s.flush()
        anna = Person(
            name="Anna Andersson",
            email="anna@example.org",
            consent=True,
            consent_given_on=dt.date(2024, 4, 1),
            actor_id=ju.id,
        )
        s.add(anna)
        s.flush()
        s.add_all(
            [
                Participation(
                    event_id=event.id,
                    actor_id=ju.id,
                    helix=Helix.ACADEMIA,
                    person_id=anna.id,
                    role="talare",
                ),
                Participation(event_id=event.id, helix=Helix.CIVIL_SOCIETY),
            ]
        )
    assert len(RIS3_STEPS) == 6
    with bundled.session() as s:
        assessment = s.scalar(sa.select(SelfAssessment))
        assert assessment is not None
        assert len(assessment.scores) == 18


def test_person_needs_consent_and_can_be_erased(bundled: Registry) -> None:
    with pytest.raises(sa.exc.IntegrityError), bundled.session() as s:
        s.add(Person(name="Utan Samtycke", consent=False))
    with bundled.session() as s:
        event = StakeholderEvent(title="Workshop", held_on=dt.date(2024, 4, 10))
        person = Person(name="Anna Andersson", email="anna@example.org", consent=True)
        s.add_all([event, person])
        s.flush()
        s.add(Participation(event_id=event.id, person_id=person.id, helix=Helix.BUSINESS))
        person_id = person.id
    bundled.erase_person(person_id, author="dpo")
    with bundled.session() as s:
        erased = s.get(Person, person_id)
        assert erased is not None
        assert (erased.name, erased.email, erased.consent) == (None, None, False)
        assert erased.erased_at is not None
        assert s.scalar(sa.select(sa.func.count()).select_from(Participation)) == 1
    person_entries = bundled.audit_log(table="person")
    assert [e.action for e in person_entries] == ["insert", "update"]
    text = repr([e.to_dict() for e in person_entries])
    assert "Anna" not in text
    assert "anna@" not in text
    assert person_entries[0].after is not None
    assert person_entries[0].after["name"] == REDACTED
    assert person_entries[1].after is not None
    assert person_entries[1].after["name"] is None
    assert "Anna" not in repr(bundled.export_json()["tables"]["audit_log"])
    with pytest.raises(UnknownCodeError, match="unknown person '999'"):
        bundled.erase_person(999)


@pytest.mark.parametrize(
    ("step", "factor", "score"), [(0, 1, 3), (7, 1, 3), (1, 4, 3), (1, 1, 6), (1, 1, -1)]
)
def test_assessment_wheel_ranges(
    shared_bundled: Registry, step: int, factor: int, score: int
) -> None:
    def add(s: Session) -> None:
        strategy_id, _ = _ids(s)
        score_row = SelfAssessmentScore(step=step, factor=factor, score=score)
        s.add(
            SelfAssessment(
                strategy_id=strategy_id,
                assessed_on=dt.date(2024, 1, 1),
                assessor="x",
                scores=[score_row],
            )
        )

    with pytest.raises(sa.exc.IntegrityError):
        in_session(shared_bundled, add)


def test_role_is_for_a_priority_or_an_action(shared_bundled: Registry) -> None:
    def add(s: Session) -> None:
        actor = Actor(name="X", helix=Helix.BUSINESS)
        s.add(actor)
        s.flush()
        s.add(Role(actor_id=actor.id, responsibility="both or none"))

    with pytest.raises(sa.exc.IntegrityError):
        in_session(shared_bundled, add)


def test_enumerations_are_checked_by_the_database(shared_bundled: Registry) -> None:
    sql = sa.text(
        "INSERT INTO actor (name, helix, created_at) VALUES ('X', 'government', CURRENT_TIMESTAMP)"
    )
    with pytest.raises(sa.exc.IntegrityError):
        in_session(shared_bundled, lambda s: s.execute(sql))


def in_session(reg: Registry, work: Callable[[Session], object]) -> None:
    """Run ``work`` in one audited transaction of ``reg``."""
    with reg.session(operation="test") as s:
        work(s)
