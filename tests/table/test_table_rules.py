"""ActivityTable.from_frame: every validation rule, happy and unhappy paths."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from smartspec.errors import InputError
from smartspec.table import ActivityTable, TableMeta, UnknownRegionCodesError

COUNTS = {"measure": "employment", "unit": "persons", "additive": True}


def frame(**columns: list[object]) -> pd.DataFrame:
    return pd.DataFrame(columns)


def build(df: pd.DataFrame, **kwargs: object) -> ActivityTable:
    return ActivityTable.from_frame(df, **{**COUNTS, **kwargs})  # type: ignore[arg-type]


# --------------------------------------------------------------------------- happy path
def test_builds_a_tidy_table_with_metadata() -> None:
    df = frame(
        region=["SE11", "SE11", "SE12", "SE12"],
        activity=["C", "J", "C", "J"],
        period=[2015, 2015, 2015, 2015],
        value=[10, 5, 4, 1],
    )
    t = build(df, classification="NACE", classification_version="Rev. 2", source="x.csv")
    assert t.regions == ("SE11", "SE12")
    assert t.activities == ("C", "J")
    assert t.periods == (2015,)
    assert isinstance(t.frame["region"].dtype, pd.CategoricalDtype)
    assert isinstance(t.frame["activity"].dtype, pd.CategoricalDtype)
    assert t.frame["period"].dtype == np.int64
    assert t.frame["value"].dtype == np.float64
    assert t.meta == TableMeta(
        measure="employment",
        unit="persons",
        additive=True,
        classification="NACE",
        classification_version="Rev. 2",
        region_level=2,
        nuts_version=None,  # SE11/SE12 exist in every version: not detectable
        region_scheme="NUTS",
        provenance={"source": "x.csv"},
    )
    assert "pass nuts_version" in t.report.notes[0]
    assert t.report.rows_read == t.report.rows_kept == 4
    assert len(t) == 4
    assert "4 rows" in repr(t)
    plain = t.to_pandas()
    assert plain["region"].tolist() == ["SE11", "SE11", "SE12", "SE12"]
    assert not isinstance(plain["region"].dtype, pd.CategoricalDtype)


def test_optional_columns_are_optional() -> None:
    t = build(frame(region=["SE11", "SE12"], value=[1.0, 2.0]), nuts_version=2013)
    assert not t.has_activity
    assert not t.has_period
    assert t.activities == ()
    assert t.periods == ()
    assert list(t.frame.columns) == ["region", "value"]


def test_custom_column_names_and_flags() -> None:
    df = frame(geo=["SE11", "SE12"], nace=["C", "C"], year=["2014", " 2015 "],
               obs=["1.5", " 2 "], status=["p", ""])  # fmt: skip
    t = build(df, region="geo", activity="nace", period="year", value="obs", flag="status",
              nuts_version=2016)  # fmt: skip
    assert t.frame["period"].tolist() == [2014, 2015]
    assert t.frame["value"].tolist() == [1.5, 2.0]
    assert t.frame["flag"].iloc[0] == "p"
    assert pd.isna(t.frame["flag"].iloc[1])
    assert t.meta.nuts_version == 2016


def test_detects_an_unambiguous_nuts_version() -> None:
    t = build(frame(region=["EL51", "EL52"], value=[1.0, 2.0]))  # EL51 is NUTS 2013+
    assert t.meta.nuts_version is None or t.meta.nuts_version >= 2013
    t = build(frame(region=["EL11", "EL12"], value=[1.0, 2.0]))  # NUTS 2010 only
    assert t.meta.nuts_version == 2010
    assert t.report.notes == ()


def test_integer_like_codes_are_text() -> None:
    df = frame(region=["X", "X"], activity=[5.0, 10.0], value=[1, 2])
    t = build(df, region_scheme="custom", classification="custom")
    assert t.activities == ("10", "5")


# --------------------------------------------------------------------------- values
@pytest.mark.parametrize("missing", ["", ":", " : ", "NaN", "nan", "NA", None, float("nan")])
def test_missing_values_stay_missing_with_their_flag(missing: object) -> None:
    df = frame(region=["SE11", "SE12"], value=["3.5", missing], flag=["", "c"])
    t = build(df, flag="flag", nuts_version=2013)
    values = t.frame["value"].tolist()
    assert values[0] == 3.5
    assert math.isnan(values[1])  # never 0
    assert t.frame["flag"].iloc[1] == "c"
    assert t.report.missing_values == 1


def test_numeric_nan_is_missing() -> None:
    t = build(frame(region=["SE11", "SE12"], value=[1.0, np.nan]), nuts_version=2013)
    assert t.report.missing_values == 1


@pytest.mark.parametrize(
    ("bad", "hint"),
    [("abc", "number such as 12.5"), ("12,5", "decimal=','"), ("4.0 bu", "read_eurostat_tsv")],
)
def test_non_numeric_value_names_row_and_column(bad: str, hint: str) -> None:
    df = frame(region=["SE11", "SE12", "SE21"], obs=["1", "2", bad])
    with pytest.raises(InputError) as err:
        build(df, value="obs", source="emp.csv", nuts_version=2013)
    e = err.value
    assert (e.source, e.row, e.column) == ("emp.csv", 3, "obs")
    assert repr(bad) in e.message
    assert hint in str(e)


def test_negative_value_names_row_and_column() -> None:
    df = frame(region=["SE11", "SE12"], value=[1.0, -2.0])
    with pytest.raises(InputError) as err:
        build(df, nuts_version=2013)
    assert (err.value.row, err.value.column) == (2, "value")
    assert "negative" in err.value.message
    assert "allow_negative=True" in str(err.value)
    t = build(df, nuts_version=2013, allow_negative=True)
    assert t.frame["value"].tolist() == [1.0, -2.0]


def test_infinite_value_is_refused() -> None:
    with pytest.raises(InputError, match="finite"):
        build(frame(region=["SE11"], value=[np.inf]), nuts_version=2013)
    with pytest.raises(InputError, match="finite"):
        build(frame(region=["SE11"], value=["inf"]), nuts_version=2013)


def test_boolean_values_are_refused() -> None:
    with pytest.raises(InputError, match="True/False"):
        build(frame(region=["SE11"], value=[True]), nuts_version=2013)


def test_row_numbers_of_the_source_are_used() -> None:
    df = frame(region=["SE11", "SE12"], value=["1", "x"])
    with pytest.raises(InputError) as err:
        build(df, nuts_version=2013, row_numbers=[10, 12])
    assert err.value.row == 12


# --------------------------------------------------------------------------- codes, periods
def test_missing_region_code_names_the_row() -> None:
    with pytest.raises(InputError) as err:
        build(frame(region=["SE11", None], value=[1, 2]), nuts_version=2013)
    assert err.value.row == 2
    assert err.value.column == "region"
    with pytest.raises(InputError) as err:
        build(frame(region=["SE11", "  "], value=[1, 2]), nuts_version=2013)
    assert err.value.row == 2


@pytest.mark.parametrize("period", ["2015Q1", "15.5", "abc", 2015.5, None])
def test_bad_period(period: object) -> None:
    df = frame(region=["SE11", "SE12"], period=[2015, period], value=[1, 2])
    with pytest.raises(InputError) as err:
        build(df, nuts_version=2013)
    assert err.value.row == 2
    assert err.value.column == "period"


def test_codes_differing_by_blanks_are_one_code() -> None:
    t = build(frame(region=["SE11", "SE11 "], activity=["C", "J"], value=[1, 2]),
              nuts_version=2013)  # fmt: skip
    assert t.regions == ("SE11",)


# --------------------------------------------------------------------------- duplicates, dims
def test_duplicate_keys_are_listed() -> None:
    df = frame(region=["SE11", "SE11", "SE12", "SE12", "SE21"],
               activity=["C", "C", "J", "J", "C"], value=[1, 2, 3, 4, 5])  # fmt: skip
    with pytest.raises(InputError) as err:
        build(df, nuts_version=2013)
    text = str(err.value)
    assert "2 duplicate keys" in text
    assert "SE11 × C" in text
    assert "SE12 × J" in text
    assert "rows 1, 2" in text
    assert err.value.row == 1


def test_unselected_dimension_is_named_with_its_values_and_the_argument() -> None:
    df = frame(region=["SE11", "SE11", "SE12", "SE12"], age=["Y15-24", "Y25-64"] * 2,
               activity=["C"] * 4, value=[1, 2, 3, 4])  # fmt: skip
    with pytest.raises(InputError) as err:
        build(df, nuts_version=2013)
    text = str(err.value)
    assert "'age'" in text
    assert "Y15-24, Y25-64" in text
    assert "select={'age': 'Y15-24'}" in text
    t = build(df, nuts_version=2013, select={"age": "Y25-64"})
    assert t.frame["value"].tolist() == [2.0, 4.0]
    assert "age" not in t.frame.columns


def test_unmapped_activity_column_is_suggested() -> None:
    df = frame(region=["SE11", "SE11"], nace_r2=["C", "J"], value=[1, 2])
    with pytest.raises(InputError, match="activity='nace_r2'"):
        build(df, nuts_version=2013)
    assert build(df, nuts_version=2013, activity="nace_r2").activities == ("C", "J")


def test_select_errors_list_what_there_is() -> None:
    df = frame(region=["SE11"], sex=["T"], value=[1])
    with pytest.raises(InputError) as err:
        build(df, nuts_version=2013, select={"sex": "F"})
    assert "'F'" in str(err.value)
    assert "T" in str(err.value.hint)
    with pytest.raises(InputError, match="'age'"):
        build(df, nuts_version=2013, select={"age": "Y15-64"})
    t = build(df, nuts_version=2013, select={"sex": ["T", "F"][:1]})
    assert len(t) == 1


# --------------------------------------------------------------------------- regions
def test_aggregates_and_extra_regio_are_dropped_with_a_report() -> None:
    df = frame(region=["SE11", "SE12", "SE", "EU28", "SEZZ", "SE1", "EA19"],
               value=[1, 2, 3, 4, 5, 6, 7])  # fmt: skip
    t = build(df, nuts_version=2013)
    assert t.regions == ("SE11", "SE12")
    assert t.meta.region_level == 2
    reasons = {d.code: d.reason for d in t.report.dropped}
    assert set(reasons) == {"SE", "EU28", "SEZZ", "SE1", "EA19"}
    assert "aggregate" in reasons["EU28"]
    assert "aggregate" in reasons["EA19"]
    assert "Extra-Regio" in reasons["SEZZ"]
    assert "country total" in reasons["SE"]
    assert "NUTS 1 region in a NUTS 2 table" in reasons["SE1"]
    assert t.report.rows_dropped == 5
    assert set(t.report.dropped_codes()) == set(reasons)
    assert "dropped region EU28" in str(t.report)


def test_declared_level_keeps_coarser_rows_and_refuses_finer_ones() -> None:
    df = frame(region=["SE", "SE1", "SE2"], value=[4, 3, 1])
    t = build(df, nuts_version=2013, region_level=1)
    assert t.regions == ("SE1", "SE2")
    assert t.meta.region_level == 1
    assert t.report.dropped_codes() == ("SE",)
    df = frame(region=["SE1", "SE110"], value=[3, 1])
    with pytest.raises(InputError, match="region_level=3"):
        build(df, nuts_version=2013, region_level=1)


def test_unknown_region_codes_name_the_codes_and_suggestions() -> None:
    df = frame(region=["SE11", "SE99", "se12"], value=[1, 2, 3])
    with pytest.raises(UnknownRegionCodesError) as err:
        build(df, nuts_version=2013, source="x.csv")
    e = err.value
    assert isinstance(e, InputError)
    assert set(e.codes) == {"SE99", "se12"}
    assert e.suggestions["se12"] == ["SE12"]
    assert "not NUTS 2013 codes" in e.message
    assert e.row == 2
    assert e.column == "region"
    assert "unknown_regions='drop'" in str(e)


def test_codes_of_another_version_say_so() -> None:
    df = frame(region=["EL51", "EL11"], value=[1, 2])
    with pytest.raises(UnknownRegionCodesError, match="EL11' \\(a NUTS 2010 code\\)"):
        build(df, nuts_version=2013)
    with pytest.raises(UnknownRegionCodesError, match="not all of one NUTS version"):
        build(df)


def test_unknown_regions_can_be_dropped_with_a_report() -> None:
    df = frame(region=["EL51", "EL11"], value=[1, 2])
    t = build(df, nuts_version=2013, unknown_regions="drop")
    assert t.regions == ("EL51",)
    assert t.report.dropped[0].code == "EL11"
    assert "not a NUTS 2013 code" in t.report.dropped[0].reason


def test_no_rows_left_is_an_error() -> None:
    with pytest.raises(InputError, match="no rows left"):
        build(frame(region=["EU28"], value=[1]), nuts_version=2013)


def test_non_nuts_scheme_is_not_validated() -> None:
    t = build(frame(region=["usa", "SWE"], value=[1, 2]), region_scheme="ISO3")
    assert t.regions == ("SWE", "usa")
    assert t.meta.region_scheme == "ISO3"
    assert t.meta.nuts_version is None


def test_bad_nuts_version_and_level() -> None:
    with pytest.raises(InputError, match="unknown NUTS version"):
        build(frame(region=["SE11"], value=[1]), nuts_version=2015)
    with pytest.raises(InputError, match="region_level"):
        build(frame(region=["SE11"], value=[1]), region_level=5)
    assert build(frame(region=["SE11"], value=[1]), nuts_version="2013").meta.nuts_version == 2013


# --------------------------------------------------------------------------- activities
@pytest.mark.parametrize(
    ("codes", "named", "hint"),
    [
        (["A", "B-E", "C", "F"], "C is inside B-E", "A*10 groups"),
        (["G", "G-I", "J"], "G is inside G-I", "keep one level"),
        (["A", "F", "TOTAL"], "A is inside TOTAL", "drop TOTAL"),
        (["C", "10", "11"], "10 is inside C", "keep one level"),
    ],
)
def test_nested_activities_are_refused(codes: list[str], named: str, hint: str) -> None:
    df = frame(region=["SE11"] * len(codes), activity=codes, value=[1] * len(codes))
    with pytest.raises(InputError) as err:
        build(df, nuts_version=2013, classification="NACE")
    assert named in err.value.message
    assert hint in str(err.value.hint)
    assert err.value.column == "activity"


def test_nesting_is_not_checked_for_other_classifications() -> None:
    df = frame(region=["SE11", "SE11"], activity=["0111", "01"], value=[1, 2])
    t = build(df, nuts_version=2013, classification="SITC")
    assert t.activities == ("01", "0111")


def test_codes_outside_nace_are_noted() -> None:
    df = frame(region=["SE11", "SE11"], activity=["A", "NRP"], value=[1, 2])
    t = build(df, nuts_version=2013, classification="NACE")
    assert any("NRP" in note for note in t.report.notes)


# --------------------------------------------------------------------------- arguments
@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"additive": None}, "additive must be True or False"),
        ({"measure": ""}, "measure must be"),
        ({"unit": None}, "unit must be"),
        ({"region": "geo"}, "no region column 'geo'"),
        ({"activity": "nace"}, "no activity column 'nace'"),
        ({"value": "values"}, "did you mean value='value'"),
        ({"unknown_regions": "keep"}, "unknown_regions"),
    ],
)
def test_argument_errors(kwargs: dict[str, object], match: str) -> None:
    with pytest.raises(InputError, match=match):
        build(frame(region=["SE11"], value=[1]), **kwargs)


def test_not_a_dataframe() -> None:
    with pytest.raises(InputError, match="pandas DataFrame"):
        build([1, 2, 3])  # type: ignore[arg-type]


def test_duplicate_column_names_and_double_use() -> None:
    df = pd.DataFrame([["SE11", 1, 2]], columns=["region", "value", "value"])
    with pytest.raises(InputError, match="more than once"):
        build(df)
    with pytest.raises(InputError, match="both as region and as activity"):
        build(frame(region=["SE11"], value=[1]), activity="region")


def test_with_meta() -> None:
    t = build(frame(region=["SE11"], value=[1]), nuts_version=2013)
    assert t.with_meta(unit="thousand persons").meta.unit == "thousand persons"
    assert t.meta.unit == "persons"
