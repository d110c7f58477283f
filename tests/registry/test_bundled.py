"""The real Swedish map: the bundled priorities of all 21 regions, with their history."""

from __future__ import annotations

import datetime as dt

import pytest

from smartspec.errors import AmbiguousError, UnknownCodeError
from smartspec.registry import PriorityKind, Registry, load_bundled
from smartspec.registry.bundled import bundled_regions

JONKOPING_NOW = [
    "Smart industri/kunskapsintensiva tillverkningsföretag",
    "E-handel och logistik",
    "Skogsnäring och träförädling",
    "Besöksnäring",
    "Livsmedel och livsmedelsförädling",
]
JONKOPING_2019 = [
    "Attityder för innovationer",
    "Effektiva processer för innovation",
    "Samverkan för innovation",
]
OMS_JOINT = [
    "Smart industri",
    "Morgondagens energilösningar",
    "Hållbar livsmedelsförsörjning",
    "Life science, välfärdsteknik och e-hälsa",
]


def test_all_21_regions_have_priorities(shared_bundled: Registry) -> None:
    regions = shared_bundled.regions()
    assert [r.code for r in regions] == sorted(bundled_regions())
    assert len(regions) == 21
    swedish_map = shared_bundled.map()
    assert all(entry.priorities for entry in swedish_map), [
        e.region.code for e in swedish_map if not e.priorities
    ]


def test_show_SE211_today_is_jonkopings_own_strategy(shared_bundled: Registry) -> None:
    shown = shared_bundled.show("SE211")
    assert shown.region.name == "Jönköpings län"
    assert shown.labels(PriorityKind.STRENGTH_AREA) == JONKOPING_NOW
    assert shown.labels(PriorityKind.CROSS_CUTTING) == ["Tjänstedesign"]
    for p in shown.priorities:
        assert p.source is not None
        assert p.source.key == "jonkoping-s3"
        assert p.effective == "2019-10"
        assert p.source.date_inferred
        assert not p.joint


def test_show_SE211_at_2019_06_01_is_the_2019_map(shared_bundled: Registry) -> None:
    shown = shared_bundled.show("SE211", at=dt.date(2019, 6, 1))
    assert shown.labels() == JONKOPING_2019
    assert {p.source.key for p in shown.priorities if p.source} == {"tvv-2019-map"}
    assert {p.effective for p in shown.priorities} == {"2019-02-13"}
    assert shown.at == dt.date(2019, 6, 1)


def test_as_of_dates_follow_the_documented_rule(shared_bundled: Registry) -> None:
    # a month counts from its first day; a partial as-of date means its last day
    assert shared_bundled.show("SE211", at="2019-10-01").labels(PriorityKind.STRENGTH_AREA) == (
        JONKOPING_NOW
    )
    assert shared_bundled.show("SE211", at="2019-09-30").labels() == JONKOPING_2019
    assert shared_bundled.show("SE211", at="2019-09").labels() == JONKOPING_2019
    assert shared_bundled.show("SE211", at="2019").labels(PriorityKind.STRENGTH_AREA) == (
        JONKOPING_NOW
    )
    # before any published list there is nothing
    assert shared_bundled.show("SE211", at="2018-12-31").priorities == ()
    # Värmland's strategy is dated 2015 (the year): in effect from 2015-01-01
    assert shared_bundled.show("SE311", at="2015-01-01").priorities
    assert not shared_bundled.show("SE311", at="2014-12-31").priorities


def test_history_SE211(shared_bundled: Registry) -> None:
    history = shared_bundled.history("SE211")
    assert [(h.number, h.effective, h.source.key if h.source else None) for h in history] == [
        (1, "2019-02-13", "tvv-2019-map"),
        (2, "2019-10", "tvv-region-for-region"),
        (3, "2019-10", "jonkoping-s3"),
    ]
    for h in history:
        assert h.strategy == "SE211"
        assert not h.joint
        assert h.author == "smartspec"
        assert h.recorded_at.tzinfo is not None
        assert h.source is not None
        assert h.source.title
    assert [h.priority_count for h in history] == [3, 6, 6]


def test_show_SE124_includes_the_joint_oms_areas(shared_bundled: Registry) -> None:
    shown = shared_bundled.show("SE124")
    assert shown.labels(joint=False) == [
        "Autonoma digitaliserade intelligenta system",
        "Livsmedel i skärningen hållbarhet, hälsa, miljö & måltid",
    ]
    assert shown.labels(joint=True) == OMS_JOINT
    joint = [p for p in shown.priorities if p.joint]
    assert {p.kind for p in joint} == {PriorityKind.JOINT_AREA}
    assert {p.source.key for p in joint if p.source} == {"oms-2023"}
    assert {p.effective for p in joint} == {"2023"}
    (strategy,) = [s for s in shown.strategies if s.joint]
    assert strategy.regions == ("SE121", "SE122", "SE123", "SE124", "SE125")
    # one joint strategy shared by the five regions, not five copies
    for code in strategy.regions:
        assert shared_bundled.show(code).labels(joint=True) == OMS_JOINT
    assert shared_bundled.show("SE211").labels(joint=True) == []
    # before 2023 the joint areas were not in effect
    assert shared_bundled.show("SE124", at="2022-12-31").labels(joint=True) == []


