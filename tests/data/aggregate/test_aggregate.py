"""smartspec.data.aggregate on DuckDB: hand-checked cases and unhappy paths."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import hypothesis.strategies as st
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings

from smartspec.data.aggregate import UnmatchedRecordsError, aggregate
from smartspec.errors import InputError

ibis = pytest.importorskip("ibis", reason="aggregation needs ibis-framework[duckdb]")


def small() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id": [1, 1, 2, 3, 4, 5],
            "region": ["SE110", "SE110", "SE110", "SE211", "SE211", "SE110"],
            "activity": ["62", "62", "62", "10", "62", "10"],
            "period": [2020, 2020, 2020, 2020, 2021, 2021],
            "weight": [1.5, 2.0, 0.5, 4.0, 1.0, 3.0],
        }
    )


def frame(table: object) -> pd.DataFrame:
    return table.to_pandas()  # type: ignore[attr-defined,no-any-return]


def expected(rows: list[tuple[str, str, int, float]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["region", "activity", "period", "value"])


def assert_same(got: pd.DataFrame, want: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(
        got.reset_index(drop=True), want.reset_index(drop=True), check_dtype=False
    )


# --------------------------------------------------------------------------- statistics
def test_count_records() -> None:
    t = aggregate(small(), measure="records", unit="records")
    assert_same(
        frame(t),
        expected(
            [
                ("SE110", "10", 2021, 1.0),
                ("SE110", "62", 2020, 3.0),
                ("SE211", "10", 2020, 1.0),
                ("SE211", "62", 2021, 1.0),
            ]
        ),
    )
    assert t.meta.additive
    assert t.meta.provenance["aggregation"]["statistic"] == "number of records"


def test_sum_weights() -> None:
    t = aggregate(small(), measure="employment", unit="persons", weight="weight")
    assert frame(t)["value"].tolist() == [3.0, 4.0, 4.0, 1.0]
    assert t.meta.unit == "persons"


def test_count_distinct_ids() -> None:
    t = aggregate(small(), measure="firms", unit="firms", distinct="id")
    # SE110/62/2020 has ids 1, 1, 2: two firms
    assert frame(t)["value"].tolist() == [1.0, 2.0, 1.0, 1.0]


def test_without_activity_or_period() -> None:
    t = aggregate(small(), measure="m", unit="u", weight="weight", activity=None, period=None)
    assert_same(frame(t), pd.DataFrame({"region": ["SE110", "SE211"], "value": [7.0, 5.0]}))
    assert not t.has_activity
    assert not t.has_period


def test_region_codes_are_normalised() -> None:
    df = small().assign(region=[" se110", "SE 110", "SE110", "se211", "SE211 ", "SE110"])
    t = aggregate(df, measure="m", unit="u", weight="weight")
    assert t.regions == ("SE110", "SE211")


def test_null_weights_are_left_out_and_noted() -> None:
    df = small().assign(weight=[1.5, None, 0.5, 4.0, 1.0, 3.0])
    t = aggregate(df, measure="m", unit="u", weight="weight")
    assert frame(t)["value"].tolist() == [3.0, 2.0, 4.0, 1.0]
    assert any("1 record without a weight" in n for n in t.report.notes)


def test_integer_weights_sum_as_floats() -> None:
    df = small().assign(weight=[1, 2, 3, 4, 5, 6])
    t = aggregate(df, measure="m", unit="u", weight="weight")
    assert frame(t)["value"].tolist() == [6.0, 6.0, 4.0, 5.0]


# --------------------------------------------------------------------------- regions
def test_municipality_to_nuts3() -> None:
    df = pd.DataFrame(
        {
            "kommun": ["0180", "0114", "0680", "2580", "1280"],
            "activity": ["62"] * 5,
            "period": [2020] * 5,
        }
    )
    t = aggregate(df, measure="m", unit="u", region="kommun", region_from="municipality")
    got = dict(zip(frame(t)["region"], frame(t)["value"], strict=True))
    assert got == {"SE110": 2.0, "SE211": 1.0, "SE332": 1.0, "SE224": 1.0}
    assert t.meta.region_level == 3


def test_municipality_codes_stored_as_numbers_get_their_leading_zero() -> None:
    df = pd.DataFrame({"kommun": [180, 114, 680], "activity": ["62"] * 3, "period": [2020] * 3})
    t = aggregate(df, measure="m", unit="u", region="kommun", region_from="municipality")
    assert t.regions == ("SE110", "SE211")


def test_unmatched_municipalities_are_an_error_with_examples() -> None:
    df = pd.DataFrame(
        {
            "kommun": ["0180", "9999", "9999", "12", None, "0180"],
            "activity": ["62"] * 6,
            "period": [2020] * 6,
        }
    )
    with pytest.raises(UnmatchedRecordsError) as info:
        aggregate(df, measure="m", unit="u", region="kommun", region_from="municipality")
    err = info.value
    [u] = err.unmatched
    assert (u.column, u.records, u.identifiers) == ("region", 4, 3)
    assert u.examples[0] == ("9999", 2)
    assert set(dict(u.examples)) == {"9999", "12", "<missing>"}
    assert "4 records (3 identifiers)" in str(err)
    assert "unmatched='drop'" in str(err)


def test_unmatched_municipalities_dropped_with_a_report() -> None:
    df = pd.DataFrame(
        {"kommun": ["0180", "9999", "9999", "0180"], "activity": ["62"] * 4, "period": [2020] * 4}
    )
    t = aggregate(
        df, measure="m", unit="u", region="kommun", region_from="municipality", unmatched="drop"
    )
    assert frame(t)["value"].tolist() == [2.0]
    agg = t.meta.provenance["aggregation"]
    assert (agg["records_in"], agg["records_unmatched"], agg["records_used"]) == (4, 2, 2)
    assert agg["unmatched"][0]["examples"] == (("9999", 2),)
    assert any("dropped 2 records" in note and "'9999'" in note for note in t.report.notes)


@pytest.mark.parametrize(
    "lookup",
    [
        pd.DataFrame({"postcode": ["11120", "55316"], "nuts": ["SE110", "se211"]}),
        {"111 20": "SE110", "553 16": "SE211"},
    ],
    ids=["frame", "mapping"],
)
def test_postcodes_through_a_lookup(lookup: object) -> None:
    df = pd.DataFrame(
        {
            "postnr": ["111 20", "11120", "553 16", " 553 16 "],
            "activity": ["62"] * 4,
            "period": [2020] * 4,
        }
    )
    t = aggregate(
        df, measure="m", unit="u", region="postnr", region_from="postcode", region_map=lookup
    )
    assert dict(zip(frame(t)["region"], frame(t)["value"], strict=True)) == {
        "SE110": 2.0,
        "SE211": 2.0,
    }


def test_postcode_lookup_from_csv_keeps_leading_zeros(tmp_path: Path) -> None:
    path = tmp_path / "postcodes.csv"
    path.write_text("zip,country,nuts\n01067,DE,DED21\n01069,DE,DED21\n10115,DE,DE300\n")
    df = pd.DataFrame({"zip": ["01067", "01069", "10115"], "period": [2020] * 3})
    t = aggregate(
        df,
        measure="m",
        unit="u",
        region="zip",
        activity=None,
        region_from="postcode",
        region_map=path,
        region_map_columns=("zip", "nuts"),
    )
    assert dict(zip(frame(t)["region"], frame(t)["value"], strict=True)) == {
        "DE300": 1.0,
        "DED21": 2.0,
    }


def test_unmatched_postcodes() -> None:
    df = pd.DataFrame({"postnr": ["11120", "99999", "99999"], "period": [2020] * 3})
    with pytest.raises(UnmatchedRecordsError, match=r"2 records \(1 identifier\).*'99999' \(2\)"):
        aggregate(
            df,
            measure="m",
            unit="u",
            region="postnr",
            activity=None,
            region_from="postcode",
            region_map={"11120": "SE110"},
        )


def test_lookup_with_two_codes_for_one_postcode() -> None:
    lookup = pd.DataFrame({"pc": ["11120", "111 20", "55316"], "nuts": ["SE110", "SE121", "SE211"]})
    df = pd.DataFrame({"postnr": ["11120"], "period": [2020]})
    with pytest.raises(
        InputError, match=r"maps 1 identifier to several codes: '11120' → SE110, SE121"
    ):
        aggregate(
            df,
            measure="m",
            unit="u",
            region="postnr",
            activity=None,
            region_from="postcode",
            region_map=lookup,
        )


def test_duplicate_identical_lookup_rows_do_not_double_count() -> None:
    lookup = pd.DataFrame({"pc": ["11120", "11120"], "nuts": ["SE110", "SE110"]})
    df = pd.DataFrame({"postnr": ["11120"], "period": [2020]})
    t = aggregate(
        df,
        measure="m",
        unit="u",
        region="postnr",
        activity=None,
        region_from="postcode",
        region_map=lookup,
    )
    assert frame(t)["value"].tolist() == [1.0]


def test_lookup_with_more_columns_needs_their_names() -> None:
    lookup = pd.DataFrame({"pc": ["11120"], "country": ["SE"], "nuts": ["SE110"]})
    df = pd.DataFrame({"postnr": ["11120"], "period": [2020]})
    with pytest.raises(InputError, match=r"region_map has 3 columns.*pc, country, nuts"):
        aggregate(
            df,
            measure="m",
            unit="u",
            region="postnr",
            activity=None,
            region_from="postcode",
            region_map=lookup,
        )


def test_postcode_needs_a_lookup() -> None:
    with pytest.raises(InputError, match="needs region_map"):
        aggregate(small(), measure="m", unit="u", region_from="postcode")


# --------------------------------------------------------------------------- activities
@pytest.mark.parametrize(
    ("level", "codes"),
    [
        (1, ["C", "C", "C", "J", "J", "J"]),
        (2, ["10", "10", "10", "62", "62", "62"]),
        (3, ["10.1", "10.1", "10.1", "62.0", "62.0", "62.0"]),
        (4, ["10.11", "10.12", "10.13", "62.01", "62.01", "62.02"]),
    ],
)
def test_activity_level(level: int, codes: list[str]) -> None:
    raw = ["10.11", "C1012", "10.130", "62.01", "6201", " 62.02 "]
    df = pd.DataFrame({"region": ["SE110"] * 6, "activity": raw, "period": [2020] * 6})
    t = aggregate(df, measure="m", unit="u", activity_level=level)
    want = pd.Series(codes).value_counts().sort_index()
    got = frame(t).set_index("activity")["value"]
    assert got.to_dict() == {k: float(v) for k, v in want.items()}
    assert t.meta.classification == "NACE"


def test_unknown_nace_codes_are_unmatched() -> None:
    df = pd.DataFrame(
        {"region": ["SE110"] * 4, "activity": ["62.01", "04.11", "X", "0499"], "period": [2020] * 4}
    )
    with pytest.raises(UnmatchedRecordsError) as info:
        aggregate(df, measure="m", unit="u", activity_level=2)
    [u] = info.value.unmatched
    assert (u.column, u.records, u.identifiers) == ("activity", 3, 3)
    assert "not a NACE code at level 2" in str(info.value)


def test_activity_map() -> None:
    df = pd.DataFrame(
        {"region": ["SE110"] * 3, "activity": ["a1", "A1", "b"], "period": [2020] * 3}
    )
    t = aggregate(df, measure="m", unit="u", activity_map={"a1": "ICT", "b": "Food"})
    assert dict(zip(frame(t)["activity"], frame(t)["value"], strict=True)) == {
        "Food": 1.0,
        "ICT": 2.0,
    }


# --------------------------------------------------------------------------- periods, filters
def test_periods_from_text_and_dates() -> None:
    df = small().assign(period=["2020", "2020", " 2020", "2020", "2021", "2021"])
    assert aggregate(df, measure="m", unit="u").periods == (2020, 2021)
    dates = [dt.date(2020, 1, 1)] * 4 + [dt.date(2021, 6, 30)] * 2
    assert aggregate(small().assign(period=dates), measure="m", unit="u").periods == (2020, 2021)


def test_bad_periods_are_unmatched() -> None:
    df = small().assign(period=["2020", "2020", "twenty", "2020", "2021", "2021"])
    with pytest.raises(UnmatchedRecordsError, match=r"1 record .*not a year: 'twenty'"):
        aggregate(df, measure="m", unit="u")


@pytest.mark.parametrize(
    ("filters", "values"),
    [
        ({"period": 2020}, [3.0, 1.0]),
        ({"period": [2021], "region": "SE110"}, [1.0]),
        ([ibis._.weight >= 1.5, ibis._.period == 2020], [2.0, 1.0]),
        (lambda t: t.activity == "10", [1.0, 1.0]),
    ],
    ids=["equal", "in-and-equal", "deferred", "callable"],
)
def test_filters(filters: object, values: list[float]) -> None:
    t = aggregate(small(), measure="m", unit="u", filters=filters)
    assert frame(t)["value"].tolist() == values
    agg = t.meta.provenance["aggregation"]
    assert agg["records_in"] == 6
    assert agg["records_after_filters"] == sum(values)


def test_filter_on_a_missing_column() -> None:
    with pytest.raises(InputError, match=r"no column 'sector'.*the columns are: id, region"):
        aggregate(small(), measure="m", unit="u", filters={"sector": "private"})
    with pytest.raises(InputError, match=r"a filter does not apply.*the columns are: id, region"):
        aggregate(small(), measure="m", unit="u", filters=[ibis._.sector == "private"])


# --------------------------------------------------------------------------- sources
def test_parquet_file_directory_and_glob(tmp_path: Path) -> None:
    df = small()
    df.iloc[:3].to_parquet(tmp_path / "a.parquet", index=False)
    df.iloc[3:].to_parquet(tmp_path / "b.parquet", index=False)
    want = frame(aggregate(df, measure="m", unit="u", weight="weight"))
    for source in (tmp_path, str(tmp_path / "*.parquet")):
        got = aggregate(source, measure="m", unit="u", weight="weight")
        assert_same(frame(got), want)
        assert got.meta.provenance["aggregation"]["records_in"] == 6
    one = aggregate(tmp_path / "a.parquet", measure="m", unit="u", weight="weight")
    assert frame(one)["value"].tolist() == [4.0]


def test_csv_file(tmp_path: Path) -> None:
    path = tmp_path / "records.csv"
    small().to_csv(path, index=False)
    t = aggregate(path, measure="m", unit="u", weight="weight")
    assert frame(t)["value"].tolist() == [3.0, 4.0, 4.0, 1.0]
    assert t.meta.provenance["source"] == str(path)


# the caller's own Ibis calls (create_table) warn about pandas 3 / DuckDB 1.5 deprecations
@pytest.mark.filterwarnings("ignore:.*(future.infer_string|fetch_arrow_table).*")
def test_ibis_table_on_its_own_backend() -> None:
    con = ibis.duckdb.connect()
    tbl = con.create_table("records", small())
    t = aggregate(tbl, measure="m", unit="u", weight="weight")
    assert frame(t)["value"].tolist() == [3.0, 4.0, 4.0, 1.0]
    assert con.list_tables() == ["records"]  # the caller's connection is left open


def test_provenance() -> None:
    t = aggregate(
        small(),
        measure="m",
        unit="u",
        weight="weight",
        provenance={"publisher": "SCB"},
        source_name="firms 2020",
    )
    prov = t.meta.provenance
    agg = prov["aggregation"]
    assert prov["source"] == "firms 2020"
    assert prov["publisher"] == "SCB"
    assert agg["backend"].startswith("duckdb ")
    assert (agg["records_in"], agg["records_used"], agg["rows_out"]) == (6, 6, 4)
    assert "GROUP BY" in agg["sql"]
    assert '"weight"' in agg["sql"]
    assert {"plan", "count", "aggregate", "checks", "table", "total"} <= set(agg["seconds"])
    json.dumps(prov)  # provenance can be written as JSON


def test_duckdb_settings() -> None:
    t = aggregate(small(), measure="m", unit="u", threads=1, memory_limit="256MB")
    assert len(t) == 4


# --------------------------------------------------------------------------- unhappy paths
def test_missing_column_names_it_and_the_columns() -> None:
    with pytest.raises(InputError) as info:
        aggregate(small(), measure="m", unit="u", weight="weigth")
    text = str(info.value)
    assert "no column 'weigth' (the weight)" in text
    assert "did you mean 'weight'?" in text
    assert "the columns are: id, region, activity, period, weight" in text
    assert info.value.column == "weigth"


def test_missing_region_column_in_parquet(tmp_path: Path) -> None:
    small().rename(columns={"region": "nuts"}).to_parquet(tmp_path / "x.parquet")
    with pytest.raises(InputError, match=r"x\.parquet, column 'region': there is no column"):
        aggregate(tmp_path / "x.parquet", measure="m", unit="u")


def test_negative_weights() -> None:
    df = small().assign(weight=[1.5, -2.0, 0.5, 4.0, -1.0, 3.0])
    with pytest.raises(InputError) as info:
        aggregate(df, measure="m", unit="u", weight="weight")
    text = str(info.value)
    assert "2 records have a negative weight (smallest -2, at region SE110" in text
    assert "allow_negative=True" in text
    t = aggregate(df, measure="m", unit="u", weight="weight", allow_negative=True)
    assert frame(t)["value"].tolist() == [3.0, 0.0, 4.0, -1.0]


def test_weight_must_be_numeric() -> None:
    df = small().assign(weight=["1", "2", "3", "4", "5", "6"])
    with pytest.raises(InputError, match="column 'weight': the weight column holds string"):
        aggregate(df, measure="m", unit="u", weight="weight")


def test_nonexistent_parquet_path(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"nope\.parquet: the file does not exist"):
        aggregate(tmp_path / "nope.parquet", measure="m", unit="u")
    with pytest.raises(InputError, match="no file matches this pattern"):
        aggregate(str(tmp_path / "nope-*.parquet"), measure="m", unit="u")
    with pytest.raises(InputError, match=r"the directory has no \.parquet file"):
        aggregate(tmp_path, measure="m", unit="u")


def test_unreadable_parquet(tmp_path: Path) -> None:
    path = tmp_path / "bad.parquet"
    path.write_text("not parquet")
    with pytest.raises(InputError, match=r"bad\.parquet: cannot read the parquet records"):
        aggregate(path, measure="m", unit="u")


def test_unknown_file_type(tmp_path: Path) -> None:
    path = tmp_path / "records.xlsx"
    path.write_bytes(b"")
    with pytest.raises(InputError, match="cannot tell the file type"):
        aggregate(path, measure="m", unit="u")


def test_bad_arguments() -> None:
    with pytest.raises(InputError, match="cannot both be given"):
        aggregate(small(), measure="m", unit="u", weight="weight", distinct="id")
    with pytest.raises(InputError, match="region_from='zip' is not known"):
        aggregate(small(), measure="m", unit="u", region_from="zip")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="activity_level must be 1, 2, 3 or 4"):
        aggregate(small(), measure="m", unit="u", activity_level=5)
    with pytest.raises(InputError, match="unknown backend 'sqlite3'"):
        aggregate(small(), measure="m", unit="u", backend="sqlite3")
    with pytest.raises(InputError, match="cannot aggregate a list"):
        aggregate([1, 2], measure="m", unit="u")
    with pytest.raises(InputError, match="unmatched='keep' is not a policy"):
        aggregate(small(), measure="m", unit="u", unmatched="keep")  # type: ignore[arg-type]


def test_unknown_nuts_codes_are_refused_by_the_table() -> None:
    df = small().assign(region=["SE110", "SE110", "SE110", "SE999", "SE211", "SE110"])
    with pytest.raises(InputError, match="SE999"):
        aggregate(df, measure="m", unit="u")
    t = aggregate(df, measure="m", unit="u", unmatched="drop")
    assert "SE999" in t.report.dropped_codes()


def test_importing_does_not_import_the_engines() -> None:
    code = (
        "import sys, smartspec, smartspec.data.aggregate, smartspec.data.engines\n"
        "print([m for m in ('ibis', 'duckdb', 'pyspark') if m in sys.modules])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


# --------------------------------------------------------------------------- property
@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["SE110", "SE211", "SE224"]),
            st.sampled_from(["10", "62", "72"]),
            st.sampled_from([2019, 2020]),
            st.integers(0, 400).map(lambda k: k / 4),
            st.integers(1, 5),
        ),
        min_size=1,
        max_size=40,
    )
)
def test_same_as_pandas_groupby(rows: list[tuple[str, str, int, float, int]]) -> None:
    df = pd.DataFrame(rows, columns=["region", "activity", "period", "weight", "id"])
    keys = ["region", "activity", "period"]
    for kwargs, how in (
        ({"weight": "weight"}, "sum"),
        ({}, "size"),
        ({"distinct": "id"}, "nunique"),
    ):
        got = frame(aggregate(df, measure="m", unit="u", **kwargs))
        grouped = df.groupby(keys)
        if how == "sum":
            want = grouped["weight"].sum()
        elif how == "size":
            want = grouped.size()
        else:
            want = grouped["id"].nunique()
        want = want.astype(np.float64).rename("value").reset_index()
        assert_same(got, want)


def test_the_engines_deprecation_warnings_do_not_reach_the_user() -> None:
    # Ibis 12 calls pandas/DuckDB APIs that pandas 3 and DuckDB 1.5 deprecate; aggregate
    # keeps those warnings to itself, and lets every other warning through
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        aggregate(small(), measure="m", unit="u", weight="weight")
    assert [str(w.message) for w in caught] == []
