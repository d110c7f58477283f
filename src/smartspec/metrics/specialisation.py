"""Specialisation: location quotients / revealed comparative advantage and presence.

All functions take a region × activity matrix ``X`` (regions in rows, activities in
columns, non-negative values such as employment or exports) as a NumPy array.
Undefined cells (a region or activity with zero total) are NaN, never an error.

>>> import numpy as np
>>> X = np.array([[2.0, 0.0], [1.0, 1.0]])
>>> rca(X).round(3).tolist()
[[1.333, 0.0], [0.667, 2.0]]
>>> binarise(rca(X)).tolist()
[[1.0, 0.0], [0.0, 1.0]]
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from smartspec.errors import InputError

FloatArray = npt.NDArray[np.float64]

__all__ = [
    "binarise",
    "gini",
    "hachman",
    "herfindahl",
    "hoover",
    "krugman",
    "location_quotient",
    "rca",
    "rpop",
    "shannon_entropy",
]


def _as_matrix(X: npt.ArrayLike, name: str = "X") -> FloatArray:
    A = np.asarray(X, dtype=np.float64)
    if A.ndim != 2:
        raise InputError(f"{name} must be a 2-D region × activity matrix, got {A.ndim}-D")
    return A


def rca(X: npt.ArrayLike) -> FloatArray:
    r"""Balassa's revealed comparative advantage (the location quotient).

    .. math:: RCA_{cp} = \frac{X_{cp} / \sum_{p'} X_{cp'}}{\sum_{c'} X_{c'p} / \sum_{c'p'} X_{c'p'}}

    Computed as ``(X / row_total) / (column_total / grand_total)``, in that order, as
    py-ecomplexity does. Rows or columns with zero total give NaN.

    Balassa, B. (1965). Trade liberalisation and "revealed" comparative advantage.
    *The Manchester School*, 33(2), 99–123.

    Parameters
    ----------
    X : array_like, shape (regions, activities)
        Non-negative values.

    Returns
    -------
    numpy.ndarray
        RCA, same shape; NaN where undefined.

    Examples
    --------
    >>> rca([[1.0, 1.0], [0.0, 2.0]]).tolist()
    [[2.0, 0.6666666666666666], [0.0, 1.3333333333333333]]
    """
    A = _as_matrix(X)
    row = A.sum(axis=1)
    col = A.sum(axis=0)
    total = col.sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        out: FloatArray = (A / row[:, None]) / (col / total)[None, :]
    return out


location_quotient = rca


def rpop(X: npt.ArrayLike, population: npt.ArrayLike) -> FloatArray:
    r"""Revealed per-capita advantage (RPOP).

    .. math:: RPOP_{cp} = \frac{X_{cp} / N_c}{\sum_{c'} X_{c'p} / \sum_{c'} N_{c'}}

    where :math:`N_c` is the population of region *c* (as in py-ecomplexity, the
    population total runs over the regions of ``X``). Used by the Growth Lab for
    subnational presence, where regions' export baskets are small.

    Parameters
    ----------
    X : array_like, shape (regions, activities)
    population : array_like, shape (regions,)

    Examples
    --------
    >>> rpop([[1.0, 1.0], [0.0, 2.0]], [1.0, 3.0]).tolist()
    [[4.0, 1.3333333333333333], [0.0, 0.8888888888888888]]
    """
    A = _as_matrix(X)
    pop = np.asarray(population, dtype=np.float64)
    if pop.shape != (A.shape[0],):
        raise InputError(
            f"population must have one value per region ({A.shape[0]}), got shape {pop.shape}"
        )
    col = A.sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        out: FloatArray = (A / pop[:, None]) / (col / np.nansum(pop))[None, :]
    return out


def binarise(R: npt.ArrayLike, threshold: float = 1.0, op: str = ">=") -> FloatArray:
    r"""Binary presence :math:`M_{cp} = [R_{cp} \ge t]` (or ``>``) as a float 0/1 matrix.

    NaN counts as absent (0), as in py-ecomplexity.

    Examples
    --------
    >>> binarise([[1.0, 0.5, float("nan")]]).tolist()
    [[1.0, 0.0, 0.0]]
    >>> binarise([[1.0, 2.0]], op=">").tolist()
    [[0.0, 1.0]]
    """
    A = np.asarray(R, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        if op == ">=":
            mask = threshold <= A
        elif op == ">":
            mask = threshold < A
        else:
            raise InputError(f"op must be '>=' or '>', not {op!r}")
    return mask.astype(np.float64)


# --------------------------------------------------------------------------------------
# Regional specialisation indices (one value per region)


def _shares(X: npt.ArrayLike) -> tuple[FloatArray, FloatArray]:
    """Row shares s_cp = X_cp / X_c and the reference (all-region) shares S_p."""
    A = _as_matrix(X)
    row = A.sum(axis=1)
    col = A.sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        s = A / row[:, None]
        ref = col / col.sum()
    return s, ref


def krugman(X: npt.ArrayLike) -> FloatArray:
    r"""Krugman specialisation index (dissimilarity from the all-region structure).

    .. math:: K_c = \sum_p \left| s_{cp} - S_p \right|, \quad s_{cp} = X_{cp}/X_c,\;
              S_p = X_p / X

    0 for a region with the reference structure, up to 2. Krugman, P. (1991).
    *Geography and Trade*. MIT Press.

    Examples
    --------
    >>> krugman([[1.0, 0.0], [0.0, 1.0]]).tolist()
    [1.0, 1.0]
    """
    s, ref = _shares(X)
    out: FloatArray = np.abs(s - ref[None, :]).sum(axis=1)
    out[~np.isfinite(s).all(axis=1)] = np.nan
    return out


def hoover(X: npt.ArrayLike) -> FloatArray:
    r"""Hoover (dissimilarity) index, half the Krugman index: :math:`H_c = K_c / 2`.

    Hoover, E. M. (1936). The measurement of industrial localization. *The Review of
    Economics and Statistics*, 18(4), 162–171.

    Examples
    --------
    >>> hoover([[1.0, 0.0], [0.0, 1.0]]).tolist()
    [0.5, 0.5]
    """
    out: FloatArray = krugman(X) / 2.0
    return out


def hachman(X: npt.ArrayLike) -> FloatArray:
    r"""Hachman index: similarity of a region's structure to the reference.

    .. math:: HI_c = \left( \sum_p s_{cp} \, LQ_{cp} \right)^{-1}
              = \left( \sum_p s_{cp}^2 / S_p \right)^{-1}

    1 for a region with the reference structure, towards 0 when specialised.
    Hachman, F. (1994). Economic report to the Governor. Salt Lake City: State of Utah.

    Examples
    --------
    >>> hachman([[1.0, 1.0], [1.0, 1.0]]).tolist()
    [1.0, 1.0]
    """
    s, ref = _shares(X)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(s > 0, s * s / ref[None, :], 0.0)
        out: FloatArray = 1.0 / terms.sum(axis=1)
    out[~np.isfinite(s).all(axis=1)] = np.nan
    return out


def herfindahl(X: npt.ArrayLike) -> FloatArray:
    r"""Herfindahl–Hirschman concentration of each region's activity shares.

    .. math:: HHI_c = \sum_p s_{cp}^2

    Herfindahl, O. C. (1950). *Concentration in the steel industry*. PhD thesis,
    Columbia University.

    Examples
    --------
    >>> herfindahl([[1.0, 1.0], [2.0, 0.0]]).tolist()
    [0.5, 1.0]
    """
    s, _ = _shares(X)
    out: FloatArray = (s * s).sum(axis=1)
    return out


def shannon_entropy(X: npt.ArrayLike, base: float = 2.0) -> FloatArray:
    r"""Shannon entropy of each region's activity shares (higher = more diversified).

    .. math:: E_c = \sum_{p: s_{cp}>0} s_{cp} \log_b (1/s_{cp})

    Shannon, C. E. (1948). A mathematical theory of communication. *Bell System
    Technical Journal*, 27(3), 379–423.

    Examples
    --------
    >>> shannon_entropy([[1.0, 1.0, 0.0]]).tolist()
    [1.0]
    """
    s, _ = _shares(X)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(s > 0, -s * np.log(s), 0.0)
    out: FloatArray = terms.sum(axis=1) / np.log(base)
    out[~np.isfinite(s).all(axis=1)] = np.nan
    return out


def gini(X: npt.ArrayLike) -> FloatArray:
    r"""Locational Gini coefficient of each region's location quotients.

    The Gini coefficient of the distribution of region *c*'s activity shares
    :math:`s_{cp}` relative to the reference shares :math:`S_p` (the area between the
    region's localisation curve and the diagonal, times two):

    .. math:: G_c = \frac{1}{2 \bar{q}_c P^2} \sum_p \sum_{p'} |q_{cp} - q_{cp'}|
              \quad\text{with } q_{cp} = LQ_{cp}, \text{ weighted by } S_p

    (weighted form: :math:`G_c = \sum_{p,p'} S_p S_{p'} |q_{cp}-q_{cp'}| / (2\sum_p
    S_p q_{cp})`). 0 when the region mirrors the reference, towards 1 when concentrated.
    Krugman, P. (1991). *Geography and Trade*. MIT Press (appendix D).

    Examples
    --------
    >>> gini([[1.0, 1.0], [1.0, 1.0]]).tolist()
    [0.0, 0.0]
    """
    s, ref = _shares(X)
    with np.errstate(divide="ignore", invalid="ignore"):
        q = s / ref[None, :]
    q = np.where(ref[None, :] > 0, q, 0.0)
    w = np.where(ref > 0, ref, 0.0)
    # sorted form of sum_{p,p'} w_p w_p' |q_p - q_p'| = 2 sum_i w_i q_i (2 C_i - w_i - W)
    order = np.argsort(q, axis=1, kind="stable")
    qs = np.take_along_axis(q, order, axis=1)
    ws = w[order]
    cum = np.cumsum(ws, axis=1)
    num = 2.0 * (ws * qs * (2.0 * cum - ws - w.sum())).sum(axis=1)
    den = 2.0 * (q * w[None, :]).sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        out: FloatArray = num / den
    out[~np.isfinite(s).all(axis=1)] = np.nan
    return out


def locational_gini(X: npt.ArrayLike) -> FloatArray:
    r"""Locational Gini of each *activity*: how concentrated it is across regions.

    The transpose of :func:`gini`: for activity *p*, the Gini of its location
    quotients over regions, each region weighted by its share of the total,

    .. math:: LG_p = \frac{\sum_{c,c'} W_c W_{c'} |LQ_{cp} - LQ_{c'p}|}
              {2 \sum_c W_c LQ_{cp}}, \quad W_c = X_c / X

    0 when the activity is spread like the economy as a whole, towards 1 when it sits
    in a few regions. Krugman, P. (1991). *Geography and Trade*. MIT Press, appendix D;
    Audretsch, D. B. & Feldman, M. P. (1996). R&D spillovers and the geography of
    innovation and production. *American Economic Review*, 86(3), 630–640.

    Examples
    --------
    >>> locational_gini([[1.0, 1.0], [1.0, 1.0]]).tolist()  # both spread evenly
    [0.0, 0.0]
    >>> # activity 0 only in region 0 (half the economy): LQ = (2, 0), weights (1/2, 1/2)
    >>> # -> 2 * (1/2 * 1/2 * 2) / (2 * 1) = 0.5
    >>> locational_gini([[2.0, 0.0], [0.0, 2.0]]).tolist()
    [0.5, 0.5]
    """
    return gini(np.asarray(X, dtype=float).T)


def gini_coefficient(X: npt.ArrayLike) -> FloatArray:
    r"""Plain Gini coefficient of each row's values (unweighted), e.g. a region's
    employment across activities.

    .. math:: G_c = \frac{\sum_p \sum_{p'} |x_{cp} - x_{cp'}|}{2 P^2 \bar{x}_c}

    0 when all values are equal, :math:`(P-1)/P` when one activity holds everything.
    Gini, C. (1912). *Variabilità e mutabilità*. Bologna: Tipografia di Paolo Cuppini.
    EconGeo's ``Gini()`` computes the same quantity.

    Examples
    --------
    >>> gini_coefficient([[1.0, 1.0, 1.0, 1.0], [0.0, 0.0, 0.0, 4.0]]).tolist()
    [0.0, 0.75]
    """
    A = _as_matrix(X)
    P = A.shape[1]
    xs = np.sort(A, axis=1)
    # sorted form: sum_{p,p'} |x_p - x_p'| = 2 sum_i (2i - P - 1) x_(i), i = 1..P
    i = np.arange(1, P + 1, dtype=float)
    num = 2.0 * ((2.0 * i - P - 1.0)[None, :] * xs).sum(axis=1)
    den = 2.0 * P * A.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        out: FloatArray = num / den
    out[~np.isfinite(A).all(axis=1)] = np.nan
    return out
