"""Benchmark: ActivityTable.to_matrix (dense and sparse) against pandas pivot / scipy COO.

A script, not a unit test. The long table of ``tests/table/test_matrices.py``:
1,500 regions × 2,000 activities = 3M rows in shuffled order (seeded), region and
activity as pandas categoricals (``R0`` … and ``A0`` …), float64 values, one period.
It times

* dense: smartspec's ``table.to_matrix()`` against pandas'
  ``df.pivot(index="region", columns="activity", values="value").to_numpy()``;
* sparse: ``table.to_matrix(sparse=True)`` (CSR) against ``pandas.factorize`` of both
  label columns and ``scipy.sparse.coo_matrix((values, (rows, cols))).tocsr()``;

each best of ``--repeat`` alternating runs (after ``gc.collect()``; a warm-up call of
every function on a small table first, so that imports are not timed). The matrices
come from one table built before the timings; ``ActivityTable.from_frame`` (which
validates and factorises the labels) is timed in the same alternating loop and
printed, with the speed-up from the DataFrame (build plus matrix, against pandas)
next to the one of the matrix alone. Both matrices are compared exactly,
after reordering pandas' rows and columns to the table's labels (the table sorts labels
as text, pandas keeps the categories' order); identical results are asserted. It
prints the load average before and after, all runs, and the speed-up (pandas /
smartspec) LAST.

Usage::

    python benchmarks/bench_table.py               # 1,500 × 2,000 = 3M rows, best of 5
    python benchmarks/bench_table.py --quick       # 300 × 400, best of 3
    python benchmarks/bench_table.py --regions 3000 --activities 2000 --repeat 7
"""

from __future__ import annotations

import os
import sys

if __name__ == "__main__":  # one BLAS thread, as in the other benchmarks (no BLAS is used)
    for _v in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(_v, "1")

import argparse
import gc
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse as sp

try:
    import smartspec  # noqa: F401
except ImportError:  # running from a checkout without installing
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from smartspec.table import ActivityTable


