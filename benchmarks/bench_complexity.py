"""Benchmark: smartspec.metrics.compute_metrics against py-ecomplexity 0.5.3.

A script, not a unit test. On one synthetic long panel (strings for region and
activity, int64 period, float64 value; seeded lognormal values with many zeros) it

1. times ``py-ecomplexity``'s ``ecomplexity()`` and smartspec's
   ``compute_metrics(df, convention="growthlab")`` end to end (DataFrame in, DataFrame
   out, no caching between the calls; best of ``--e2e-repeat`` runs of each, all runs
   printed) and asserts identical numbers (1e-9);
2. times the numeric core alone (``matrix_metrics`` on every period's matrix, as
   ``compute_metrics`` runs it) against the machine's *floor*: just the dense products
   every implementation must do (co-occurrence ``M'M``, density ``M phi``, COG
   ``(1-M) B``) plus the eigensolve (``S S'`` and the top eigenpairs of it), per
   period; and the rank-stability diagnostic, which ``compute_metrics`` computes
   lazily (on first access of ``PeriodDiagnostics.stability``);
3. reports peak memory (tracemalloc peak of a separate run, and the process's max RSS);
4. optionally (``--scaling``) runs the NUTS3 × NACE scaling case: 1,165 regions × 615
   activities × 25 periods (goals: < 10 s, < 4 GB);

and prints the end-to-end speed-up ratio LAST.

Usage::

    python benchmarks/bench_complexity.py            # 250 × 600 × 20 (3M rows)
    python benchmarks/bench_complexity.py --quick    # 80 × 150 × 4, a few seconds
    python benchmarks/bench_complexity.py --scaling  # also the 1,165 × 615 × 25 run
    python benchmarks/bench_complexity.py --no-peer  # smartspec only
    python benchmarks/bench_complexity.py --trim     # malloc_trim before every timed call
"""

from __future__ import annotations

import os
import sys

if __name__ == "__main__":  # fix the BLAS thread count before numpy loads (see --threads)
    _n = "1"
    for _i, _a in enumerate(sys.argv):
        if _a == "--threads" and _i + 1 < len(sys.argv):
            _n = sys.argv[_i + 1]
        elif _a.startswith("--threads="):
            _n = _a.split("=", 1)[1]
    for _v in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(_v, _n)

import argparse
import contextlib
import gc
import io
import resource
import time
import tracemalloc
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

try:
    import smartspec  # noqa: F401
except ImportError:  # running from a checkout without installing
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from smartspec.metrics import compute_metrics, get_convention, matrix_metrics
from smartspec.metrics.frame import _factorise

PEER_COLS = {"time": "period", "loc": "region", "prod": "activity", "val": "value"}
COMPARED = ["rca", "mcp", "diversity", "ubiquity", "eci", "pci", "density", "coi", "cog"]


def make_panel(n_r: int, n_a: int, n_t: int, seed: int = 20240601) -> pd.DataFrame:
    """Synthetic long panel: region × activity × period, ~55% zeros, skewed sizes.

    Nested like real data: region capability c and activity complexity q are drawn
    once; region r has activity a with probability sigmoid(2 (c_r - q_a)); values are
    lognormal times region and activity size; each period re-draws 5% of the cells.
    """
    rng = np.random.default_rng(seed)
    size_r = rng.lognormal(0.0, 1.0, size=(1, n_r, 1))
    size_a = rng.lognormal(0.0, 1.0, size=(1, 1, n_a))
    cap = rng.normal(0.0, 1.0, size=(1, n_r, 1))
    cpx = rng.normal(0.3, 1.0, size=(1, 1, n_a))
    p_present = 1.0 / (1.0 + np.exp(-2.0 * (cap - cpx)))
    base = rng.lognormal(0.0, 1.0, size=(1, n_r, n_a)) * size_r * size_a
    present = rng.random((1, n_r, n_a)) < p_present
    noise = rng.lognormal(0.0, 0.3, size=(n_t, n_r, n_a))
    churn = rng.random((n_t, n_r, n_a)) < 0.05
    values = base * noise * (present ^ churn)
    regs = np.array([f"R{i:04d}" for i in range(n_r)], dtype=object)
    acts = np.array([f"A{j:05d}" for j in range(n_a)], dtype=object)
    return pd.DataFrame(
        {
            "region": pd.array(np.tile(np.repeat(regs, n_a), n_t), dtype="str"),
            "activity": pd.array(np.tile(acts, n_r * n_t), dtype="str"),
            "period": np.repeat(np.arange(2000, 2000 + n_t, dtype=np.int64), n_r * n_a),
            "value": values.reshape(-1),
        }
    )


def run_peer(df: pd.DataFrame) -> pd.DataFrame:
    from ecomplexity import ecomplexity

    with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
        warnings.simplefilter("ignore")
        out: pd.DataFrame = ecomplexity(
            df, PEER_COLS, check_logsupermodularity=False, verbose=False
        )
    return out


