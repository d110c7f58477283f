"""Entry backtest: AUC, LPM and logit by hand and against references; synthetic panels."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from smartspec.errors import InputError
from smartspec.metrics import binarise, density, proximity, rca
from smartspec.metrics.backtest import (
    CONTROLS,
    BacktestResult,
    _auc_stats,
    entry_backtest,
    fit_logit,
    fit_lpm,
    roc_auc,
)
from smartspec.table import ActivityTable


# ----------------------------------------------------------------------------- AUC
def test_auc_by_hand() -> None:
    # positives 0.35, 0.8; negatives 0.1, 0.4 -> 3 of the 4 pairs won: AUC 0.75
    assert roc_auc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]) == 0.75
    # rank formula: ranks 1, 3, 2, 4; R1 = 2 + 4 = 6; (6 - 2*3/2) / (2*2) = 0.75
    # ties count one half: positive 0.5 vs negatives 0.5, 0.1 -> (0.5 + 1) / 2
    assert roc_auc([0.5, 0.5, 0.1], [1, 0, 0]) == 0.75
    assert roc_auc([1.0, 2.0], [1, 0]) == 0.0
    # NaN pairs are left out; an empty class gives NaN
    assert roc_auc([0.1, np.nan, 0.9], [0, 1, 1]) == 1.0
    assert math.isnan(roc_auc([0.1, 0.2], [0, 0]))
    with pytest.raises(InputError, match="0 or 1"):
        roc_auc([0.1, 0.2], [0, 2])
    with pytest.raises(InputError, match="labels"):
        roc_auc([0.1, 0.2], [0])


def test_auc_standard_errors_by_hand() -> None:
    auc, se, sd0 = _auc_stats(np.array([0.1, 0.4, 0.35, 0.8]), np.array([0.0, 0, 1, 1]))
    assert auc == 0.75
    # Hanley–McNeil: Q1 = .75/1.25 = .6, Q2 = 2(.5625)/1.75 = .642857
    # var = (.1875 + (.6 - .5625) + (.642857 - .5625)) / 4 = .0763393
    assert se == pytest.approx(math.sqrt((0.1875 + 0.0375 + (2 * 0.5625 / 1.75 - 0.5625)) / 4))
    # null: Var(U) = n1 n0 (N + 1) / 12 = 4 * 5 / 12 (no ties); sd(AUC) = sqrt(Var U) / 4
    assert sd0 == pytest.approx(math.sqrt(20 / 12) / 4)
    # ties: scores (1, 1, 2, 2), one tie group of 2 twice: sum(t^3 - t) = 12
    # Var(U) = 4/12 * (5 - 12 / 12) = 4/3
    _, _, sd_t = _auc_stats(np.array([1.0, 1.0, 2.0, 2.0]), np.array([0.0, 1, 0, 1]))
    assert sd_t == pytest.approx(math.sqrt(4 / 3) / 4)


@pytest.mark.parametrize("seed", range(5))
def test_auc_matches_sklearn(seed: int) -> None:
    from sklearn.metrics import roc_auc_score

    rng = np.random.default_rng(seed)
    n = 500
    y = (rng.random(n) < 0.2).astype(float)
    s = np.round(rng.normal(size=n) + 0.7 * y, 1)  # rounding makes many ties
    assert roc_auc(s, y) == pytest.approx(roc_auc_score(y, s), abs=1e-12)


# ----------------------------------------------------------------------------- LPM
def test_lpm_by_hand() -> None:
    f = fit_lpm([0, 0, 1, 1], [0.0, 1.0, 2.0, 3.0], names=["x"])
    # X'X = [[4, 6], [6, 14]], X'y = (2, 5): beta = (-0.1, 0.4)
    np.testing.assert_allclose(f.coef, [-0.1, 0.4], atol=1e-12)
    # fitted -.1, .3, .7, 1.1: SSR = .2, SST = 1 -> R² = .8
    assert f.r2 == pytest.approx(0.8)
    # HC1: (X'X)^-1 = [[.7, -.3], [-.3, .2]], meat = sum e² x x' = [[.2, .3], [.3, .54]]
    # V = 4/(4-2) (X'X)^-1 meat (X'X)^-1 = 2 [[.0206, -.0054], [-.0054, .0036]]
    np.testing.assert_allclose(f.se, np.sqrt([0.0412, 0.0072]), rtol=1e-12)
    assert f.names == ("const", "x")
    assert f.n == 4
    assert f.coefficient("x") == pytest.approx(0.4)
    with pytest.raises(InputError, match="no term"):
        f.coefficient("y")


def test_lpm_cluster_standard_errors() -> None:
    rng = np.random.default_rng(3)
    n = 200
    x = rng.normal(size=n)
    g = rng.integers(0, 12, size=n)
    y = (rng.random(n) < 0.3 + 0.1 * x).astype(float)
    f = fit_lpm(y, x, cluster=g)
    # CR1 by a plain loop over the clusters
    X = np.column_stack([np.ones(n), x])
    b = np.linalg.lstsq(X, y, rcond=None)[0]
    e = y - X @ b
    bread = np.linalg.inv(X.T @ X)
    meat = np.zeros((2, 2))
    for k in np.unique(g):
        u = X[g == k].T @ e[g == k]
        meat += np.outer(u, u)
    G = len(np.unique(g))
    V = bread @ meat @ bread * G / (G - 1) * (n - 1) / (n - 2)
    np.testing.assert_allclose(f.se, np.sqrt(np.diag(V)), rtol=1e-10)
    assert "12 clusters" in f.se_kind
    with pytest.raises(InputError, match="two clusters"):
        fit_lpm(y, x, cluster=np.zeros(n))


def test_regression_input_errors() -> None:
    with pytest.raises(InputError, match="collinear"):
        fit_lpm([0, 1, 0, 1], np.column_stack([[1.0, 2, 3, 4], [2.0, 4, 6, 8]]))
    with pytest.raises(InputError, match="too few"):
        fit_lpm([0, 1], [1.0, 2.0])
    with pytest.raises(InputError, match="finite"):
        fit_lpm([0, 1, 1], [1.0, np.nan, 2.0])
    with pytest.raises(InputError, match="rows"):
        fit_lpm([0, 1, 1], [1.0, 2.0])
    with pytest.raises(InputError, match="names"):
        fit_lpm([0, 1, 1], [1.0, 2.0, 3.0], names=["a", "b"])
    with pytest.raises(InputError, match="never varies"):
        fit_logit([1, 1, 1], [1.0, 2.0, 3.0])
    with pytest.raises(InputError, match="0/1"):
        fit_logit([0, 2, 1], [1.0, 2.0, 3.0])


# ----------------------------------------------------------------------------- logit
def _slow_logit(y: np.ndarray, X: np.ndarray) -> np.ndarray:
    """Reference: minimise the negative log-likelihood with scipy (BFGS, tight)."""
    from scipy.optimize import minimize

    def nll(b: np.ndarray) -> float:
        eta = X @ b
        return float(-(y * eta - np.logaddexp(0.0, eta)).sum())

    def grad(b: np.ndarray) -> np.ndarray:
        p = 1.0 / (1.0 + np.exp(-(X @ b)))
        return np.asarray(-(X.T @ (y - p)))

    res = minimize(nll, np.zeros(X.shape[1]), jac=grad, method="BFGS", options={"gtol": 1e-11})
    return np.asarray(res.x)


@pytest.mark.parametrize("seed", range(4))
def test_logit_matches_slow_reference(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = 800
    Z = np.column_stack([rng.random(n), rng.normal(size=n), rng.integers(0, 2, n)])
    eta = -2.0 + 3.0 * Z[:, 0] - 0.5 * Z[:, 1] + 0.8 * Z[:, 2]
    y = (rng.random(n) < 1 / (1 + np.exp(-eta))).astype(float)
    f = fit_logit(y, Z, names=["density", "z1", "z2"])
    X = np.column_stack([np.ones(n), Z])
    ref = _slow_logit(y, X)
    np.testing.assert_allclose(f.coef, ref, atol=1e-6)
    assert f.converged
    assert f.iterations < 15
    # standard errors: inverse of a finite-difference Hessian of the log-likelihood
    p = 1 / (1 + np.exp(-(X @ f.coef)))
    h = 1e-5
    H = np.empty((4, 4))
    for k in range(4):
        step = np.zeros(4)
        step[k] = h
        gp = X.T @ (y - 1 / (1 + np.exp(-(X @ (f.coef + step)))))
        gm = X.T @ (y - 1 / (1 + np.exp(-(X @ (f.coef - step)))))
        H[:, k] = -(gp - gm) / (2 * h)
    np.testing.assert_allclose(f.se, np.sqrt(np.diag(np.linalg.inv(H))), rtol=1e-5)
    # McFadden: 1 - ll / ll0
    ll = float((y * np.log(p) + (1 - y) * np.log(1 - p)).sum())
    ybar = y.mean()
    ll0 = n * (ybar * np.log(ybar) + (1 - ybar) * np.log(1 - ybar))
    assert f.loglik == pytest.approx(ll, rel=1e-10)
    assert f.r2 == pytest.approx(1 - ll / ll0, rel=1e-9)


def test_logit_matches_sklearn_unpenalised() -> None:
    from sklearn.linear_model import LogisticRegression

    rng = np.random.default_rng(11)
    x = rng.random(400)
    y = (rng.random(400) < 1 / (1 + np.exp(-(-1.5 + 2.5 * x)))).astype(float)
    f = fit_logit(y, x)
    sk = LogisticRegression(C=np.inf, tol=1e-12, max_iter=10_000).fit(x[:, None], y)
    np.testing.assert_allclose(f.coef, [sk.intercept_[0], sk.coef_[0, 0]], atol=1e-5)


def test_logit_cluster_and_separation() -> None:
    rng = np.random.default_rng(5)
    n = 300
    x = rng.random(n)
    g = rng.integers(0, 20, n)
    y = (rng.random(n) < 1 / (1 + np.exp(-(-1 + 2 * x)))).astype(float)
    f = fit_logit(y, x, cluster=g)
    X = np.column_stack([np.ones(n), x])
    p = 1 / (1 + np.exp(-(X @ f.coef)))
    Hinv = np.linalg.inv((X * (p * (1 - p))[:, None]).T @ X)
    meat = np.zeros((2, 2))
    for k in np.unique(g):
        s = X[g == k].T @ (y[g == k] - p[g == k])
        meat += np.outer(s, s)
    V = Hinv @ meat @ Hinv * 20 / 19
    np.testing.assert_allclose(f.se, np.sqrt(np.diag(V)), rtol=1e-8)
    # perfect separation: x > 0.5 <=> y = 1; no finite maximum
    xs = np.linspace(0, 1, 40)
    sep = fit_logit((xs > 0.5).astype(float), xs, max_iter=25)
    assert not sep.converged
    assert sep.coefficient("x1") > 10


# ----------------------------------------------------------------------------- backtest
def synthetic_panel(
    seed: int, *, driven: bool, R: int = 60, A: int = 30, T: int = 3
) -> pd.DataFrame:
    """Regions specialised around a 'home' group of related activities; at each step,
    cells not present enter with probability logistic(-4 + 8 density) (``driven``) or a
    constant 8 % (random); an entering cell's value rises from 1 to 10."""
    rng = np.random.default_rng(seed)
    group = np.arange(A) % 5
    home = rng.integers(0, 5, size=R)
    p = np.where(group[None, :] == home[:, None], 0.6, 0.08)
    X = 1.0 + 9.0 * (rng.random((R, A)) < p)
    frames = []
    for _t in range(T):
        frames.append(X.copy())
        M = binarise(rca(X))
        D = density(M, proximity(M))
        prob = 1 / (1 + np.exp(-(-4.0 + 8.0 * D))) if driven else np.full(D.shape, 0.08)
        enter = (M == 0) & (rng.random((R, A)) < prob)
        X = X.copy()
        X[enter] = 10.0
    regions = np.array([f"R{r:02d}" for r in range(R)], dtype=object)
    acts = np.array([f"A{a:02d}" for a in range(A)], dtype=object)
    return pd.DataFrame(
        {
            "region": np.tile(np.repeat(regions, A), T),
            "activity": np.tile(acts, R * T),
            "period": np.repeat(2000 + np.arange(T), R * A),
            "value": np.concatenate([f.ravel() for f in frames]),
        }
    )


