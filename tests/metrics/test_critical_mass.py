"""Critical-mass assessment: a hand-checked panel, thresholds, references and errors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from smartspec.errors import InputError, UnknownCodeError
from smartspec.metrics.critical_mass import (
    VERDICTS,
    CriticalMassThresholds,
    _rank_desc,
    assess_critical_mass,
)
from smartspec.table import ActivityTable

# 2010 and 2015, regions of SE (3) and NO (1), activities C and J
#            2010        2015
#          C     J     C     J
# SE11    10    20    10    30
# SE12    30    10    30    10
# SE21    20    10    20    20
# NO01    40    40    40    40
VALUES = {
    2010: [[10, 20], [30, 10], [20, 10], [40, 40]],
    2015: [[10, 30], [30, 10], [20, 20], [40, 40]],
}
REGIONS = ["SE11", "SE12", "SE21", "NO01"]


def panel(regions: list[str] = REGIONS) -> pd.DataFrame:
    rows = []
    for year, mat in VALUES.items():
        for r, vals in zip(REGIONS, mat, strict=True):
            if r in regions:
                rows += [(r, a, year, float(v)) for a, v in zip("CJ", vals, strict=True)]
    return pd.DataFrame(rows, columns=["region", "activity", "period", "value"])


def cell(out: pd.DataFrame, region: str, activity: str) -> pd.Series:
    return out.set_index(["region", "activity"]).loc[(region, activity)]


def test_evidence_by_hand() -> None:
    out = assess_critical_mass(panel())
    assert len(out) == 8
    assert (out["period"] == 2015).all()
    assert (out["start"] == 2010).all()
    # 2015 totals: C 100, J 100, all 200; every region 40 (NO01 80)
    # SE11/J: LQ = (30/40)/(100/200) = 1.5; SE totals: C 60, J 60, all 120
    j = cell(out, "SE11", "J")
    assert j["country"] == "SE"
    assert j["value"] == 30.0
    assert j["focus"] == pytest.approx(0.75)
    assert j["lq"] == pytest.approx(1.5)
    assert j["lq_national"] == pytest.approx((30 / 40) / (60 / 120))
    assert j["national_share"] == pytest.approx(0.5)  # 30 / 60
    assert j["national_share_threshold"] == pytest.approx(1 / 3)  # fair share, 3 regions
    assert j["eu_share"] == pytest.approx(0.3)  # 30 / 100
    # J in 2015: SE11 30, SE12 10, SE21 20, NO01 40
    assert (j["rank_country"], j["n_country"]) == (1, 3)
    assert (j["rank_overall"], j["n_overall"]) == (2, 4)
    # growth 2010-2015: SE J 40 -> 60 (g = 0.5); SE11/J 20 -> 30: same CAGR as SE
    assert j["cagr"] == pytest.approx(1.5**0.2 - 1)
    assert j["cagr_national"] == pytest.approx(1.5**0.2 - 1)
    assert j["cagr_gap"] == pytest.approx(0.0, abs=1e-12)
    assert j["competitive_effect"] == pytest.approx(0.0)  # 10 - 20 * 0.5
    assert j["trend"] == "stable"
    assert bool(j["specialised"])
    assert bool(j["critical_mass"])
    assert j["verdict"] == "strong"
    # SE21/J 10 -> 20: CAGR 2^0.2 - 1 = 14.87 %/yr, 6.4 pp/yr above SE; CE = 10 - 10 * 0.5
    e = cell(out, "SE21", "J")
    assert e["cagr"] == pytest.approx(2**0.2 - 1)
    assert e["cagr_gap"] == pytest.approx(2**0.2 - 1.5**0.2)
    assert e["competitive_effect"] == pytest.approx(5.0)
    assert e["trend"] == "growing"
    # LQ (20/40)/(1/2) = 1 < 1.25; share 20/60 = 1/3 >= 1/3: mass, growing -> emerging
    assert e["lq"] == pytest.approx(1.0)
    assert e["verdict"] == "emerging"
    # SE12/J 10 -> 10 while SE grew 50 %: declining, CE = 0 - 10 * 0.5 = -5
    d = cell(out, "SE12", "J")
    assert d["trend"] == "declining"
    assert d["competitive_effect"] == pytest.approx(-5.0)
    assert d["verdict"] == "weak"
    # competitive effects sum to 0 within a country
    assert (
        out[out["country"] == "SE"].groupby("activity")["competitive_effect"].sum().abs().max()
        < 1e-12
    )
    verdicts = dict(
        zip(zip(out["region"], out["activity"], strict=True), out["verdict"], strict=True)
    )
    assert verdicts == {
        ("NO01", "C"): "broad",  # LQ 1, 100 % of its country
        ("NO01", "J"): "broad",
        ("SE11", "C"): "weak",  # LQ 0.5, 1/6 of SE
        ("SE11", "J"): "strong",
        ("SE12", "C"): "strong",  # LQ 1.5, 1/2 of SE
        ("SE12", "J"): "weak",
        ("SE21", "C"): "broad",  # LQ 1, 1/3 of SE, stable
        ("SE21", "J"): "emerging",
    }
    assert list(out["verdict"].cat.categories) == list(VERDICTS)


def test_reasons_are_readable() -> None:
    out = assess_critical_mass(panel())
    r = cell(out, "SE11", "J")["reasons"]
    assert "LQ 1.50 ≥ 1.25" in r
    assert "50.0% of national value in J ≥ 33.3% (fair share, 1/3 regions of SE)" in r
    assert "rank 1 of 3 in SE, 2 of 4 overall" in r
    assert "CAGR +8.4%/yr 2010–2015 vs +8.4%/yr national: within ±1.0 pp/yr of it" in r
    assert "competitive effect +0" in r
    e = cell(out, "SE21", "J")["reasons"]
    assert "6.4 pp/yr above" in e
    assert e.endswith("critical mass and growing: emerging")
    d = cell(out, "SE12", "J")["reasons"]
    assert "LQ 0.50 < 1.25 (not specialised)" in d
    assert "8.4 pp/yr below" in d
    assert "competitive effect −5" in d


def test_thresholds_change_the_verdicts() -> None:
    # a higher national share: SE11/J and SE12/C (50 %) lose critical mass -> niche
    out = assess_critical_mass(panel(), thresholds=CriticalMassThresholds(national_share=0.6))
    assert cell(out, "SE11", "J")["verdict"] == "niche"
    assert cell(out, "SE12", "C")["verdict"] == "niche"
    assert cell(out, "NO01", "C")["verdict"] == "broad"  # 100 % >= 60 %
    # … but 30 % of the EU total is enough when eu_share = 0.3
    both = CriticalMassThresholds(national_share=0.6, eu_share=0.3)
    out = assess_critical_mass(panel(), thresholds=both)
    assert cell(out, "SE11", "J")["verdict"] == "strong"
    assert "30.0% of the total of all regions ≥ 30.0%" in cell(out, "SE11", "J")["reasons"]
    # an absolute floor of 25: SE21 (20) has no mass; its J still grows from LQ 1 >= 0.75
    out = assess_critical_mass(panel(), thresholds=CriticalMassThresholds(min_value=25))
    assert cell(out, "SE21", "C")["verdict"] == "weak"
    assert cell(out, "SE21", "J")["verdict"] == "emerging"
    assert "LQ 1.00 ≥ 0.75 and growing: emerging" in cell(out, "SE21", "J")["reasons"]
    assert "20 < 25" in cell(out, "SE21", "J")["reasons"]
    # a wide growth margin: SE21/J is no longer "growing"
    out = assess_critical_mass(panel(), thresholds=CriticalMassThresholds(growth_margin=0.1))
    assert cell(out, "SE21", "J")["trend"] == "stable"
    assert cell(out, "SE21", "J")["verdict"] == "broad"
    # LQ against the country: SE12/C = (30/40)/(60/120) = 1.5 -> still strong
    out = assess_critical_mass(panel(), thresholds=CriticalMassThresholds(lq_basis="national"))
    assert cell(out, "SE12", "C")["verdict"] == "strong"
    assert "LQ (vs country) 1.50" in cell(out, "SE12", "C")["reasons"]


def test_window_and_period() -> None:
    # a 3-year window ending 2015 has no period at or after 2012 but 2015: no growth
    out = assess_critical_mass(panel(), thresholds=CriticalMassThresholds(window=3))
    assert (out["trend"] == "n/a").all()
    assert out["cagr"].isna().all()
    assert any("growth not assessed" in n for n in out.attrs["notes"])
    # the assessed period can be chosen
    early = assess_critical_mass(panel(), period=2010)
    assert (early["period"] == 2010).all()
    assert cell(early, "SE11", "J")["value"] == 20.0
    # whole span
    whole = assess_critical_mass(panel(), thresholds=CriticalMassThresholds(window=None))
    assert (whole["start"] == 2010).all()


def test_single_period_table() -> None:
    df = panel()
    out = assess_critical_mass(df[df["period"] == 2015].drop(columns="period"))
    assert out["period"].isna().all()
    assert (out["trend"] == "n/a").all()
    assert cell(out, "SE11", "J")["verdict"] == "strong"
    assert "CAGR" not in cell(out, "SE11", "J")["reasons"]


def test_reference_regions_count_in_totals() -> None:
    # assessing the Swedish table against a reference that adds Norway gives the same
    # figures as assessing the full table
    full = assess_critical_mass(panel())
    se = assess_critical_mass(panel(["SE11", "SE12", "SE21"]), reference=panel())
    pd.testing.assert_frame_equal(
        se.reset_index(drop=True),
        full[full["country"] == "SE"].reset_index(drop=True),
        check_categorical=False,
    )
    # without the reference, Norway is not in the totals: SE11/J LQ = (30/40)/(60/120)
    alone = assess_critical_mass(panel(["SE11", "SE12", "SE21"]))
    assert cell(alone, "SE11", "J")["lq"] == pytest.approx(1.5)
    assert cell(alone, "SE11", "J")["n_overall"] == 3
    # the reference must have the periods
    ref = panel()
    with pytest.raises(InputError, match="reference has no period"):
        assess_critical_mass(panel(["SE11"]), reference=ref[ref["period"] == 2015])


def test_region_selection() -> None:
    out = assess_critical_mass(panel(), region="SE21")
    assert out["region"].unique().tolist() == ["SE21"]
    # other regions still count: SE21/J is rank 3 of 4 overall
    assert cell(out, "SE21", "J")["rank_overall"] == 3
    two = assess_critical_mass(panel(), region=["SE11", "NO01"])
    assert two["region"].tolist() == ["SE11", "SE11", "NO01", "NO01"]
    with pytest.raises(UnknownCodeError, match="did you mean SE21"):
        assess_critical_mass(panel(), region="SE22")


def test_new_activity() -> None:
    df = pd.DataFrame(
        {
            "region": ["SE11", "SE11", "SE12", "SE12"] * 2,
            "activity": ["C", "K"] * 4,
            "period": [2010] * 4 + [2015] * 4,
            "value": [10.0, 0.0, 10.0, 10.0, 10.0, 5.0, 10.0, 10.0],
        }
    )
    k = cell(assess_critical_mass(df), "SE11", "K")
    assert k["trend"] == "new"
    assert np.isnan(k["cagr"])
    # CE of a cell from zero is its whole change
    assert k["competitive_effect"] == 5.0
    # LQ = (5/15)/(15/35) = 0.778 >= 0.75: a base, and new -> emerging
    assert k["lq"] == pytest.approx((5 / 15) / (15 / 35))
    assert k["verdict"] == "emerging"
    assert "new since 2010 (0 → 5)" in k["reasons"]


def test_no_data_cells() -> None:
    df = pd.DataFrame(
        {"region": ["A1", "A1", "B1", "B1"], "activity": ["x", "y"] * 2, "value": [1.0, 0, 2, 0]}
    )
    out = assess_critical_mass(df)
    # activity y has no value anywhere: its LQ is undefined
    assert (out[out["activity"] == "y"]["verdict"] == "n/a").all()
    assert out[out["activity"] == "y"]["reasons"].str.startswith("no data").all()
    # codes that are not NUTS-like: one country, and a note says so
    assert (out["country"] == "").all()
    assert (out["n_country"] == 2).all()


def test_countries_mapping_and_callable() -> None:
    df = panel()
    by_map = assess_critical_mass(
        df, countries={"SE11": "N", "SE12": "N", "SE21": "S", "NO01": "S"}
    )
    assert cell(by_map, "SE21", "J")["n_country"] == 2
    assert cell(by_map, "SE21", "J")["national_share"] == pytest.approx(20 / 60)
    by_fun = assess_critical_mass(df, countries=lambda r: "X")
    assert (by_fun["n_country"] == 4).all()
    with pytest.raises(InputError, match="no country"):
        assess_critical_mass(df, countries={"SE11": "SE"})


def test_non_nuts_codes_form_one_country() -> None:
    df = panel().replace(
        {"region": {"SE11": "north", "SE12": "east", "SE21": "south", "NO01": "x"}}
    )
    out = assess_critical_mass(df)
    assert (out["n_country"] == 4).all()
    assert any("not NUTS codes" in n for n in out.attrs["notes"])


def test_activity_table_input_and_rates_refused() -> None:
    df = panel(["SE11", "SE12", "SE21"])
    t = ActivityTable.from_frame(df, measure="employment", unit="persons", additive=True)
    out = assess_critical_mass(t)
    assert cell(out, "SE11", "J")["verdict"] == "strong"
    assert "of national employment in J" in cell(out, "SE11", "J")["reasons"]
    rate = t.with_meta(additive=False, measure="employment rate", unit="%")
    with pytest.raises(InputError, match="additive"):
        assess_critical_mass(rate)
    with pytest.raises(InputError, match="additive"):
        assess_critical_mass(df, reference=rate)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"lq_specialised": 0},
        {"national_share": 1.5},
        {"eu_share": -0.1},
        {"min_value": float("nan")},
        {"growth_margin": -0.01},
        {"window": 0},
        {"lq_basis": "world"},
        {"lq_emerging": 2.0},
    ],
)
def test_threshold_validation(kwargs: dict[str, object]) -> None:
    with pytest.raises(InputError):
        CriticalMassThresholds(**kwargs)  # type: ignore[arg-type]


def test_rank_desc_ties_and_nan() -> None:
    U = np.array([[3.0, np.nan], [5.0, 1.0], [3.0, 1.0], [1.0, 2.0]])
    # column 0: 5 -> 1, the two 3s share rank 2, 1 -> 4; column 1: NaN stays NaN,
    # 2 -> 1, the two 1s share rank 2 (3 finite values)
    np.testing.assert_array_equal(
        _rank_desc(U), [[2.0, np.nan], [1.0, 2.0], [2.0, 2.0], [4.0, 1.0]]
    )


def test_bundled_dataset_runs() -> None:
    from smartspec import datasets

    t = datasets.load("lfs_employment_nuts2")
    out = assess_critical_mass(t, region="SE23", missing="zero")
    assert len(out) == len(t.activities)
    assert set(out["verdict"]) <= set(VERDICTS)
    assert (out["n_country"] == 8).all()  # Sweden has 8 NUTS 2 regions
    assert out["reasons"].str.len().min() > 40
