"""Editing: every change is a revision; stale edits are refused; everything is audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from smartspec.errors import InputError, UnknownCodeError
from smartspec.registry import ConflictError, ImmutableError, PriorityKind, Registry
from smartspec.registry.dates import PartialDate
from smartspec.registry.models import RevisionPriority, Strategy, StrategyRevision
from smartspec.registry.queries import find_strategy, revision_in_effect
from smartspec.registry.revisions import inputs_from_revision, write_revision


def test_add_rename_remove_make_revisions(bundled: Registry) -> None:
    v = bundled.version("SE211")
    assert v == 3
    added = bundled.add_priority(
        "SE211", "Rymdteknik", expected_version=v, reason="new area", author="editor-a"
    )
    assert (added.number, added.author, added.reason) == (4, "editor-a", "new area")
    assert added.effective == dt.date.today().isoformat()
    shown = bundled.show("SE211")
    assert shown.labels()[-1] == "Rymdteknik"
    (state,) = shown.strategies
    assert state.version == 4

    renamed = bundled.rename_priority(
        "SE211", "Rymdteknik", "Rymd- och satellitteknik", expected_version=4
    )
    removed = bundled.remove_priority("SE211", "Besöksnäring", expected_version=5)
    assert (renamed.number, removed.number) == (5, 6)

    diff = bundled.diff("SE211", 4, 5)
    (change,) = diff.renamed
    assert (change.before.label, change.after.label) == ("Rymdteknik", "Rymd- och satellitteknik")
    assert change.before.priority_id == change.after.priority_id
    diff = bundled.diff("SE211", 5, 6)
    assert [p.label for p in diff.removed] == ["Besöksnäring"]
    assert not diff.added
    # the past is untouched
    assert bundled.show("SE211", at="2019-06-01").labels() == [
        "Attityder för innovationer",
        "Effektiva processer för innovation",
        "Samverkan för innovation",
    ]
    history = bundled.history("SE211")
    assert [h.number for h in history] == [1, 2, 3, 4, 5, 6]


def test_a_removed_label_added_again_is_the_same_priority(bundled: Registry) -> None:
    before = {p.label: p.priority_id for p in bundled.show("SE211").priorities}
    bundled.remove_priority("SE211", "Besöksnäring", expected_version=3)
    bundled.add_priority("SE211", "besöksnäring ", expected_version=4)
    after = {p.label: p.priority_id for p in bundled.show("SE211").priorities}
    assert after["besöksnäring"] == before["Besöksnäring"]
    diff = bundled.diff("SE211", 3, 5)
    assert [c.after.label for c in diff.reworded] == ["besöksnäring"]


def test_rewording_keeps_identity_and_is_not_a_rename(bundled: Registry) -> None:
    bundled.rename_priority(
        "SE211", "E-handel och logistik", "E-handel & logistik", expected_version=3
    )
    diff = bundled.diff("SE211", 3, 4)
    # "&" is punctuation: the normalised label is "e handel logistik" vs "e handel och
    # logistik", so this is a rename (the word "och" went away)
    assert [c.after.label for c in diff.renamed] == ["E-handel & logistik"]
    bundled.rename_priority(
        "SE211", "E-handel & logistik", "e-handel  &  Logistik", expected_version=4
    )
    diff = bundled.diff("SE211", 4, 5)
    assert [c.after.label for c in diff.reworded] == ["e-handel & Logistik"]
    assert not diff.renamed


def test_update_priority_and_strategy(bundled: Registry) -> None:
    bundled.update_priority(
        "SE211",
        "Tjänstedesign",
        expected_version=3,
        kind=PriorityKind.STRENGTH_AREA,
        niches=["Digitala tjänster"],
        label_en="Service design",
    )
    diff = bundled.diff("SE211", 3, 4)
    (changed,) = diff.changed
    assert changed.fields == ("kind", "niches")
    assert [c.fields for c in diff.reworded] == [("label_en",)]
    info = bundled.update_strategy(
        "SE211",
        expected_version=4,
        vision="Global konkurrenskraft",
        status="adopted",
        period_start=2021,
        period_end=2027,
    )
    (state,) = bundled.show("SE211").strategies
    assert (state.vision, state.status, state.period_start, state.period_end) == (
        "Global konkurrenskraft",
        "adopted",
        2021,
        2027,
    )
    assert state.revision == info.number == 5
    assert bundled.diff("SE211", 4, 5).is_empty  # priorities unchanged


def test_stale_edit_is_refused_and_nothing_changes(bundled: Registry) -> None:
    v = bundled.version("SE211")
    bundled.add_priority("SE211", "Först", expected_version=v, author="alice")
    before = bundled.export_json()
    with pytest.raises(ConflictError, match=r"based on version 3, the registry holds version 4"):
        bundled.add_priority("SE211", "Sist", expected_version=v, author="bob")
    with pytest.raises(ConflictError):
        bundled.remove_priority("SE211", "Först", expected_version=v)
    assert bundled.export_json() == before
    assert "Sist" not in bundled.show("SE211").labels()


def test_concurrent_writer_fails_at_flush(bundled: Registry, db_url: str) -> None:
    """Two editors read version 3; the second to write gets ConflictError, not a lost update."""
    from smartspec.registry import open_registry

    other = open_registry(db_url, user="other")

    def slow_edit(s: Session) -> None:
        strategy = find_strategy(s, "SE211")
        base = revision_in_effect(s, strategy)
        assert strategy.version == 3
        # meanwhile, another editor commits
        other.add_priority("SE211", "Kvantteknik", expected_version=3)
        items = [*inputs_from_revision(base)][:2]
        try:
            write_revision(
                s,
                strategy,
                items,
                effective=PartialDate.parse("2024-01-01"),
                author="slow",
                expected_version=3,  # passes: this session read version 3
            )
        except sa.orm.exc.StaleDataError:  # UPDATE strategy ... WHERE version = 3 hit no row
            raise ConflictError("SE211", expected=3, current=None) from None

    try:
        with pytest.raises(ConflictError):
            in_session(bundled, slow_edit)
    finally:
        other.close()
    assert bundled.version("SE211") == 4
    assert "Kvantteknik" in bundled.show("SE211").labels()
    assert len(bundled.show("SE211").labels()) == 7


def test_edit_errors(bundled: Registry) -> None:
    with pytest.raises(UnknownCodeError, match=r"unknown priority 'Besöksnäringen'.*Besöksnäring"):
        bundled.remove_priority("SE211", "Besöksnäringen", expected_version=3)
    with pytest.raises(InputError, match="already belongs to another priority"):
        bundled.rename_priority(
            "SE211", "Besöksnäring", "E-handel och logistik", expected_version=3
        )
    with pytest.raises(InputError, match="the label is empty"):
        bundled.add_priority("SE211", "  ", expected_version=3)
    with pytest.raises(InputError, match="same priority as priority 4"):
        bundled.add_priority("SE211", "BESÖKSNÄRING", expected_version=3)
    with pytest.raises(InputError, match="unknown kind 'weakness'"):
        bundled.add_priority("SE211", "X", kind="weakness", expected_version=3)
    with pytest.raises(UnknownCodeError, match="unknown source 'nope'"):
        bundled.add_priority("SE211", "X", expected_version=3, source="nope")
    assert bundled.version("SE211") == 3


def test_edit_with_a_source_and_an_effective_date(bundled: Registry) -> None:
    info = bundled.add_priority(
        "SE122", "Test av ny sak", expected_version=2, effective="2023-05", source="sormland-s3"
    )
    assert info.effective == "2023-05"
    assert info.source
    assert info.source.key == "sormland-s3"
    assert "Test av ny sak" in bundled.show("SE122", at="2023-05-01").labels()
    assert "Test av ny sak" not in bundled.show("SE122", at="2023-04-30").labels()


def test_editing_a_joint_strategy(bundled: Registry) -> None:
    code = "SE121+SE122+SE123+SE124+SE125"
    bundled.add_priority(
        code, "Cirkulär ekonomi", kind="joint_area", expected_version=bundled.version(code)
    )
    for region in ("SE121", "SE125"):
        assert bundled.show(region).labels(joint=True)[-1] == "Cirkulär ekonomi"
    diff = bundled.diff("SE124", 1, 2, strategy=code)
    assert [p.label for p in diff.added] == ["Cirkulär ekonomi"]
    history = [h for h in bundled.history("SE124") if h.joint]
    assert bundled.diff("SE124", history[0], history[1]).added == diff.added


def test_a_region_without_strategy_gets_one(registry: Registry) -> None:
    with registry.session() as s:
        from smartspec.registry.models import Region

        s.add(Region(code="FI1B1", name="Helsinki-Uusimaa"))
    info = registry.add_priority("FI1B1", "Cleantech", expected_version=0)
    assert (info.strategy, info.number) == ("FI1B1", 1)
    assert registry.show("FI1B1").labels() == ["Cleantech"]


def test_revisions_are_immutable(bundled: Registry) -> None:
    def first(s: Session) -> StrategyRevision:
        revision = s.scalars(sa.select(StrategyRevision)).first()
        assert revision is not None
        return revision

    def change(s: Session) -> None:
        first(s).author = "someone else"

    def delete(s: Session) -> None:
        s.delete(first(s))

    def append(s: Session) -> None:
        revision = first(s)
        extra = RevisionPriority(
            position=99,
            label_sv="Smuggel",
            label_key="smuggel",
            kind=PriorityKind.STRENGTH_AREA,
            niches=[],
            priority_id=revision.priorities[0].priority_id,
        )
        revision.priorities.append(extra)

    for attempt in (change, delete, append):
        with pytest.raises(ImmutableError, match="revisions are immutable"):
            in_session(bundled, attempt)
    assert {h.author for h in bundled.history("SE211")} == {"smartspec"}


def test_every_write_is_audited(bundled: Registry) -> None:
    n = len(bundled.audit_log())
    bundled.add_priority(
        "SE211", "Rymdteknik", expected_version=3, author="editor-a", reason="workshop 2024"
    )
    entries = bundled.audit_log()[n:]
    tables = sorted({(e.table, e.action) for e in entries})
    assert tables == [
        ("priority", "insert"),
        ("revision_priority", "insert"),
        ("strategy", "update"),
        ("strategy_revision", "insert"),
    ]
    assert {e.actor for e in entries} == {"editor-a"}
    assert {e.operation for e in entries} == {"add_priority"}
    assert {e.reason for e in entries} == {"workshop 2024"}
    (update,) = [e for e in entries if e.table == "strategy"]
    assert update.before is not None
    assert update.after is not None
    assert (update.before["version"], update.after["version"]) == (3, 4)
    inserted = [e for e in entries if e.table == "revision_priority"]
    assert len(inserted) == 7
    assert all(e.before is None for e in inserted)
    assert bundled.audit_log(limit=1)[0].id == entries[-1].id
    assert len(bundled.audit_log(table="strategy_revision")) == 37


def test_a_failed_edit_leaves_no_audit_entry(bundled: Registry) -> None:
    n = len(bundled.audit_log())
    with pytest.raises(ConflictError):
        bundled.add_priority("SE211", "X", expected_version=1)
    assert len(bundled.audit_log()) == n


def test_strategy_version_column_guards_every_update(bundled: Registry) -> None:
    with bundled.session() as s:
        strategy = s.scalar(sa.select(Strategy).where(Strategy.code == "SE211"))
        assert strategy is not None
        strategy.name = "Region Jönköpings län"
    assert bundled.version("SE211") == 3  # a rename of the strategy is no revision


def in_session(reg: Registry, work: Callable[[Session], object]) -> None:
    """Run ``work`` in one audited transaction of ``reg``."""
    with reg.session(operation="test") as s:
        work(s)
