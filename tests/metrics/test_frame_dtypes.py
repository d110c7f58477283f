"""compute_metrics takes every usual dtype of its columns, with the same result.

Region and activity codes as NumPy ``object``, pandas ``str`` / ``string[python]`` /
``string[pyarrow]``, Arrow ``string`` / ``large_string`` / ``string_view``,
categoricals (in any order) and Arrow dictionaries; periods as NumPy, nullable and Arrow
integers; values as NumPy, nullable and Arrow floats (with missing values) and integers.
Each gives the output of plain columns, row for row and dtype for dtype (labels in the
dtype pandas infers for text, periods int64), on the three paths of the factorisation:
a small sorted panel, a large one (the fast paths for runs and repeated blocks, 10,000
rows or more) and a shuffled one with gaps.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from smartspec.errors import InputError
from smartspec.metrics import compute_metrics, compute_proximity, diagnostics
from support.dtypes import HAS_VIEW, INTEGERS, NUMBERS, TEXT, WHOLE_NUMBERS, Make, arrow

from ._helpers import panel_from_array, synthetic


def _panel(layout: str) -> pd.DataFrame:
    """Whole-number values (exact in float32), object labels, int64 periods."""
    if layout == "small":
        return panel_from_array(np.round(synthetic(3, 6, 8, 2) * 4))
    if layout == "large":  # 100 × 50 × 2 = 10,000 rows: the fast paths of _factorize
        return panel_from_array(np.round(synthetic(4, 100, 50, 2) * 4))
    df = panel_from_array(np.round(synthetic(5, 9, 11, 3) * 4))
    return df.sample(frac=0.9, random_state=1).reset_index(drop=True)  # shuffled, gaps


LAYOUTS = ["small", "large", "shuffled"]
PANELS = {layout: _panel(layout) for layout in LAYOUTS}


def metrics(df: pd.DataFrame, **kwargs: Any) -> pd.DataFrame:
    return compute_metrics(df, stability_thresholds=(), **kwargs)


def assert_same_output(out: pd.DataFrame, expected: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(out, expected)
    assert diagnostics(out).summary() == diagnostics(expected).summary()
    assert diagnostics(out).provenance == diagnostics(expected).provenance


def with_column(df: pd.DataFrame, column: str, make: Make) -> pd.DataFrame:
    out = df.copy()
    out[column] = make(list(df[column]))
    return out


@pytest.fixture(scope="module")
def reference() -> dict[str, pd.DataFrame]:
    return {layout: metrics(df) for layout, df in PANELS.items()}


# --------------------------------------------------------------------------- codes
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("dtype", TEXT)
def test_text_codes_give_the_same_output(
    dtype: str, layout: str, reference: dict[str, pd.DataFrame]
) -> None:
    df = PANELS[layout]
    both = with_column(with_column(df, "region", TEXT[dtype]), "activity", TEXT[dtype])
    before = both.dtypes.copy()
    assert_same_output(metrics(both), reference[layout])
    pd.testing.assert_series_equal(both.dtypes, before)  # the input is left as it was
    if layout == "small":  # one column converted, the other plain
        for column in ("region", "activity"):
            assert_same_output(metrics(with_column(df, column, TEXT[dtype])), reference[layout])


def test_labels_have_one_dtype(reference: dict[str, pd.DataFrame]) -> None:
    text = pd.Index(np.array(["a"], dtype=object)).dtype  # str on pandas 3, else object
    out = reference["small"]
    assert out["region"].cat.categories.dtype == text
    assert out["activity"].cat.categories.dtype == text
    assert out["period"].dtype == np.int64
    assert all(type(p.period) is np.int64 for p in diagnostics(out).periods)


@pytest.mark.skipif(not HAS_VIEW, reason="pyarrow < 16 has no string_view")
def test_string_view_columns_cast_with_astype(reference: dict[str, pd.DataFrame]) -> None:
    """The reported case: ``df.astype({"region": pd.ArrowDtype(pa.string_view())})``."""
    df = PANELS["small"].astype({"region": "string[pyarrow]", "activity": "string[pyarrow]"})
    view = pd.ArrowDtype(pa.string_view())
    out = metrics(df.astype({"region": view, "activity": view}))
    assert_same_output(out, reference["small"])


@pytest.mark.parametrize("dtype", TEXT)
def test_compute_proximity_takes_text_codes(dtype: str) -> None:
    df = PANELS["shuffled"]
    expected = compute_proximity(df)
    converted = with_column(with_column(df, "region", TEXT[dtype]), "activity", TEXT[dtype])
    pd.testing.assert_frame_equal(compute_proximity(converted), expected)


# --------------------------------------------------------------------------- periods
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("dtype", INTEGERS)
def test_integer_periods_give_the_same_output(
    dtype: str, layout: str, reference: dict[str, pd.DataFrame]
) -> None:
    out = metrics(with_column(PANELS[layout], "period", INTEGERS[dtype]))
    assert_same_output(out, reference[layout])


@pytest.mark.parametrize("dtype", TEXT)
def test_text_periods_give_the_same_output(dtype: str) -> None:
    df = PANELS["shuffled"].assign(period=lambda d: [str(p) for p in d["period"]])
    expected = metrics(with_column(df, "period", TEXT["object"]))
    assert_same_output(metrics(with_column(df, "period", TEXT[dtype])), expected)


# --------------------------------------------------------------------------- values
@pytest.mark.parametrize("missing", ["zero", "drop", "raise"])
@pytest.mark.parametrize("dtype", NUMBERS)
def test_values_with_missing_ones_give_the_same_output(dtype: str, missing: str) -> None:
    df = PANELS["small"]
    values: list[Any] = list(df["value"])
    values[1] = values[17] = None
    expected_df = df.assign(value=NUMBERS["float64"](values))
    converted = df.assign(value=NUMBERS[dtype](values))
    if missing == "raise":
        with pytest.raises(InputError) as expected:
            metrics(expected_df)
        with pytest.raises(InputError) as got:
            metrics(converted)
        assert str(got.value) == str(expected.value)
        assert "2 missing value(s)" in str(got.value)
    else:
        assert_same_output(
            metrics(converted, missing=missing), metrics(expected_df, missing=missing)
        )


@pytest.mark.parametrize("dtype", WHOLE_NUMBERS)
def test_whole_number_values_give_the_same_output(
    dtype: str, reference: dict[str, pd.DataFrame]
) -> None:
    df = PANELS["small"]
    converted = df.assign(value=WHOLE_NUMBERS[dtype]([int(v) for v in df["value"]]))
    assert_same_output(metrics(converted), reference["small"])


@pytest.mark.parametrize("dtype", TEXT)
def test_values_as_text_give_the_same_output(
    dtype: str, reference: dict[str, pd.DataFrame]
) -> None:
    df = PANELS["small"]
    assert_same_output(
        metrics(df.assign(value=TEXT[dtype]([f"{v:g}" for v in df["value"]]))),
        reference["small"],
    )


@pytest.mark.parametrize("dtype", TEXT)
def test_a_value_that_is_not_a_number_is_named_whatever_the_dtype(dtype: str) -> None:
    df = PANELS["small"]
    text = ["1,5", *(f"{v:g}" for v in df["value"][1:])]
    with pytest.raises(InputError, match=r"1 value\(s\) are not numbers: row 1 ") as info:
        metrics(df.assign(value=TEXT[dtype](text)))
    assert info.value.column == "value"


# --------------------------------------------------------------------------- population
@pytest.mark.parametrize("dtype", TEXT)
def test_population_and_proximity_with_text_codes(dtype: str) -> None:
    df = PANELS["small"]
    regions = sorted(set(df["region"]))
    population = pd.DataFrame({"region": regions, "population": np.arange(1.0, 7.0)})
    proximity = compute_proximity(df)
    expected = metrics(df, presence="rpop", population=population, proximity_matrix=proximity)
    make = TEXT[dtype]
    out = metrics(
        with_column(with_column(df, "region", make), "activity", make),
        presence="rpop",
        population=with_column(population, "region", make),
        proximity_matrix=with_column(
            with_column(proximity, "activity_1", make), "activity_2", make
        ),
    )
    assert_same_output(out, expected)
    series = pd.Series(population["population"].to_numpy(), index=pd.Index(make(regions)))
    out = metrics(
        with_column(df, "region", make),
        presence="rpop",
        population=series,
        proximity_matrix=proximity,
    )
    assert_same_output(out, expected)


# --------------------------------------------------------------------------- refused
def test_a_nested_code_column_is_refused_with_its_dtype() -> None:
    df = PANELS["small"]
    nested = df.assign(activity=arrow(pa.list_(pa.string()))([[a] for a in df["activity"]]))
    with pytest.raises(InputError, match=r"activity column 'activity' has dtype list<") as info:
        metrics(nested)
    assert info.value.column == "activity"
    assert "activity codes are text" in str(info.value.hint)


def test_a_renamed_bytes_column_is_refused_under_its_name() -> None:
    df = PANELS["small"].rename(columns={"region": "geo"})
    df["geo"] = arrow(pa.binary())([r.encode() for r in df["geo"]])
    with pytest.raises(InputError, match=r"region column 'geo' has dtype binary") as info:
        metrics(df, columns={"region": "geo"})
    assert ".str.decode('utf-8')" in str(info.value.hint)


def test_an_unused_nested_column_is_left_alone(reference: dict[str, pd.DataFrame]) -> None:
    df = PANELS["small"]
    tagged = df.assign(tags=arrow(pa.list_(pa.string()))([[r] for r in df["region"]]))
    assert_same_output(metrics(tagged), reference["small"])
