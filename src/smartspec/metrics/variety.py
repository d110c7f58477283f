r"""Related and unrelated variety (entropy decomposition, Frenken et al. 2007).

Activities are grouped by a coarser classification level (e.g. NACE classes into
divisions). With :math:`p_{ci}` the share of activity *i* in region *c* and
:math:`P_{cg} = \sum_{i \in g} p_{ci}` the share of group *g*:

.. math:: UV_c = \sum_g P_{cg} \log_2 \frac{1}{P_{cg}}, \qquad
          RV_c = \sum_g P_{cg} H_{cg}, \quad
          H_{cg} = \sum_{i \in g} \frac{p_{ci}}{P_{cg}} \log_2 \frac{P_{cg}}{p_{ci}},

and total entropy :math:`E_c = UV_c + RV_c`.

Frenken, K., Van Oort, F., & Verburg, T. (2007). Related variety, unrelated variety and
regional economic growth. *Regional Studies*, 41(5), 685–697.

>>> X = [[1.0, 1.0, 2.0]]
>>> groups = ["A", "A", "B"]
>>> unrelated_variety(X, groups).tolist(), related_variety(X, groups).tolist()
([1.0], [0.5])
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from smartspec.errors import InputError

FloatArray = npt.NDArray[np.float64]

__all__ = ["related_variety", "unrelated_variety"]


def _group_shares(
    X: npt.ArrayLike, groups: npt.ArrayLike
) -> tuple[FloatArray, FloatArray, npt.NDArray[np.intp]]:
    A = np.asarray(X, dtype=np.float64)
    if A.ndim != 2:
        raise InputError(f"X must be a 2-D region × activity matrix, got {A.ndim}-D")
    g = np.asarray(groups)
    if g.shape != (A.shape[1],):
        raise InputError(f"groups must have one label per activity ({A.shape[1]}), got {g.shape}")
    _, codes = np.unique(g, return_inverse=True)
    codes = codes.astype(np.intp)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = A / A.sum(axis=1, keepdims=True)
    n_g = int(codes.max()) + 1 if codes.size else 0
    P = np.zeros((A.shape[0], n_g))
    np.add.at(P.T, codes, p.T)
    return p, P, codes


def unrelated_variety(X: npt.ArrayLike, groups: npt.ArrayLike) -> FloatArray:
    r"""Unrelated variety: entropy (bits) of the group shares :math:`P_{cg}`.

    Examples
    --------
    >>> unrelated_variety([[1.0, 1.0, 0.0]], ["A", "B", "B"]).tolist()
    [1.0]
    """
    _, P, _ = _group_shares(X, groups)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(P > 0, -P * np.log2(P), 0.0)
    out: FloatArray = terms.sum(axis=1)
    out[~np.isfinite(P).all(axis=1)] = np.nan
    return out


def related_variety(X: npt.ArrayLike, groups: npt.ArrayLike) -> FloatArray:
    r"""Related variety: share-weighted entropy (bits) within groups, :math:`\sum_g P_{cg} H_{cg}`.

    Examples
    --------
    >>> related_variety([[1.0, 1.0, 0.0]], ["A", "A", "B"]).tolist()
    [1.0]
    """
    p, P, codes = _group_shares(X, groups)
    Pi = P[:, codes]  # group share of each activity's group
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(p > 0, p * np.log2(Pi / p), 0.0)
    out: FloatArray = terms.sum(axis=1)
    out[~np.isfinite(p).all(axis=1)] = np.nan
    return out
