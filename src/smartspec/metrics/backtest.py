r"""Entry backtest: does relatedness density predict new specialisations in *your* data?

The *principle of relatedness* (Hidalgo et al. 2018) says that regions are more likely
to enter activities related to what they already do. Before relatedness density is
used to rank a region's opportunities, :func:`entry_backtest` checks the claim on the
user's own panel: over the risk set (cells with :math:`M_{cp,t} = 0`) it measures how
well density at *t* separates the cells that entered by *t + k* from those that did
not —

* **ROC AUC** of density (Mann–Whitney rank formula, ties counted one half; 0.5 is
  chance, 1 is perfect separation), with its Hanley–McNeil standard error and a test
  against 0.5;
* a **linear probability model** of entry on density (OLS, heteroskedasticity-robust
  HC1 standard errors), as in Neffke, Henning & Boschma (2011) and Balland et al.
  (2019);
* a **logit** fitted by iteratively reweighted least squares (Newton–Raphson), with
  model-based standard errors and McFadden's pseudo-:math:`R^2`;

optionally with controls (log region size, log activity size, ubiquity, diversity,
RCA at *t*), period effects and standard errors clustered by region. The estimators
(:func:`roc_auc`, :func:`fit_lpm`, :func:`fit_logit`) are public and take plain arrays.
NumPy only (no statsmodels, no scipy).

>>> round(roc_auc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]), 3)
0.75
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import numpy.typing as npt

from smartspec.errors import InputError
from smartspec.metrics.conventions import Convention, get_convention
from smartspec.metrics.dynamics import Missing, _load_panel, _transitions_of
from smartspec.metrics.relatedness import density, proximity

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

FloatArray = npt.NDArray[np.float64]
ProximityKind = Literal["min", "asymmetric"]

__all__ = [
    "CONTROLS",
    "BacktestResult",
    "DensityBin",
    "PairStats",
    "RegressionFit",
    "entry_backtest",
    "fit_logit",
    "fit_lpm",
    "roc_auc",
]

#: Controls :func:`entry_backtest` knows, and what they are.
CONTROLS: dict[str, str] = {
    "log_size": "log of the region's total at t",
    "log_activity_size": "log of the activity's total over all regions at t",
    "ubiquity": "number of regions specialised in the activity at t",
    "diversity": "number of activities the region is specialised in at t",
    "rca": "RCA of the cell at t (below the threshold within the risk set)",
}


# --------------------------------------------------------------------------------------
# ROC AUC


def _avg_ranks(x: FloatArray) -> tuple[FloatArray, FloatArray]:
    """1-based average ranks (ties share the mean rank) and the tie-group sizes."""
    order = np.argsort(x, kind="mergesort")
    xs = x[order]
    n = x.size
    starts = np.flatnonzero(np.r_[True, xs[1:] != xs[:-1]])
    ends = np.r_[starts[1:], n]
    avg = (starts + ends + 1) / 2.0
    ranks = np.empty(n)
    ranks[order] = np.repeat(avg, ends - starts)
    return ranks, (ends - starts).astype(np.float64)


def _clean_scores(scores: npt.ArrayLike, labels: npt.ArrayLike) -> tuple[FloatArray, FloatArray]:
    s = np.asarray(scores, dtype=np.float64).ravel()
    y = np.asarray(labels, dtype=np.float64).ravel()
    if s.shape != y.shape:
        raise InputError(f"scores has {s.size} values, labels {y.size}")
    ok = np.isfinite(s) & np.isfinite(y)
    s, y = s[ok], y[ok]
    if not np.isin(y, (0.0, 1.0)).all():
        raise InputError("labels must be 0 or 1 (NaN is left out)")
    return s, y


def _auc_stats(s: FloatArray, y: FloatArray) -> tuple[float, float, float]:
    """AUC, Hanley–McNeil standard error, and the SD of the AUC under H0 (ties corrected)."""
    n1 = float(y.sum())
    n0 = float(y.size - n1)
    if n1 == 0 or n0 == 0:
        return float("nan"), float("nan"), float("nan")
    ranks, ties = _avg_ranks(s)
    u = float(ranks[y == 1].sum()) - n1 * (n1 + 1.0) / 2.0
    auc = u / (n1 * n0)
    # Hanley & McNeil (1982), eq. (2)
    q1 = auc / (2.0 - auc)
    q2 = 2.0 * auc * auc / (1.0 + auc)
    var = (auc * (1 - auc) + (n1 - 1) * (q1 - auc**2) + (n0 - 1) * (q2 - auc**2)) / (n1 * n0)
    se = math.sqrt(max(var, 0.0))
    # Var(U) under H0 with ties: n1 n0 / 12 [(N + 1) - sum(t^3 - t) / (N (N - 1))]
    N = n1 + n0
    var_u = n1 * n0 / 12.0 * ((N + 1.0) - float((ties**3 - ties).sum()) / (N * (N - 1.0)))
    sd0 = math.sqrt(max(var_u, 0.0)) / (n1 * n0)
    return auc, se, sd0


def roc_auc(scores: npt.ArrayLike, labels: npt.ArrayLike) -> float:
    r"""Area under the ROC curve, by the Mann–Whitney rank formula.

    .. math:: AUC = \frac{R_1 - n_1(n_1+1)/2}{n_1 n_0}

    with :math:`R_1` the sum of the (average, 1-based) ranks of the positive cases'
    scores among all scores, :math:`n_1` positives and :math:`n_0` negatives. Equal
    scores get the average rank, so a tie between a positive and a negative counts
    one half. The AUC is the probability that a random positive scores higher than a
    random negative. Pairs with a NaN are left out; NaN if a class is empty.

    Mann, H. B., & Whitney, D. R. (1947). On a test of whether one of two random
    variables is stochastically larger than the other. *Annals of Mathematical
    Statistics*, 18(1), 50–60. Hanley, J. A., & McNeil, B. J. (1982). The meaning and
    use of the area under a receiver operating characteristic (ROC) curve.
    *Radiology*, 143(1), 29–36.

    Examples
    --------
    >>> # positives 0.35, 0.8; negatives 0.1, 0.4: pairs won 0.35>0.1, 0.8>0.1, 0.8>0.4
    >>> roc_auc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])
    0.75
    >>> roc_auc([1.0, 1.0], [0, 1])  # a tie counts one half
    0.5
    """
    s, y = _clean_scores(scores, labels)
    return _auc_stats(s, y)[0]


# --------------------------------------------------------------------------------------
# regressions


@dataclass(frozen=True)
class RegressionFit:
    """A fitted linear probability model or logit.

    ``r2`` is :math:`R^2` for the LPM and McFadden's pseudo-:math:`R^2`
    (:math:`1 - \\ell/\\ell_0`) for the logit; ``loglik`` / ``loglik_null`` are NaN for
    the LPM. ``se_kind`` says how the standard errors were computed. ``z`` and ``p``
    use the normal distribution (large samples).
    """

    model: str
    names: tuple[str, ...]
    coef: FloatArray
    se: FloatArray
    n: int
    r2: float
    se_kind: str
    loglik: float = float("nan")
    loglik_null: float = float("nan")
    converged: bool = True
    iterations: int = 0

    @property
    def z(self) -> FloatArray:
        """coef / se."""
        with np.errstate(divide="ignore", invalid="ignore"):
            out: FloatArray = self.coef / self.se
        return out

    @property
    def p(self) -> FloatArray:
        """Two-sided p-values (normal approximation)."""
        return np.array([_p_two_sided(float(v)) for v in self.z])

    def coefficient(self, name: str) -> float:
        """The coefficient of one term."""
        if name not in self.names:
            raise InputError(f"no term {name!r}", hint="terms: " + ", ".join(self.names))
        return float(self.coef[self.names.index(name)])

    def std_error(self, name: str) -> float:
        """The standard error of one term."""
        if name not in self.names:
            raise InputError(f"no term {name!r}", hint="terms: " + ", ".join(self.names))
        return float(self.se[self.names.index(name)])


def _p_two_sided(z: float) -> float:
    return math.erfc(abs(z) / math.sqrt(2.0)) if math.isfinite(z) else float("nan")


def _design(
    y: npt.ArrayLike,
    X: npt.ArrayLike,
    names: Sequence[str] | None,
    add_constant: bool,
    cluster: npt.ArrayLike | None,
) -> tuple[FloatArray, FloatArray, tuple[str, ...], npt.NDArray[np.intp] | None]:
    yy = np.asarray(y, dtype=np.float64).ravel()
    XX = np.asarray(X, dtype=np.float64)
    if XX.ndim == 1:
        XX = XX[:, None]
    if XX.shape[0] != yy.size:
        raise InputError(f"X has {XX.shape[0]} rows, y has {yy.size} values")
    k0 = XX.shape[1]
    nm = tuple(names) if names is not None else tuple(f"x{i + 1}" for i in range(k0))
    if len(nm) != k0:
        raise InputError(f"{len(nm)} names for {k0} columns")
    if add_constant:
        XX = np.column_stack([np.ones(yy.size), XX])
        nm = ("const", *nm)
    if not (np.isfinite(XX).all() and np.isfinite(yy).all()):
        raise InputError("y and X must be finite (drop the rows with NaN first)")
    if yy.size <= XX.shape[1]:
        raise InputError(f"{yy.size} observations are too few for {XX.shape[1]} parameters")
    if np.linalg.matrix_rank(XX) < XX.shape[1]:
        raise InputError(
            "the regressors are collinear (a control is constant or duplicates another)",
            hint="terms: " + ", ".join(nm),
        )
    groups: npt.NDArray[np.intp] | None = None
    if cluster is not None:
        c = np.asarray(cluster).ravel()
        if c.size != yy.size:
            raise InputError(f"cluster has {c.size} values, y has {yy.size}")
        _, inv = np.unique(c, return_inverse=True)
        groups = inv.astype(np.intp).ravel()
        if int(groups.max()) + 1 < 2:
            raise InputError("clustered standard errors need at least two clusters")
    return yy, XX, nm, groups


def _cluster_meat(S: FloatArray, groups: npt.NDArray[np.intp]) -> tuple[FloatArray, int]:
    """sum_g (sum_{i in g} s_i)(sum_{i in g} s_i)' for score rows s_i."""
    G = int(groups.max()) + 1
    sums = np.zeros((G, S.shape[1]))
    np.add.at(sums, groups, S)
    return sums.T @ sums, G


