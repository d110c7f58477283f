r"""Economic complexity: diversity, ubiquity, ECI/PCI and fitness–complexity.

All functions take a binary region × activity matrix ``M`` (1 where the region is
specialised, e.g. :func:`smartspec.metrics.specialisation.binarise` of RCA) as a NumPy
array. Regions with zero diversity and activities with zero ubiquity are *excluded*
from the calculation and come back as NaN (only that row or column).

The eigenvector ECI is never computed from a dense non-symmetric eigendecomposition.
With :math:`D_d = \operatorname{diag}(k_{c,0})`, :math:`D_u = \operatorname{diag}(k_{p,0})`
and the symmetric-normalised matrix

.. math:: S = D_d^{-1/2} M D_u^{-1/2},

the region matrix :math:`\tilde M^{C} = D_d^{-1} M D_u^{-1} M^\top = D_d^{-1/2} (S S^\top)
D_d^{1/2}` and the activity matrix :math:`\tilde M^{P} = D_u^{-1} M^\top D_d^{-1} M =
D_u^{-1/2} (S^\top S) D_u^{1/2}` are similar to the symmetric :math:`S S^\top` and
:math:`S^\top S`, whose eigenvalues are the squared singular values :math:`\sigma_i^2`
of *S* (:math:`\sigma_1 = 1`). If :math:`S = U \Sigma V^\top`, then the eigenvectors
are :math:`K_c \propto D_d^{-1/2} u_2` and :math:`Q_p \propto D_u^{-1/2} v_2`, related
exactly by :math:`K = D_d^{-1} M Q` (each region's ECI is the mean PCI of its
activities). We solve the symmetric eigenproblem of the *smaller* Gram matrix
(``scipy.linalg.eigh``, top three eigenpairs only).

>>> import numpy as np
>>> M = np.array([[1, 1, 1, 1], [1, 1, 1, 0], [1, 1, 0, 0], [1, 0, 0, 0]], dtype=float)
>>> r = eci_pci(M)
>>> r.eci.round(3).tolist()
[1.342, 0.447, -0.447, -1.342]
>>> r.pci.round(3).tolist()
[-1.342, 0.447, 2.236, 4.025]
>>> bool(np.isclose(r.eci[0], r.pci[M[0] == 1].mean()))
True
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from smartspec.errors import InputError
from smartspec.metrics.conventions import Convention, get_convention

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

__all__ = [
    "ComplexityResult",
    "FitnessResult",
    "diversity",
    "eci_pci",
    "fitness_complexity",
    "reflections",
    "ubiquity",
]


def diversity(M: npt.ArrayLike) -> FloatArray:
    r"""Diversity :math:`k_{c,0} = \sum_p M_{cp}` (Hidalgo & Hausmann 2009).

    >>> diversity([[1, 1, 0], [0, 1, 0]]).tolist()
    [2.0, 1.0]
    """
    out: FloatArray = np.asarray(M, dtype=np.float64).sum(axis=1)
    return out


def ubiquity(M: npt.ArrayLike) -> FloatArray:
    r"""Ubiquity :math:`k_{p,0} = \sum_c M_{cp}` (Hidalgo & Hausmann 2009).

    >>> ubiquity([[1, 1, 0], [0, 1, 0]]).tolist()
    [1.0, 2.0, 0.0]
    """
    out: FloatArray = np.asarray(M, dtype=np.float64).sum(axis=0)
    return out


@dataclass(frozen=True)
class ComplexityResult:
    """ECI and PCI of one matrix, with what is needed to audit them.

    Attributes
    ----------
    eci, pci:
        Standardised per the convention; NaN for excluded regions / activities.
    eci_raw, pci_raw:
        Sign-fixed, unstandardised :math:`K_c` and :math:`Q_p` (``pci_raw`` has unit
        Euclidean norm over the included activities, like ``numpy.linalg.eig``'s
        vectors; ``eci_raw = D_d^{-1} M pci_raw``). COI and COG use these.
    sign:
        The factor (+1, -1; 0 or NaN under ``sign_rule="diversity"`` if undefined)
        applied to the eigenvector.
    sign_source:
        ``"diversity"``, ``"ubiquity"`` (fallback), ``"default"`` (+1 fallback) or
        ``"undefined"``.
    sign_correlation:
        Pearson correlation of the unsigned ECI with diversity (the sign rule's input).
    eigenvalues:
        The largest eigenvalues of :math:`\\tilde M` in decreasing order (the first is
        1); for reflections and fitness, empty.
    mean, std:
        The mean and standard deviation of the raw ECI used to standardise.
    """

    eci: FloatArray
    pci: FloatArray
    eci_raw: FloatArray
    pci_raw: FloatArray
    sign: float = 1.0
    sign_source: str = "diversity"
    sign_correlation: float = float("nan")
    eigenvalues: tuple[float, ...] = ()
    mean: float = float("nan")
    std: float = float("nan")
    method: str = "eigenvector"
    excluded_regions: tuple[int, ...] = field(default=())
    excluded_activities: tuple[int, ...] = field(default=())

    @property
    def eigen_gap(self) -> float:
        r"""Relative gap :math:`(\lambda_2 - \lambda_3) / \lambda_2` (NaN if unknown).

        A small gap means the second eigenvector is ill-determined: small changes of
        the data can rotate it and reshuffle the ranking.
        """
        if len(self.eigenvalues) < 3 or not self.eigenvalues[1] > 0:
            return float("nan")
        return (self.eigenvalues[1] - self.eigenvalues[2]) / self.eigenvalues[1]


def _corr(x: FloatArray, y: FloatArray) -> float:
    """Pearson correlation as ``np.corrcoef`` computes it (NaN if undefined)."""
    if x.size < 2:
        return float("nan")
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(np.corrcoef(x, y)[0, 1])


def _power_deflated(
    G: FloatArray, e: FloatArray, v0: FloatArray, tol: float = 1e-10, maxiter: int = 80
) -> tuple[FloatArray, float] | None:
    """Top eigenvector of ``G - e e'`` by power iteration from a warm start (or None).

    Used for the rank-stability diagnostic: the start is the eigenvector at a nearby
    threshold, so a few dozen iterations suffice; if not, the caller falls back to a
    dense solve.
    """
    x = v0 - e * (e @ v0)
    nx = float(np.linalg.norm(x))
    if not nx > 0:
        return None
    x /= nx
    for _ in range(maxiter):
        y = G @ x
        y -= e * (e @ y)
        lam = float(x @ y)
        ny = float(np.linalg.norm(y))
        if not ny > 0:
            return None
        y /= ny
        if float(np.abs(y - x).max()) < tol:
            return y, lam
        x = y
    return None


def _second_eigvec(
    Mv: FloatArray, dv: FloatArray, uv: FloatArray, warm: FloatArray | None = None
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """The activity-side vector :math:`Q` of the 2nd eigenvalue and the top eigenvalues.

    ``Mv`` has no zero rows or columns. Returns ``(kp, eigenvalues_desc, g)`` with
    ``kp`` of unit norm (sign arbitrary) and ``g`` the unit eigenvector of the smaller
    Gram matrix (regions' :math:`SS^\top` if there are no more regions than
    activities, else activities' :math:`S^\top S`). With ``warm`` (a previous ``g``),
    a warm-started power iteration is tried first (rank diagnostics only).
    """
    from scipy.linalg import eigh

    n_r, n_a = Mv.shape
    isd = 1.0 / np.sqrt(dv)
    isu = 1.0 / np.sqrt(uv)
    S = Mv * isd[:, None]
    S *= isu[None, :]
    n = min(n_r, n_a)
    region_side = n_r <= n_a
    G = S @ S.T if region_side else S.T @ S  # numpy uses BLAS syrk for X @ X.T
    got = None
    if warm is not None and warm.shape == (n,):
        top = np.sqrt(dv if region_side else uv)
        top /= np.linalg.norm(top)
        got = _power_deflated(G, top, warm)
    if got is not None:
        g, lam = got
        vals = np.array([1.0, lam])
    else:
        k = min(3, n)
        vals, vecs = eigh(G, subset_by_index=[n - k, n - 1], overwrite_a=True, check_finite=False)
        vals = vals[::-1]
        g = vecs[:, k - 2].copy()  # ascending order: index k-2 is the second largest
    # region side: Q = D_u^{-1} M^T D_d^{-1/2} u_2 (up to 1/sigma_2); else Q = D_u^{-1/2} v_2
    kp = (Mv.T @ (g * isd)) / uv if region_side else g * isu
    kp = kp / np.linalg.norm(kp)
    return kp, vals, g


def _valid(M: FloatArray) -> tuple[FloatArray, FloatArray, BoolArray, BoolArray, FloatArray]:
    d = M.sum(axis=1)
    u = M.sum(axis=0)
    vr = d > 0
    vc = u > 0
    Mv = M if (vr.all() and vc.all()) else M[np.ix_(vr, vc)]
    return d, u, vr, vc, Mv


def _as_binary(M: npt.ArrayLike) -> FloatArray:
    A = np.asarray(M, dtype=np.float64)
    if A.ndim != 2:
        raise InputError(f"M must be a 2-D region × activity matrix, got {A.ndim}-D")
    if not np.isfinite(A).all():
        raise InputError("M contains NaN or infinite values", hint="binarise RCA first")
    return A


def _reflection_vectors(
    Mv: FloatArray,
    dv: FloatArray,
    uv: FloatArray,
    steps: int,
    counting: str,
    *,
    r_arithmetic: bool = False,
) -> tuple[FloatArray, FloatArray]:
    """Raw reflections :math:`(k_{c,N}, k_{p,N-1})`, or R's pairing (see reflections).

    With ``r_arithmetic`` the iterates are neither centred nor rescaled and every sum
    is accumulated in the order of R's Matrix package (``M %*% x`` over columns,
    ``crossprod(M, x)`` over rows, sequentially): R's economiccomplexity iterates
    towards the constant vector, so after 20 columns its values keep only ~8
    significant digits of their spread — this reproduces its round-off too.
    """
    if r_arithmetic:
        kx, ky = dv.copy(), uv.copy()  # column 1: k_{c,0}, k_{p,0}
        before = kx
        for _ in range(steps - 1):  # columns 2..steps
            before = kx
            kx, ky = (
                np.cumsum(Mv * ky[None, :], axis=1)[:, -1] / dv,
                np.cumsum(Mv * kx[:, None], axis=0)[-1] / uv,
            )
        return before, ky  # column steps-1 = k_{c,steps-2}; column steps = k_{p,steps-1}

    def tidy(x: FloatArray) -> FloatArray:
        x = x - x.mean()
        s = float(np.abs(x).max())
        return x / s if s > 0 else x

    n_c = steps - 2 if counting == "columns" else steps
    if n_c % 2 == 0:
        kc = dv.copy()  # k_{c,0}
        kp = uv.copy()
        for _ in range(n_c // 2):
            kp = tidy((Mv.T @ kc) / uv)
            kc = (Mv @ kp) / dv
    else:
        kp = uv.copy()  # k_{p,0}
        kc = (Mv @ kp) / dv
        for _ in range((n_c - 1) // 2):
            kp = tidy((Mv.T @ kc) / uv)
            kc = (Mv @ kp) / dv
    if counting == "columns":
        kp = (Mv.T @ kc) / uv  # k_{p,N-1} from k_{c,N-2}
    return kc, kp


def _finish(
    M: FloatArray,
    d: FloatArray,
    u: FloatArray,
    vr: npt.NDArray[np.bool_],
    vc: npt.NDArray[np.bool_],
    kc: FloatArray,
    kp: FloatArray,
    conv: Convention,
    *,
    eigenvalues: tuple[float, ...] = (),
    method: str = "eigenvector",
    reference: tuple[FloatArray, FloatArray] | None = None,
) -> ComplexityResult:
    """Apply the sign rule and the standardisation; put excluded rows back as NaN.

    ``reference`` is the method of reflections' ``(k_c, k_p)`` for the
    ``"reflections"`` sign rule (``None`` for the method of reflections itself).
    """
    dv = d[vr]
    uv = u[vc]
    psign: float | None = None
    if conv.sign_rule == "reflections":
        source = "reflections"
        if reference is None:
            corr, sign = float("nan"), 1.0
        else:
            corr = _corr(reference[0], kc)
            sign = -1.0 if corr < 0 else 1.0
            psign = -1.0 if _corr(reference[1], kp) < 0 else 1.0
            if psign != sign:
                source = "reflections (ECI and PCI signs differ)"
    else:
        corr = _corr(dv, kc)
        sign = float(np.sign(corr))
        source = "diversity"
        if conv.sign_rule == "diversity_safe" and not (np.isfinite(sign) and sign != 0):
            c2 = _corr(-uv, kp)
            if np.isfinite(c2) and c2 != 0:
                sign, source = float(np.sign(c2)), "ubiquity"
            else:
                sign, source = 1.0, "default"
        elif not (np.isfinite(sign) and sign != 0):
            source = "undefined"
    kc = sign * kc
    kp = (sign if psign is None else psign) * kp
    mean = float(kc.mean())
    std = float(kc.std(ddof=conv.ddof)) if kc.size > conv.ddof else float("nan")
    with np.errstate(divide="ignore", invalid="ignore"):
        eci_v = (kc - mean) / std
        if conv.pci_scale == "eci":
            pci_v = (kp - mean) / std
        else:
            pci_v = (kp - kp.mean()) / kp.std(ddof=conv.ddof)
    n_r, n_a = M.shape
    eci = np.full(n_r, np.nan)
    pci = np.full(n_a, np.nan)
    eci_raw = np.full(n_r, np.nan)
    pci_raw = np.full(n_a, np.nan)
    eci[vr], pci[vc], eci_raw[vr], pci_raw[vc] = eci_v, pci_v, kc, kp
    return ComplexityResult(
        eci=eci,
        pci=pci,
        eci_raw=eci_raw,
        pci_raw=pci_raw,
        sign=sign,
        sign_source=source,
        sign_correlation=corr,
        eigenvalues=eigenvalues,
        mean=mean,
        std=std,
        method=method,
        excluded_regions=tuple(int(i) for i in np.flatnonzero(~vr)),
        excluded_activities=tuple(int(i) for i in np.flatnonzero(~vc)),
    )


def _empty(M: FloatArray, method: str) -> ComplexityResult:
    n_r, n_a = M.shape
    d = M.sum(axis=1)
    u = M.sum(axis=0)
    nan_r = np.full(n_r, np.nan)
    nan_a = np.full(n_a, np.nan)
    return ComplexityResult(
        eci=nan_r,
        pci=nan_a,
        eci_raw=nan_r.copy(),
        pci_raw=nan_a.copy(),
        sign=float("nan"),
        sign_source="undefined",
        method=method,
        excluded_regions=tuple(int(i) for i in np.flatnonzero(d <= 0)),
        excluded_activities=tuple(int(i) for i in np.flatnonzero(u <= 0)),
    )


def eci_pci(
    M: npt.ArrayLike,
    convention: str | Convention | None = None,
) -> ComplexityResult:
    r"""Economic Complexity Index and Product Complexity Index by the eigenvector method.

    :math:`Q` is the eigenvector of the second-largest eigenvalue of
    :math:`\tilde M^{P} = D_u^{-1} M^\top D_d^{-1} M` (obtained from the symmetric form
    :math:`S = D_d^{-1/2} M D_u^{-1/2}`, see the module docstring), scaled to unit norm;
    :math:`K = D_d^{-1} M Q`. The sign is :math:`s = \operatorname{sign}\,\rho(k_{c,0},
    K)` and, with the ``"eci"`` scale,

    .. math:: ECI = \frac{sK - \langle sK \rangle}{\operatorname{sd}(sK)}, \qquad
              PCI = \frac{sQ - \langle sK \rangle}{\operatorname{sd}(sK)}.

    Hidalgo, C. A., & Hausmann, R. (2009). The building blocks of economic complexity.
    *PNAS*, 106(26), 10570–10575. Hausmann, R., Hidalgo, C. A., et al. (2014). *The
    Atlas of Economic Complexity*. MIT Press.

    Parameters
    ----------
    M : array_like, shape (regions, activities)
        Binary presence matrix.
    convention : str or Convention, optional
        Sign rule and standardisation (default: smartspec's).

    Returns
    -------
    ComplexityResult

    Examples
    --------
    >>> r = eci_pci([[1, 1], [1, 0], [0, 0]])
    >>> r.eci.tolist()[2], r.excluded_regions
    (nan, (2,))
    """
    conv = get_convention(convention)
    A = _as_binary(M)
    d, u, vr, vc, Mv = _valid(A)
    if Mv.shape[0] < 2 or Mv.shape[1] < 2:
        return _empty(A, "eigenvector")
    dv, uv = d[vr], u[vc]
    kp, vals, _ = _second_eigvec(Mv, dv, uv)
    kc = (Mv @ kp) / dv
    ref = None
    if conv.sign_rule == "reflections":
        ref = _reflection_vectors(Mv, dv, uv, conv.reflection_steps, conv.counting)
    return _finish(
        A, d, u, vr, vc, kc, kp, conv, eigenvalues=tuple(float(v) for v in vals), reference=ref
    )


def _eci_pci_near(M: FloatArray, ref: ComplexityResult, conv: Convention) -> ComplexityResult:
    """ECI/PCI of a matrix close to the one ``ref`` came from (another threshold).

    Warm-starts the eigenvector from ``ref`` (accurate to ~1e-9; for rankings only).
    """
    d, u, vr, vc, Mv = _valid(M)
    if Mv.shape[0] < 2 or Mv.shape[1] < 2:
        return _empty(M, "eigenvector")
    dv, uv = d[vr], u[vc]
    n_r, n_a = Mv.shape
    # the reference's small-side vector, on this matrix's rows (or columns)
    if n_r <= n_a:
        with np.errstate(invalid="ignore"):
            warm = np.nan_to_num(ref.eci_raw[vr] * np.sqrt(dv))
    else:
        warm = np.nan_to_num(ref.pci_raw[vc] * np.sqrt(uv))
    kp, vals, _ = _second_eigvec(Mv, dv, uv, warm=warm)
    kc = (Mv @ kp) / dv
    vals_t = tuple(float(v) for v in vals)
    if conv.sign_rule != "reflections":
        return _finish(M, d, u, vr, vc, kc, kp, conv, eigenvalues=vals_t)
    # the reflections sign rule: align with the reference instead of reflecting again
    ok = np.isfinite(ref.pci_raw[vc])
    if float(np.nan_to_num(ref.pci_raw[vc])[ok] @ kp[ok]) < 0:
        kc, kp = -kc, -kp
    return _finish(M, d, u, vr, vc, kc, kp, conv, eigenvalues=vals_t, reference=None)


def reflections(
    M: npt.ArrayLike,
    steps: int | None = None,
    convention: str | Convention | None = None,
) -> ComplexityResult:
    r"""ECI and PCI by the method of reflections.

    .. math:: k_{c,N} = \frac{1}{k_{c,0}} \sum_p M_{cp} k_{p,N-1}, \qquad
              k_{p,N} = \frac{1}{k_{p,0}} \sum_c M_{cp} k_{c,N-1}

    Returns :math:`k_{c,N}` (``steps`` = *N*, default the convention's
    ``reflection_steps``, 20) and :math:`k_{p,N-1}` (so that
    :math:`k_{c,N} = D_d^{-1} M k_{p,N-1}` holds exactly), with the same sign rule and
    standardisation as :func:`eci_pci`. Under a convention with ``counting="columns"``
    (R's economiccomplexity) ``steps`` counts columns of the iterate matrix: the result
    is :math:`k_{c,N-2}` and :math:`k_{p,N-1}`, computed with R's arithmetic (no
    renormalisation, R's order of summation: the digits R loses to round-off are lost
    identically), and under the ``"reflections"`` sign rule it is not flipped.
    Otherwise, subtracting a constant from, or rescaling, the iterate
    changes nothing after standardisation, so each step is centred and scaled to stay
    clear of round-off; as *N* grows the result converges to the eigenvector ECI/PCI at
    the rate :math:`(\lambda_3/\lambda_2)^{N/2}`.

    Hidalgo, C. A., & Hausmann, R. (2009). The building blocks of economic complexity.
    *PNAS*, 106(26), 10570–10575.

    Examples
    --------
    >>> M = [[1, 1, 1, 0], [1, 1, 0, 0], [1, 0, 0, 0], [0, 1, 1, 1]]
    >>> bool(np.allclose(reflections(M, steps=200).eci, eci_pci(M).eci))
    True
    """
    conv = get_convention(convention)
    n_steps = conv.reflection_steps if steps is None else int(steps)
    low = 2 if conv.counting == "columns" else 1
    if n_steps < low:
        raise InputError(f"steps must be at least {low}, not {n_steps}")
    A = _as_binary(M)
    d, u, vr, vc, Mv = _valid(A)
    if Mv.shape[0] < 2 or Mv.shape[1] < 2:
        return _empty(A, "reflections")
    kc, kp = _reflection_vectors(
        Mv, d[vr], u[vc], n_steps, conv.counting, r_arithmetic=conv.counting == "columns"
    )
    return _finish(A, d, u, vr, vc, kc, kp, conv, method="reflections")


@dataclass(frozen=True)
class FitnessResult:
    """Fitness of regions and complexity of activities (Tacchella et al. 2012).

    ``fitness`` and ``complexity`` are normalised to mean 1 over the included regions /
    activities; NaN for excluded ones. ``iterations`` is how many were run,
    ``converged`` whether the last step changed no value by more than ``tol``
    (relative).
    """

    fitness: FloatArray
    complexity: FloatArray
    iterations: int
    converged: bool


def fitness_complexity(
    M: npt.ArrayLike,
    iterations: int = 200,
    tol: float = 1e-12,
) -> FitnessResult:
    r"""Fitness and product complexity by the non-linear map of Tacchella et al. (2012).

    .. math:: \tilde F_c^{(n)} = \sum_p M_{cp} Q_p^{(n-1)}, \qquad
              \tilde Q_p^{(n)} = \frac{1}{\sum_c M_{cp} / F_c^{(n-1)}},

    then :math:`F^{(n)} = \tilde F^{(n)} / \langle \tilde F^{(n)} \rangle_c` and
    :math:`Q^{(n)} = \tilde Q^{(n)} / \langle \tilde Q^{(n)} \rangle_p`, from
    :math:`F^{(0)} = Q^{(0)} = 1`, until no value changes by more than ``tol``
    (relative) or after ``iterations`` steps. For matrices that are not perfectly nested
    some values tend to zero and the map does not converge in the strict sense;
    rankings stabilise long before (Pugliese, Zaccaria & Pietronero 2016).

    Tacchella, A., Cristelli, M., Caldarelli, G., Gabrielli, A., & Pietronero, L.
    (2012). A new metrics for countries' fitness and products' complexity. *Scientific
    Reports*, 2, 723.

    Examples
    --------
    >>> r = fitness_complexity([[1, 1, 1], [1, 1, 0], [1, 0, 0]], iterations=20)
    >>> r.fitness.round(3).tolist(), r.complexity.round(3).tolist()
    ([2.75, 0.232, 0.019], [0.019, 0.223, 2.758])
    """
    A = _as_binary(M)
    _d, _u, vr, vc, Mv = _valid(A)
    n_r, n_a = A.shape
    F = np.ones(Mv.shape[0])
    Q = np.ones(Mv.shape[1])
    converged = False
    n = 0
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        for n in range(1, iterations + 1):  # noqa: B007
            Ft = Mv @ Q
            Qt = 1.0 / (Mv.T @ (1.0 / F))
            Fn = Ft / Ft.mean()
            Qn = Qt / Qt.mean()
            change = max(
                float(np.nanmax(np.abs(Fn - F) / np.maximum(np.abs(Fn), 1e-300), initial=0)),
                float(np.nanmax(np.abs(Qn - Q) / np.maximum(np.abs(Qn), 1e-300), initial=0)),
            )
            F, Q = Fn, Qn
            if change <= tol:
                converged = True
                break
    fit = np.full(n_r, np.nan)
    cpx = np.full(n_a, np.nan)
    fit[vr] = F
    cpx[vc] = Q
    return FitnessResult(fitness=fit, complexity=cpx, iterations=n, converged=converged)
