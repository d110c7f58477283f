r"""ROC AUC by the Mann–Whitney rank formula, with the Hanley–McNeil standard error.

The area under the receiver operating characteristic curve of a score against a 0/1
outcome is the probability that a random positive case scores higher than a random
negative one (ties count one half): 0.5 is chance, 1 perfect separation. It equals the
Mann–Whitney *U* statistic divided by :math:`n_1 n_0`, so it is computed from average
ranks in :math:`O(n \log n)`. The entry backtest (:mod:`smartspec.metrics.backtest`)
reports it with the Hanley–McNeil (1982) standard error and tests it against 0.5 with
the tie-corrected null distribution of the rank sum. NumPy only.

Mann, H. B., & Whitney, D. R. (1947). On a test of whether one of two random variables
is stochastically larger than the other. *Annals of Mathematical Statistics*, 18(1),
50–60. Hanley, J. A., & McNeil, B. J. (1982). The meaning and use of the area under a
receiver operating characteristic (ROC) curve. *Radiology*, 143(1), 29–36.

>>> round(roc_auc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]), 3)
0.75
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from smartspec.errors import InputError

FloatArray = npt.NDArray[np.float64]

__all__ = ["roc_auc"]


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
