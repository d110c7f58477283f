"""Conversion of tables between NUTS versions (smartspec.geo.conversion).

Expected values are derived by hand from the bundled rows of
``src/smartspec/geo/_data/conversion_pairs.csv.gz`` (columns step, level, source, target,
whole_source, whole_target, areaKm, pop11, pop21, …), quoted in the comments.
"""

from __future__ import annotations

import math
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import smartspec
from smartspec import geo
from smartspec.errors import InputError
from smartspec.geo import _conversion_data
from smartspec.geo.conversion import (
    CONVERSION_WEIGHTS,
    ConversionPlan,
    conversion_plan,
    convert,
)
from smartspec.table import ActivityTable

DATA = Path(smartspec.geo.__file__).parent / "_data"

# 2013,2,LT00,LT01,0,1,areaKm 9730.28,pop11 807475.5,pop21 810798
# 2013,2,LT00,LT02,0,1,areaKm 55159.93,pop11 2219823,pop21 1999947
LT01_AREA = 9730.28 / (9730.28 + 55159.93)  # 0.149950
LT01_POP21 = 810798 / (810798 + 1999947)  # 0.288464
# 2013,3,DE915,DE91C,1,0,…,pop21 251888 / 2013,3,DE919,DE91C,1,0,…,pop21 70797
DE915_POP21, DE919_POP21 = 251888.0, 70797.0


def frame(regions: dict[str, float], **extra: object) -> pd.DataFrame:
    return pd.DataFrame({"region": list(regions), "value": list(regions.values()), **extra})


def as_dict(df: pd.DataFrame) -> dict[str, float]:
    return dict(zip(df["region"], df["value"], strict=True))


# --------------------------------------------------------------------------- recodes
def test_recode_2013_2016_level_2_and_3() -> None:
    # 2013,2,FR24,FRB0,1,1 (Centre → Centre-Val de Loire) and 2013,3,IE013,IE042,1,1
    out = convert(
        frame({"FR24": 7.0, "SE11": 5.0}), from_version=2013, to_version=2016, additive=True
    )
    assert as_dict(out) == {"FRB0": 7.0, "SE11": 5.0}
    out = convert(frame({"IE013": 3.0}), from_version=2013, to_version=2016, additive=False)
    assert as_dict(out) == {"IE042": 3.0}  # a rate passes a recode without a weight
    plan = conversion_plan(2013, 2016, level=3)
    assert plan["IE013"].kind == "recoded"
    assert plan["IE013"].targets == (("IE042", 1.0),)
    assert plan["LT00A"].targets == (("LT011", 1.0),)


def test_recode_backwards() -> None:
    out = convert(frame({"FRB0": 7.0}), from_version=2016, to_version=2013, additive=True)
    assert as_dict(out) == {"FR24": 7.0}


# --------------------------------------------------------------------------- splits
def test_split_with_population_and_area_weights() -> None:
    df = frame({"LT00": 1000.0, "LV00": 10.0})
    by_pop = as_dict(convert(df, from_version=2013, to_version=2016, additive=True, weight="pop21"))
    by_area = as_dict(
        convert(df, from_version=2013, to_version=2016, additive=True, weight="areaKm")
    )
    assert by_pop["LT01"] == pytest.approx(1000 * LT01_POP21, rel=1e-12)  # 288.46
    assert by_pop["LT02"] == pytest.approx(1000 * (1 - LT01_POP21), rel=1e-12)
    assert by_area["LT01"] == pytest.approx(1000 * LT01_AREA, rel=1e-12)  # 149.95
    assert by_pop["LV00"] == by_area["LV00"] == 10.0
    for out in (by_pop, by_area):
        assert sum(out.values()) == pytest.approx(1010.0, abs=1e-9)
    plan = conversion_plan(2013, 2016, level=2, weight="pop21")
    assert plan["LT00"].kind == "split"
    assert [t for t, _ in plan["LT00"].targets] == ["LT01", "LT02"]


def test_split_without_weight_is_refused_with_the_codes_and_the_option() -> None:
    with pytest.raises(InputError) as err:
        convert(frame({"LT00": 1.0}), from_version=2013, to_version=2016, additive=True)
    text = str(err.value)
    assert "LT00 (→ LT01, LT02)" in text
    assert "weight='pop21'" in text
    assert not conversion_plan(2013, 2016, level=2)["LT00"].convertible
    assert math.isnan(conversion_plan(2013, 2016, level=2)["LT00"].targets[0][1])


def test_weight_names_are_checked() -> None:
    df = frame({"LT00": 1.0})
    out = convert(df, from_version=2013, to_version=2016, additive=True, weight="AREAKM")
    assert as_dict(out)["LT01"] == pytest.approx(LT01_AREA)
    with pytest.raises(InputError, match=r"unknown conversion weight 'people'.*pop21"):
        convert(df, from_version=2013, to_version=2016, additive=True, weight="people")


