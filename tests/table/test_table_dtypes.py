"""ActivityTable.from_frame takes every usual dtype of its columns, with the same result.

Codes as NumPy ``object``, pandas ``str`` / ``string[python]`` / ``string[pyarrow]``,
Arrow ``string`` / ``large_string`` / ``string_view``, categoricals (in any order) and
Arrow dictionaries; periods as NumPy, nullable and Arrow integers; values as NumPy,
nullable and Arrow floats (with missing values) and integers: every one gives the table
that plain ``object`` columns give, and the same errors. Dtypes that cannot hold codes
or values (nested Arrow types, bytes) are refused with an InputError that names the
column and its dtype.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from smartspec.errors import InputError
from smartspec.table import ActivityTable
from support.dtypes import HAS_VIEW, INTEGERS, NUMBERS, TEXT, WHOLE_NUMBERS, Make, arrow

COUNTS = {"measure": "employment", "unit": "persons", "additive": True}


def source_frame() -> pd.DataFrame:
    """Six regions (two dropped as aggregates) × two activities × two years × two sexes."""
    regions = ["SE11", "SE12", "SE21", "SE22", "SE", "EU27_2020"]
    rows = [
        (r, a, p, s)
        for s in ("T", "F")
        for p in (2016, 2015)
        for r in regions
        for a in ("J", "C")  # not sorted: the table sorts
    ]
    df = pd.DataFrame(rows, columns=["region", "activity", "period", "sex"], dtype=object)
    n = len(df)
    df["period"] = df["period"].astype(np.int64)
    df["value"] = np.arange(n, dtype=np.float64) * 0.5  # exact in float32 too
    df["flag"] = np.asarray((["b", None, "", "u"] * n)[:n], dtype=object)
    return df


def build(df: pd.DataFrame, **kwargs: Any) -> ActivityTable:
    return ActivityTable.from_frame(
        df, **{**COUNTS, "flag": "flag", "select": {"sex": "T"}, **kwargs}
    )


def assert_same_table(table: ActivityTable, expected: ActivityTable) -> None:
    pd.testing.assert_frame_equal(table.frame, expected.frame)
    assert table.meta == expected.meta
    assert table.report == expected.report


def with_column(df: pd.DataFrame, column: str, make: Make) -> pd.DataFrame:
    out = df.copy()
    out[column] = make([None if pd.isna(v) else v for v in df[column]])
    return out


@pytest.fixture(scope="module")
def reference() -> ActivityTable:
    return build(source_frame())


# --------------------------------------------------------------------------- codes
@pytest.mark.parametrize("dtype", TEXT)
@pytest.mark.parametrize("column", ["region", "activity", "flag", "sex"])
def test_text_columns_give_the_same_table(
    column: str, dtype: str, reference: ActivityTable
) -> None:
    df = with_column(source_frame(), column, TEXT[dtype])
    before = df.dtypes.copy()
    assert_same_table(build(df), reference)
    pd.testing.assert_series_equal(df.dtypes, before)  # the input is left as it was


@pytest.mark.skipif(not HAS_VIEW, reason="pyarrow < 16 has no string_view")
def test_string_view_columns_cast_with_astype() -> None:
    """The reported case: ``df.astype({"region": pd.ArrowDtype(pa.string_view())})``."""
    df = source_frame().astype({"region": "string[pyarrow]", "activity": "string[pyarrow]"})
    view = pd.ArrowDtype(pa.string_view())
    table = build(df.astype({"region": view, "activity": view}))
    assert_same_table(table, build(source_frame()))
    assert table.regions == ("SE11", "SE12", "SE21", "SE22")


# --------------------------------------------------------------------------- periods
@pytest.mark.parametrize("dtype", INTEGERS)
def test_integer_periods_give_the_same_table(dtype: str, reference: ActivityTable) -> None:
    table = build(with_column(source_frame(), "period", INTEGERS[dtype]))
    assert_same_table(table, reference)
    assert table.frame["period"].dtype == np.int64


@pytest.mark.parametrize("dtype", TEXT)
def test_periods_as_text_give_the_same_table(dtype: str, reference: ActivityTable) -> None:
    df = source_frame()
    df["period"] = TEXT[dtype]([str(p) for p in df["period"]])
    assert_same_table(build(df), reference)


# --------------------------------------------------------------------------- values
@pytest.mark.parametrize("dtype", NUMBERS)
def test_values_with_a_missing_one_give_the_same_table(dtype: str) -> None:
    df = source_frame()
    values: list[Any] = list(df["value"])
    values[3] = None
    expected = build(df.assign(value=NUMBERS["float64"](values)))
    assert expected.report.missing_values == 1
    assert_same_table(build(df.assign(value=NUMBERS[dtype](values))), expected)


@pytest.mark.parametrize("dtype", WHOLE_NUMBERS)
def test_whole_number_values_give_the_same_table(dtype: str) -> None:
    df = source_frame()
    whole = [int(v * 2) for v in df["value"]]
    expected = build(df.assign(value=np.asarray(whole, dtype=np.float64)))
    assert_same_table(build(df.assign(value=WHOLE_NUMBERS[dtype](whole))), expected)


@pytest.mark.parametrize("dtype", TEXT)
def test_values_as_text_give_the_same_table(dtype: str, reference: ActivityTable) -> None:
    df = source_frame()
    df["value"] = TEXT[dtype]([f"{v:g}" for v in df["value"]])
    assert_same_table(build(df), reference)


# --------------------------------------------------------------------------- errors
def error_of(df: pd.DataFrame, **kwargs: Any) -> tuple[str, int | None, str | None]:
    with pytest.raises(InputError) as info:
        ActivityTable.from_frame(df, **{**COUNTS, **kwargs})
    return str(info.value), info.value.row, info.value.column


@pytest.mark.parametrize("dtype", TEXT)
def test_errors_are_the_same_whatever_the_dtype(dtype: str) -> None:
    make = TEXT[dtype]
    df = source_frame()
    cases = [
        # duplicates, with the unselected column that varies (sex) named
        (df, ["region", "activity", "sex"], {}),
        # a code that is not a NUTS code
        (df.assign(region=["SE99", *df["region"][1:]]), ["region"], {"select": {"sex": "T"}}),
        # a missing region code
        (df.assign(region=[None, *df["region"][1:]]), ["region"], {"select": {"sex": "T"}}),
        # a value that is not a number
        (df.assign(value=["1,5", *map(str, df["value"][1:])]), ["value"], {}),
    ]
    for frame, columns, kwargs in cases:
        expected = error_of(frame, **kwargs)
        converted = frame
        for column in columns:
            converted = with_column(converted, column, make)
        assert error_of(converted, **kwargs) == expected


def test_a_nested_code_column_is_refused_with_its_dtype() -> None:
    df = source_frame()
    df["region"] = arrow(pa.list_(pa.string()))([[r] for r in df["region"]])
    with pytest.raises(InputError, match=r"region column 'region' has dtype list<") as info:
        build(df)
    assert info.value.column == "region"
    assert "region codes are text" in str(info.value.hint)


def test_bytes_are_refused_with_a_way_to_decode_them() -> None:
    df = source_frame()
    df["activity"] = arrow(pa.binary())([a.encode() for a in df["activity"]])
    with pytest.raises(InputError, match=r"activity column 'activity' has dtype binary") as info:
        build(df)
    assert ".str.decode('utf-8')" in str(info.value.hint)


def test_a_nested_value_column_is_refused() -> None:
    df = source_frame()
    df["value"] = arrow(pa.list_(pa.float64()))([[v] for v in df["value"]])
    with pytest.raises(InputError, match=r"value column 'value' has dtype list<") as info:
        build(df)
    assert "values are numbers" in str(info.value.hint)


def test_an_unused_nested_column_is_left_alone(reference: ActivityTable) -> None:
    df = source_frame()
    tags = [[r, a] for r, a in zip(df["region"], df["activity"], strict=True)]
    df["tags"] = arrow(pa.list_(pa.string()))(tags)
    assert_same_table(build(df), reference)