def check_identical(peer: pd.DataFrame, ours: pd.DataFrame, tol: float = 1e-9) -> float:
    """Max abs difference over all compared columns where the peer is finite."""
    keys = ["region", "activity", "period"]
    p = peer.dropna(subset=["mcp"])
    o = ours.astype({"region": "str", "activity": "str"})
    j = p.merge(o, on=keys, how="left", suffixes=("_peer", ""))
    assert len(j) == len(p), "row sets differ"
    worst = 0.0
    for c in COMPARED:
        a = j[c + "_peer"].to_numpy(dtype=float)
        b = j[c].to_numpy(dtype=float)
        fin = np.isfinite(a)
        assert np.isfinite(b[fin]).all(), f"{c}: smartspec NaN where the peer is finite"
        err = float(np.max(np.abs(a[fin] - b[fin]))) if fin.any() else 0.0
        assert err <= tol, f"{c}: max abs difference {err:.3g} > {tol:g}"
        worst = max(worst, err)
    return worst


class Run:
    """One timed call: wall-clock and process CPU seconds, minor page faults."""

    def __init__(self, wall: float, cpu: float, faults: int) -> None:
        self.wall, self.cpu, self.faults = wall, cpu, faults

    def __str__(self) -> str:
        return f"{self.wall:.3f}/{self.cpu:.3f}/{self.faults}"


TRIM = False  # --trim: return freed heap memory to the OS before every timed call


def timed(fn: Any) -> tuple[Any, Run]:
    """Call fn after a full garbage collection (the same for both libraries).

    With ``--trim`` also ``malloc_trim(0)`` (glibc), so that neither library reuses
    pages the other (or its own previous run) left in the heap: every run then pays
    its page faults, as the first call of a process does.
    """
    gc.collect()
    if TRIM:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    f0 = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    c0 = time.process_time()
    t0 = time.perf_counter()
    result = fn()
    wall = time.perf_counter() - t0
    cpu = time.process_time() - c0
    return result, Run(wall, cpu, resource.getrusage(resource.RUSAGE_SELF).ru_minflt - f0)


