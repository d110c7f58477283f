"""Fixtures of the aggregation tests: small record sets, and ONE local SparkSession.

The SparkSession is session-scoped: starting the JVM takes ~15 s, so every Spark test
shares it. Without PySpark or Java the Spark tests are skipped with the reason (and
fail under ``SMARTSPEC_REQUIRE_ALL=1``, see ``tests/conftest.py``).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from smartspec.data.engines import spark_session, spark_unavailable


@pytest.fixture(scope="session")
def spark(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The one local SparkSession of the test session (local[2], 2 shuffle partitions)."""
    reason = spark_unavailable()
    if reason is not None:
        pytest.skip(f"Spark cannot run here: {reason}")
    session = spark_session(
        cores=2,
        shuffle_partitions=2,
        driver_memory="1g",
        work_dir=tmp_path_factory.mktemp("spark"),
        app_name="smartspec-tests",
        # C1-only JIT and the serial GC: the JVM starts faster; these jobs are tiny
        java_options="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC",
    )
    yield session
    session.stop()


MUNICIPALITIES = ["0180", "0184", "0114", "0680", "0682", "1280", "1480", "2580", "2584"]
POSTCODES = {
    "111 20": "SE110",
    "113 50": "SE110",
    "553 16": "SE211",
    "211 19": "SE224",
    "411 04": "SE232",
    "971 87": "SE332",
}
NACE = ["62.01", "62.02", "10.11", "10.12", "C10.13", "2562", "72.11", "01.11"]


def make_records(n: int = 240, seed: int = 7) -> pd.DataFrame:
    """Seeded records: firm ids (repeated), municipality, postcode, NACE, year, weight.

    Weights are multiples of 0.25, so sums are exact in any order (Spark and DuckDB add
    in different orders).
    """
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "firm": rng.integers(1, n // 3, n),
            "kommun": rng.choice(MUNICIPALITIES, n),
            "postnr": rng.choice(list(POSTCODES), n),
            "nace": rng.choice(NACE, n),
            "year": rng.choice([2019, 2020, 2021], n),
            "employees": rng.integers(0, 200, n) / 4.0,
            "sector": rng.choice(["private", "public"], n),
        }
    )


@pytest.fixture(scope="session")
def records() -> pd.DataFrame:
    return make_records()


@pytest.fixture(scope="session")
def records_parquet(tmp_path_factory: pytest.TempPathFactory, records: pd.DataFrame) -> Path:
    """The records in three Parquet files of one directory."""
    folder = tmp_path_factory.mktemp("records")
    for i, part in enumerate(np.array_split(np.arange(len(records)), 3)):
        records.iloc[part].to_parquet(folder / f"part-{i}.parquet", index=False)
    return folder


@pytest.fixture(scope="session")
def records_csv(tmp_path_factory: pytest.TempPathFactory, records: pd.DataFrame) -> Path:
    path = tmp_path_factory.mktemp("csv") / "records.csv"
    records.to_csv(path, index=False)
    return path


@pytest.fixture(scope="session")
def postcode_map() -> pd.DataFrame:
    return pd.DataFrame({"postcode": list(POSTCODES), "nuts": list(POSTCODES.values())})