# --------------------------------------------------------------------------- merges
def test_merge_sums_counts_without_weight() -> None:
    # 2013,3,DE915,DE91C,1,0 and DE919,DE91C,1,0: Göttingen + Osterode am Harz
    out = convert(
        frame({"DE915": 30.0, "DE919": 12.0, "DE911": 1.0}),
        from_version=2013,
        to_version=2016,
        additive=True,
    )
    assert as_dict(out) == {"DE911": 1.0, "DE91C": 42.0}
    assert conversion_plan(2013, 2016, level=3)["DE915"].kind == "merged"


def test_rate_refused_without_weight_and_averaged_with_pop21() -> None:
    df = frame({"DE915": 0.10, "DE919": 0.40})
    with pytest.raises(InputError) as err:
        convert(df, from_version=2013, to_version=2016, additive=False)
    assert "DE915 (→ DE91C)" in str(err.value)
    assert "DE919 (→ DE91C)" in str(err.value)
    assert "weight='pop21'" in str(err.value)
    out = convert(df, from_version=2013, to_version=2016, additive=False, weight="pop21")
    # (251888 * 0.10 + 70797 * 0.40) / (251888 + 70797) = 0.16582
    expected = (DE915_POP21 * 0.10 + DE919_POP21 * 0.40) / (DE915_POP21 + DE919_POP21)
    assert as_dict(out)["DE91C"] == pytest.approx(expected, rel=1e-12)


def test_rate_split_takes_the_old_rate() -> None:
    out = convert(
        frame({"LT00": 0.25}), from_version=2013, to_version=2016, additive=False, weight="pop21"
    )
    assert as_dict(out) == {"LT01": 0.25, "LT02": 0.25}


# --------------------------------------------------------------------------- chains
def test_chain_2013_to_2024() -> None:
    # 2013→2016: NL121 → NL124 (pop21 314794) + NL125 (5510); NL122 → NL125 wholly
    # 2016→2021: unchanged; 2021→2024: NL124 → NL127, NL125 → NL128 (1:1)
    share = 314794 / (314794 + 5510)  # 0.982798
    out = convert(
        frame({"NL121": 100.0, "NL122": 50.0, "NL123": 7.0}),
        from_version=2013,
        to_version=2024,
        additive=True,
        weight="pop21",
    )
    got = as_dict(out)
    assert got["NL127"] == pytest.approx(100 * share, rel=1e-12)
    assert got["NL128"] == pytest.approx(100 * (1 - share) + 50, rel=1e-12)
    assert got["NL126"] == 7.0  # NL123 → NL126 (2016), unchanged after
    assert sum(got.values()) == pytest.approx(157.0, abs=1e-9)
    plan = conversion_plan(2013, 2024, level=3, weight="pop21")
    assert plan.steps == ((2013, 2016), (2016, 2021), (2021, 2024))
    assert plan["NL121"].kind == "boundary_shift"
    assert plan["NL122"].kind == "merged"
    assert plan["NL123"].kind == "recoded"


def test_round_trip_of_sweden_is_the_identity() -> None:
    se = sorted(c for c in geo.codes(2013, 3) if c.startswith("SE"))
    assert se == sorted(c for c in geo.codes(2024, 3) if c.startswith("SE"))
    df = pd.DataFrame(
        {
            "region": se * 2,
            "activity": ["C"] * len(se) + ["J"] * len(se),
            "value": np.arange(2.0 * len(se)),
        }
    )
    there = convert(df, from_version=2013, to_version=2024, additive=False)
    back = convert(there, from_version=2024, to_version=2013, additive=False)
    key = ["region", "activity"]
    pd.testing.assert_frame_equal(
        back.sort_values(key).reset_index(drop=True), df.sort_values(key).reset_index(drop=True)
    )
    plan = conversion_plan(2013, 2024, level=3)
    assert {plan[c].kind for c in se} == {"unchanged"}


# --------------------------------------------------------------------------- errors
def test_2010_split_has_no_weights() -> None:
    with pytest.raises(InputError) as err:
        convert(
            frame({"EL300": 1.0}),
            from_version=2010,
            to_version=2013,
            additive=True,
            weight="pop21",
        )
    text = str(err.value)
    assert "EL300 (→ EL301, EL302, EL303, EL304, EL305, EL306, EL307)" in text
    assert "no JRC weights" in text
    assert "unconvertible='drop'" in text


