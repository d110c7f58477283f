"""Shared helpers for the metrics tests: synthetic panels and the py-ecomplexity peer.

Compatibility shim (tests only, not in the package): py-ecomplexity 0.5.3 runs under
pandas 3 except for one path — its NaN → 0 coercion in ``ComplexityData.clean_data``
is ``self.data.val.fillna(0, inplace=True)``, a chained in-place assignment that is a
silent no-op under pandas' copy-on-write (pandas ≥ 3; it warns ChainedAssignmentError).
The NaN then survives into the peer's RCA (NaN instead of 0 in the ``rca`` column; MCP
is unaffected because it passes through ``np.nan_to_num``). :func:`run_peer` therefore
fills NaN values with 0 itself before calling the peer, which is what the peer does
under pandas < 3. It also silences the peer's pandas deprecation warnings and prints.
"""

from __future__ import annotations

import contextlib
import io
import warnings
from typing import Any

import numpy as np
import pandas as pd

PEER_COLS = {"time": "period", "loc": "region", "prod": "activity", "val": "value"}
METRIC_COLS = ["rca", "mcp", "diversity", "ubiquity", "eci", "pci", "density", "coi", "cog"]


def panel_from_array(X: np.ndarray, *, periods: list[int] | None = None) -> pd.DataFrame:
    """Long DataFrame from a (T, R, A) or (R, A) array; every cell becomes a row."""
    if X.ndim == 2:
        X = X[None]
    T, R, A = X.shape
    periods = list(range(2000, 2000 + T)) if periods is None else periods
    regs = np.array([f"R{i:03d}" for i in range(R)], dtype=object)
    acts = np.array([f"A{j:03d}" for j in range(A)], dtype=object)
    return pd.DataFrame(
        {
            "region": np.tile(np.repeat(regs, A), T),
            "activity": np.tile(acts, R * T),
            "period": np.repeat(np.asarray(periods, dtype=np.int64), R * A),
            "value": X.reshape(-1),
        }
    )


def synthetic(seed: int, R: int = 30, A: int = 45, T: int = 2, density: float = 0.45) -> np.ndarray:
    """Lognormal values with many zeros, regions and activities of varied size."""
    rng = np.random.default_rng(seed)
    size_r = rng.lognormal(0.0, 1.0, size=(1, R, 1))
    size_a = rng.lognormal(0.0, 1.0, size=(1, 1, A))
    X = rng.lognormal(0.0, 1.5, size=(T, R, A)) * size_r * size_a
    X *= rng.random((T, R, A)) < density
    return X


def run_peer(df: pd.DataFrame, **kwargs: Any) -> pd.DataFrame:
    """py-ecomplexity's ``ecomplexity()`` on our column names, quietly (see module doc)."""
    from ecomplexity import ecomplexity

    df = df.copy()
    df["value"] = df["value"].fillna(0.0)  # shim: what the peer does under pandas < 3
    with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
        warnings.simplefilter("ignore")
        return ecomplexity(df, PEER_COLS, check_logsupermodularity=False, verbose=False, **kwargs)


def compare(
    peer: pd.DataFrame, ours: pd.DataFrame, cols: list[str], tol: float = 1e-9
) -> dict[str, tuple[int, float]]:
    """Max abs difference per column where the peer is finite; asserts <= tol.

    Also asserts that we are finite wherever the peer is (we never lose a value), and
    returns {column: (number of finite peer values compared, max abs difference)}.
    """
    keys = ["region", "activity", "period"]
    p = peer.dropna(subset=["mcp"])  # rows the peer only kept from the outer merge
    j = p.merge(ours, on=keys, how="left", suffixes=("_peer", ""), validate="one_to_one")
    assert len(j) == len(p)
    report: dict[str, tuple[int, float]] = {}
    for c in cols:
        a = j[c + "_peer"].to_numpy(dtype=float)
        b = j[c].to_numpy(dtype=float)
        fin = np.isfinite(a)
        assert np.isfinite(b[fin]).all(), f"{c}: we are NaN where the peer is finite"
        err = float(np.max(np.abs(a[fin] - b[fin]))) if fin.any() else 0.0
        assert err <= tol, f"{c}: max abs difference {err:.3g} > {tol:g}"
        report[c] = (int(fin.sum()), err)
    return report