def fit_lpm(
    y: npt.ArrayLike,
    X: npt.ArrayLike,
    *,
    names: Sequence[str] | None = None,
    add_constant: bool = True,
    cluster: npt.ArrayLike | None = None,
) -> RegressionFit:
    r"""Linear probability model: OLS of a 0/1 outcome with robust standard errors.

    .. math:: \hat\beta = (X'X)^{-1} X'y, \qquad
              \widehat{V}_{HC1} = \frac{n}{n-k} (X'X)^{-1}
              \Big(\sum_i e_i^2 x_i x_i'\Big) (X'X)^{-1}

    (White 1980 with the HC1 small-sample factor; the LPM's errors are
    heteroskedastic by construction). With ``cluster`` (e.g. region codes), the
    cluster-robust CR1 form :math:`\frac{G}{G-1}\frac{n-1}{n-k}(X'X)^{-1} \sum_g
    u_g u_g' (X'X)^{-1}`, :math:`u_g = \sum_{i\in g} e_i x_i`.

    White, H. (1980). A heteroskedasticity-consistent covariance matrix estimator and
    a direct test for heteroskedasticity. *Econometrica*, 48(4), 817–838.

    Examples
    --------
    >>> # y = 0, 0, 1, 1 on x = 0, 1, 2, 3: slope = cov / var = 0.5 / 1.25 = 0.4
    >>> f = fit_lpm([0, 0, 1, 1], [0.0, 1.0, 2.0, 3.0], names=["x"])
    >>> f.coef.round(3).tolist(), round(f.r2, 3)
    ([-0.1, 0.4], 0.8)
    """
    yy, XX, nm, groups = _design(y, X, names, add_constant, cluster)
    n, k = XX.shape
    XtX_inv = np.linalg.inv(XX.T @ XX)
    beta = XtX_inv @ (XX.T @ yy)
    e = yy - XX @ beta
    if groups is None:
        meat = (XX * (e * e)[:, None]).T @ XX
        V = XtX_inv @ meat @ XtX_inv * (n / (n - k))
        kind = "HC1 (heteroskedasticity-robust)"
    else:
        meat, G = _cluster_meat(XX * e[:, None], groups)
        V = XtX_inv @ meat @ XtX_inv * (G / (G - 1.0)) * ((n - 1.0) / (n - k))
        kind = f"CR1 (clustered, {G} clusters)"
    sst = float(((yy - yy.mean()) ** 2).sum())
    r2 = 1.0 - float(e @ e) / sst if sst > 0 else float("nan")
    return RegressionFit(
        model="lpm",
        names=nm,
        coef=beta,
        se=np.sqrt(np.maximum(np.diag(V), 0.0)),
        n=n,
        r2=r2,
        se_kind=kind,
    )