def test_history_of_a_joint_member_lists_the_joint_revision(shared_bundled: Registry) -> None:
    history = shared_bundled.history("SE124")
    assert [(h.strategy, h.effective, h.source.key if h.source else None) for h in history] == [
        ("SE124", "2017-04", "orebro-s3"),
        ("SE124", "2019-02-13", "tvv-2019-map"),
        ("SE121+SE122+SE123+SE124+SE125", "2023", "oms-2023"),
    ]
    assert history[-1].joint


def test_kinds_and_headings(shared_bundled: Registry) -> None:
    vgr = shared_bundled.show("SE232")
    assert vgr.labels(PriorityKind.STRENGTH_AREA) == [
        "Life science",
        "Hållbara transporter",
        "Grön kemi",
    ]
    assert vgr.labels(PriorityKind.DEVELOPMENT_AREA) == [
        "Marin miljö/maritim näring",
        "Material",
        "Textil/Mode",
    ]
    assert len(vgr.labels(PriorityKind.CROSS_CUTTING)) == 7
    assert {p.category for p in vgr.priorities} == {
        "Styrkeområden",
        "Utvecklingsområden",
        "Förutsättningar för en attraktiv och hållbar region",
        "Förutsättningar för kunskapsbaserad utveckling",
    }
    varmland = shared_bundled.show("SE311").priorities
    assert varmland[0].label_en == "Value-creating services"
    assert varmland[0].label_sv is None


def test_renamed_and_reworded_across_sources(shared_bundled: Registry) -> None:
    # Sörmland: ";" (2019 map) became " - " (own strategy 2022): the same priority, reworded
    diff = shared_bundled.diff("SE122", 1, 2)
    assert not diff.added
    assert not diff.removed
    assert [c.before.label for c in diff.reworded] == [
        "Biobaserade näringar; hållbar produktion och effektiv distribution"
    ]
    # Jönköping: service design went from strength area to cross-cutting factor
    diff = shared_bundled.diff("SE211", 2, 3)
    assert [(c.after.label, c.fields) for c in diff.changed] == [("Tjänstedesign", ("kind",))]
    assert not diff.added
    assert not diff.removed
    assert not diff.renamed
    # 2019 map -> region-by-region page: three areas replaced by six
    diff = shared_bundled.diff("SE211", 1, 2)
    assert [p.label for p in diff.removed] == JONKOPING_2019
    assert len(diff.added) == 6
    # the order of the arguments is the direction of the diff
    back = shared_bundled.diff("SE211", 2, 1)
    assert [p.label for p in back.added] == JONKOPING_2019


def test_region_lookup_by_name_and_errors(shared_bundled: Registry) -> None:
    assert shared_bundled.show("jönköping").region.code == "SE211"
    assert shared_bundled.show("se211").region.code == "SE211"
    with pytest.raises(UnknownCodeError, match=r"SE211 \(Jönköpings län\)"):
        shared_bundled.show("SE219")
    with pytest.raises(AmbiguousError, match="Västra Götalands län"):
        shared_bundled.show("Väst")


def test_to_dict_is_json_ready(shared_bundled: Registry) -> None:
    import json

    data = shared_bundled.show("SE124").to_dict()
    text = json.dumps(data, ensure_ascii=False)
    assert '"joint": true' in text
    assert '"kind": "joint_area"' in text


def test_load_bundled_is_idempotent(bundled: Registry) -> None:
    before = bundled.export_json()
    report = load_bundled(bundled)
    assert not report.changed_anything
    assert report.revisions_unchanged == 36
    assert bundled.export_json() == before


def test_load_bundled_into_a_session(registry: Registry) -> None:
    with registry.session(operation="setup") as session:
        report = load_bundled(session)
    assert report.regions_added == 21
    assert report.revisions_added == 36
    assert registry.show("SE211").labels(PriorityKind.CROSS_CUTTING) == ["Tjänstedesign"]


def test_bundled_data_does_not_come_from_shared_folder() -> None:
    from importlib import resources

    card = resources.files("smartspec.registry").joinpath("_data", "CARD.md").read_text("utf-8")
    assert "Tillväxtverket" in card
    text = (
        resources.files("smartspec.registry")
        .joinpath("_data", "sweden_priorities.yaml")
        .read_text("utf-8")
    )
    assert "tvv-2019-map" in text