@pytest.mark.parametrize("seed", range(3))
def test_entries_driven_by_density_are_detected(seed: int) -> None:
    res = entry_backtest(synthetic_panel(seed, driven=True))
    assert res.n_entries > 30
    assert res.auc > 0.62
    assert (res.auc - 0.5) / res.auc_null_sd > 3
    assert res.auc_p < 0.01
    assert res.logit is not None
    assert res.lpm is not None
    assert res.logit.coefficient("density") > 0
    assert res.logit.coefficient("density") / res.logit.std_error("density") > 3
    assert res.lpm.coefficient("density") > 0
    assert "principle of relatedness holds" in res.to_text()


@pytest.mark.parametrize("seed", range(4))
def test_random_entries_give_auc_near_half(seed: int) -> None:
    res = entry_backtest(synthetic_panel(seed, driven=False))
    assert res.n_entries > 100
    # tolerance from n: 4 standard deviations of the AUC under "no relation"
    assert abs(res.auc - 0.5) < 4 * res.auc_null_sd
    assert res.auc_null_sd == pytest.approx(
        math.sqrt((res.n + 1) / (12 * res.n_entries * (res.n - res.n_entries))), rel=0.05
    )


def test_backtest_outputs_and_options() -> None:
    df = synthetic_panel(1, driven=True)
    res = entry_backtest(df, controls=["log_size", "ubiquity", "rca"], cluster="region")
    assert isinstance(res, BacktestResult)
    assert res.logit is not None
    assert res.logit.names == ("const", "density", "log_size", "ubiquity", "rca", "period[2001]")
    assert "clusters" in res.logit.se_kind
    obs = res.observations()
    assert len(obs) == res.n
    assert set(obs.columns) >= {"region", "activity", "period", "density", "entry", "rca"}
    assert obs["entry"].sum() == res.n_entries
    assert (obs["rca"] < 1).all()  # the risk set: RCA below the threshold at t
    coefs = res.coefficients()
    assert set(coefs["model"]) == {"lpm", "logit"}
    summary = res.summary()
    assert summary.set_index("statistic").loc["risk set (cells)", "value"] == res.n
    assert len(res.bins) == 5
    assert sum(b.n for b in res.bins) == res.n
    assert sum(b.entries for b in res.bins) == res.n_entries
    # per pair of periods
    assert [(p.start, p.end) for p in res.pairs] == [(2000, 2001), (2001, 2002)]
    assert sum(p.n for p in res.pairs) == res.n
    # horizon 2: one pair, no period effects
    h2 = entry_backtest(df, horizon=2, period_effects=False)
    assert len(h2.pairs) == 1
    assert h2.logit is not None
    assert h2.logit.names == ("const", "density")
    # asymmetric proximity runs too
    assert 0 <= entry_backtest(df, proximity_kind="asymmetric").auc <= 1