def _loglik(yy: FloatArray, eta: FloatArray) -> float:
    return float((yy * eta - np.logaddexp(0.0, eta)).sum())


def fit_logit(
    y: npt.ArrayLike,
    X: npt.ArrayLike,
    *,
    names: Sequence[str] | None = None,
    add_constant: bool = True,
    cluster: npt.ArrayLike | None = None,
    tol: float = 1e-10,
    max_iter: int = 100,
) -> RegressionFit:
    r"""Logit by iteratively reweighted least squares (Newton–Raphson).

    Maximises :math:`\ell(\beta) = \sum_i y_i \eta_i - \log(1 + e^{\eta_i})`,
    :math:`\eta = X\beta`, by Newton steps
    :math:`\beta \leftarrow \beta + (X'WX)^{-1} X'(y - p)` with
    :math:`p = 1/(1+e^{-\eta})`, :math:`W = \operatorname{diag}(p(1-p))`, halving a
    step that does not increase :math:`\ell`, until the largest step is below ``tol``
    (relative). Standard errors from the inverse information :math:`(X'WX)^{-1}`, or
    the cluster-robust sandwich :math:`\frac{G}{G-1} H^{-1} \sum_g s_g s_g' H^{-1}`
    with ``cluster``. ``r2`` is McFadden's pseudo-:math:`R^2 = 1 - \ell/\ell_0`,
    :math:`\ell_0` the log-likelihood of the constant-only model.

    Perfect (or quasi-complete) separation has no finite maximum: the fit is then
    reported with ``converged=False``.

    McCullagh, P., & Nelder, J. A. (1989). *Generalized Linear Models* (2nd ed.),
    ch. 2 and 4. Chapman & Hall. McFadden, D. (1974). Conditional logit analysis of
    qualitative choice behavior. In P. Zarembka (Ed.), *Frontiers in Econometrics*
    (pp. 105–142). Academic Press.

    Examples
    --------
    >>> f = fit_logit([0, 0, 1, 0, 1, 1], [1.0, 2.0, 3.0, 4.0, 5.0, 6.0], names=["x"])
    >>> f.converged, f.coef.round(4).tolist()
    (True, [-4.2491, 1.214])
    """
    yy, XX, nm, groups = _design(y, X, names, add_constant, cluster)
    if not np.isin(yy, (0.0, 1.0)).all():
        raise InputError("a logit needs a 0/1 outcome")
    n, k = XX.shape
    ybar = float(yy.mean())
    if ybar in (0.0, 1.0):
        raise InputError("the outcome never varies (all 0 or all 1): a logit is undefined")
    beta = np.zeros(k)
    if add_constant:
        beta[0] = math.log(ybar / (1.0 - ybar))
    ll = _loglik(yy, XX @ beta)
    converged = False
    it = 0
    for it in range(1, max_iter + 1):  # noqa: B007 - the count is reported
        eta = XX @ beta
        p = np.exp(-np.logaddexp(0.0, -eta))
        w = p * (1.0 - p)
        H = (XX * w[:, None]).T @ XX
        grad = XX.T @ (yy - p)
        try:
            step = np.linalg.solve(H, grad)
        except np.linalg.LinAlgError:
            step = np.linalg.lstsq(H, grad, rcond=None)[0]
        t = 1.0
        while True:
            cand = beta + t * step
            ll_c = _loglik(yy, XX @ cand)
            if ll_c >= ll - 1e-12 * abs(ll) or t < 1e-8:
                break
            t /= 2.0
        beta, ll = cand, ll_c
        if float(np.max(np.abs(t * step))) <= tol * (1.0 + float(np.max(np.abs(beta)))):
            converged = True
            break
    eta = XX @ beta
    p = np.exp(-np.logaddexp(0.0, -eta))
    H = (XX * (p * (1.0 - p))[:, None]).T @ XX
    try:
        H_inv = np.linalg.inv(H)
    except np.linalg.LinAlgError:
        H_inv = np.full((k, k), np.nan)
    if groups is None:
        V = H_inv
        kind = "model-based (inverse information)"
    else:
        meat, G = _cluster_meat(XX * (yy - p)[:, None], groups)
        V = H_inv @ meat @ H_inv * (G / (G - 1.0))
        kind = f"clustered sandwich ({G} clusters)"
    ll0 = n * (ybar * math.log(ybar) + (1.0 - ybar) * math.log(1.0 - ybar))
    return RegressionFit(
        model="logit",
        names=nm,
        coef=beta,
        se=np.sqrt(np.maximum(np.diag(V), 0.0)),
        n=n,
        r2=1.0 - ll / ll0,
        se_kind=kind,
        loglik=ll,
        loglik_null=ll0,
        converged=converged,
        iterations=it,
    )


