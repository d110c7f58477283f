r"""All metrics of one region × activity matrix (one period), on NumPy arrays.

:func:`matrix_metrics` is what :func:`smartspec.metrics.compute_metrics` runs for each
period; use it directly when your data is already a matrix.

Exclusion rules (the same under every convention):

* a region (activity) with zero total value is out of everything: RCA, density, COI,
  COG and ECI (PCI) are NaN; MCP is 0;
* a region with zero diversity has NaN ECI (density, COI and COG are defined: it is
  related to nothing, so its density is 0);
* an activity with zero ubiquity has NaN PCI; with the binary proximities it also has
  an undefined proximity, so its density and COG are NaN.

>>> import numpy as np
>>> X = np.array([[5, 3, 0, 0], [2, 4, 1, 0], [0, 1, 4, 2], [1, 0, 2, 6]], dtype=float)
>>> m = matrix_metrics(X, "growthlab")
>>> m.mcp.astype(int).tolist()
[[1, 1, 0, 0], [1, 1, 0, 0], [0, 0, 1, 1], [0, 0, 0, 1]]
>>> m.diversity.tolist(), m.ubiquity.tolist()
([2.0, 2.0, 2.0, 1.0], [2.0, 2.0, 1.0, 2.0])
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import numpy.typing as npt

from smartspec.errors import InputError
from smartspec.metrics.complexity import (
    ComplexityResult,
    FitnessResult,
    _eci_pci_near,
    eci_pci,
    fitness_complexity,
    reflections,
)
from smartspec.metrics.conventions import Convention, get_convention
from smartspec.metrics.relatedness import (
    _relatedness_block,
    cooccurrence,
    proximity,
    relatedness,
)
from smartspec.metrics.specialisation import binarise, rca, rpop

FloatArray = npt.NDArray[np.float64]
Method = Literal["eigenvector", "reflections", "fitness"]
Presence = Literal["rca", "rpop"]
Kind = Literal["min", "asymmetric", "continuous"]

__all__ = [
    "MatrixMetrics",
    "default_stability_thresholds",
    "matrix_metrics",
    "rank_stability",
    "spearman",
]


@dataclass(frozen=True)
class MatrixMetrics:
    """Every metric of one region × activity matrix.

    Region vectors have one entry per row of the input, activity vectors one per
    column; matrices have the input's shape. ``eci``/``pci`` hold fitness and product
    complexity when ``method="fitness"``. ``dropped_regions`` / ``dropped_activities``
    list ``(index, reason)`` pairs.
    """

    rca: FloatArray
    mcp: FloatArray
    diversity: FloatArray
    ubiquity: FloatArray
    eci: FloatArray
    pci: FloatArray
    density: FloatArray
    coi: FloatArray
    cog: FloatArray
    proximity: FloatArray
    complexity: ComplexityResult
    method: str = "eigenvector"
    rpop: FloatArray | None = None
    fitness: FitnessResult | None = None
    stability: dict[float, tuple[float, float]] = field(default_factory=dict)
    dropped_regions: tuple[tuple[int, str], ...] = ()
    dropped_activities: tuple[tuple[int, str], ...] = ()


def _ranks(x: FloatArray) -> FloatArray:
    """Average ranks (ties share the mean rank), 1-based."""
    order = np.argsort(x, kind="mergesort")
    xs = x[order]
    n = x.size
    ranks = np.empty(n)
    # boundaries of tie groups
    starts = np.flatnonzero(np.r_[True, xs[1:] != xs[:-1]])
    ends = np.r_[starts[1:], n]
    avg = (starts + ends + 1) / 2.0
    ranks[order] = np.repeat(avg, ends - starts)
    return ranks


def spearman(x: npt.ArrayLike, y: npt.ArrayLike) -> float:
    """Spearman rank correlation over the entries finite in both (NaN if < 3).

    >>> round(spearman([1, 2, 3, 4], [10, 20, 30, 25]), 12)
    0.8
    """
    a = np.asarray(x, dtype=np.float64)
    b = np.asarray(y, dtype=np.float64)
    ok = np.isfinite(a) & np.isfinite(b)
    if ok.sum() < 3:
        return float("nan")
    ra, rb = _ranks(a[ok]), _ranks(b[ok])
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(np.corrcoef(ra, rb)[0, 1])


def default_stability_thresholds(threshold: float) -> tuple[float, float]:
    """The thresholds of the rank-stability diagnostic: 0.8× and 1.25× the threshold.

    >>> default_stability_thresholds(1.0)
    (0.8, 1.25)
    """
    return (round(0.8 * threshold, 10), round(1.25 * threshold, 10))


def rank_stability(
    basis: FloatArray,
    reference: ComplexityResult,
    convention: Convention,
    thresholds: Sequence[float],
) -> dict[float, tuple[float, float]]:
    r"""Spearman correlation of ECI and PCI with those at other presence thresholds.

    For each threshold :math:`t'`, :math:`M' = [\text{basis} \ge t']` (the convention's
    operator), its eigenvector ECI/PCI are computed warm-started from ``reference``
    (the result at the chosen threshold; accurate to ~1e-9, enough for ranks) and
    :math:`(\rho_S(ECI, ECI'), \rho_S(PCI, PCI'))` is returned (Spearman 1904, over
    the entries defined in both). A low value means the ranking depends on the
    arbitrary threshold.

    Spearman, C. (1904). The proof and measurement of association between two things.
    *American Journal of Psychology*, 15(1), 72–101.

    >>> X = np.array([[5, 3, 0, 1], [2, 4, 1, 0], [0, 1, 4, 2], [1, 0, 2, 6]], float)
    >>> from smartspec.metrics import rca, eci_pci, binarise
    >>> ref = eci_pci(binarise(rca(X)))
    >>> sorted(rank_stability(rca(X), ref, get_convention(None), [0.8]))
    [0.8]
    """
    out: dict[float, tuple[float, float]] = {}
    for t2 in thresholds:
        M2 = binarise(basis, float(t2), convention.binarise_op)
        other = _eci_pci_near(M2, reference, convention)
        out[float(t2)] = (
            spearman(reference.eci, other.eci),
            spearman(reference.pci, other.pci),
        )
    return out


def _zscore(x: FloatArray, mask: npt.NDArray[np.bool_], ddof: int) -> FloatArray:
    out = np.full(x.shape, np.nan)
    sel = mask & np.isfinite(x)
    v = x[sel]
    if v.size > ddof:
        with np.errstate(divide="ignore", invalid="ignore"):
            out[sel] = (v - v.mean()) / v.std(ddof=ddof)
    return out


def matrix_metrics(
    X: npt.ArrayLike,
    convention: str | Convention | None = None,
    *,
    threshold: float | None = None,
    presence: Presence = "rca",
    population: npt.ArrayLike | None = None,
    proximity_kind: Kind = "min",
    proximity_matrix: npt.ArrayLike | None = None,
    method: Method = "eigenvector",
    steps: int | None = None,
    iterations: int | None = None,
    stability_thresholds: Sequence[float] | None = None,
) -> MatrixMetrics:
    r"""Specialisation, complexity and relatedness of one region × activity matrix.

    Parameters
    ----------
    X : array_like, shape (regions, activities)
        Non-negative values (no NaN).
    convention : str or Convention, optional
        ``None`` (smartspec's default), a preset name (``"growthlab"``,
        ``"economiccomplexity"``, ``"econgeo"``) or a :class:`Convention`.
    threshold : float, optional
        Presence threshold (default: the convention's).
    presence : {"rca", "rpop"}
        Test for :math:`M_{cp}`: RCA (Balassa 1965) or RPOP (needs ``population``).
    population : array_like, shape (regions,), optional
        Population of each region, for RPOP.
    proximity_kind : {"min", "asymmetric", "continuous"}
        See :func:`smartspec.metrics.relatedness.proximity`. With ``"continuous"``,
        density is computed from RCA (RPOP) instead of M, as in py-ecomplexity.
    proximity_matrix : array_like, shape (activities, activities), optional
        A precomputed proximity (e.g. from other regions); NaN rows mark unknown
        activities.
    method : {"eigenvector", "reflections", "fitness"}
        How ECI/PCI are computed; ``"fitness"`` returns Tacchella et al.'s fitness and
        product complexity in ``eci``/``pci`` (COI and COG use the eigenvector PCI
        under ``outlook_pci="raw"``, the output column under ``"standardised"``).
    steps : int, optional
        Number of reflections for ``method="reflections"`` (default: the convention's
        ``reflection_steps``; counted as the convention's ``counting`` says).
    iterations : int, optional
        Maximum iterations for ``method="fitness"`` (default: the convention's
        ``fitness_iterations``).
    stability_thresholds : sequence of float, optional
        Other presence thresholds at which the ECI/PCI ranking is recomputed and
        compared (Spearman); default ``(0.8 t, 1.25 t)``; ``()`` for none.

    Returns
    -------
    MatrixMetrics

    Notes
    -----
    COI is :math:`\sum_p \omega_{cp}(1-M_{cp}) Q_p` and COG
    :func:`~smartspec.metrics.relatedness.complexity_outlook_gain` (Hausmann et al.
    2014). Under ``growthlab``/``smartspec`` *Q* is the raw sign-fixed PCI, COI is
    z-scored over the regions and COG divided by the raw ECI's standard deviation
    (py-ecomplexity 0.5.3); under ``economiccomplexity``/``econgeo`` *Q* is the
    standardised PCI and neither is rescaled (R's ``complexity_outlook()``). With a
    convention whose ``relatedness`` is an EconGeo normalisation, the proximity matrix
    is :func:`~smartspec.metrics.relatedness.relatedness` of the zero-diagonal
    co-occurrence, binarised at ``relatedness_threshold`` for density.

    Examples
    --------
    >>> X = [[5, 3, 0], [2, 4, 1], [0, 1, 4], [1, 0, 0]]
    >>> m = matrix_metrics(X, stability_thresholds=())
    >>> bool(np.isclose(np.nanmean(m.eci), 0.0))
    True
    """
    conv = get_convention(convention)
    thr = float(conv.threshold if threshold is None else threshold)
    A = np.asarray(X, dtype=np.float64)
    if A.ndim != 2:
        raise InputError(f"X must be a 2-D region × activity matrix, got {A.ndim}-D")
    n_r, n_a = A.shape
    rt = A.sum(axis=1)
    at = A.sum(axis=0)
    live_r = rt > 0
    live_a = at > 0
    all_r = bool(live_r.all())

    R = rca(A)
    P: FloatArray | None = None
    if presence == "rpop":
        if population is None:
            raise InputError("presence='rpop' needs population")
        pop = np.asarray(population, dtype=np.float64)
        if pop.shape != (n_r,):
            raise InputError(f"population must have {n_r} values, got shape {pop.shape}")
        P = np.full(A.shape, np.nan)
        if all_r:
            P = rpop(A, pop)
        else:
            P[live_r] = rpop(A[live_r], pop[live_r])
        basis = P
    elif presence == "rca":
        basis = R
    else:
        raise InputError(f"presence must be 'rca' or 'rpop', not {presence!r}")
    M = binarise(basis, thr, conv.binarise_op)
    d = M.sum(axis=1)
    u = M.sum(axis=0)

    # ---- complexity
    fit: FitnessResult | None = None
    if method == "eigenvector":
        cres = eci_pci(M, conv)
        eci, pci = cres.eci, cres.pci
    elif method == "reflections":
        cres = reflections(M, steps=steps, convention=conv)
        eci, pci = cres.eci, cres.pci
    elif method == "fitness":
        cres = eci_pci(M, conv)
        n_it = conv.fitness_iterations if iterations is None else int(iterations)
        if conv.counting == "columns":
            n_it -= 1  # R's economiccomplexity: N columns = N - 1 updates
        fit = fitness_complexity(M, iterations=max(n_it, 1), tol=conv.fitness_tol)
        eci, pci = fit.fitness, fit.complexity
    else:
        raise InputError(
            f"unknown method {method!r}", hint="use 'eigenvector', 'reflections' or 'fitness'"
        )

    # ---- proximity
    continuous = proximity_kind == "continuous"
    if proximity_matrix is not None:
        phi = np.asarray(proximity_matrix, dtype=np.float64)
        if phi.shape != (n_a, n_a):
            raise InputError(f"proximity_matrix must be {n_a} × {n_a}, got {phi.shape}")
    elif continuous:
        if all_r and live_a.all():
            phi = proximity(M, "continuous", values=basis, diagonal=conv.proximity_diagonal)
        else:
            sub = np.ix_(live_r, live_a)
            phi = np.full((n_a, n_a), np.nan)
            phi[np.ix_(live_a, live_a)] = proximity(
                M[sub], "continuous", values=basis[sub], diagonal=conv.proximity_diagonal
            )
    elif conv.relatedness != "proximity":
        phi = relatedness(cooccurrence(M, diagonal=False), conv.relatedness)
        if conv.proximity_diagonal is not None:
            np.fill_diagonal(phi, conv.proximity_diagonal)
        undefined = u == 0
        if undefined.any():
            phi[undefined, :] = np.nan
            phi[:, undefined] = np.nan
    elif proximity_kind in ("min", "asymmetric"):
        phi = proximity(M, proximity_kind, diagonal=conv.proximity_diagonal)
    else:
        raise InputError(
            f"unknown proximity {proximity_kind!r}",
            hint="use 'min', 'asymmetric' or 'continuous'",
        )

    # ---- density, COI, COG (live regions only)
    phi_d = phi
    if conv.relatedness_threshold is not None:
        with np.errstate(invalid="ignore"):
            phi_d = np.where(np.isnan(phi), np.nan, (phi >= conv.relatedness_threshold) * 1.0)
    q_out = cres.pci_raw if conv.outlook_pci == "raw" else pci
    # C / max(u_p, u_q) is exactly symmetric (the EconGeo normalisations need not be)
    sym = proximity_matrix is None and conv.relatedness == "proximity" and proximity_kind == "min"
    if all_r:
        vals = M
        if continuous:
            vals = basis if live_a.all() else np.where(np.isnan(basis), 0.0, basis)
        dens, cog_raw, coi_raw, phi_ok = _relatedness_block(vals, M, phi_d, q_out, symmetric=sym)
    else:
        M_l = M[live_r]
        vals = M_l
        if continuous:
            vals = np.where(np.isnan(basis[live_r]), 0.0, basis[live_r])
        dens = np.full(A.shape, np.nan)
        cog_raw = np.full(A.shape, np.nan)
        coi_raw = np.full(n_r, np.nan)
        dens[live_r], cog_raw[live_r], coi_raw[live_r], phi_ok = _relatedness_block(
            vals, M_l, phi_d, q_out, symmetric=sym
        )
    if conv.density_scale != 1.0:
        dens *= conv.density_scale  # COI above used the unscaled density, as py-ecomplexity
    coi = _zscore(coi_raw, live_r, conv.ddof) if conv.coi_scale == "zscore" else coi_raw
    with np.errstate(divide="ignore", invalid="ignore"):
        cog = cog_raw / cres.std if conv.cog_scale == "eci_std" else cog_raw

    # ---- rank stability of ECI / PCI when the threshold moves
    alts = (
        default_stability_thresholds(thr) if stability_thresholds is None else stability_thresholds
    )
    stab = rank_stability(basis, cres, conv, alts)

    # ---- what was dropped and why
    what = "RPOP" if presence == "rpop" else "RCA"
    dropped_r: list[tuple[int, str]] = []
    for i in np.flatnonzero(~live_r):
        dropped_r.append((int(i), "zero total value: no metric is defined"))
    for i in np.flatnonzero(live_r & (d == 0)):
        why = f"zero diversity (no activity with {what} {conv.binarise_op} {thr:g})"
        dropped_r.append((int(i), f"{why}: ECI is NaN"))
    dropped_a: list[tuple[int, str]] = []
    for j in np.flatnonzero(~live_a):
        dropped_a.append((int(j), "zero total value: no metric is defined"))
    phi_nan = ~phi_ok
    for j in np.flatnonzero(live_a & (u == 0)):
        nan_cols = "PCI, density and COG are NaN" if phi_nan[j] else "PCI is NaN"
        why = f"zero ubiquity (no region with {what} {conv.binarise_op} {thr:g})"
        dropped_a.append((int(j), f"{why}: {nan_cols}"))
    for j in np.flatnonzero(live_a & (u > 0) & phi_nan):
        dropped_a.append((int(j), "proximity undefined: density and COG are NaN"))

    return MatrixMetrics(
        rca=R,
        mcp=M,
        diversity=d,
        ubiquity=u,
        eci=eci,
        pci=pci,
        density=dens,
        coi=coi,
        cog=cog,
        proximity=phi,
        complexity=cres,
        method=method,
        rpop=P,
        fitness=fit,
        stability=stab,
        dropped_regions=tuple(dropped_r),
        dropped_activities=tuple(dropped_a),
    )
