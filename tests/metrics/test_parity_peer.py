"""Cross-checks against py-ecomplexity 0.5.3 (the growthlab convention) to 1e-9.

Every output column of ``ecomplexity()`` — rca, mcp, diversity, ubiquity, eci, pci,
density, coi, cog (and rpop) — is compared wherever the peer's value is finite; we must
also be finite there. Periods where the network is disconnected (second eigenvalue 1)
are left out for the eigenvector columns: the eigenvector is then not unique and the
peer returns an arbitrary one (our diagnostics flag these periods).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from smartspec import datasets
from smartspec.metrics import compute_metrics, diagnostics

from ._helpers import METRIC_COLS, compare, panel_from_array, run_peer, synthetic

pytest.importorskip("ecomplexity")

EIGEN_COLS = ["eci", "pci", "coi", "cog"]
OPTIONS = {
    "min": ({}, {}),
    "asymmetric": ({"asymmetric": True}, {"proximity": "asymmetric"}),
    "continuous": ({"continuous": True}, {"proximity": "continuous"}),
}


def check(peer: pd.DataFrame, ours: pd.DataFrame, extra: tuple[str, ...] = ()) -> dict:
    periods = diagnostics(ours).periods
    bad = [p.period for p in periods if p.degenerate]
    cols = METRIC_COLS + list(extra)
    report = compare(peer, ours, [c for c in cols if c not in EIGEN_COLS])
    keep_p = peer[~peer["period"].isin(bad)]
    report.update(compare(keep_p, ours, EIGEN_COLS))
    return report


@pytest.mark.parametrize("threshold", [1, 1.5, 2])
@pytest.mark.parametrize("option", list(OPTIONS))
def test_synthetic_panel(threshold: float, option: str) -> None:
    X = synthetic(7, R=35, A=50, T=2, density=0.5)
    df = panel_from_array(X)
    peer_kw, our_kw = OPTIONS[option]
    peer = run_peer(df, rca_mcp_threshold=threshold, **peer_kw)
    ours = compute_metrics(df, "growthlab", threshold=threshold, **our_kw)
    report = check(peer, ours)
    assert report["eci"][0] > 0
    assert report["cog"][0] > 0


@pytest.mark.parametrize("threshold", [1, 1.5, 2])
@pytest.mark.parametrize("option", list(OPTIONS))
def test_rpop(threshold: float, option: str) -> None:
    X = synthetic(11, R=30, A=45, T=2, density=0.55)
    df = panel_from_array(X)
    rng = np.random.default_rng(0)
    totals = df.groupby(["period", "region"], as_index=False)["value"].sum()
    # population roughly proportional to size, so that most regions pass RPOP somewhere
    pop = totals.assign(population=totals["value"] * rng.lognormal(0, 0.3, len(totals)))
    pop = pop[["period", "region", "population"]]
    peer_kw, our_kw = OPTIONS[option]
    peer = run_peer(df, presence_test="rpop", pop=pop, rpop_mcp_threshold=threshold, **peer_kw)
    ours = compute_metrics(
        df, "growthlab", threshold=threshold, presence="rpop", population=pop, **our_kw
    )
    check(peer, ours, extra=("rpop",))


def mirror_regions(X: np.ndarray, rows: list[int]) -> np.ndarray:
    """Make regions copy the structure of the rest: RCA ≈ 1 everywhere (no diversity
    at thresholds above 1)."""
    ref = X[:, np.setdiff1d(np.arange(X.shape[1]), rows)].sum(axis=1)
    for k, r in enumerate(rows):
        X[:, r] = ref * 0.05 * (k + 1)
    return X


def mirror_activities(X: np.ndarray, cols: list[int]) -> np.ndarray:
    ref = X[:, :, np.setdiff1d(np.arange(X.shape[2]), cols)].sum(axis=2)
    for k, a in enumerate(cols):
        X[:, :, a] = ref * 0.03 * (k + 1)
    return X


@pytest.mark.parametrize(
    ("case", "finite_in_peer"),
    [
        # the peer's whole period is NaN for ECI/PCI/COI/COG (np.insert on a 0-d mask
        # raises inside its try block) — nothing but density etc. to compare
        ("one zero-diversity region", []),
        # ECI/PCI/COG NaN (NaN mean), but COI is finite and must match
        ("two zero-diversity regions", ["coi"]),
        # proximity NaN spreads into all densities; ECI/PCI NaN (0-d mask)
        ("one zero-ubiquity activity", []),
        # densities NaN, but ECI and PCI of the other activities are finite
        ("two zero-ubiquity activities", ["eci", "pci"]),
    ],
)
def test_degenerate_periods(case: str, finite_in_peer: list[str]) -> None:
    if "region" in case:
        rows = [0] if case.startswith("one") else [0, 7]
        X = mirror_regions(synthetic(5, 30, 45, 1, 0.6), rows)
    else:
        cols = [0] if case.startswith("one") else [0, 9]
        X = mirror_activities(synthetic(6, 30, 45, 1, 0.6), cols)
    df = panel_from_array(X)
    peer = run_peer(df, rca_mcp_threshold=1.5)
    ours = compute_metrics(df, "growthlab", threshold=1.5)
    report = check(peer, ours)
    for col in EIGEN_COLS:
        n_compared = report[col][0]
        assert (n_compared > 0) == (col in finite_in_peer), (col, n_compared)
    # and under both conventions we never make the whole period NaN
    for conv in ("growthlab", None):
        out = compute_metrics(df, conv, threshold=1.5)
        assert out["eci"].notna().sum() >= len(out) - 2 * 45
        dropped = diagnostics(out).dropped
        assert dropped
        assert all(d.reason for d in dropped)


def test_missing_zero_matches_the_peer() -> None:
    X = synthetic(9, 25, 40, 2, 0.5)
    df = panel_from_array(X)
    df.loc[[3, 50, 777], "value"] = np.nan
    peer = run_peer(df)  # the shim fills NaN with 0, as the peer does under pandas < 3
    ours = compute_metrics(df, "growthlab", missing="zero")
    check(peer, ours)
    assert diagnostics(ours).missing_cells == 3


@pytest.mark.slow
@pytest.mark.parametrize("threshold", [1, 1.5, 2])
def test_world_trade(threshold: float) -> None:
    # the bundled dataset (an ActivityTable with categorical labels, no period)
    table = datasets.load("world_trade")
    df = table.frame.astype({"region": str, "activity": str}).assign(period=2000)
    peer = run_peer(df, rca_mcp_threshold=threshold)
    ours = compute_metrics(df, "growthlab", threshold=threshold)
    report = check(peer, ours)
    assert report["eci"][0] == 226 * 785 == report["cog"][0]
    assert not diagnostics(ours).periods[0].degenerate
    # the ActivityTable itself (categorical labels, no period column) gives the same
    direct = compute_metrics(table, "growthlab", threshold=threshold)
    np.testing.assert_array_equal(direct["eci"].to_numpy(), ours["eci"].to_numpy())
