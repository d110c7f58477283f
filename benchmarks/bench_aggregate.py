"""Benchmark: record-level aggregation with smartspec.data.aggregate (DuckDB) vs pandas.

A script, not a unit test. Synthetic records — region, activity, period among 10
years, weight a float (multiples of 0.25, so sums are exact in any order) — are
written to Parquet (seeded; 5M-row files of 1M-row row groups, generated one file at
a time so memory stays low) and aggregated to region × activity × period. Two
scenarios (``--scenario``, default both, ``cells`` last):

``cells`` (the finest table an analyst builds: NUTS 3 × NACE classes)
    1,200 real NUTS 2021 level-3 codes × the 615 NACE Rev. 2 classes × 10 years =
    7.4M possible cells: 10M records fill 5.5M of them, so nearly every record is its
    own group and the output is half the size of the input.
``dense`` (many records per cell, as establishment or patent data)
    240 real NUTS 2021 level-2 codes × the 88 NACE divisions × 10 years = 211,200
    cells: about 47 records per cell at 10M records.

(a) ``--records 10000000`` (default): our :func:`~smartspec.data.aggregate.aggregate`
    on DuckDB (streaming the Parquet files) and pandas (``pd.read_parquet`` +
    ``groupby().sum()``) in the same run; asserts identical results; prints every
    run, and the speed-up ratio LAST (goal ≥ 10×).
(b) ``--records 100000000`` (or ``--duckdb-only``): DuckDB alone, streaming; prints
    the time and the peak memory of the process (``ru_maxrss``; goal < 60 s and
    < 4 GB on 2 cores). Data generation runs in a child process, so it does not
    count towards the peak.

The Parquet files are cached under ``--workdir`` (default:
``$TMPDIR/smartspec-bench-aggregate``), one directory per record count, so reruns do
not regenerate them.

Usage::

    python benchmarks/bench_aggregate.py                        # (a) 10M records
    python benchmarks/bench_aggregate.py --records 100000000    # (b) 100M, DuckDB only
    python benchmarks/bench_aggregate.py --records 1000000      # quick check
    python benchmarks/bench_aggregate.py --threads 2 --memory-limit 3GB --repeat 2
    python benchmarks/bench_aggregate.py --activity-level 2     # classes -> divisions
"""

from __future__ import annotations

import argparse
import gc
import os
import resource
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np

FILE_ROWS = 5_000_000
ROW_GROUP = 1_000_000
SCENARIOS = {"cells": (1_200, 3, 4), "dense": (240, 2, 2)}  # regions, NUTS level, NACE level
N_YEARS = 10
FIRST_YEAR = 2014
PANDAS_LIMIT = 20_000_000  # above this, pandas would need too much memory: DuckDB only