def make_frame(n_regions: int, n_activities: int, seed: int = 0) -> pd.DataFrame:
    """The shuffled long table of tests/table/test_matrices.py."""
    n = n_regions * n_activities
    rng = np.random.default_rng(seed)
    order = rng.permutation(n)
    r = (np.arange(n) // n_activities)[order]
    a = (np.arange(n) % n_activities)[order]
    return pd.DataFrame(
        {
            "region": pd.Categorical.from_codes(r, [f"R{i}" for i in range(n_regions)]),
            "activity": pd.Categorical.from_codes(a, [f"A{j}" for j in range(n_activities)]),
            "value": rng.random(n),
        }
    )


def build(df: pd.DataFrame) -> ActivityTable:
    return ActivityTable.from_frame(
        df, measure="m", unit="u", additive=True, region_scheme="custom", classification="x"
    )


def pandas_dense(df: pd.DataFrame) -> tuple[np.ndarray, pd.Index, pd.Index]:
    wide = df.pivot(index="region", columns="activity", values="value")
    return wide.to_numpy(), wide.index, wide.columns


def scipy_sparse(df: pd.DataFrame) -> tuple[sp.csr_matrix, pd.Index, pd.Index]:
    rows, regions = pd.factorize(df["region"], sort=True)
    cols, activities = pd.factorize(df["activity"], sort=True)
    shape = (len(regions), len(activities))
    m = sp.coo_matrix((df["value"].to_numpy(), (rows, cols)), shape=shape).tocsr()
    return m, pd.Index(regions), pd.Index(activities)


def timed(fn: Callable[[], Any]) -> tuple[Any, float]:
    gc.collect()
    t0 = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - t0


def positions(labels: pd.Index, order: tuple[str, ...]) -> np.ndarray:
    """Where each of the table's labels is in pandas' labels."""
    found = pd.Index(labels.astype(str)).get_indexer(list(order))
    assert (found >= 0).all(), "label sets differ"
    return found


def runs(times: list[float]) -> str:
    return ", ".join(f"{t:.3f}" for t in times)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--regions", type=int, default=1500)
    ap.add_argument("--activities", type=int, default=2000)
    ap.add_argument("--repeat", type=int, default=5, help="alternating runs of each (5)")
    ap.add_argument("--quick", action="store_true", help="300 × 400, best of 3")
    args = ap.parse_args(argv)
    if args.quick:
        args.regions, args.activities, args.repeat = 300, 400, 3
    repeat = max(1, args.repeat)

    n_r, n_a = args.regions, args.activities
    df = make_frame(n_r, n_a)
    print(f"long table: {n_r:,} regions × {n_a:,} activities = {len(df):,} rows, shuffled")

    # warm-up: imports and first calls of every function, on a small table
    small = make_frame(20, 30, seed=1)
    t_small = build(small)
    t_small.to_matrix()
    t_small.to_matrix(sparse=True)
    pandas_dense(small)
    scipy_sparse(small)

    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    table = build(df)
    fns: dict[str, Callable[[], Any]] = {
        "smartspec dense": table.to_matrix,
        "pandas pivot": lambda: pandas_dense(df),
        "smartspec sparse": lambda: table.to_matrix(sparse=True),
        "scipy coo": lambda: scipy_sparse(df),
        "from_frame": lambda: build(df),  # the table's build, for the from-the-DataFrame figure
    }
    times: dict[str, list[float]] = {name: [] for name in fns}
    results: dict[str, Any] = {}
    for _ in range(repeat):
        for name, fn in fns.items():
            results[name] = None
            results[name], elapsed = timed(fn)
            times[name].append(elapsed)
    del results["from_frame"]

    # identical matrices, in the table's row and column order
    dense = results["smartspec dense"]
    values, p_rows, p_cols = results["pandas pivot"]
    expected = values[np.ix_(positions(p_rows, dense.regions), positions(p_cols, dense.activities))]
    assert dense.shape == (n_r, n_a)
    assert np.array_equal(dense.values, expected), "dense matrices differ"
    ours = results["smartspec sparse"]
    theirs, s_rows, s_cols = results["scipy coo"]
    theirs = theirs[positions(s_rows, ours.regions)][:, positions(s_cols, ours.activities)]
    assert ours.regions == dense.regions
    assert ours.activities == dense.activities
    assert ours.values.shape == theirs.shape
    assert (ours.values != theirs).nnz == 0, "sparse matrices differ"
    assert np.array_equal(ours.values.toarray(), expected), "sparse and dense differ"
    print(f"identical matrices: dense and sparse {dense.shape}, {ours.values.nnz:,} non-zeros")

    best = {name: min(ts) for name, ts in times.items()}
    b = best.pop("from_frame")
    print(f"ActivityTable.from_frame (validate, factorise; not in the matrix times): {b:.3f} s")
    print(f"  runs: {runs(times.pop('from_frame'))}")
    for name, ts in times.items():
        print(f"{name:17s} {best[name]:.3f} s best (runs: {runs(ts)})")

    def ratio(peer: float, ours: float, who: str, digits: int = 1) -> str:
        r = peer / ours
        digits = max(digits, 2) if r < 1 else digits
        return f"{r:.{digits}f}×" + ("" if r >= 1 else f" ({who} is faster: {1 / r:.{digits}f}×)")

    d_e2e = ratio(best["pandas pivot"], b + best["smartspec dense"], "pandas", 2)
    s_e2e = ratio(best["scipy coo"], b + best["smartspec sparse"], "pandas + scipy", 2)
    print(f"from the DataFrame (from_frame + to_matrix vs pandas): dense {d_e2e}, sparse {s_e2e}")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    dense_ratio = ratio(best["pandas pivot"], best["smartspec dense"], "pandas")
    sparse_ratio = ratio(best["scipy coo"], best["smartspec sparse"], "pandas + scipy")
    print(
        "speed-up of to_matrix (pandas / smartspec): "
        f"dense (pivot) {dense_ratio}, sparse (factorize + coo) {sparse_ratio}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