def test_backtest_on_activity_table_and_errors() -> None:
    df = synthetic_panel(0, driven=True, R=20, A=10)
    t = ActivityTable.from_frame(
        df, measure="employment", unit="persons", additive=True, region_scheme="custom"
    )
    a, b = entry_backtest(t), entry_backtest(df)
    assert a.auc == b.auc
    assert a.n == b.n
    with pytest.raises(InputError, match="additive"):
        entry_backtest(t.with_meta(additive=False))
    with pytest.raises(InputError, match="unknown control"):
        entry_backtest(df, controls=["gdp"])
    with pytest.raises(InputError, match="twice"):
        entry_backtest(df, controls=["rca", "rca"])
    with pytest.raises(InputError, match="cluster"):
        entry_backtest(df, cluster="activity")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="proximity_kind"):
        entry_backtest(df, proximity_kind="continuous")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="at least two periods"):
        entry_backtest(df[df["period"] == 2000])
    assert set(CONTROLS) == {"log_size", "log_activity_size", "ubiquity", "diversity", "rca"}


def test_backtest_without_entries() -> None:
    df = synthetic_panel(0, driven=True, T=1)
    df2 = pd.concat([df, df.assign(period=2001)])  # nothing changes
    res = entry_backtest(df2)
    assert res.n_entries == 0
    assert math.isnan(res.auc)
    assert res.lpm is None
    assert res.logit is None
    assert any("no entries" in n for n in res.notes)
    assert "nothing to separate" in res.to_text()


def test_bundled_dataset_backtest() -> None:
    from smartspec import datasets

    t = datasets.load("lfs_employment_nuts2")
    res = entry_backtest(t, missing="zero")
    assert 0.0 <= res.auc <= 1.0
    assert len(res.pairs) == 7  # 2008→2009 … 2014→2015
    assert res.n_regions == 276
    # figures recorded for the docs (Eurostat LFS, NUTS 2 × A*10): AUC 0.613 over
    # 11,217 cells at risk with 784 entries; density's logit coefficient ≈ 3.1
    assert res.auc == pytest.approx(0.613, abs=0.001)
    assert (res.n, res.n_entries) == (11_217, 784)
    text = res.to_text()
    assert "ROC AUC of density: 0.613" in text
    with pytest.raises(InputError, match="missing"):
        entry_backtest(t)