def _rss_gb() -> float:
    """Peak resident memory of this process so far, in GB (Linux: ru_maxrss is in kB)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024**3 if sys.platform == "darwin" else 1024**2)


def _codes(scenario: str) -> tuple[list[str], list[str]]:
    from smartspec import geo
    from smartspec.taxonomy import nace_codes

    n_regions, nuts_level, nace_level = SCENARIOS[scenario]
    regions = sorted(c for c in geo.codes(2021, nuts_level) if not geo.is_extra_regio(c))
    rng = np.random.default_rng(2021)
    picked = sorted(rng.choice(regions, size=min(n_regions, len(regions)), replace=False))
    return [str(c) for c in picked], list(nace_codes(nace_level))


def generate(folder: Path, records: int, seed: int, scenario: str = "cells") -> None:
    """Write *records* synthetic records to ``folder/part-XXX.parquet`` (5M per file)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    regions, activities = _codes(scenario)
    region_dict = pa.array(regions, pa.string())
    activity_dict = pa.array(activities, pa.string())
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob("*.parquet"):
        stale.unlink()
    n_files = -(-records // FILE_ROWS)
    started = time.perf_counter()
    for i in range(n_files):
        rows = min(FILE_ROWS, records - i * FILE_ROWS)
        rng = np.random.default_rng([seed, i])
        path = folder / f"part-{i:03d}.parquet"
        schema = pa.schema(
            [
                ("id", pa.int64()),
                ("region", pa.string()),
                ("activity", pa.string()),
                ("period", pa.int32()),
                ("weight", pa.float64()),
            ]
        )
        with pq.ParquetWriter(path, schema, compression="zstd") as writer:
            for start in range(0, rows, ROW_GROUP):
                n = min(ROW_GROUP, rows - start)
                first_id = i * FILE_ROWS + start
                batch = pa.table(
                    {
                        "id": pa.array(np.arange(first_id, first_id + n, dtype=np.int64)),
                        "region": region_dict.take(
                            pa.array(rng.integers(0, len(regions), n, dtype=np.int32))
                        ),
                        "activity": activity_dict.take(
                            pa.array(rng.integers(0, len(activities), n, dtype=np.int32))
                        ),
                        "period": pa.array(
                            rng.integers(FIRST_YEAR, FIRST_YEAR + N_YEARS, n, dtype=np.int32)
                        ),
                        "weight": pa.array(rng.integers(0, 400, n) / 4.0),
                    },
                    schema=schema,
                )
                writer.write_table(batch, row_group_size=ROW_GROUP)
        print(
            f"  wrote {path.name} ({rows:,} records; {time.perf_counter() - started:.1f} s)",
            flush=True,
        )
    (folder / "_DONE").write_text(f"{records} {seed}\n")


def ensure_data(workdir: Path, records: int, seed: int, scenario: str = "cells") -> Path:
    # the "cells" directory keeps its old name, so existing caches are reused
    suffix = "" if scenario == "cells" else f"-{scenario}"
    folder = workdir / f"records-{records}-seed{seed}{suffix}"
    done = folder / "_DONE"
    if done.exists() and done.read_text().split() == [str(records), str(seed)]:
        print(f"data: {folder} (cached)")
        return folder
    print(f"data: generating {records:,} records in {folder} (child process)", flush=True)
    subprocess.run(
        [
            sys.executable,
            __file__,
            "--generate",
            str(folder),
            "--records",
            str(records),
            "--seed",
            str(seed),
            "--scenario",
            scenario,
        ],
        check=True,
    )
    return folder


def run_duckdb(
    folder: Path,
    threads: int,
    memory_limit: str,
    activity_level: int | None,
    region_level: int = 3,
) -> tuple[float, object]:
    from smartspec.data.aggregate import aggregate

    gc.collect()
    started = time.perf_counter()
    table = aggregate(
        str(folder / "*.parquet"),
        measure="employment",
        unit="persons",
        weight="weight",
        activity_level=activity_level,
        nuts_version=2021,
        region_level=region_level,
        classification="NACE",
        classification_version="Rev. 2",
        threads=threads,
        memory_limit=memory_limit,
    )
    return time.perf_counter() - started, table


def run_floor(folder: Path, threads: int, memory_limit: str) -> float:
    """DuckDB's bare GROUP BY on the same files, fetched to Arrow: the engine's floor.

    No code checks, no mapping, no table: what any DuckDB-based aggregation costs at
    least (only meaningful without ``--activity-level``).
    """
    import duckdb

    con = duckdb.connect()
    con.execute(f"SET threads = {threads}")
    con.execute(f"SET memory_limit = '{memory_limit}'")
    con.execute("SET preserve_insertion_order = false")
    files = str(folder / "*.parquet").replace("'", "''")
    gc.collect()
    started = time.perf_counter()
    con.execute(
        "SELECT region, activity, period, sum(weight) AS value, count(*) AS n "
        f"FROM read_parquet('{files}') GROUP BY ALL"
    ).to_arrow_table()
    elapsed = time.perf_counter() - started
    con.close()
    return elapsed


def run_pandas(folder: Path, activity_level: int | None) -> tuple[float, object]:
    import pandas as pd

    gc.collect()
    started = time.perf_counter()
    df = pd.read_parquet(folder, columns=["region", "activity", "period", "weight"])
    if activity_level == 2:  # "62.01" -> "62": the NACE division
        df["activity"] = df["activity"].str.slice(0, 2)
    out = df.groupby(["region", "activity", "period"], sort=True)["weight"].sum()
    elapsed = time.perf_counter() - started
    del df
    return elapsed, out


def run_scenario(args: argparse.Namespace, scenario: str, workdir: Path) -> float | None:
    """Run one scenario; the speed-up ratio (None without pandas)."""
    import pandas as pd

    n_regions, nuts_level, nace_level = SCENARIOS[scenario]
    print(
        f"\n=== scenario {scenario!r}: {n_regions:,} NUTS {nuts_level} regions × "
        f"NACE level {nace_level} × {N_YEARS} years"
    )
    print(f"load average: {os.getloadavg()[0]:.2f} (cores: {os.cpu_count()})")
    with_pandas = not args.duckdb_only and args.records <= PANDAS_LIMIT
    folder = ensure_data(workdir, args.records, args.seed, scenario)
    size = sum(p.stat().st_size for p in folder.glob("*.parquet"))
    print(
        f"{args.records:,} records in {len(list(folder.glob('*.parquet')))} Parquet files, "
        f"{size / 1e6:,.0f} MB"
    )
    duck_times: list[float] = []
    pandas_times: list[float] = []
    floor_times: list[float] = []
    table = grouped = None
    for run in range(args.repeat):
        elapsed, table = run_duckdb(
            folder, args.threads, args.memory_limit, args.activity_level, nuts_level
        )
        duck_times.append(elapsed)
        seconds = table.meta.provenance["aggregation"]["seconds"]  # type: ignore[attr-defined]
        parts = ", ".join(f"{k} {v:.2f}" for k, v in seconds.items() if k != "total")
        print(
            f"duckdb run {run + 1}: {elapsed:.2f} s ({parts}); {len(table):,} rows; "  # type: ignore[arg-type]
            f"peak RSS so far {_rss_gb():.2f} GB",
            flush=True,
        )
        if with_pandas and args.activity_level is None:
            floor_times.append(run_floor(folder, args.threads, args.memory_limit))
            print(f"duckdb bare GROUP BY run {run + 1}: {floor_times[-1]:.2f} s", flush=True)
        if with_pandas:
            elapsed, grouped = run_pandas(folder, args.activity_level)
            pandas_times.append(elapsed)
            print(
                f"pandas run {run + 1}: {elapsed:.2f} s; peak RSS so far {_rss_gb():.2f} GB",
                flush=True,
            )
    print(f"load average: {os.getloadavg()[0]:.2f}")
    best_duck = min(duck_times)
    if not with_pandas:
        print(
            f"DuckDB, {args.records:,} records, {args.threads} threads, memory_limit "
            f"{args.memory_limit}: best {best_duck:.2f} s (goal < 60 s), peak RSS "
            f"{_rss_gb():.2f} GB (goal < 4 GB)"
        )
        return None

    ours = table.to_pandas()  # type: ignore[attr-defined]
    theirs = grouped.rename("value").reset_index()  # type: ignore[attr-defined]
    for col in ("region", "activity"):
        ours[col] = ours[col].astype(str)
        theirs[col] = theirs[col].astype(str)
    theirs["period"] = theirs["period"].astype("int64")
    pd.testing.assert_frame_equal(
        ours.reset_index(drop=True), theirs.reset_index(drop=True), check_exact=True
    )
    print(f"identical results: {len(ours):,} rows, total {ours['value'].sum():,.2f}")
    best_pandas = min(pandas_times)
    print(f"best: duckdb {best_duck:.2f} s, pandas {best_pandas:.2f} s")
    if floor_times:
        floor = min(floor_times)
        print(
            f"DuckDB's bare GROUP BY (floor) {floor:.2f} s: pandas / floor "
            f"{best_pandas / floor:.1f}x, smartspec / floor {best_duck / floor:.2f}x"
        )
    return best_pandas / best_duck


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=10_000_000)
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--threads", type=int, default=2, help="DuckDB threads (default 2)")
    parser.add_argument("--memory-limit", default="3GB", help="DuckDB memory_limit (3GB)")
    parser.add_argument("--repeat", type=int, default=2, help="runs of each engine (default 2)")
    parser.add_argument("--duckdb-only", action="store_true", help="skip pandas")
    parser.add_argument(
        "--scenario",
        choices=["both", *SCENARIOS],
        default="both",
        help="'cells' (NUTS3 x classes: ~1 record per cell), 'dense' (~47 per cell), or both "
        "(default; 'cells' last)",
    )
    parser.add_argument(
        "--activity-level",
        type=int,
        choices=[2],
        default=None,
        help="aggregate NACE classes to divisions (both engines)",
    )
    parser.add_argument("--generate", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    warnings.filterwarnings("ignore", message=".*(future.infer_string|fetch_arrow_table).*")

    if args.generate is not None:  # the child process that writes the files
        scenario = "cells" if args.scenario == "both" else args.scenario
        generate(args.generate, args.records, args.seed, scenario)
        return 0

    workdir = args.workdir or Path(tempfile.gettempdir()) / "smartspec-bench-aggregate"
    import pandas as pd

    from smartspec.data.aggregate import aggregate

    # warm-up on a tiny frame, so that imports (Ibis, DuckDB, the NUTS and NACE data)
    # are not timed; pandas is imported above
    tiny = pd.DataFrame(
        {"region": ["SE110"], "activity": ["62.01"], "period": [2020], "weight": [1.0]}
    )
    aggregate(tiny, measure="m", unit="u", weight="weight", threads=1)

    scenarios = ["dense", "cells"] if args.scenario == "both" else [args.scenario]
    ratios = {scenario: run_scenario(args, scenario, workdir) for scenario in scenarios}
    print()
    for scenario, ratio in ratios.items():
        if ratio is not None:
            main_one = ""
            print(
                f"speed-up (pandas / smartspec on DuckDB), {scenario!r}{main_one}: "
                f"{ratio:.1f}x (goal >= 10x)"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
