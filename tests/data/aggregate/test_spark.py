"""The same records aggregated on DuckDB and on Spark (local mode) give the same tables.

One SparkSession for the whole test session (the ``spark`` fixture in this folder's
conftest). Weights are multiples of 0.25, so sums are exact whatever the order of
addition, and the frames are compared as they are (sorted by region, activity, period).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from smartspec.data.aggregate import UnmatchedRecordsError, aggregate
from smartspec.errors import InputError

pytestmark = pytest.mark.spark

ibis = pytest.importorskip("ibis", reason="aggregation needs ibis-framework")


def both(spark: Any, source: Any, **kwargs: Any) -> tuple[Any, Any]:
    """The table aggregated on DuckDB and on Spark; asserts the frames are identical."""
    kwargs.setdefault("measure", "employment")
    kwargs.setdefault("unit", "persons")
    on_duck = aggregate(source, backend="duckdb", **kwargs)
    on_spark = aggregate(source, backend=spark, **kwargs)
    pd.testing.assert_frame_equal(on_duck.to_pandas(), on_spark.to_pandas())
    duck_agg = on_duck.meta.provenance["aggregation"]
    spark_agg = on_spark.meta.provenance["aggregation"]
    for key in ("records_in", "records_after_filters", "records_unmatched", "records_used"):
        assert duck_agg[key] == spark_agg[key], key
    assert duck_agg["unmatched"] == spark_agg["unmatched"]
    assert duck_agg["backend"].startswith("duckdb ")
    assert spark_agg["backend"].startswith("pyspark ")
    assert "GROUP BY" in spark_agg["sql"]
    assert on_duck.report.notes == on_spark.report.notes
    return on_duck, on_spark


def test_sum_of_weights(spark: Any, records: pd.DataFrame) -> None:
    duck, _ = both(
        spark,
        records,
        region="kommun",
        region_from="municipality",
        activity="nace",
        activity_level=4,
        period="year",
        weight="employees",
    )
    assert duck.frame["value"].sum() == records["employees"].sum()


def test_count_of_records(spark: Any, records: pd.DataFrame) -> None:
    duck, _ = both(
        spark,
        records,
        region="kommun",
        region_from="municipality",
        activity="nace",
        activity_level=2,
        period="year",
    )
    assert duck.frame["value"].sum() == len(records)


def test_count_of_distinct_ids(spark: Any, records: pd.DataFrame) -> None:
    both(
        spark,
        records,
        region="kommun",
        region_from="municipality",
        activity="nace",
        activity_level=1,
        period="year",
        distinct="firm",
    )


def test_postcode_lookup(spark: Any, records: pd.DataFrame, postcode_map: pd.DataFrame) -> None:
    duck, _ = both(
        spark,
        records,
        region="postnr",
        region_from="postcode",
        region_map=postcode_map,
        activity="nace",
        activity_level=2,
        period="year",
        weight="employees",
    )
    assert set(duck.regions) <= set(postcode_map["nuts"])


def test_postcode_lookup_from_csv(
    spark: Any, records: pd.DataFrame, postcode_map: pd.DataFrame, tmp_path: Path
) -> None:
    path = tmp_path / "postcodes.csv"
    postcode_map.to_csv(path, index=False)
    both(
        spark,
        records,
        region="postnr",
        region_from="postcode",
        region_map=path,
        activity="nace",
        activity_level=3,
        period="year",
    )


def test_filters(spark: Any, records: pd.DataFrame) -> None:
    duck, _ = both(
        spark,
        records,
        region="kommun",
        region_from="municipality",
        activity="nace",
        activity_level=2,
        period="year",
        weight="employees",
        filters={"sector": "private", "year": [2020, 2021]},
    )
    assert duck.periods == (2020, 2021)
    both(
        spark,
        records,
        region="kommun",
        region_from="municipality",
        activity="nace",
        activity_level=2,
        period="year",
        filters=[ibis._.employees >= 10],
    )


def test_parquet_directory(spark: Any, records_parquet: Path) -> None:
    duck, _ = both(
        spark,
        records_parquet,
        region="kommun",
        region_from="municipality",
        activity="nace",
        activity_level=2,
        period="year",
        weight="employees",
    )
    assert duck.meta.provenance["aggregation"]["records_in"] == 240
    both(
        spark,
        str(records_parquet / "part-*.parquet"),
        region="kommun",
        region_from="municipality",
        activity=None,
        period="year",
    )


def test_csv_with_numeric_municipality_codes(spark: Any, records_csv: Path) -> None:
    # "0180" is read back as the number 180 by both engines; it gets its zero again
    duck, _ = both(
        spark,
        records_csv,
        region="kommun",
        region_from="municipality",
        activity="nace",
        activity_level=2,
        period="year",
        weight="employees",
    )
    assert "SE110" in duck.regions


def test_unmatched_dropped_alike(spark: Any, records: pd.DataFrame) -> None:
    bad = records.copy()
    bad.loc[:9, "kommun"] = "9999"
    bad.loc[10:12, "nace"] = "04.11"
    duck, _ = both(
        spark,
        bad,
        region="kommun",
        region_from="municipality",
        activity="nace",
        activity_level=2,
        period="year",
        unmatched="drop",
    )
    agg = duck.meta.provenance["aggregation"]
    assert (agg["records_unmatched"], agg["records_used"]) == (13, 227)


def test_unmatched_error_on_spark(spark: Any, records: pd.DataFrame) -> None:
    bad = records.copy()
    bad.loc[:4, "kommun"] = "9999"
    with pytest.raises(UnmatchedRecordsError) as info:
        aggregate(
            bad,
            backend=spark,
            measure="m",
            unit="u",
            region="kommun",
            region_from="municipality",
            activity="nace",
            period="year",
        )
    [u] = info.value.unmatched
    assert (u.records, u.examples) == (5, (("9999", 5),))


def test_unhappy_paths_on_spark(spark: Any, records: pd.DataFrame, tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"no column 'region'.*the columns are: firm, kommun"):
        aggregate(records, backend=spark, measure="m", unit="u")
    with pytest.raises(InputError, match="the file does not exist"):
        aggregate(tmp_path / "nope.parquet", backend=spark, measure="m", unit="u")
    negative = records.assign(employees=records["employees"] - 10)
    with pytest.raises(InputError, match="records have a negative weight"):
        aggregate(
            negative,
            backend=spark,
            measure="m",
            unit="u",
            region="kommun",
            region_from="municipality",
            activity="nace",
            period="year",
            weight="employees",
        )


def test_ibis_pyspark_backend_object(spark: Any, records: pd.DataFrame) -> None:
    con = ibis.pyspark.connect(spark)
    table = aggregate(
        records,
        backend=con,
        measure="m",
        unit="u",
        region="kommun",
        region_from="municipality",
        activity=None,
        period=None,
    )
    assert table.frame["value"].sum() == len(records)
    with pytest.raises(InputError, match="threads configure a DuckDB database"):
        aggregate(records, backend=con, threads=2, measure="m", unit="u")


def test_nuts_codes_with_spaces_and_case(spark: Any) -> None:
    df = pd.DataFrame(
        {
            "region": [" se110", "SE 110", "SE110", "se211", "SE211 ", "SE110"],
            "activity": ["62", "62 ", "62", "10", "62", "10"],
            "period": ["2020", "2020", " 2020", "2020", "2021", "2021"],
            "weight": [1.5, 2.0, 0.5, 4.0, 1.0, 3.0],
        }
    )
    duck, _ = both(spark, df, weight="weight")
    assert duck.frame["value"].tolist() == [3.0, 4.0, 4.0, 1.0]


def test_command_line_on_spark_stores_what_duckdb_stores(
    spark: Any, records_parquet: Path, tmp_path: Path
) -> None:
    """`smartspec data aggregate --backend pyspark` (the active session) = DuckDB's table."""
    from typer.testing import CliRunner

    from smartspec import cli
    from smartspec.data.store import EvidenceStore

    args = [
        "aggregate",
        str(records_parquet),
        "--region",
        "kommun",
        "--region-from",
        "municipality",
        "--activity",
        "nace",
        "--activity-level",
        "2",
        "--period",
        "year",
        "--weight",
        "employees",
        "--measure",
        "employment",
        "--unit",
        "persons",
    ]
    root = tmp_path / "home"
    for backend in ("duckdb", "pyspark"):
        result = CliRunner().invoke(
            cli.app,
            ["--data-dir", str(root), "data", *args, "--name", backend, "--backend", backend],
        )
        assert result.exit_code == 0, result.output
        assert "records → " in result.output
        assert f"on {backend} " in result.output
    store = EvidenceStore(root)
    pd.testing.assert_frame_equal(
        store.load("duckdb").to_pandas(), store.load("pyspark").to_pandas()
    )
