"""The fast paths of aggregate(): ENUM grouping on DuckDB, the counting sort, and the
trusted ActivityTable.from_frame. Each must give exactly what the slow path gives."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from smartspec.data import aggregate as agg_module
from smartspec.data.aggregate import aggregate
from smartspec.errors import InputError
from smartspec.table import ActivityTable

pytest.importorskip("ibis", reason="aggregation needs ibis-framework[duckdb]")

REGIONS = ["SE110", "SE211", "SE332", "DE111", "FR101"]
ACTIVITIES = ["62", "10", "x'y", "45"]  # a quote: the ENUM literal must escape it


def records(n: int = 400, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    weight = rng.integers(0, 40, n) / 4.0
    frame = pd.DataFrame(
        {
            "id": rng.integers(0, 50, n),
            "region": rng.choice(REGIONS, n),
            "activity": rng.choice(ACTIVITIES, n),
            "period": rng.integers(2015, 2020, n),
            "weight": weight,
        }
    )
    frame.loc[frame.index[::17], "weight"] = np.nan
    return frame


def _both(
    monkeypatch: pytest.MonkeyPatch, source: Any, **kwargs: Any
) -> tuple[ActivityTable, ActivityTable]:
    # ENUM grouping is used from 1M possible cells; these records have a few hundred
    monkeypatch.setattr(agg_module._duckdb_fast, "_ENUM_MIN_CELLS", 1)
    fast = aggregate(source, measure="m", unit="u", classification="custom", **kwargs)
    with monkeypatch.context() as m:
        m.setattr(agg_module.core, "_enum_sql", lambda *a, **k: None)
        slow = aggregate(source, measure="m", unit="u", classification="custom", **kwargs)
    return fast, slow


@pytest.mark.parametrize(
    "kwargs", [{"weight": "weight"}, {}, {"distinct": "id"}, {"weight": "weight", "period": None}]
)
def test_enum_grouping_same_as_ibis_grouping(
    monkeypatch: pytest.MonkeyPatch, kwargs: dict[str, Any]
) -> None:
    fast, slow = _both(monkeypatch, records(), **kwargs)
    assert "ENUM(" in fast.meta.provenance["aggregation"]["sql"]
    assert "ENUM(" not in slow.meta.provenance["aggregation"]["sql"]
    pd.testing.assert_frame_equal(fast.frame, slow.frame)
    pd.testing.assert_frame_equal(fast.to_pandas(), slow.to_pandas())
    assert fast.report.notes == slow.report.notes
    fa, sa = fast.meta.provenance["aggregation"], slow.meta.provenance["aggregation"]
    for key in ("records_in", "records_used", "rows_out"):
        assert fa[key] == sa[key]


def test_enum_grouping_from_parquet_with_filters(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    path = tmp_path / "r.parquet"
    records(2_000, seed=3).to_parquet(path)
    fast, slow = _both(monkeypatch, str(path), weight="weight", filters={"period": [2016, 2018]})
    assert "ENUM(" in fast.meta.provenance["aggregation"]["sql"]
    pd.testing.assert_frame_equal(fast.frame, slow.frame)
    assert set(fast.periods) == {2016, 2018}


def test_enum_grouping_with_unmatched_null_regions(monkeypatch: pytest.MonkeyPatch) -> None:
    frame = records()
    frame.loc[frame.index[:3], "region"] = None
    fast, slow = _both(monkeypatch, frame, weight="weight", unmatched="drop")
    pd.testing.assert_frame_equal(fast.frame, slow.frame)
    assert fast.meta.provenance["aggregation"]["records_unmatched"] == 3


def test_few_possible_cells_group_the_text_itself() -> None:
    table = aggregate(records(), measure="m", unit="u", weight="weight", classification="c")
    assert "ENUM(" not in table.meta.provenance["aggregation"]["sql"]


def test_rows_are_sorted_and_categories_sorted() -> None:
    table = aggregate(records(), measure="m", unit="u", weight="weight", classification="custom")
    frame = table.to_pandas()
    expected = frame.sort_values(["region", "activity", "period"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(frame, expected)
    for col in ("region", "activity"):
        cats = list(table.frame[col].cat.categories)
        assert cats == sorted(cats)


def _grouped(n_regions: int, n_activities: int, n: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    cells = rng.permutation(n_regions * n_activities * 7)[:n]
    return pd.DataFrame(
        {
            "r": pd.Categorical([f"R{i:03d}" for i in cells // (n_activities * 7)]),
            "a": [f"A{i:04d}" for i in (cells // 7) % n_activities],  # plain text
            "p": (cells % 7 + 2000).astype(np.int32),
            "v": rng.random(n),
        }
    )


@pytest.mark.parametrize(("n_regions", "n_activities", "n"), [(30, 20, 3_000), (300, 900, 500)])
def test_counting_sort_same_as_sorting(n_regions: int, n_activities: int, n: int) -> None:
    # (30, 20): few possible cells, counting sort; (300, 900): 1.9M cells for 500 rows,
    # more than 4 n + 2**20: argsort
    df = _grouped(n_regions, n_activities, n, seed=n)
    out = agg_module._sorted(df, {"r": "region", "a": "activity", "p": "period"}, "v")
    plain = pd.DataFrame(
        {"region": df["r"].astype(str), "activity": df["a"], "period": df["p"].astype(np.int64)}
    ).assign(value=df["v"])
    expected = plain.sort_values(["region", "activity", "period"]).reset_index(drop=True)
    got = out.assign(region=out["region"].astype(str), activity=out["activity"].astype(str))
    pd.testing.assert_frame_equal(got, expected)


def test_sorting_with_repeated_keys_falls_back_to_a_stable_sort() -> None:
    df = pd.DataFrame(
        {"r": ["B", "A", "B", "A"], "p": [2001, 2000, 2001, 2000], "v": [1.0, 2.0, 3.0, 4.0]}
    )
    out = agg_module._sorted(df, {"r": "region", "p": "period"}, "v")
    assert list(out["region"].astype(str)) == ["A", "A", "B", "B"]
    assert list(out["value"]) == [2.0, 4.0, 1.0, 3.0]


# --------------------------------------------------------------------------- from_frame
def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "region": ["SE110", "SE211", "SE110", "SE211", "SE332"],
            "activity": ["62", "62", "10", "10", "62"],
            "period": [2020, 2020, 2021, 2021, 2021],
            "value": [1.0, 2.0, np.nan, 4.0, 5.0],
        }
    )


def test_trusted_unique_keys_same_table() -> None:
    kwargs: dict[str, Any] = {"measure": "m", "unit": "u", "additive": True}
    slow = ActivityTable.from_frame(_frame(), **kwargs)
    fast = ActivityTable.from_frame(_frame(), **kwargs, _trusted_unique_keys=True)
    pd.testing.assert_frame_equal(fast.frame, slow.frame)
    assert fast.meta == slow.meta
    assert fast.report == slow.report


def test_trusted_unique_keys_still_checks_codes_and_values() -> None:
    kwargs: dict[str, Any] = {"measure": "m", "unit": "u", "additive": True}
    bad_region = _frame().assign(region=["SE110", "XX999", "SE110", "SE211", "SE332"])
    with pytest.raises(InputError, match="XX999"):
        ActivityTable.from_frame(bad_region, **kwargs, _trusted_unique_keys=True)
    negative = _frame().assign(value=[1.0, -2.0, 3.0, 4.0, 5.0])
    with pytest.raises(InputError, match="negative"):
        ActivityTable.from_frame(negative, **kwargs, _trusted_unique_keys=True)


def test_duplicates_are_still_refused_without_the_private_flag() -> None:
    dup = pd.concat([_frame(), _frame().iloc[:1]], ignore_index=True)
    with pytest.raises(InputError):
        ActivityTable.from_frame(dup, measure="m", unit="u", additive=True)


def test_enum_grouping_without_missing_weights(monkeypatch: pytest.MonkeyPatch) -> None:
    frame = records().fillna({"weight": 0.5})
    fast, slow = _both(monkeypatch, frame, weight="weight")
    assert "ENUM(" in fast.meta.provenance["aggregation"]["sql"]
    assert "count(" not in fast.meta.provenance["aggregation"]["sql"].replace("count(*)", "")
    pd.testing.assert_frame_equal(fast.frame, slow.frame)
    assert fast.report.notes == slow.report.notes
    assert not any("without a weight" in note for note in fast.report.notes)
