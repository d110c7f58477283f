r"""Relatedness: co-occurrence, proximity, density, distance, COI and COG.

Matrices are NumPy arrays: ``M`` is the binary region × activity presence matrix,
``phi`` an activity × activity proximity matrix. An activity whose proximity is
undefined (zero ubiquity, or a constant column in the continuous form) has a NaN row
and column in ``phi``; density and COG are then NaN for that activity only, and it
contributes nothing to other activities' sums.

A proximity matrix computed on one set of regions can be applied to another: pass it
to :func:`density` / :func:`complexity_outlook_gain` with the other regions' ``M``.

>>> import numpy as np
>>> M = np.array([[1, 1, 0], [1, 0, 0], [0, 1, 1]], dtype=float)
>>> proximity(M).round(2).tolist()
[[1.0, 0.5, 0.0], [0.5, 1.0, 0.5], [0.0, 0.5, 1.0]]
>>> density(M, proximity(M)).round(2).tolist()
[[1.0, 0.75, 0.33], [0.67, 0.25, 0.0], [0.33, 0.75, 1.0]]
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import numpy.typing as npt

from smartspec.errors import InputError

FloatArray = npt.NDArray[np.float64]
ProximityKind = Literal["min", "asymmetric", "continuous"]

__all__ = [
    "complexity_outlook_gain",
    "complexity_outlook_index",
    "cooccurrence",
    "density",
    "distance",
    "proximity",
    "relatedness",
    "relatedness_density_external",
    "relatedness_density_internal",
]


def cooccurrence(M: npt.ArrayLike, *, diagonal: bool = True) -> FloatArray:
    r"""Co-occurrence :math:`C_{pq} = \sum_c M_{cp} M_{cq}` (diagonal: ubiquity).

    ``diagonal=False`` sets the diagonal to 0, as EconGeo's ``co_occurrence()`` does
    by default (the input of :func:`relatedness`).

    Boschma, R., Balland, P.-A., & Kogler, D. F. (2015). Relatedness and technological
    change in cities. *Industrial and Corporate Change*, 24(1), 223–250.

    >>> cooccurrence([[1, 1], [1, 0]]).tolist()
    [[2.0, 1.0], [1.0, 1.0]]
    >>> cooccurrence([[1, 1], [1, 0]], diagonal=False).tolist()
    [[0.0, 1.0], [1.0, 0.0]]
    """
    C = _cooccurrence_counts(np.asarray(M, dtype=np.float64))
    if not diagonal:
        np.fill_diagonal(C, 0.0)
    return C


RelatednessMethod = Literal["prob", "association", "cosine", "jaccard"]


def relatedness(C: npt.ArrayLike, method: RelatednessMethod = "prob") -> FloatArray:
    r"""Normalised co-occurrence: relatedness between activities (EconGeo's normalisations).

    With :math:`c_{ij}` the co-occurrence matrix with its diagonal set to 0,
    :math:`s_i = \sum_j c_{ij}` and :math:`T = \sum_{ij} c_{ij}`:

    * ``"prob"`` — the probability index (Steijn 2017), the association strength
      corrected for drawing pairs without repetition:

      .. math:: r_{ij} = \frac{c_{ij}}{\frac{T}{2}\left(\frac{s_i}{T}
                \frac{s_j}{T - s_i} + \frac{s_j}{T}\frac{s_i}{T - s_j}\right)}

    * ``"association"`` — association strength :math:`r_{ij} = c_{ij} T / (s_i s_j)`
      (observed over expected co-occurrences; > 1 means related);
    * ``"cosine"`` — :math:`r_{ij} = c_{ij} / \sqrt{s_i s_j}`;
    * ``"jaccard"`` — :math:`r_{ij} = c_{ij} / (s_i + s_j - c_{ij})`.

    Undefined values (0/0) are 0 and the diagonal is 0, as in EconGeo 2.1's
    ``relatedness()``. van Eck, N. J., & Waltman, L. (2009). How to normalize
    cooccurrence data? *JASIST*, 60(8), 1635–1651. Steijn, M. P. A. (2017).
    Improvement on the association strength. Working paper, Utrecht University.
    Balland, P.-A. (2017). Economic Geography in R: Introduction to the EconGeo
    package. *Papers in Evolutionary Economic Geography* 17.09.

    Examples
    --------
    >>> C = [[0, 2, 1], [2, 0, 1], [1, 1, 0]]
    >>> relatedness(C, "association").round(3).tolist()
    [[0.0, 1.778, 1.333], [1.778, 0.0, 1.333], [1.333, 1.333, 0.0]]
    """
    c = np.array(C, dtype=np.float64)
    if c.ndim != 2 or c.shape[0] != c.shape[1]:
        raise InputError(f"the co-occurrence matrix must be square, got shape {c.shape}")
    np.fill_diagonal(c, 0.0)
    s = c.sum(axis=0)
    si = s[:, None]  # s of the row activity
    sj = s[None, :]
    t = float(c.sum())
    with np.errstate(divide="ignore", invalid="ignore"):
        if method == "prob":
            r = c / (((sj / t) * (si / (t - sj)) + (si / t) * (sj / (t - si))) * (t / 2.0))
        elif method == "association":
            r = (c / t) / ((sj / t) * (si / t))
        elif method == "cosine":
            r = c / np.sqrt(sj * si)
        elif method == "jaccard":
            r = c / (sj + si - c)
        else:
            raise InputError(
                f"unknown relatedness method {method!r}",
                hint="use 'prob', 'association', 'cosine' or 'jaccard'",
            )
    out: FloatArray = np.where(np.isnan(r), 0.0, r)
    np.fill_diagonal(out, 0.0)
    return out


def _cooccurrence_counts(A: FloatArray) -> FloatArray:
    """``A.T @ A``; for a 0/1 matrix with fewer than 2**24 rows in single precision.

    Products and sums of 0/1 values are integers below 2**24, which float32 holds
    exactly whatever the summation order, so the result is identical to the float64
    product at half the cost.
    """
    if A.shape[0] < 2**24 and A.size and bool(((A == 0) | (A == 1)).all()):
        A32 = A.astype(np.float32)
        out: FloatArray = (A32.T @ A32).astype(np.float64)
        return out
    return np.asarray(A.T @ A, dtype=np.float64)


def _corr_columns(V: FloatArray) -> FloatArray:
    """Pearson correlation between the columns of V (NaN for constant columns)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        out: FloatArray = np.atleast_2d(np.asarray(np.corrcoef(V, rowvar=False)))
    return out


def proximity(
    M: npt.ArrayLike,
    kind: ProximityKind = "min",
    *,
    values: npt.ArrayLike | None = None,
    diagonal: float | None = 1.0,
) -> FloatArray:
    r"""Proximity between activities.

    ``kind="min"`` — the minimum of the two conditional probabilities (Hidalgo et al.
    2007):

    .. math:: \phi_{pq} = \frac{C_{pq}}{\max(k_{p,0}, k_{q,0})}
              = \min\{P(M_{cp}=1 \mid M_{cq}=1),\, P(M_{cq}=1 \mid M_{cp}=1)\}

    ``kind="asymmetric"`` — :math:`\phi_{pq} = C_{pq} / k_{p,0} = P(M_{cq}=1 \mid
    M_{cp}=1)` (row *p* conditions on having *p*; py-ecomplexity's ``asymmetric=True``).

    ``kind="continuous"`` — :math:`\phi_{pq} = (1 + \rho_{pq}) / 2` with
    :math:`\rho` the Pearson correlation of columns *p* and *q* of ``values`` (RCA or
    RPOP; py-ecomplexity's ``continuous=True``). ``values`` must have no NaN.

    Activities with zero ubiquity (or constant ``values``) get a NaN row and column.
    ``diagonal`` is written on the diagonal of the defined activities (``None`` keeps
    the computed one, which is 1 for all three kinds).

    Hidalgo, C. A., Klinger, B., Barabási, A.-L., & Hausmann, R. (2007). The product
    space conditions the development of nations. *Science*, 317(5837), 482–487.

    Examples
    --------
    >>> proximity([[1, 1], [1, 0], [1, 0]], kind="asymmetric").round(3).tolist()
    [[1.0, 0.333], [1.0, 1.0]]
    """
    A = np.asarray(M, dtype=np.float64)
    if kind == "continuous":
        if values is None:
            raise InputError("continuous proximity needs values= (the RCA or RPOP matrix)")
        V = np.asarray(values, dtype=np.float64)
        if V.shape != A.shape:
            raise InputError(f"values has shape {V.shape}, M has {A.shape}")
        phi = (1.0 + _corr_columns(V)) / 2.0
        ok = np.isfinite(np.diag(phi))
    elif kind in ("min", "asymmetric"):
        C = _cooccurrence_counts(A)
        u = A.sum(axis=0)
        ok = u > 0
        with np.errstate(divide="ignore", invalid="ignore"):
            phi = C / np.maximum(u[:, None], u[None, :]) if kind == "min" else C / u[:, None]
    else:
        raise InputError(
            f"unknown proximity kind {kind!r}", hint="use 'min', 'asymmetric' or 'continuous'"
        )
    if not ok.all():
        phi[~ok, :] = np.nan
        phi[:, ~ok] = np.nan
    if diagonal is not None:
        idx = np.flatnonzero(ok)
        phi[idx, idx] = diagonal
    return phi


def _prepare_phi(phi: npt.ArrayLike) -> tuple[FloatArray, npt.NDArray[np.bool_], FloatArray]:
    """Proximity with NaN → 0, the mask of defined activities, and the row sums."""
    P = np.asarray(phi, dtype=np.float64)
    if P.ndim != 2 or P.shape[0] != P.shape[1]:
        raise InputError(f"proximity must be a square matrix, got shape {P.shape}")
    rowsum = P.sum(axis=1)
    if np.isnan(rowsum).any():  # NaN propagates into the row sums: no full scan otherwise
        nan = np.isnan(P)
        ok = np.asarray(~nan.all(axis=1), dtype=bool)
        P = np.where(nan, 0.0, P)
        rowsum = P.sum(axis=1)
    else:
        ok = np.ones(P.shape[0], dtype=bool)
    return P, ok, rowsum


def density(
    M: npt.ArrayLike,
    phi: npt.ArrayLike,
    *,
    scale: float = 1.0,
) -> FloatArray:
    r"""Density (relatedness density) of each activity around each region.

    .. math:: \omega_{cp} = \frac{\sum_q M_{cq}\, \phi_{pq}}{\sum_q \phi_{pq}}

    ``M`` may be binary, or continuous RCA/RPOP when the proximity is continuous (as in
    py-ecomplexity). Multiply by ``scale`` (100 for a percentage). Activities whose
    proximity row is all NaN give NaN; other NaN proximities count as 0.

    Hidalgo, C. A., Klinger, B., Barabási, A.-L., & Hausmann, R. (2007). The product
    space conditions the development of nations. *Science*, 317(5837), 482–487.

    Examples
    --------
    >>> density([[1.0, 0.0]], [[1.0, 0.5], [0.5, 1.0]]).round(3).tolist()
    [[0.667, 0.333]]
    """
    A = np.asarray(M, dtype=np.float64)
    P, ok, rowsum = _prepare_phi(phi)
    if A.shape[1] != P.shape[0]:
        raise InputError(f"M has {A.shape[1]} activities, the proximity matrix {P.shape[0]}")
    with np.errstate(divide="ignore", invalid="ignore"):
        out: FloatArray = (A @ P.T) / rowsum[None, :]
    if scale != 1.0:
        out *= scale
    if not ok.all():
        out[:, ~ok] = np.nan
    return out


def relatedness_density_internal(
    M: npt.ArrayLike, phi: npt.ArrayLike, *, scale: float = 100.0
) -> FloatArray:
    r"""Relatedness density of the activities a region *has* (NaN elsewhere).

    :math:`\omega_{cp}` (:func:`density`, times ``scale``, 100 as in EconGeo) where
    :math:`M_{cp} = 1`, NaN where :math:`M_{cp} = 0` — EconGeo's
    ``relatedness_density_int()`` without its rounding to integers: how embedded the
    region's existing specialisations are.

    Boschma, R., Balland, P.-A., & Kogler, D. F. (2015). Relatedness and technological
    change in cities. *Industrial and Corporate Change*, 24(1), 223–250.

    Examples
    --------
    >>> relatedness_density_internal([[1.0, 0.0]], [[0.0, 1.0], [1.0, 0.0]]).tolist()
    [[0.0, nan]]
    """
    A = np.asarray(M, dtype=np.float64)
    out = density(A, phi, scale=scale)
    out[A != 1] = np.nan
    return out


def relatedness_density_external(
    M: npt.ArrayLike, phi: npt.ArrayLike, *, scale: float = 100.0
) -> FloatArray:
    r"""Relatedness density of the activities a region does *not* have (NaN elsewhere).

    :math:`\omega_{cp}` (times ``scale``) where :math:`M_{cp} = 0`, NaN where
    :math:`M_{cp} = 1` — EconGeo's ``relatedness_density_ext()`` without its rounding:
    the diversification opportunities.

    Boschma, R., Balland, P.-A., & Kogler, D. F. (2015). Relatedness and technological
    change in cities. *Industrial and Corporate Change*, 24(1), 223–250.

    Examples
    --------
    >>> relatedness_density_external([[1.0, 0.0]], [[0.0, 1.0], [1.0, 0.0]]).tolist()
    [[nan, 100.0]]
    """
    A = np.asarray(M, dtype=np.float64)
    out = density(A, phi, scale=scale)
    out[A != 0] = np.nan
    return out


def distance(M: npt.ArrayLike, phi: npt.ArrayLike) -> FloatArray:
    r"""Distance, the complement of density.

    .. math:: d_{cp} = \frac{\sum_q (1 - M_{cq}) \phi_{pq}}{\sum_q \phi_{pq}} = 1 - \omega_{cp}

    Hausmann, R., Hidalgo, C. A., et al. (2014). *The Atlas of Economic Complexity*.
    MIT Press.

    Examples
    --------
    >>> distance([[1.0, 0.0]], [[1.0, 0.5], [0.5, 1.0]]).round(3).tolist()
    [[0.333, 0.667]]
    """
    out: FloatArray = 1.0 - density(M, phi)
    return out


def complexity_outlook_index(
    M: npt.ArrayLike,
    dens: npt.ArrayLike,
    pci: npt.ArrayLike,
) -> FloatArray:
    r"""Complexity Outlook Index (unstandardised).

    .. math:: COI_c = \sum_p \omega_{cp} (1 - M_{cp})\, PCI_p

    Summed over the activities where density and PCI are defined. py-ecomplexity uses
    the raw (sign-fixed, unstandardised) PCI and then z-scores COI across regions.

    Hausmann, R., Hidalgo, C. A., et al. (2014). *The Atlas of Economic Complexity*.
    MIT Press.

    Examples
    --------
    >>> complexity_outlook_index([[1.0, 0.0]], [[1.0, 0.5]], [0.2, 2.0]).tolist()
    [1.0]
    """
    A = np.asarray(M, dtype=np.float64)
    D = np.asarray(dens, dtype=np.float64)
    q = np.asarray(pci, dtype=np.float64)
    term = D * (1.0 - A) * q[None, :]
    term[:, ~np.isfinite(q)] = 0.0
    out: FloatArray = np.where(np.isnan(D), 0.0, term).sum(axis=1)
    out[np.isnan(D).all(axis=1)] = np.nan
    return out


def complexity_outlook_gain(
    M: npt.ArrayLike,
    phi: npt.ArrayLike,
    pci: npt.ArrayLike,
) -> FloatArray:
    r"""Complexity Outlook Gain (unstandardised).

    .. math:: COG_{cp} = (1 - M_{cp}) \sum_q (1 - M_{cq})\,
              \frac{\phi_{qp}}{\sum_{q'} \phi_{qq'}}\, PCI_q

    — what region *c* would gain in outlook by adding activity *p*. py-ecomplexity uses
    the raw PCI and divides COG by the raw ECI's standard deviation.

    Hausmann, R., Hidalgo, C. A., et al. (2014). *The Atlas of Economic Complexity*.
    MIT Press.

    Examples
    --------
    >>> phi = [[1.0, 0.5], [0.5, 1.0]]
    >>> complexity_outlook_gain([[1.0, 0.0]], phi, [0.2, 2.0]).round(3).tolist()
    [[0.0, 1.333]]
    """
    A = np.asarray(M, dtype=np.float64)
    P, ok, rowsum = _prepare_phi(phi)
    q = np.asarray(pci, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        w = q / rowsum
    w = np.where(np.isfinite(w) & ok, w, 0.0)
    notM = 1.0 - A
    out: FloatArray = notM * (notM @ (P * w[:, None]))
    out += 0.0  # present activities: -0.0 (a negative sum times 0) becomes 0.0
    if not ok.all():
        out[:, ~ok] = np.nan
    return out


def _relatedness_block(
    V: FloatArray,
    M: FloatArray,
    phi: FloatArray,
    pci: FloatArray,
    *,
    symmetric: bool = False,
) -> tuple[FloatArray, FloatArray, FloatArray, npt.NDArray[np.bool_]]:
    """Density, raw COG and raw COI in one pass (shared NaN scan, row sums and 1 - M).

    Same formulas as :func:`density`, :func:`complexity_outlook_gain` and
    :func:`complexity_outlook_index`; ``V`` is M (binary proximity) or RCA/RPOP
    (continuous), without NaN. When ``V is M`` both products are one matrix product,
    using :math:`(1-M)B = \\mathbf 1 \\mathbf 1^\\top B - MB`: for a ``symmetric``
    proximity (``"min"``) the rows of :math:`M` and of :math:`M\\operatorname{diag}(w)`
    stacked, times :math:`\\phi` (no transposed copy of :math:`\\phi`, and density comes
    out C-contiguous; the same products, as :math:`M` is 0/1:
    :math:`(M_{cq} w_q)\\phi_{qp} = M_{cq}(w_q\\phi_{qp})`), else
    :math:`M [\\phi^\\top \\mid \\operatorname{diag}(w)\\,\\phi]`. Returns ``(density,
    cog, coi, defined)``.
    """
    P, ok, rowsum = _prepare_phi(phi)
    all_ok = bool(ok.all())
    with np.errstate(divide="ignore", invalid="ignore"):
        w = pci / rowsum
    usable = np.isfinite(w) & ok
    w = np.where(usable, w, 0.0)
    n = P.shape[0]
    if V is M and symmetric:
        k = M.shape[0]
        A2 = np.empty((2 * k, n))
        A2[:k] = M
        np.multiply(M, w[None, :], out=A2[k:])
        prod = A2 @ P
        del A2
        dens = prod[:k]
        cog: FloatArray = prod[k:]
        np.subtract((w @ P)[None, :], cog, out=cog)
    elif V is M:
        B = np.empty((n, 2 * n))
        B[:, :n] = P.T
        np.multiply(P, w[:, None], out=B[:, n:])
        prod = M @ B
        dens = prod[:, :n]
        cog = B[:, n:].sum(axis=0)[None, :] - prod[:, n:]
    else:
        dens = V @ P.T
        cog = (1.0 - M) @ (P * w[:, None])
    with np.errstate(divide="ignore", invalid="ignore"):
        dens /= rowsum[None, :]
    notM = 1.0 - M
    cog *= notM
    cog += 0.0  # present activities: -0.0 (a negative sum times 0) becomes 0.0
    # COI: sum_p density_cp (1 - M_cp) PCI_p over activities where both are defined
    q = np.where(np.isfinite(pci) & ok, pci, 0.0)
    if all_ok:
        coi: FloatArray = (dens * notM) @ q
    else:
        coi = (np.where(np.isnan(dens), 0.0, dens) * notM) @ q
        dens[:, ~ok] = np.nan
        cog[:, ~ok] = np.nan
    return dens, cog, coi, ok