def test_2010_recode_and_merge_convert() -> None:
    # EL11 → EL51 (code change); EL131 + EL133 → EL531 (merged)
    out = convert(
        frame({"EL111": 1.0, "EL131": 2.0, "EL133": 3.0}),
        from_version=2010,
        to_version=2013,
        additive=True,
    )
    assert as_dict(out) == {"EL511": 1.0, "EL531": 5.0}
    # and back: a 2013 split of 2010 is a merge
    out = convert(
        frame({"UKD33": 1.0, "UKD34": 2.0, "UKD35": 4.0}),
        from_version=2013,
        to_version=2010,
        additive=True,
    )
    assert as_dict(out) == {"UKD31": 7.0}


def test_discontinued_regions_are_listed_or_dropped() -> None:
    df = frame({"UKC11": 1.0, "SE110": 2.0})
    with pytest.raises(InputError, match=r"no successor in NUTS 2024: UKC11.*unconvertible='drop'"):
        convert(df, from_version=2021, to_version=2024, additive=True)
    out = convert(df, from_version=2021, to_version=2024, additive=True, unconvertible="drop")
    assert as_dict(out) == {"SE110": 2.0}
    assert out.attrs["nuts_conversion"]["dropped_sources"] == ["UKC11"]


def test_unknown_codes_name_their_version() -> None:
    with pytest.raises(InputError, match=r"FRB0 \(a NUTS 2016/2021/2024 code\)"):
        convert(frame({"FRB0": 1.0}), from_version=2013, to_version=2016, additive=True)


def test_dataframe_needs_version_and_additivity() -> None:
    with pytest.raises(InputError, match="from_version is required"):
        convert(frame({"SE11": 1.0}), to_version=2016, additive=True)
    with pytest.raises(InputError, match="additive is required"):
        convert(frame({"SE11": 1.0}), from_version=2013, to_version=2016)


# --------------------------------------------------------------------------- values
def test_missing_values_and_absent_contributors_give_nan() -> None:
    df = frame({"DE915": math.nan, "DE919": 1.0, "DE911": 2.0})
    got = as_dict(convert(df, from_version=2013, to_version=2016, additive=True))
    assert math.isnan(got["DE91C"])
    assert got["DE911"] == 2.0
    got = as_dict(convert(frame({"DE915": 1.0}), from_version=2013, to_version=2016, additive=True))
    assert math.isnan(got["DE91C"])  # DE919 has no row


def test_flags_of_combined_cells_are_kept() -> None:
    df = frame({"DE915": 1.0, "DE919": 2.0, "DE911": 3.0}, flag=["b", "u", None])
    out = convert(df, from_version=2013, to_version=2016, additive=True)
    flags = dict(zip(out["region"], out["flag"].astype(object), strict=True))
    assert pd.isna(flags["DE911"])
    assert flags["DE91C"] == "bu"


def test_keys_extra_regio_and_aggregates_pass_through() -> None:
    df = pd.DataFrame(
        {
            "region": ["FR24", "FR24", "FRZZ", "EU28"],
            "period": [2014, 2015, 2014, 2014],
            "value": [1.0, 2.0, 3.0, 4.0],
        }
    )
    out = convert(df, from_version=2013, to_version=2016, additive=True)
    assert list(out.itertuples(index=False, name=None)) == [
        ("FRB0", 2014, 1.0),
        ("FRB0", 2015, 2.0),
        ("FRZZ", 2014, 3.0),
        ("EU28", 2014, 4.0),
    ]


def test_duplicate_keys_are_refused() -> None:
    with pytest.raises(InputError, match="repeat a"):
        convert(
            frame({"SE11": 1.0}).pipe(lambda d: pd.concat([d, d])),
            from_version=2013,
            to_version=2016,
            additive=True,
        )


# --------------------------------------------------------------------------- tables
def test_activity_table_records_version_and_provenance() -> None:
    df = pd.DataFrame(
        {
            "region": [
                "LT001",
                "LT002",
                "LT003",
                "LT004",
                "LT005",
                "LT006",
                "LT007",
                "LT008",
                "LT009",
                "LT00A",
            ],
            "activity": ["C"] * 10,
            "period": [2015] * 10,
            "value": np.arange(1.0, 11.0),
        }
    )
    table = ActivityTable.from_frame(
        df,
        measure="employment",
        unit="persons",
        additive=True,
        nuts_version=2013,
        provenance={"source": "test"},
    )
    out = convert(table, to_version=2016, weight="pop21")
    assert isinstance(out, ActivityTable)
    assert out.meta.nuts_version == 2016
    assert out.regions[0] == "LT011"
    assert out.frame["value"].sum() == pytest.approx(55.0)
    record = out.meta.provenance["conversions"][-1]
    assert out.meta.provenance["source"] == "test"
    assert record["from_version"] == 2013
    assert record["to_version"] == 2016
    assert record["weight"] == "pop21"
    assert record["recoded"] == 10
    assert record["split"] == record["merged"] == 0
    assert "Eurostat NUTS change tables" in record["change_tables"]
    assert "JRC" in record["change_tables"]
    with pytest.raises(InputError, match="contradicts"):
        convert(table, to_version=2016, from_version=2010)