def best_of(fn: Any, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def floor_and_core(df: pd.DataFrame, repeat: int) -> tuple[float, float, float, float]:
    """(floor products, floor eigensolve, core, core + eager rank stability) in seconds."""
    from scipy.linalg import eigh

    from smartspec.metrics import binarise, rca

    conv = get_convention("growthlab")
    cols = {"region": "region", "activity": "activity", "period": "period", "value": "value"}
    panel = _factorise(df, cols, "raise", "bench")
    mats = [panel.X[t] for t in range(panel.X.shape[0])]
    Ms = [binarise(rca(X), conv.threshold) for X in mats]

    def floor_products() -> None:
        for M in Ms:
            C = M.T @ M  # co-occurrence
            phi = C / np.maximum(C.diagonal()[:, None], C.diagonal()[None, :])
            D = M @ phi  # density numerator
            N = 1.0 - M
            _ = N @ phi  # COG product
            del C, D, N

    def floor_eigen() -> None:
        for M in Ms:
            d = M.sum(1)
            u = M.sum(0)
            S = M / np.sqrt(d)[:, None] / np.sqrt(u)[None, :]
            G = S @ S.T if S.shape[0] <= S.shape[1] else S.T @ S
            n = G.shape[0]
            eigh(G, subset_by_index=[n - 3, n - 1], overwrite_a=True, check_finite=False)

    def core() -> None:
        for X in mats:
            matrix_metrics(X, conv, stability_thresholds=())

    def core_with_stability() -> None:
        for X in mats:
            matrix_metrics(X, conv)

    fp = best_of(floor_products, repeat)
    fe = best_of(floor_eigen, repeat)
    c = best_of(core, repeat)
    cs = best_of(core_with_stability, repeat)
    return fp, fe, c, cs


def peak_memory(fn: Any) -> float:
    """Peak traced allocation (bytes) while running fn (numpy reports to tracemalloc)."""
    gc.collect()
    tracemalloc.start()
    tracemalloc.reset_peak()
    base = tracemalloc.get_traced_memory()[0]
    result = fn()
    peak = tracemalloc.get_traced_memory()[1] - base
    tracemalloc.stop()
    del result
    return float(peak)


def maxrss_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2  # kB on Linux


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--regions", type=int, default=250)
    ap.add_argument("--activities", type=int, default=600)
    ap.add_argument("--periods", type=int, default=20)
    ap.add_argument("--quick", action="store_true", help="80 × 150 × 4")
    ap.add_argument("--no-peer", action="store_true", help="skip py-ecomplexity")
    ap.add_argument("--scaling", action="store_true", help="also 1,165 × 615 × 25")
    ap.add_argument("--repeat", type=int, default=3, help="repeats of the core timings")
    ap.add_argument(
        "--e2e-repeat",
        type=int,
        default=3,
        help="end-to-end runs of each library (the best is compared; default 3)",
    )
    ap.add_argument(
        "--threads",
        type=int,
        default=1,
        help="BLAS threads for both libraries (default 1: on a shared machine, "
        "multi-threaded BLAS contends with other processes and timings become noise)",
    )
    ap.add_argument(
        "--trim",
        action="store_true",
        help="malloc_trim(0) before every timed call of both libraries (cold pages)",
    )
    args = ap.parse_args(argv)
    global TRIM
    TRIM = args.trim
    if args.quick:
        args.regions, args.activities, args.periods = 80, 150, 4

    n_r, n_a, n_t = args.regions, args.activities, args.periods
    print(f"BLAS threads: {os.environ.get('OPENBLAS_NUM_THREADS', 'default')}")
    print(f"panel: {n_r} regions × {n_a} activities × {n_t} periods = {n_r * n_a * n_t:,} rows")
    df = make_panel(n_r, n_a, n_t)
    print(f"  zeros: {(df['value'] == 0).mean():.0%}")

    # warm-up: imports (scikit-learn for the peer, scipy.linalg for us) and first calls
    small = make_panel(20, 30, 2, seed=1)
    compute_metrics(small, convention="growthlab")
    if not args.no_peer:
        run_peer(small)

    # 1. end to end, alternating the libraries (same DataFrame, no caching between calls)
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    runs_ours: list[Run] = []
    runs_peer: list[Run] = []
    ours = peer = None
    for _ in range(max(1, args.e2e_repeat)):
        ours = None
        ours, run = timed(lambda: compute_metrics(df, convention="growthlab"))
        runs_ours.append(run)
        if not args.no_peer:
            peer = None
            peer, run = timed(lambda: run_peer(df))
            runs_peer.append(run)
    assert ours is not None
    t_ours = min(r.wall for r in runs_ours)
    print(f"smartspec compute_metrics (growthlab): {t_ours:8.3f} s best")
    print("  runs (wall s / CPU s / minor page faults): " + "; ".join(map(str, runs_ours)))
    t_peer = float("nan")
    if not args.no_peer:
        assert peer is not None
        t_peer = min(r.wall for r in runs_peer)
        print(f"py-ecomplexity 0.5.3 ecomplexity():   {t_peer:8.3f} s best")
        print("  runs (wall s / CPU s / minor page faults): " + "; ".join(map(str, runs_peer)))
        cpu_ratio = min(r.cpu for r in runs_peer) / min(r.cpu for r in runs_ours)
        print(f"  CPU-time ratio (best of each, less sensitive to load): {cpu_ratio:.1f}×")
        worst = check_identical(peer, ours)
        print(f"  identical numbers: max abs difference {worst:.2e} (<= 1e-9) over {COMPARED}")
        del peer
    degenerate = [p.period for p in ours.attrs["diagnostics"].periods if p.degenerate]
    if degenerate:
        print(f"  warning: disconnected network in periods {degenerate}")
    t0 = time.perf_counter()
    for p in ours.attrs["diagnostics"].periods:
        _ = p.stability
    t_stab = time.perf_counter() - t0
    print(f"  rank-stability diagnostic, computed lazily on first access: {t_stab:.3f} s")
    del ours
    gc.collect()

    # 2. numeric core vs floor
    fp, fe, core, core_s = floor_and_core(df, args.repeat)
    floor = fp + fe
    print(f"floor (all periods): dense products {fp:.3f} s + eigensolve {fe:.3f} s = {floor:.3f} s")
    print(
        f"core  (all periods): matrix_metrics {core:.3f} s ({core / floor:.2f}× floor); "
        f"with the eager rank-stability diagnostic {core_s:.3f} s ({core_s / floor:.2f}× floor)"
    )

    # 3. memory
    peak = peak_memory(lambda: compute_metrics(df, convention="growthlab"))
    print(
        f"peak memory of compute_metrics: {peak / 1024**3:.3f} GB traced "
        f"(input DataFrame {df.memory_usage(deep=True).sum() / 1024**3:.3f} GB); "
        f"process max RSS so far {maxrss_gb():.2f} GB"
    )

    # 4. scaling run
    if args.scaling:
        del df
        gc.collect()
        big = make_panel(1165, 615, 25, seed=7)
        print(f"scaling panel: 1,165 × 615 × 25 = {len(big):,} rows")
        t0 = time.perf_counter()
        out = compute_metrics(big, convention="growthlab")
        t_big = time.perf_counter() - t0
        rows = len(out)
        del out
        gc.collect()
        peak_big = peak_memory(lambda: compute_metrics(big, convention="growthlab"))
        print(
            f"  compute_metrics: {t_big:.2f} s (goal < 10 s), {rows:,} output rows, "
            f"peak {peak_big / 1024**3:.2f} GB traced (goal < 4 GB), "
            f"process max RSS {maxrss_gb():.2f} GB"
        )

    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if not args.no_peer:
        print(f"end-to-end speed-up (py-ecomplexity / smartspec): {t_peer / t_ours:.1f}×")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