# --------------------------------------------------------------------------------------
# the backtest


@dataclass(frozen=True)
class DensityBin:
    """Entry rate among risk-set cells whose density lies in ``[low, high]``."""

    low: float
    high: float
    n: int
    entries: int

    @property
    def rate(self) -> float:
        """entries / n."""
        return self.entries / self.n if self.n else float("nan")


@dataclass(frozen=True)
class PairStats:
    """Risk set, entries and AUC of one pair of periods (start → end)."""

    start: Any
    end: Any
    n: int
    entries: int
    auc: float


@dataclass(frozen=True)
class BacktestResult:
    """What :func:`entry_backtest` found; see :meth:`to_text` for a reading.

    ``auc_p`` tests AUC = 0.5 with the rank-sum null standard deviation
    ``auc_null_sd`` (ties corrected); ``auc_se`` is the Hanley–McNeil standard error
    of the estimate. ``lpm`` and ``logit`` are ``None`` when they could not be fitted
    (the reason is in ``notes``).
    """

    horizon: int
    threshold: float
    convention: str
    measure: str
    unit: str
    n_regions: int
    n_activities: int
    pairs: tuple[PairStats, ...]
    n: int
    n_entries: int
    auc: float
    auc_se: float
    auc_null_sd: float
    lpm: RegressionFit | None
    logit: RegressionFit | None
    bins: tuple[DensityBin, ...]
    controls: tuple[str, ...]
    stay: int = 0
    start_below: float | None = None
    notes: tuple[str, ...] = ()
    _obs: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def entry_rate(self) -> float:
        """Share of the risk set that entered."""
        return self.n_entries / self.n if self.n else float("nan")

    @property
    def auc_p(self) -> float:
        """Two-sided p-value of AUC = 0.5 (normal approximation of the rank-sum test)."""
        if not (math.isfinite(self.auc) and self.auc_null_sd > 0):
            return float("nan")
        return _p_two_sided((self.auc - 0.5) / self.auc_null_sd)

    def summary(self) -> pd.DataFrame:
        """The headline figures as a two-column table (``statistic``, ``value``)."""
        import pandas as pd

        rows: list[tuple[str, Any]] = [
            ("horizon", self.horizon),
            ("pairs of periods", len(self.pairs)),
            ("risk set (cells)", self.n),
            ("entries", self.n_entries),
            ("entry rate", self.entry_rate),
            ("ROC AUC of density", self.auc),
            ("AUC standard error (Hanley–McNeil)", self.auc_se),
            ("AUC p-value (vs 0.5)", self.auc_p),
        ]
        for fit in (self.lpm, self.logit):
            if fit is None:
                continue
            rows += [
                (f"{fit.model}: density coefficient", fit.coefficient("density")),
                (f"{fit.model}: density standard error", fit.std_error("density")),
                (f"{fit.model}: {'R²' if fit.model == 'lpm' else 'pseudo-R² (McFadden)'}", fit.r2),
            ]
        return pd.DataFrame(rows, columns=["statistic", "value"])

    def coefficients(self) -> pd.DataFrame:
        """Every coefficient of both models: ``model, term, coef, se, z, p``."""
        import pandas as pd

        parts = []
        for fit in (self.lpm, self.logit):
            if fit is None:
                continue
            parts.append(
                pd.DataFrame(
                    {
                        "model": fit.model,
                        "term": list(fit.names),
                        "coef": fit.coef,
                        "se": fit.se,
                        "z": fit.z,
                        "p": fit.p,
                    }
                )
            )
        if not parts:
            return pd.DataFrame(columns=["model", "term", "coef", "se", "z", "p"])
        return pd.concat(parts, ignore_index=True)

    def observations(self) -> pd.DataFrame:
        """The risk set: ``region, activity, period, period_end, density, entry`` and
        the controls, one row per cell at risk."""
        import pandas as pd

        o = self._obs
        if not o:
            return pd.DataFrame()
        data: dict[str, Any] = {
            "region": np.asarray(o["region_labels"], dtype=object)[o["region"]],
            "activity": np.asarray(o["activity_labels"], dtype=object)[o["activity"]],
            "period": np.asarray(o["start_labels"], dtype=object)[o["pair"]],
            "period_end": np.asarray(o["end_labels"], dtype=object)[o["pair"]],
            "density": o["density"],
            "entry": o["entry"].astype(np.int8),
        }
        for c in self.controls:
            data[c] = o[c]
        return pd.DataFrame(data)

    def to_text(self) -> str:
        """A plain-language report of the backtest."""
        lines = [
            "Entry backtest — does relatedness density at t predict new specialisations "
            f"by t+{self.horizon}?",
            f"Data: {self.measure}"
            + (f" [{self.unit}]" if self.unit else "")
            + f", {self.n_regions} regions × {self.n_activities} activities, "
            f"{len(self.pairs)} pair(s) of periods"
            + (
                f" ({self.pairs[0].start}→{self.pairs[0].end} … "
                f"{self.pairs[-1].start}→{self.pairs[-1].end})"
                if self.pairs
                else ""
            ),
            f"Entry: RCA below {self.threshold:g} at t, at or above it at t+{self.horizon}"
            + (f" and in the {self.stay} period(s) after" if self.stay else "")
            + f" (convention {self.convention})."
            + (
                f" Risk set limited to RCA < {self.start_below:g} at t."
                if self.start_below is not None
                else ""
            ),
            f"Risk set: {self.n:,} cells; entries: {self.n_entries:,} ({self.entry_rate:.1%}).",
            "",
        ]
        if math.isfinite(self.auc):
            p = self.auc_p
            ptxt = "p < 0.001" if p < 0.001 else f"p = {p:.3f}"
            lines.append(
                f"ROC AUC of density: {self.auc:.3f} (SE {self.auc_se:.3f}; {ptxt} against "
                "0.5, which is chance)."
            )
        else:
            lines.append("ROC AUC of density: not defined (no entries, or no non-entries).")
        if self.bins:
            lines.append("Entry rate by density group:")
            for b in self.bins:
                lines.append(
                    f"  density {b.low:.3f}–{b.high:.3f}: {b.rate:.1%} ({b.entries:,} of {b.n:,})"
                )
        for fit in (self.lpm, self.logit):
            if fit is None:
                continue
            title = (
                "Linear probability model"
                if fit.model == "lpm"
                else "Logit (IRLS" + ("" if fit.converged else ", NOT converged") + ")"
            )
            fit_stat = (
                f"R² {fit.r2:.4f}" if fit.model == "lpm" else f"pseudo-R² (McFadden) {fit.r2:.4f}"
            )
            lines += ["", f"{title}; n = {fit.n:,}; {fit_stat}; SE: {fit.se_kind}"]
            lines.append(f"  {'term':<22}{'coef':>12}{'se':>12}{'z':>9} {'p':>10}")
            for name, c, s, z, pv in zip(fit.names, fit.coef, fit.se, fit.z, fit.p, strict=True):
                lines.append(f"  {name:<22}{c:>12.5g}{s:>12.4g}{z:>9.2f} {pv:>10.3g}")
        lines += ["", "Reading: " + self._reading()]
        if self.notes:
            lines += ["", *("Note: " + n for n in self.notes)]
        return "\n".join(lines)

    def _reading(self) -> str:
        if not math.isfinite(self.auc):
            return "there is nothing to separate; the backtest says nothing."
        sig = math.isfinite(self.auc_p) and self.auc_p < 0.05
        if self.auc > 0.5 and sig:
            if self.auc >= 0.6:
                strength = "strongly" if self.auc >= 0.75 else "clearly"
                use = "density is a reasonable guide to a region's next specialisations"
            else:
                strength = "weakly"
                use = "density helps, but is a weak guide on its own"
            return (
                f"cells with higher relatedness density entered more often — density "
                f"{strength} predicts entry (AUC {self.auc:.2f}): the principle of "
                f"relatedness holds in these data; {use}."
            )
        if self.auc < 0.5 and sig:
            return (
                f"entries came more often where density was low (AUC {self.auc:.2f}): "
                "density is not a guide to entry in these data — check the data and the "
                "activity classification before using it."
            )
        return (
            f"no evidence that density predicts entry (AUC {self.auc:.2f}, not different "
            "from 0.5); with few entries or coarse activities this is not surprising."
        )