# --------------------------------------------------------------------------- plans
def test_plan_is_inspectable() -> None:
    plan = conversion_plan(2021, 2024, level=2, weight="pop21")
    assert isinstance(plan, ConversionPlan)
    assert plan["PT17"].kind == "split"
    assert {t for t, _ in plan["PT17"].targets} == {"PT1A", "PT1B"}
    assert plan["UKC1"].kind == "discontinued"
    assert "UA11" in plan.new
    summary = plan.summary()
    assert summary["discontinued"] >= 40
    table = plan.to_frame()
    assert list(table.columns) == ["source", "kind", "target", "share"]
    with pytest.raises(InputError):
        plan["XX99"]


@pytest.mark.parametrize("weight", CONVERSION_WEIGHTS)
@pytest.mark.parametrize(("a", "b"), [(2013, 2024), (2024, 2013), (2016, 2021), (2021, 2016)])
def test_every_known_share_sums_to_one(a: int, b: int, weight: str) -> None:
    for level in (1, 2, 3):
        for entry in conversion_plan(a, b, level=level, weight=weight):
            if entry.targets:
                assert sum(s for _, s in entry.targets) == pytest.approx(1.0, abs=1e-12)


def test_weights_constant_matches_the_data() -> None:
    assert CONVERSION_WEIGHTS == _conversion_data.WEIGHTS


def test_bundled_files_are_small_and_carded() -> None:
    assert (DATA / "conversion_pairs.csv.gz").stat().st_size < 100_000
    card = (DATA / "CONVERSION_CARD.md").read_text(encoding="utf-8")
    assert "ropensci/nuts" in card
    assert "MIT" in card


def test_build_script_has_no_machine_paths() -> None:
    root = Path(__file__).resolve().parents[2]
    script = (root / "scripts" / "build_data" / "build_nuts_conversion.py").read_text(
        encoding="utf-8"
    )
    assert "../shared/data" in script  # relative default; machine paths: tests/test_package.py
    card = (DATA / "CONVERSION_CARD.md").read_text(encoding="utf-8")
    for word in ("Publisher", "Source", "Licence", "Retrieved", "Changes"):
        assert word in card


def test_import_reads_nothing() -> None:
    src = str(Path(smartspec.__file__).resolve().parent.parent)
    env = {**os.environ, "PYTHONPATH": src + os.pathsep + os.environ.get("PYTHONPATH", "")}
    code = (
        "import sys, smartspec.geo.conversion\n"
        "print(sorted({'pandas', 'numpy', 'scipy'} & set(sys.modules)))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    assert done.stdout.strip() == "[]"


# --------------------------------------------------------------------------- property
_COUNTRIES = ("DE", "IE", "LT", "NL", "PL", "PT", "SE", "FI")


def _regions(version: int) -> list[str]:
    return sorted(
        c for c in geo.codes(version, 3) if c[:2] in _COUNTRIES and not geo.is_extra_regio(c)
    )


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    ends=st.sampled_from([(2013, 2016), (2013, 2024), (2016, 2024), (2024, 2013), (2021, 2016)]),
    weight=st.sampled_from(CONVERSION_WEIGHTS),
    n_activities=st.integers(1, 3),
    periods=st.lists(st.integers(2000, 2020), min_size=1, max_size=2, unique=True),
    seed=st.integers(0, 2**32 - 1),
)
def test_additive_totals_are_preserved(
    ends: tuple[int, int], weight: str, n_activities: int, periods: list[int], seed: int
) -> None:
    a, b = ends
    regions = _regions(a)
    rng = np.random.default_rng(seed)
    index = pd.MultiIndex.from_product(
        [regions, [f"A{i}" for i in range(n_activities)], periods],
        names=["region", "activity", "period"],
    )
    df = index.to_frame(index=False)
    df["value"] = rng.gamma(1.0, 100.0, len(df))
    out = convert(df, from_version=a, to_version=b, additive=True, weight=weight)
    assert not out["value"].isna().any()
    assert set(out["region"]) <= set(geo.codes(b, 3))
    before = df.groupby(["activity", "period"])["value"].sum()
    after = out.groupby(["activity", "period"])["value"].sum()
    np.testing.assert_allclose(after.to_numpy(), before.to_numpy(), rtol=1e-12, atol=1e-9)
