"""Monitoring: the indicator status rule (hand-checked), the audited writes, the review
and the follow-up report. Registry tests run on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import sqlalchemy as sa

import smartspec
from smartspec.errors import InputError, UnknownCodeError
from smartspec.registry import Registry
from smartspec.registry.models import RIS3_STEPS, SourceDocument
from smartspec.registry.monitoring import (
    MonitoringRule,
    Status,
    add_evaluation,
    add_follow_up,
    add_indicator,
    add_measurement,
    add_self_assessment,
    assess,
    indicator_status,
    strategy_codes,
    strategy_review,
)
from smartspec.reports.followup import followup_report, write_followup_report

D = dt.date
OMS = "SE121+SE122+SE123+SE124+SE125"

# ------------------------------------------------------------------ the rule, by hand
#
# Baseline 100 in 2018 (= 2018-12-31), target 200 in 2024 (= 2024-12-31). The period has
# 2192 days; 2021-12-31 is 1096 days in, exactly half-way: the path says 150 there.
# With the default tolerance 0.10 the slack is 0.10 × |200 − 100| = 10.


@pytest.mark.parametrize(
    ("value", "status"),
    [
        (150, Status.ON_TRACK),  # on the path
        (160, Status.ON_TRACK),  # ahead of it
        (145, Status.ON_TRACK),  # 5 behind ≤ 10
        (140, Status.ON_TRACK),  # exactly 10 behind: still on track
        (139, Status.BEHIND),  # 11 behind
        (90, Status.BEHIND),  # below the baseline
        (200, Status.ACHIEVED),  # the target, early
        (230, Status.ACHIEVED),
    ],
)
def test_more_is_better_half_way(value: float, status: Status) -> None:
    result = assess(100, 2018, 200, 2024, D(2021, 12, 31), value)
    assert result.status is status
    assert result.expected == 150
    assert result.direction == "increase"
    assert result.progress == pytest.approx((value - 100) / 100)


def test_path_at_other_dates() -> None:
    # a quarter of the way: 2018-12-31 + 548 days = 2020-07-01 → 100 + 100 × 548/2192 = 125
    assert assess(100, 2018, 200, 2024, D(2020, 7, 1), 125).expected == pytest.approx(125)
    # before the baseline date the path is the baseline
    early = assess(100, 2018, 200, 2024, D(2017, 6, 1), 95)
    assert early.expected == 100
    assert early.status is Status.ON_TRACK  # 5 behind ≤ 10
    # after the target date the path is the target: anything short of it is behind
    late = assess(100, 2018, 200, 2024, D(2026, 1, 1), 195)
    assert late.expected == 200
    assert late.status is Status.BEHIND
    assert assess(100, 2018, 200, 2024, D(2024, 12, 31), 199.9).status is Status.BEHIND
    assert assess(100, 2018, 200, 2024, D(2024, 12, 30), 195).status is Status.ON_TRACK
    # on the baseline date itself
    assert assess(100, 2018, 200, 2024, D(2018, 12, 31), 100).status is Status.ON_TRACK


@pytest.mark.parametrize(
    ("value", "status"),
    [
        (40, Status.ON_TRACK),  # on the path
        (41, Status.ON_TRACK),  # 1 behind ≤ 2
        (42, Status.ON_TRACK),  # exactly 2 behind
        (43, Status.BEHIND),  # 3 behind
        (35, Status.ON_TRACK),  # ahead
        (30, Status.ACHIEVED),
        (29, Status.ACHIEVED),
    ],
)
def test_less_is_better_half_way(value: float, status: Status) -> None:
    # 50 in 2020 → 30 in 2030: 2025-12-31 is 1826 of 3652 days, half-way; path 40, slack 2
    result = assess(50, 2020, 30, 2030, D(2025, 12, 31), value)
    assert result.status is status
    assert result.expected == 40
    assert result.direction == "decrease"


def test_the_tolerance_is_configurable() -> None:
    strict, lenient = MonitoringRule(0), MonitoringRule(0.25)
    assert assess(100, 2018, 200, 2024, D(2021, 12, 31), 149, strict).status is Status.BEHIND
    assert assess(100, 2018, 200, 2024, D(2021, 12, 31), 150, strict).status is Status.ON_TRACK
    assert assess(100, 2018, 200, 2024, D(2021, 12, 31), 126, lenient).status is Status.ON_TRACK
    assert assess(100, 2018, 200, 2024, D(2021, 12, 31), 124, lenient).status is Status.BEHIND
    for bad in (-0.1, float("nan"), float("inf")):
        with pytest.raises(InputError, match="tolerance"):
            MonitoringRule(bad)


def test_keeping_a_level() -> None:
    # target = baseline = 80: within 10 % of 80 (±8) is on track, achieved from the target date
    assert assess(80, 2020, 80, 2025, D(2022, 6, 1), 75).status is Status.ON_TRACK
    assert assess(80, 2020, 80, 2025, D(2022, 6, 1), 70).status is Status.BEHIND
    assert assess(80, 2020, 80, 2025, D(2022, 6, 1), 95).status is Status.BEHIND
    final = assess(80, 2020, 80, 2025, D(2025, 12, 31), 81)
    assert final.status is Status.ACHIEVED
    assert final.direction == "maintain"
    assert final.progress is None
    assert assess(0, 2020, 0, 2025, D(2022, 1, 1), 0.5).status is Status.BEHIND


# ---------------------------------------------------------------- writes and status


def _indicators(reg: Registry) -> tuple[int, int, int]:
    rd = add_indicator(
        reg,
        "SE211",
        "Private R&D expenditure",
        unit="SEK per inhabitant",
        baseline_value=100,
        baseline_year=2018,
        target_value=200,
        target_year=2024,
        priority="E-handel och logistik",
        author="anna",
        reason="follow-up plan 2022",
    )
    co2 = add_indicator(
        reg,
        "Jönköping",
        "CO2 emissions from industry",
        unit="kt",
        baseline_value=50,
        baseline_year=2020,
        target_value=30,
        target_year=2030,
    )
    firms = add_indicator(
        reg,
        "SE211",
        "Companies supported",
        kind="output",
        baseline_value=0,
        baseline_year=2021,
        target_value=120,
        target_year=2027,
    )
    add_measurement(reg, "SE211", rd, "2020", 120, note="SCB")
    add_measurement(reg, "SE211", "Private R&D expenditure", D(2021, 12, 31), 145)
    add_measurement(reg, "SE211", co2, "2025", 43, source="jonkoping-s3")
    return rd, co2, firms


def test_indicator_status(bundled: Registry) -> None:
    rd, co2, firms = _indicators(bundled)
    statuses = indicator_status(bundled, "SE211")
    assert [s.indicator_id for s in statuses] == [rd, co2, firms]
    first, second, third = statuses
    assert first.status is Status.ON_TRACK
    assert first.expected == 150
    assert first.progress == pytest.approx(0.45)
    assert first.priority == "E-handel och logistik"
    assert first.unit == "SEK per inhabitant"
    assert [(m.measured_on, m.value) for m in first.measurements] == [
        (D(2020, 12, 31), 120),  # "2020" is the year's last day
        (D(2021, 12, 31), 145),
    ]
    assert first.latest is not None
    assert first.latest.value == 145
    assert second.status is Status.BEHIND
    assert second.direction == "decrease"
    assert second.latest is not None
    assert second.latest.source == "jonkoping-s3"
    assert third.status is Status.NO_DATA
    assert third.reason == "no measurement"
    assert third.kind.value == "output"
    # only the measurements up to a day
    earlier = indicator_status(bundled, "SE211", at="2021-06")
    assert earlier[0].latest is not None
    assert earlier[0].latest.value == 120
    # 2020-12-31 is 731/2192 of the way: path ≈ 133.35; 120 is 13.35 behind > 10
    assert earlier[0].status is Status.BEHIND
    assert earlier[1].status is Status.NO_DATA
    assert earlier[1].reason == "no measurement on or before 2021-06-30"
    assert indicator_status(bundled, "SE211", rule=MonitoringRule(0.2))[1].status is (
        Status.ON_TRACK  # 3 behind ≤ 0.2 × 20
    )
    assert first.to_dict()["status"] == "on track"
    assert first.to_dict()["baseline"] == {"value": 100, "year": 2018}
    assert indicator_status(bundled, "SE124") == []


def test_incomplete_indicators_have_no_data(bundled: Registry) -> None:
    with bundled.session() as s:
        strategy_id = s.scalar(sa.text("SELECT id FROM strategy WHERE code = 'SE211'"))
        s.execute(
            sa.text(
                "INSERT INTO indicator (strategy_id, name, kind, target_value, target_year, "
                "created_at) VALUES (:s, 'No baseline', 'result', 5, 2030, :t)"
            ),
            {"s": strategy_id, "t": dt.datetime(2024, 1, 1)},
        )
    add_indicator(bundled, "SE211", "No target", baseline_value=1, baseline_year=2020)
    add_measurement(bundled, "SE211", "No target", "2022", 3)
    reasons = [(s.name, s.status, s.reason) for s in indicator_status(bundled, "SE211")]
    assert reasons == [
        ("No baseline", Status.NO_DATA, "no baseline"),
        ("No target", Status.NO_DATA, "no target"),
    ]


def test_writes_are_audited(bundled: Registry) -> None:
    before = len(bundled.audit_log())
    rd, _co2, _firms = _indicators(bundled)
    log = bundled.audit_log()[before:]
    assert [(e.operation, e.table, e.action) for e in log] == [
        ("add_indicator", "indicator", "insert"),
        ("add_indicator", "indicator", "insert"),
        ("add_indicator", "indicator", "insert"),
        ("add_measurement", "measurement", "insert"),
        ("add_measurement", "measurement", "insert"),
        ("add_measurement", "measurement", "insert"),
    ]
    assert log[0].actor == "anna"
    assert log[0].reason == "follow-up plan 2022"
    assert log[0].after is not None
    assert log[0].after["baseline_value"] == 100
    assert log[1].actor == "tester"
    assert log[3].after is not None
    assert log[3].after["indicator_id"] == rd
    assert log[3].after["measured_on"] == "2020-12-31"


def test_bad_writes_change_nothing(bundled: Registry) -> None:
    rd, _co2, _firms = _indicators(bundled)
    before = bundled.export_json()
    cases = [
        (lambda: add_indicator(bundled, "SE211", "  "), "name is empty"),
        (lambda: add_indicator(bundled, "SE211", "X", kind="impact"), "unknown indicator kind"),
        (
            lambda: add_indicator(bundled, "SE211", "X", baseline_value=1),
            "baseline needs both a value and a year",
        ),
        (
            lambda: add_indicator(
                bundled,
                "SE211",
                "X",
                baseline_value=1,
                baseline_year=2020,
                target_value=2,
                target_year=2020,
            ),
            "not after the baseline year",
        ),
        (
            lambda: add_indicator(bundled, "SE211", "Private R&D expenditure"),
            "already has an indicator",
        ),
        (
            lambda: add_indicator(bundled, "SE211", "X", baseline_value="many", baseline_year=2020),
            "not a number",
        ),
        (lambda: add_measurement(bundled, "SE211", rd, "2021", 150), "already has a measurement"),
        (lambda: add_measurement(bundled, "SE211", rd, "2022", float("nan")), "finite"),
        (lambda: add_measurement(bundled, "SE211", rd, "2022-13", 1), "not a date"),
        (lambda: add_follow_up(bundled, "SE211", "   "), "note is empty"),
        (
            lambda: add_self_assessment(bundled, "SE211", "me", {(7, 1): 3}),
            "no step 7, factor 1",
        ),
        (
            lambda: add_self_assessment(bundled, "SE211", "me", {(1, 1): 6}),
            "score 6 is not 0–5",
        ),
    ]
    for call, message in cases:
        with pytest.raises(InputError, match=re.escape(message)):
            call()
    unknown = [
        (lambda: add_indicator(bundled, "SE211", "X", priority="Rymdteknik"), "priority"),
        (lambda: add_measurement(bundled, "SE211", "Private R&D", "2022", 1), "indicator"),
        (lambda: add_measurement(bundled, "SE124", rd, "2022", 1), "indicator"),
        (lambda: add_measurement(bundled, "SE211", rd, "2022", 1, source="nope"), "source"),
        (lambda: add_indicator(bundled, "SE219", "X"), "region"),
    ]
    for call, kind in unknown:
        with pytest.raises(UnknownCodeError, match=f"unknown {kind}"):
            call()
    with pytest.raises(UnknownCodeError, match="did you mean Private R&D expenditure"):
        add_measurement(bundled, "SE211", "Private R&D expenditur", "2022", 1)
    assert bundled.export_json() == before


# ------------------------------------------------------------------------ the review


def _follow_up_record(reg: Registry) -> None:
    reg.update_strategy(
        "SE211",
        expected_version=3,
        vision="Jönköpings län – globalt konkurrenskraftigt <b>& hållbart</b>",
        status="adopted",
        period_start=2021,
        period_end=2027,
        effective="2021",
        reason="strategy 2021–2027",
    )
    _indicators(reg)
    add_follow_up(reg, "SE211", "Första uppföljningen.", noted_on="2023-03-01", author="anna")
    add_follow_up(
        reg,
        "SE211",
        "Bra fart i e-handel.\n<script>alert('x')</script>",
        noted_on="2024-03-01",
        priority="E-handel och logistik",
        author="bo",
        source="jonkoping-s3",
    )
    add_evaluation(
        reg,
        "SE211",
        "Oxford Research",
        "Strategin har god förankring.",
        recommendations="Förtydliga indikatorerna.",
        evaluated_on="2023-11-15",
    )
    scores = {(step, factor): (step + factor) % 6 for step in range(1, 7) for factor in (1, 2)}
    add_self_assessment(
        reg,
        "SE211",
        "S3-gruppen",
        scores,
        assessed_on="2024-01-10",
        note="Workshop med regionens aktörer.",
        factor_labels={(1, 1): "Regional assets"},
        comments={(4, 2): "Prioriteringarna behöver förankras"},
    )


def test_strategy_review(bundled: Registry) -> None:
    _follow_up_record(bundled)
    review = strategy_review(bundled, "Jönköping", at="2025-01-01")
    assert review.code == "SE211"
    assert review.regions == (("SE211", "Jönköpings län"),)
    assert review.state is not None
    assert review.state.revision == 4
    assert review.state.vision is not None
    assert review.state.period_start == 2021
    assert [p.label for p in review.priorities][-1] == "Tjänstedesign"
    assert [h.number for h in review.history] == [1, 2, 3, 4]
    assert review.first_listed[review.priorities[0].priority_id].number == 2
    # revision 4 (an edit) has no source: the priorities are published by revision 3
    assert {r.number for r in review.last_sourced.values()} == {1, 3}
    assert [n.noted_on for n in review.follow_ups] == [D(2024, 3, 1), D(2023, 3, 1)]
    assert review.follow_ups[0].priority == "E-handel och logistik"
    assert review.evaluations[0].evaluator == "Oxford Research"
    assert review.assessment is not None
    assert review.assessment.scores[(1, 1)] == 2
    assert review.assessment.step_mean(1) == pytest.approx(2.5)
    assert review.joint_strategies == ()
    assert review.schema_revision == bundled.schema_revision()
    # as of an earlier day: the notes up to then, the revision in effect then
    old = strategy_review(bundled, "SE211", at="2023-06")
    assert old.state is not None
    assert old.state.revision == 4  # effective 2021
    assert [n.noted_on for n in old.follow_ups] == [D(2023, 3, 1)]
    assert old.evaluations == ()
    assert old.assessment is None
    older = strategy_review(bundled, "SE211", at="2019-06-01")
    assert older.state is not None
    assert older.state.revision == 1
    assert strategy_review(bundled, "SE211", at="2010").state is None
    assert strategy_review(bundled, "SE124").joint_strategies == (OMS,)
    joint = strategy_review(bundled, OMS)
    assert joint.joint
    assert [code for code, _name in joint.regions] == OMS.split("+")
    assert OMS in strategy_codes(bundled)
    assert len(strategy_codes(bundled)) == 22


# ---------------------------------------------------------------- the follow-up report

FIXED = dt.datetime(2025, 2, 3, 4, 5, tzinfo=dt.UTC)


def test_followup_report_for_SE211(bundled: Registry) -> None:
    _follow_up_record(bundled)
    html = followup_report(bundled, "SE211", at="2026-01-01", generated_at=FIXED)
    # metadata
    assert "<h1>Follow-up report: Jönköpings län</h1>" in html
    assert 'Jönköpings län <span class="code">(SE211)</span>' in html
    assert "2021–2027" in html
    assert "globalt konkurrenskraftigt &lt;b&gt;&amp; hållbart&lt;/b&gt;" in html
    assert "<b>&" not in html
    assert ">adopted" in html
    # priorities by kind, with their sources
    strength = html.index("Strength areas (styrkeområden)")
    cross = html.index("Cross-cutting factors (tvärgående)")
    assert strength < html.index("Smart industri/kunskapsintensiva") < cross
    assert cross < html.index(">Tjänstedesign<")
    assert "Smart specialiseringsstrategi för Jönköpings län" in html
    assert "as listed in revision 3 (2019-10)" in html
    assert "Sources cited" in html
    assert "Smart specialisering – Kartan (presentation, Tillväxtverket)" in html
    # revision history
    history = html[html.index('id="history"') : html.index('id="indicators"')]
    for key in ("tvv-2019-map", "tvv-region-for-region", "jonkoping-s3"):
        assert key in history
    assert "strategy 2021–2027" in history
    assert history.count("<tr") == 5  # header + 4 revisions
    assert 'class="current"' in history
    # indicators
    indicators = html[html.index('id="indicators"') : html.index('id="notes"')]
    assert "Private R&amp;D expenditure" in indicators
    assert "status-on-track" in indicators
    assert "status-behind" in indicators
    assert "status-no-data" in indicators
    assert "Priority: E-handel och logistik" in indicators
    assert "at most 10 % of the planned change" in indicators
    # notes, escaped
    notes = html[html.index('id="notes"') : html.index('id="assessment"')]
    assert "Bra fart i e-handel." in notes
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in notes
    assert notes.index("2024-03-01") < notes.index("2023-03-01")
    assert "Oxford Research" in notes
    assert "Förtydliga indikatorerna." in notes
    # the wheel: 6 steps × 3 factors, unscored factors shown as such
    wheel = html[html.index('id="assessment"') : html.index("<footer")]
    for number, step in enumerate(RIS3_STEPS, start=1):
        assert f"{number}. {step}" in wheel
    assert wheel.count('class="score score-') == 12
    assert wheel.count('class="score"') == 6
    assert "Regional assets" in wheel
    assert "Prioriteringarna behöver förankras" in wheel
    # provenance
    footer = html[html.index("<footer") :]
    assert "2025-02-03 04:05 UTC" in footer
    assert f"smartspec {smartspec.__version__}" in footer
    assert "revision 4 of 4 (revisions 1, 2, 3, 4)" in footer
    assert f"schema {bundled.schema_revision()}" in footer


def test_the_report_is_self_contained_and_printable(bundled: Registry) -> None:
    _follow_up_record(bundled)
    with bundled.session() as s:
        source = s.scalar(sa.select(SourceDocument).where(SourceDocument.key == "jonkoping-s3"))
        assert source is not None
        source.url = "javascript:alert(1)"
    html = followup_report(bundled, "SE211", generated_at=FIXED)
    assert html.startswith("<!doctype html>")
    assert "<script" not in html.lower()
    assert "<link" not in html.lower()
    assert not re.search(r"\bsrc\s*=", html)
    assert "@import" not in html
    assert "url(" not in html
    assert "javascript:" not in html  # an unsafe URL is not made a link (nor printed)
    assert 'href="https://tillvaxtverket.se/' in html  # a safe one is
    assert "@page { size: A4" in html
    assert "break-before: page" in html
    assert "nav, .no-print { display: none !important; }" in html[html.index("@media print") :]
    # every tag the template opens is closed
    for tag in ("section", "table", "thead", "tbody", "tr", "td", "article", "footer", "main"):
        opened = len(re.findall(rf"<{tag}[\s>]", html))
        assert opened == html.count(f"</{tag}>"), tag


def test_report_of_a_bare_strategy_and_writing_it(
    bundled: Registry, tmp_path_factory: pytest.TempPathFactory
) -> None:
    folder = tmp_path_factory.mktemp("report")
    html = followup_report(bundled, OMS, generated_at=FIXED)
    assert "Joint strategy" in html
    assert "No indicators recorded." in html
    assert "No follow-up notes recorded." in html
    assert "No evaluation recorded." in html
    assert "No self-assessment recorded." in html
    assert "Uppsala län" in html
    assert "Västmanlands län" in html
    old = followup_report(bundled, "SE211", at="2010", generated_at=FIXED)
    assert "No priorities in effect on 2010-12-31." in old
    assert "no revision in effect" in old
    out = folder / "SE124.html"
    assert write_followup_report(bundled, "Örebro", out) == out
    assert "Also covered by" in out.read_text(encoding="utf-8")
    with pytest.raises(InputError, match="already exists"):
        write_followup_report(bundled, "SE124", out)
    write_followup_report(bundled, "SE124", out, force=True)
    assert sorted(p.name for p in folder.iterdir()) == ["SE124.html"]