def _bins(d: FloatArray, y: FloatArray, k: int) -> tuple[DensityBin, ...]:
    if k < 1 or d.size == 0:
        return ()
    edges = np.unique(np.quantile(d, np.linspace(0.0, 1.0, k + 1)))
    if edges.size == 1:
        return (DensityBin(float(edges[0]), float(edges[0]), int(d.size), int(y.sum())),)
    idx = np.clip(np.searchsorted(edges, d, side="right") - 1, 0, edges.size - 2)
    out = []
    for b in range(edges.size - 1):
        m = idx == b
        out.append(DensityBin(float(edges[b]), float(edges[b + 1]), int(m.sum()), int(y[m].sum())))
    return tuple(out)


def entry_backtest(
    table: Any,
    *,
    horizon: int = 1,
    threshold: float | None = None,
    convention: str | Convention | None = None,
    controls: Sequence[str] = (),
    period_effects: bool = True,
    cluster: Literal["region"] | None = None,
    stay: int = 0,
    start_below: float | None = None,
    proximity_kind: ProximityKind = "min",
    bins: int = 5,
    missing: Missing = "error",
    columns: Mapping[str, str] | None = None,
) -> BacktestResult:
    r"""Does relatedness density at *t* predict entries at *t + horizon*?

    For every pair of periods (*t*, *t + k*): presence
    :math:`M_{cp,t} = [RCA_{cp,t} \ge` threshold], proximity :math:`\phi_t` from
    :math:`M_t` (minimum conditional probability, Hidalgo et al. 2007) and density
    :math:`\omega_{cp,t} = \sum_q M_{cq,t}\phi_{pq,t} / \sum_q \phi_{pq,t}`; the risk
    set is the cells with :math:`M_{cp,t} = 0` in regions with data at both periods,
    and the outcome is entry (:func:`smartspec.metrics.dynamics.entries`). Pairs are
    pooled; the models are

    .. math:: \Pr(\text{entry}_{cp,t} = 1) = F(\alpha + \beta\,\omega_{cp,t}
              + \gamma' z_{cp,t} + \delta_t)

    with *F* the identity (LPM) or the logistic function (logit), optional controls
    *z* and period effects :math:`\delta_t`. :math:`\beta > 0` and AUC > 0.5 are the
    principle of relatedness (Hidalgo et al. 2018).

    Parameters
    ----------
    table : ActivityTable or pandas.DataFrame
        A panel of an additive measure (at least two periods ``horizon`` apart).
    horizon : int
        *k* (years for integer periods, positions otherwise).
    threshold : float, optional
        RCA threshold of presence (default: the convention's, 1).
    convention : str or Convention, optional
        Threshold, comparison, proximity diagonal and density scale.
    controls : sequence of str
        Any of :data:`CONTROLS`: ``"log_size"``, ``"log_activity_size"``,
        ``"ubiquity"``, ``"diversity"``, ``"rca"``.
    period_effects : bool
        Add a dummy per start period (but the first) when there are several pairs.
    cluster : {"region"}, optional
        Cluster standard errors by region (pairs overlap and cells of a region are not
        independent); default: HC1 (LPM) and model-based (logit).
    stay, start_below :
        Robustness definitions of entry, as in
        :func:`smartspec.metrics.dynamics.compute_entry_exit`.
    proximity_kind : {"min", "asymmetric"}
        Proximity form.
    bins : int
        Number of density quantile groups in the entry-rate table.
    missing : {"error", "zero", "drop"}
        Missing values: raise, count as 0, or leave out the regions that have any.

    Returns
    -------
    BacktestResult

    References
    ----------
    Hidalgo, C. A., Klinger, B., Barabási, A.-L., & Hausmann, R. (2007). The product
    space conditions the development of nations. *Science*, 317(5837), 482–487.
    Neffke, F., Henning, M., & Boschma, R. (2011). How do regions diversify over time?
    *Economic Geography*, 87(3), 237–265. Hidalgo, C. A., et al. (2018). The principle
    of relatedness. *Unifying Themes in Complex Systems IX*, 451–457. Balland, P.-A.,
    Boschma, R., Crespo, J., & Rigby, D. L. (2019). Smart specialization policy in the
    European Union: relatedness, knowledge complexity and regional diversification.
    *Regional Studies*, 53(9), 1252–1268.

    Examples
    --------
    >>> import pandas as pd
    >>> from smartspec import datasets
    >>> res = entry_backtest(datasets.load("lfs_employment_nuts2"), missing="zero")
    >>> 0.0 <= res.auc <= 1.0, res.horizon, len(res.pairs)
    (True, 1, 7)
    """
    conv = get_convention(convention)
    thr = float(conv.threshold if threshold is None else threshold)
    unknown = [c for c in controls if c not in CONTROLS]
    if unknown:
        raise InputError(
            "unknown control(s) " + ", ".join(map(repr, unknown)),
            hint="use any of " + ", ".join(CONTROLS),
        )
    if len(set(controls)) != len(controls):
        raise InputError("a control is listed twice")
    if cluster not in (None, "region"):
        raise InputError(f"cluster must be None or 'region', not {cluster!r}")
    if proximity_kind not in ("min", "asymmetric"):
        raise InputError(f"proximity_kind must be 'min' or 'asymmetric', not {proximity_kind!r}")
    panel = _load_panel(table, missing=missing, columns=columns, require_additive="the backtest")
    trs = _transitions_of(
        panel, horizon=horizon, conv=conv, threshold=thr, stay=stay, start_below=start_below
    )
    notes: list[str] = []
    if panel.dropped_regions:
        notes.append(
            f"{len(panel.dropped_regions)} region(s) left out for missing values: "
            + ", ".join(panel.dropped_regions[:10])
            + (" …" if len(panel.dropped_regions) > 10 else "")
        )
    cols: dict[str, list[Any]] = {
        k: [] for k in ("pair", "region", "activity", "density", "entry", *controls)
    }
    pair_stats: list[PairStats] = []
    for n_pair, tr in enumerate(trs):
        X = panel.X[tr.start]
        M = np.where(tr.live[:, None], tr.M0, 0.0)
        phi = proximity(M, proximity_kind, diagonal=conv.proximity_diagonal)
        D = density(M, phi, scale=conv.density_scale)
        ok = np.isfinite(tr.entry) & np.isfinite(D)
        extra: dict[str, FloatArray] = {}
        with np.errstate(divide="ignore", invalid="ignore"):
            if "log_size" in controls:
                extra["log_size"] = np.broadcast_to(np.log(X.sum(axis=1))[:, None], X.shape)
            if "log_activity_size" in controls:
                extra["log_activity_size"] = np.broadcast_to(
                    np.log(X.sum(axis=0))[None, :], X.shape
                )
            if "ubiquity" in controls:
                extra["ubiquity"] = np.broadcast_to(M.sum(axis=0)[None, :], X.shape)
            if "diversity" in controls:
                extra["diversity"] = np.broadcast_to(M.sum(axis=1)[:, None], X.shape)
            if "rca" in controls:
                extra["rca"] = tr.rca0
        for v in extra.values():
            ok &= np.isfinite(v)
        r_idx, a_idx = np.nonzero(ok)
        y = tr.entry[ok]
        cols["pair"].append(np.full(r_idx.size, n_pair, dtype=np.intp))
        cols["region"].append(r_idx)
        cols["activity"].append(a_idx)
        cols["density"].append(D[ok])
        cols["entry"].append(y)
        for k, v in extra.items():
            cols[k].append(v[ok])
        s_pair, y_pair = D[ok], y
        pair_stats.append(
            PairStats(
                start=panel.periods[tr.start],
                end=panel.periods[tr.end],
                n=int(y.size),
                entries=int(y.sum()),
                auc=_auc_stats(s_pair, y_pair)[0],
            )
        )
    obs: dict[str, Any] = {k: np.concatenate(v) for k, v in cols.items()}
    d = obs["density"]
    y = obs["entry"]
    n = int(y.size)
    n_entries = int(y.sum())
    auc, auc_se, sd0 = _auc_stats(d, y)
    if n_entries == 0:
        notes.append("no entries in the risk set: AUC and models are undefined")
    elif n_entries == n:
        notes.append("every cell at risk entered: AUC and models are undefined")

    # ---- models
    names = ["density", *controls]
    Z = np.column_stack([obs[c] for c in names]) if n else np.empty((0, len(names)))
    if period_effects and len(trs) > 1:
        dummies = [
            (obs["pair"] == k).astype(np.float64)
            for k in range(1, len(trs))
            if (obs["pair"] == k).any()
        ]
        used = [k for k in range(1, len(trs)) if (obs["pair"] == k).any()]
        if dummies and (obs["pair"] == 0).any():
            Z = np.column_stack([Z, *dummies])
            names += [f"period[{panel.periods[trs[k].start]}]" for k in used]
    groups = obs["region"] if cluster == "region" else None
    lpm: RegressionFit | None = None
    logit: RegressionFit | None = None
    if 0 < n_entries < n:
        try:
            lpm = fit_lpm(y, Z, names=names, cluster=groups)
        except InputError as err:
            notes.append(f"linear probability model not fitted: {err}")
        try:
            logit = fit_logit(y, Z, names=names, cluster=groups)
            if not logit.converged:
                notes.append(
                    "the logit did not converge (separation: some regressor predicts entry "
                    "perfectly); its coefficients are not reliable"
                )
        except InputError as err:
            notes.append(f"logit not fitted: {err}")
    if horizon > 1 and len(trs) > 1 and cluster is None:
        notes.append(
            "pairs of periods overlap (horizon > 1): observations are not independent; "
            "consider cluster='region'"
        )
    obs.update(
        region_labels=panel.regions,
        activity_labels=panel.activities,
        start_labels=[panel.periods[tr.start] for tr in trs],
        end_labels=[panel.periods[tr.end] for tr in trs],
    )
    return BacktestResult(
        horizon=int(horizon),
        threshold=thr,
        convention=conv.name,
        measure=panel.measure,
        unit=panel.unit,
        n_regions=len(panel.regions),
        n_activities=len(panel.activities),
        pairs=tuple(pair_stats),
        n=n,
        n_entries=n_entries,
        auc=auc,
        auc_se=auc_se,
        auc_null_sd=sd0,
        lpm=lpm,
        logit=logit,
        bins=_bins(d, y, bins),
        controls=tuple(controls),
        stay=int(stay),
        start_below=start_below,
        notes=tuple(notes),
        _obs=obs,
    )
