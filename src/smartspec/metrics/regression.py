r"""Binary-outcome regressions: linear probability model and logit, NumPy only.

Two estimators of :math:`\Pr(y_i = 1 \mid x_i)` for a 0/1 outcome, as used to test the
principle of relatedness (Neffke, Henning & Boschma 2011; Balland et al. 2019):

* :func:`fit_lpm` — the **linear probability model**: OLS with
  heteroskedasticity-robust HC1 standard errors (White 1980), or cluster-robust CR1
  ones;
* :func:`fit_logit` — the **logit**, fitted by iteratively reweighted least squares
  (Newton–Raphson; McCullagh & Nelder 1989), with model-based or cluster-robust
  sandwich standard errors and McFadden's (1974) pseudo-:math:`R^2`.

Both return a :class:`RegressionFit` (coefficients, standard errors, *z* and
normal-approximation *p*-values). No statsmodels, no scipy.

White, H. (1980). A heteroskedasticity-consistent covariance matrix estimator and a
direct test for heteroskedasticity. *Econometrica*, 48(4), 817–838. McCullagh, P., &
Nelder, J. A. (1989). *Generalized Linear Models* (2nd ed.). Chapman & Hall. McFadden,
D. (1974). Conditional logit analysis of qualitative choice behavior. In P. Zarembka
(Ed.), *Frontiers in Econometrics* (pp. 105–142). Academic Press.

>>> round(fit_lpm([0, 0, 1, 1], [0.0, 1.0, 2.0, 3.0], names=["x"]).coefficient("x"), 3)
0.4
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from smartspec.errors import InputError

FloatArray = npt.NDArray[np.float64]

__all__ = ["RegressionFit", "fit_logit", "fit_lpm"]


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
