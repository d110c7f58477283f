r"""Dynamics: entry and exit of specialisations, growth, and shift-share.

Three questions about change between two periods *t* and *t + k*:

* **entry and exit** — which region × activity cells became (stopped being)
  specialised, :math:`M_{cp}` going from 0 to 1 (1 to 0), counted over the cells that
  could have changed: the *risk set* (Neffke, Henning & Boschma 2011; Hidalgo et al.
  2018). :func:`entries`, :func:`exits` on arrays; :func:`compute_entry_exit` on tables;
* **growth** — absolute change, relative change and compound annual growth rate, with
  cells that start at zero handled explicitly (:func:`growth`, :func:`cagr`,
  :func:`compute_growth`);
* **shift-share** — the change of each cell split into national share, industry mix
  and regional competitive effect (Dunn 1960), with the Esteban-Marquillas (1972)
  split of the competitive effect (:func:`shift_share`, :func:`compute_shift_share`).

The array functions take NumPy arrays (regions in rows, activities in columns); the
``compute_*`` functions take an :class:`~smartspec.table.ActivityTable` or a long
DataFrame (``region, activity, period, value``) and import pandas when called.

>>> import numpy as np
>>> entries([[0, 1], [0, 0]], [[1, 1], [0, 1]]).tolist()
[[1.0, nan], [0.0, 1.0]]
>>> s = shift_share([[10.0, 0.0]], [[12.0, 5.0]], reference=([100.0, 50.0], [110.0, 60.0]))
>>> s.competitive.round(9).tolist()
[[1.0, 5.0]]
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import numpy.typing as npt

from smartspec.errors import InputError
from smartspec.metrics.conventions import Convention, get_convention
from smartspec.metrics.specialisation import binarise, rca

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
Missing = Literal["error", "zero", "drop"]

__all__ = [
    "Growth",
    "ShiftShare",
    "cagr",
    "compute_entry_exit",
    "compute_growth",
    "compute_shift_share",
    "entries",
    "exits",
    "growth",
    "shift_share",
]


# --------------------------------------------------------------------------------------
# entry and exit


def _binary(M: npt.ArrayLike, name: str) -> FloatArray:
    A = np.asarray(M, dtype=np.float64)
    bad = np.isfinite(A) & (A != 0) & (A != 1)
    if bad.any():
        raise InputError(
            f"{name} must be a binary presence matrix (0/1, NaN for unknown)",
            hint="binarise RCA first, e.g. smartspec.metrics.binarise(rca(X))",
        )
    return A


def _transitions(
    M0: npt.ArrayLike,
    M1: npt.ArrayLike,
    stay: Sequence[npt.ArrayLike],
    eligible: npt.ArrayLike | None,
    start: float,
) -> FloatArray:
    A0 = _binary(M0, "M0")
    A1 = _binary(M1, "M1")
    later = [_binary(S, f"stay[{i}]") for i, S in enumerate(stay)]
    for name, B in [("M1", A1), *((f"stay[{i}]", S) for i, S in enumerate(later))]:
        if B.shape != A0.shape:
            raise InputError(f"{name} has shape {B.shape}, M0 has {A0.shape}")
    end = 1.0 - start
    at_risk = np.equal(A0, start)
    if eligible is not None:
        E = np.asarray(eligible, dtype=bool)
        if E.shape != A0.shape:
            raise InputError(f"eligible has shape {E.shape}, M0 has {A0.shape}")
        at_risk &= E
    event = np.equal(A1, end)
    unknown = np.isnan(A1)
    for S in later:
        event &= np.equal(S, end)
        unknown |= np.isnan(S)
    out: FloatArray = np.where(at_risk & ~unknown, event.astype(np.float64), np.nan)
    return out


def entries(
    M0: npt.ArrayLike,
    M1: npt.ArrayLike,
    *,
    stay: Sequence[npt.ArrayLike] = (),
    eligible: npt.ArrayLike | None = None,
) -> FloatArray:
    r"""Entries between two presence matrices, over the risk set.

    .. math:: \text{entry}_{cp} = \begin{cases}
              1 & M_{cp,t} = 0,\ M_{cp,t+k} = 1 \text{ (and 1 in every matrix of
              ``stay``)} \\
              0 & M_{cp,t} = 0 \text{ otherwise} \\
              \text{NaN} & M_{cp,t} = 1 \text{ (not at risk of entering)}
              \end{cases}

    The risk set of entry is the cells absent at *t* (optionally only those where
    ``eligible`` is true, e.g. :math:`RCA_{cp,t} < 0.5`). ``stay`` lists later
    presence matrices (:math:`t+k+1, t+k+2, …`) in which an entry must persist to
    count — a robustness check against cells that hover around the threshold
    (Neffke, Henning & Boschma 2011). NaN in an input means unknown: the cell is left
    out (NaN).

    Neffke, F., Henning, M., & Boschma, R. (2011). How do regions diversify over
    time? Industry relatedness and the development of new growth paths in regions.
    *Economic Geography*, 87(3), 237–265. Hidalgo, C. A., Balland, P.-A., Boschma,
    R., et al. (2018). The principle of relatedness. In *Unifying Themes in Complex
    Systems IX* (pp. 451–457). Springer.

    Parameters
    ----------
    M0, M1 : array_like
        Binary presence (0/1) at *t* and *t + k*, same shape.
    stay : sequence of array_like, optional
        Presence at later periods in which the entry must still be present.
    eligible : array_like of bool, optional
        Further restriction of the risk set.

    Returns
    -------
    numpy.ndarray
        1.0 (entry), 0.0 (at risk, no entry) or NaN (not at risk / unknown).

    Examples
    --------
    >>> entries([[0, 0, 1]], [[1, 1, 1]], stay=[[[1, 0, 1]]]).tolist()
    [[1.0, 0.0, nan]]
    """
    return _transitions(M0, M1, stay, eligible, start=0.0)


def exits(
    M0: npt.ArrayLike,
    M1: npt.ArrayLike,
    *,
    stay: Sequence[npt.ArrayLike] = (),
    eligible: npt.ArrayLike | None = None,
) -> FloatArray:
    r"""Exits between two presence matrices, over the risk set.

    .. math:: \text{exit}_{cp} = \begin{cases}
              1 & M_{cp,t} = 1,\ M_{cp,t+k} = 0 \text{ (and 0 in every matrix of
              ``stay``)} \\
              0 & M_{cp,t} = 1 \text{ otherwise} \\
              \text{NaN} & M_{cp,t} = 0 \text{ (not at risk of exiting)}
              \end{cases}

    The mirror image of :func:`entries` (same references): the risk set is the cells
    present at *t*.

    Examples
    --------
    >>> exits([[1, 1, 0]], [[0, 1, 0]]).tolist()
    [[1.0, 0.0, nan]]
    """
    return _transitions(M0, M1, stay, eligible, start=1.0)


# --------------------------------------------------------------------------------------
# growth


@dataclass(frozen=True)
class Growth:
    """Growth between two periods (see :func:`growth`).

    ``from_zero`` marks the cells that start at 0: their ``relative`` and ``cagr`` are
    NaN, their ``absolute`` change is kept.
    """

    absolute: FloatArray
    relative: FloatArray
    cagr: FloatArray
    from_zero: BoolArray
    years: float


def cagr(x0: npt.ArrayLike, x1: npt.ArrayLike, years: float) -> FloatArray:
    r"""Compound annual growth rate.

    .. math:: CAGR = \left( \frac{x_{t+k}}{x_t} \right)^{1/k} - 1

    NaN where :math:`x_t \le 0` (in particular for growth *from zero*, which has no
    rate), where :math:`x_{t+k} < 0` or either is NaN; :math:`-1` for a cell that falls
    to 0.

    Examples
    --------
    >>> # 100 -> 121 over 2 years: sqrt(1.21) - 1 = 0.1
    >>> cagr([100.0, 0.0, 50.0], [121.0, 5.0, 0.0], 2).round(12).tolist()
    [0.1, nan, -1.0]
    """
    if not (isinstance(years, int | float) and math.isfinite(years) and years > 0):
        raise InputError(f"years must be a positive number, not {years!r}")
    a = np.asarray(x0, dtype=np.float64)
    b = np.asarray(x1, dtype=np.float64)
    ok = (a > 0) & (b >= 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(ok, b / np.where(ok, a, 1.0), np.nan)
        out: FloatArray = np.power(ratio, 1.0 / float(years)) - 1.0
    return out


def growth(x0: npt.ArrayLike, x1: npt.ArrayLike, years: float = 1.0) -> Growth:
    r"""Absolute change, relative change and CAGR, with zero starting cells flagged.

    .. math:: \Delta = x_{t+k} - x_t, \qquad
              r = \frac{x_{t+k}}{x_t} - 1, \qquad
              CAGR = (1 + r)^{1/k} - 1

    A cell that starts at 0 has no growth *rate*: ``relative`` and ``cagr`` are NaN,
    ``absolute`` is kept and ``from_zero`` is True, so that a new activity is reported
    as new rather than silently dropped or given an infinite rate.

    Parameters
    ----------
    x0, x1 : array_like
        Values at *t* and *t + k* (same shape).
    years : float
        *k*, the number of years between the two periods.

    Examples
    --------
    >>> g = growth([100.0, 0.0], [110.0, 7.0], years=2)
    >>> g.absolute.tolist(), g.relative.round(12).tolist(), g.from_zero.tolist()
    ([10.0, 7.0], [0.1, nan], [False, True])
    """
    a = np.asarray(x0, dtype=np.float64)
    b = np.asarray(x1, dtype=np.float64)
    if a.shape != b.shape:
        raise InputError(f"x0 has shape {a.shape}, x1 has {b.shape}")
    ok = a > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        rel: FloatArray = np.where(ok, b / np.where(ok, a, 1.0) - 1.0, np.nan)
    absolute: FloatArray = b - a
    return Growth(
        absolute=absolute,
        relative=rel,
        cagr=cagr(a, b, years),
        from_zero=np.asarray(a == 0, dtype=bool),
        years=float(years),
    )


# --------------------------------------------------------------------------------------
# shift-share


@dataclass(frozen=True)
class ShiftShare:
    r"""Shift-share components of each region × activity cell (see :func:`shift_share`).

    ``change = national_share + industry_mix + competitive`` holds for every cell where
    the components are defined. ``homothetic + allocation = competitive`` (the
    Esteban-Marquillas split) holds where the cell starts above 0; for a cell that
    starts at 0 both are NaN. ``national_growth`` is :math:`g`, ``industry_growth``
    the :math:`g_p` of each activity.
    """

    change: FloatArray
    national_share: FloatArray
    industry_mix: FloatArray
    competitive: FloatArray
    homothetic: FloatArray
    allocation: FloatArray
    from_zero: BoolArray
    national_growth: float
    industry_growth: FloatArray


def _reference_totals(ref: npt.ArrayLike, n_a: int, name: str) -> FloatArray:
    R = np.asarray(ref, dtype=np.float64)
    if R.ndim == 2:
        R = np.nansum(R, axis=0)
    if R.shape != (n_a,):
        raise InputError(
            f"{name} must be a regions × activities matrix or one total per activity "
            f"({n_a}), got shape {R.shape}"
        )
    return R


def shift_share(
    X0: npt.ArrayLike,
    X1: npt.ArrayLike,
    *,
    reference: tuple[npt.ArrayLike, npt.ArrayLike] | None = None,
) -> ShiftShare:
    r"""Classic shift-share decomposition with the Esteban-Marquillas split.

    With :math:`x_{rp}` the value of region *r* in activity *p* at *t* (:math:`x'` at
    *t + k*), :math:`E_p` the reference ("national") total of activity *p* and
    :math:`E = \sum_p E_p`:

    .. math::

        g = \frac{E'}{E} - 1, \qquad g_p = \frac{E'_p}{E_p} - 1

        NS_{rp} = x_{rp}\, g, \qquad IM_{rp} = x_{rp}\,(g_p - g), \qquad
        CE_{rp} = (x'_{rp} - x_{rp}) - x_{rp}\, g_p

    so that :math:`\Delta x_{rp} = NS_{rp} + IM_{rp} + CE_{rp}` exactly (Dunn 1960).
    For a cell with :math:`x_{rp} > 0`, :math:`CE_{rp} = x_{rp}(g_{rp} - g_p)`, the
    usual form. **A cell that starts at 0** has :math:`NS = IM = 0` and its whole
    change is competitive effect, :math:`CE = x'_{rp}` — the formula above evaluated
    at :math:`x_{rp}=0`, written so that no NaN arises (its own growth rate
    :math:`g_{rp}` is undefined but not needed); ``from_zero`` flags it.

    Esteban-Marquillas (1972) split the competitive effect with the *homothetic*
    value :math:`\hat x_{rp} = x_{r} E_p / E` (the region's total distributed like the
    reference):

    .. math:: CE_{rp} = \underbrace{\hat x_{rp}(g_{rp} - g_p)}_{\text{homothetic}}
              + \underbrace{(x_{rp} - \hat x_{rp})(g_{rp} - g_p)}_{\text{allocation}}

    defined only where :math:`x_{rp} > 0` (NaN where it starts at 0).

    The reference defaults to the sum over the rows of ``X0`` / ``X1`` (the regions of
    the table form the "nation"); pass ``reference=(E0, E1)`` — matrices (summed over
    their rows) or one total per activity — for another one. Where the reference total
    of an activity is 0 at *t*, :math:`g_p` is undefined: IM and CE are NaN for the
    cells of that activity that start above 0 (cells starting at 0 keep the zero-cell
    rule).

    Dunn, E. S. (1960). A statistical and analytical technique for regional analysis.
    *Papers of the Regional Science Association*, 6(1), 97–112. Esteban-Marquillas,
    J. M. (1972). A reinterpretation of shift-share analysis. *Regional and Urban
    Economics*, 2(3), 249–255.

    Parameters
    ----------
    X0, X1 : array_like, shape (regions, activities)
        Values at *t* and *t + k* (additive: employment, value added, …).
    reference : (array_like, array_like), optional
        Reference values at *t* and *t + k*.

    Returns
    -------
    ShiftShare

    Examples
    --------
    >>> # reference: E = 150 -> 170, g = 20/150 = 0.1333; g_p = (0.1, 0.2)
    >>> # cell (10 -> 12): NS = 1.333, IM = 10 (0.1 - 0.1333) = -0.333, CE = 2 - 1 = 1
    >>> # cell (0 -> 5): NS = IM = 0, CE = 5
    >>> s = shift_share([[10.0, 0.0]], [[12.0, 5.0]], reference=([100.0, 50.0], [110.0, 60.0]))
    >>> s.national_share.round(3).tolist(), s.industry_mix.round(3).tolist()
    ([[1.333, 0.0]], [[-0.333, 0.0]])
    >>> s.from_zero.tolist()
    [[False, True]]
    """
    A0 = np.asarray(X0, dtype=np.float64)
    A1 = np.asarray(X1, dtype=np.float64)
    if A0.ndim != 2:
        raise InputError(f"X0 must be a 2-D region × activity matrix, got {A0.ndim}-D")
    if A1.shape != A0.shape:
        raise InputError(f"X1 has shape {A1.shape}, X0 has {A0.shape}")
    n_a = A0.shape[1]
    if reference is None:
        E0 = A0.sum(axis=0)
        E1 = A1.sum(axis=0)
    else:
        if not (isinstance(reference, tuple | list) and len(reference) == 2):
            raise InputError("reference must be a pair (values at t, values at t + k)")
        E0 = _reference_totals(reference[0], n_a, "reference[0]")
        E1 = _reference_totals(reference[1], n_a, "reference[1]")
    tot0, tot1 = float(np.nansum(E0)), float(np.nansum(E1))  # NaN: activity not in the reference
    g = tot1 / tot0 - 1.0 if tot0 > 0 else float("nan")
    with np.errstate(divide="ignore", invalid="ignore"):
        g_p: FloatArray = np.where(E0 > 0, E1 / np.where(E0 > 0, E0, 1.0) - 1.0, np.nan)
    zero = A0 == 0
    change: FloatArray = A1 - A0
    with np.errstate(invalid="ignore"):
        ns: FloatArray = np.where(zero, 0.0, A0 * g)
        im: FloatArray = np.where(zero, 0.0, A0 * (g_p - g)[None, :])
        ce: FloatArray = np.where(zero, change, change - A0 * g_p[None, :])
    # Esteban-Marquillas: homothetic value x_r E_p / E
    row = A0.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        hat = row[:, None] * (E0 / tot0)[None, :] if tot0 > 0 else np.full(A0.shape, np.nan)
        own = np.where(zero, np.nan, ce / np.where(zero, 1.0, A0))  # g_rp - g_p
        homothetic: FloatArray = hat * own
        allocation: FloatArray = (A0 - hat) * own
    return ShiftShare(
        change=change,
        national_share=ns,
        industry_mix=im,
        competitive=ce,
        homothetic=homothetic,
        allocation=allocation,
        from_zero=np.asarray(zero, dtype=bool),
        national_growth=g,
        industry_growth=g_p,
    )


# --------------------------------------------------------------------------------------
# tables: ActivityTable or long DataFrame -> dense panel


@dataclass
class _Panel:
    """A dense period × region × activity panel with its labels (internal)."""

    X: FloatArray  # (T, R, A)
    regions: tuple[str, ...]
    activities: tuple[str, ...]
    periods: tuple[Any, ...]  # () for a table without periods
    measure: str = "value"
    unit: str = ""
    region_scheme: str = "NUTS"
    dropped_regions: tuple[str, ...] = ()

    @property
    def years_known(self) -> bool:
        return bool(self.periods) and all(
            isinstance(p, int | np.integer) and not isinstance(p, bool) for p in self.periods
        )

    def index_of(self, period: Any) -> int:
        if not self.periods:
            raise InputError("the table has no periods")
        for i, p in enumerate(self.periods):
            if p == period:
                return i
        raise InputError(
            f"period {period!r} is not in the table",
            hint="the table has " + ", ".join(map(str, self.periods)),
        )

    def years_between(self, i: int, j: int) -> float:
        if self.years_known:
            return float(int(self.periods[j]) - int(self.periods[i]))
        return float(j - i)

    def later(self, i: int, step: int) -> int | None:
        """Position of the period ``step`` years (positions) after position ``i``."""
        if self.years_known:
            want = int(self.periods[i]) + step
            for j, p in enumerate(self.periods):
                if int(p) == want:
                    return j
            return None
        j = i + step
        return j if j < len(self.periods) else None


def _load_panel(
    data: Any,
    *,
    missing: Missing = "error",
    columns: Mapping[str, str] | None = None,
    require_additive: str | None = None,
) -> _Panel:
    """Dense panel from an ActivityTable or a long DataFrame (imports pandas)."""
    import pandas as pd

    from smartspec.table import ActivityTable

    if missing not in ("error", "zero", "drop"):
        raise InputError(
            f"missing={missing!r} is not a policy", hint="use 'error', 'zero' or 'drop'"
        )
    if isinstance(data, ActivityTable):
        meta = data.meta
        if require_additive and not meta.additive:
            raise InputError(
                f"{require_additive} needs an additive measure (counts or amounts that can "
                f"be summed over regions and activities), but {meta.measure!r} "
                f"[{meta.unit}] is marked additive=False (a rate, share or per-capita value)",
                hint="use employment, establishments, value added… rather than a rate",
            )
        mats = data.matrices(missing=missing)
        keys = list(mats)
        stacked = np.stack([np.asarray(mats[k].values, dtype=np.float64) for k in keys])
        first = mats[keys[0]]
        periods: tuple[Any, ...] = () if keys == [None] else tuple(keys)
        return _Panel(
            stacked,
            tuple(first.regions),
            tuple(first.activities),
            periods,
            measure=meta.measure,
            unit=meta.unit,
            region_scheme=meta.region_scheme,
            dropped_regions=tuple(first.dropped_regions),
        )
    if not isinstance(data, pd.DataFrame):
        raise InputError(
            f"expected an ActivityTable or a pandas DataFrame, got {type(data).__name__}"
        )
    cols = {"region": "region", "activity": "activity", "period": "period", "value": "value"}
    if columns:
        unknown = set(columns) - set(cols)
        if unknown:
            raise InputError(f"columns: unknown key(s) {sorted(unknown)}; use {sorted(cols)}")
        cols.update(columns)
    absent = [cols[k] for k in ("region", "activity", "value") if cols[k] not in data.columns]
    if absent:
        raise InputError(
            "missing column(s) " + ", ".join(repr(a) for a in absent),
            source="DataFrame",
            hint="expected columns region, activity, value and optionally period "
            f"(have {', '.join(map(str, data.columns))})",
        )
    has_period = cols["period"] in data.columns
    values = pd.to_numeric(data[cols["value"]], errors="coerce").to_numpy(
        dtype=np.float64, na_value=np.nan
    )
    notnum = np.isnan(values) & data[cols["value"]].notna().to_numpy()
    if notnum.any():
        raise InputError(
            f"{int(notnum.sum())} value(s) are not numbers",
            source="DataFrame",
            column=cols["value"],
            row=int(np.flatnonzero(notnum)[0]) + 1,
        )
    if (values < 0).any() or np.isinf(values).any():
        raise InputError(
            "values must be non-negative finite numbers",
            source="DataFrame",
            column=cols["value"],
            row=int(np.flatnonzero((values < 0) | np.isinf(values))[0]) + 1,
        )
    rc, regions = pd.factorize(data[cols["region"]].astype(str), sort=True)
    ac, activities = pd.factorize(data[cols["activity"]].astype(str), sort=True)
    if has_period:
        pc, puniq = pd.factorize(data[cols["period"]], sort=True)
        if (pc < 0).any():
            raise InputError("missing period label(s)", source="DataFrame", column=cols["period"])
        plist = [p.item() if hasattr(p, "item") else p for p in puniq]
    else:
        pc, plist = np.zeros(len(data), dtype=np.intp), []
    n_t, n_r, n_a = max(len(plist), 1), len(regions), len(activities)
    lin = (pc * n_r + rc) * n_a + ac
    if np.bincount(lin, minlength=n_t * n_r * n_a).max(initial=0) > 1:
        raise InputError(
            "duplicated (region, activity, period) keys",
            source="DataFrame",
            hint="aggregate first (df.groupby([...], as_index=False)['value'].sum())",
        )
    nan = np.isnan(values)
    dropped: tuple[str, ...] = ()
    keep_r = np.ones(n_r, dtype=bool)
    if nan.any():
        if missing == "error":
            raise InputError(
                f"{int(nan.sum())} missing value(s)",
                source="DataFrame",
                column=cols["value"],
                hint="pass missing='zero' to count them as 0, or missing='drop' to leave "
                "out the regions that have them",
            )
        if missing == "drop":
            keep_r[np.unique(rc[nan])] = False
            dropped = tuple(str(regions[int(i)]) for i in np.flatnonzero(~keep_r))
        values = np.where(nan, 0.0, values)
    dense = np.bincount(lin, weights=values, minlength=n_t * n_r * n_a)
    X: FloatArray = np.ascontiguousarray(
        dense.astype(np.float64).reshape(n_t, n_r, n_a)[:, keep_r, :]
    )
    return _Panel(
        X,
        tuple(str(regions[int(i)]) for i in np.flatnonzero(keep_r)),
        tuple(str(a) for a in activities),
        tuple(plist),
        measure=str(data.attrs.get("measure", "value")),
        unit=str(data.attrs.get("unit", "")),
        region_scheme="NUTS",
        dropped_regions=dropped,
    )


def _pick_periods(panel: _Panel, start: Any, end: Any) -> tuple[int, int]:
    if len(panel.periods) < 2:
        raise InputError(
            "growth and shift-share need at least two periods",
            hint="the table has " + (", ".join(map(str, panel.periods)) or "no period column"),
        )
    i = 0 if start is None else panel.index_of(start)
    j = len(panel.periods) - 1 if end is None else panel.index_of(end)
    if j <= i:
        raise InputError(
            f"end period {panel.periods[j]!r} must come after start {panel.periods[i]!r}"
        )
    return i, j


def _long(panel: _Panel, cols: dict[str, Any]) -> pd.DataFrame:
    """Long DataFrame with region, activity and the given (R, A) columns."""
    import pandas as pd

    n_r, n_a = len(panel.regions), len(panel.activities)
    out: dict[str, Any] = {
        "region": pd.Categorical.from_codes(
            np.repeat(np.arange(n_r), n_a), categories=pd.Index(list(panel.regions))
        ),
        "activity": pd.Categorical.from_codes(
            np.tile(np.arange(n_a), n_r), categories=pd.Index(list(panel.activities))
        ),
    }
    for k, v in cols.items():
        out[k] = np.broadcast_to(np.asarray(v), (n_r, n_a)).ravel()
    return pd.DataFrame(out)


def compute_growth(
    data: Any,
    *,
    start: Any = None,
    end: Any = None,
    missing: Missing = "error",
    columns: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Growth of every region × activity cell between two periods of a table.

    Parameters
    ----------
    data : ActivityTable or pandas.DataFrame
        Long table (``region, activity, period, value``; rename with ``columns``).
    start, end : period, optional
        Default: the first and the last period. The number of years is ``end - start``
        for integer periods (the number of periods in between otherwise).
    missing : {"error", "zero", "drop"}
        Missing values: raise, count as 0, or leave out the regions that have any.

    Returns
    -------
    pandas.DataFrame
        ``region, activity, start, end, years, value_start, value_end, absolute,
        relative, cagr, from_zero`` (see :func:`growth`).

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"region": ["a", "a", "a", "a"], "activity": ["x", "y", "x", "y"],
    ...                    "period": [2010, 2010, 2012, 2012], "value": [100.0, 0, 121, 3]})
    >>> compute_growth(df)[["activity", "cagr", "from_zero"]].round(3).values.tolist()
    [['x', 0.1, False], ['y', nan, True]]
    """
    panel = _load_panel(data, missing=missing, columns=columns)
    i, j = _pick_periods(panel, start, end)
    years = panel.years_between(i, j)
    g = growth(panel.X[i], panel.X[j], years)
    return _long(
        panel,
        {
            "start": np.array(panel.periods[i]),
            "end": np.array(panel.periods[j]),
            "years": np.float64(years),
            "value_start": panel.X[i],
            "value_end": panel.X[j],
            "absolute": g.absolute,
            "relative": g.relative,
            "cagr": g.cagr,
            "from_zero": g.from_zero,
        },
    )


def _reference_pair(
    reference: Any, panel: _Panel, i: int, j: int, missing: Missing
) -> tuple[FloatArray, FloatArray]:
    """Per-activity totals of a reference table at the periods of positions i and j."""
    ref = _load_panel(reference, missing=missing, require_additive="a shift-share reference")
    out = []
    for k in (i, j):
        p = panel.periods[k]
        if p not in ref.periods:
            raise InputError(
                f"the reference has no period {p!r}",
                hint="the reference has " + ", ".join(map(str, ref.periods)),
            )
        tot = ref.X[ref.index_of(p)].sum(axis=0)
        pos = {a: n for n, a in enumerate(ref.activities)}
        out.append(np.array([tot[pos[a]] if a in pos else np.nan for a in panel.activities]))
    return out[0], out[1]


def compute_shift_share(
    data: Any,
    *,
    start: Any = None,
    end: Any = None,
    reference: Any = None,
    missing: Missing = "error",
    columns: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Shift-share decomposition of every region × activity cell of a table.

    Parameters
    ----------
    data : ActivityTable or pandas.DataFrame
        Long table of an *additive* measure (``region, activity, period, value``).
    start, end : period, optional
        Default: the first and the last period.
    reference : ActivityTable or pandas.DataFrame, optional
        The "nation": its values are summed over its regions, per activity. Default:
        the sum over the table's own regions. Activities the reference lacks get NaN
        industry growth.
    missing : {"error", "zero", "drop"}
        Missing values (in the table and the reference).

    Returns
    -------
    pandas.DataFrame
        ``region, activity, start, end, value_start, value_end, change,
        national_share, industry_mix, competitive, homothetic, allocation, from_zero,
        national_growth, industry_growth`` (formulas: :func:`shift_share`).

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"region": ["a", "a", "b", "b"] * 2,
    ...                    "activity": ["x", "y"] * 4,
    ...                    "period": [2010] * 4 + [2015] * 4,
    ...                    "value": [10.0, 0.0, 90, 50, 12, 5, 98, 55]})
    >>> out = compute_shift_share(df)
    >>> out[["national_share", "industry_mix", "competitive"]].sum(axis=1).round(9).tolist()
    [2.0, 5.0, 8.0, 5.0]
    """
    panel = _load_panel(data, missing=missing, columns=columns, require_additive="shift-share")
    i, j = _pick_periods(panel, start, end)
    ref = None if reference is None else _reference_pair(reference, panel, i, j, missing)
    s = shift_share(panel.X[i], panel.X[j], reference=ref)
    return _long(
        panel,
        {
            "start": np.array(panel.periods[i]),
            "end": np.array(panel.periods[j]),
            "value_start": panel.X[i],
            "value_end": panel.X[j],
            "change": s.change,
            "national_share": s.national_share,
            "industry_mix": s.industry_mix,
            "competitive": s.competitive,
            "homothetic": s.homothetic,
            "allocation": s.allocation,
            "from_zero": s.from_zero,
            "national_growth": np.float64(s.national_growth),
            "industry_growth": s.industry_growth[None, :],
        },
    )


# --------------------------------------------------------------------------------------
# entry/exit on tables


@dataclass
class _Transition:
    """Presence at t and t + k and the entry/exit outcomes of one pair of periods."""

    start: int
    end: int
    rca0: FloatArray
    rca1: FloatArray
    M0: FloatArray
    M1: FloatArray
    entry: FloatArray
    exit: FloatArray
    live: BoolArray  # (R,) region has data at t, t + k and the stay periods


def _transitions_of(
    panel: _Panel,
    *,
    horizon: int,
    conv: Convention,
    threshold: float,
    stay: int,
    start_below: float | None,
) -> list[_Transition]:
    if not isinstance(horizon, int | np.integer) or horizon < 1:
        raise InputError(f"horizon must be a positive integer, not {horizon!r}")
    if not isinstance(stay, int | np.integer) or stay < 0:
        raise InputError(f"stay must be a non-negative integer, not {stay!r}")
    if start_below is not None and not start_below <= threshold:
        raise InputError(
            f"start_below ({start_below:g}) must not exceed the threshold ({threshold:g})"
        )
    if len(panel.periods) < 2:
        raise InputError(
            "entry and exit need at least two periods",
            hint="the table has " + (", ".join(map(str, panel.periods)) or "no period column"),
        )
    R_all = [rca(panel.X[t]) for t in range(panel.X.shape[0])]
    M_all = [binarise(R, threshold, conv.binarise_op) for R in R_all]
    live_all = [panel.X[t].sum(axis=1) > 0 for t in range(panel.X.shape[0])]
    out: list[_Transition] = []
    for t in range(len(panel.periods)):
        e = panel.later(t, int(horizon))
        if e is None:
            continue
        later: list[int] = []
        for s in range(1, int(stay) + 1):
            q = panel.later(e, s)
            if q is None:
                break
            later.append(q)
        if len(later) < stay:
            continue
        live = live_all[t] & live_all[e]
        for q in later:
            live = live & live_all[q]
        M0 = np.where(live[:, None], M_all[t], np.nan)
        eligible = None
        if start_below is not None:
            with np.errstate(invalid="ignore"):
                eligible = ~(R_all[t] >= start_below)
        stays = [M_all[q] for q in later]
        out.append(
            _Transition(
                start=t,
                end=e,
                rca0=R_all[t],
                rca1=R_all[e],
                M0=M_all[t],
                M1=M_all[e],
                entry=entries(M0, M_all[e], stay=stays, eligible=eligible),
                exit=exits(M0, M_all[e], stay=stays),
                live=live,
            )
        )
    if not out:
        raise InputError(
            f"no pair of periods {horizon} apart"
            + (f" with {stay} further period(s) to confirm" if stay else ""),
            hint="the table has " + ", ".join(map(str, panel.periods)),
        )
    return out


def compute_entry_exit(
    data: Any,
    *,
    horizon: int = 1,
    threshold: float | None = None,
    convention: str | Convention | None = None,
    stay: int = 0,
    start_below: float | None = None,
    missing: Missing = "error",
    columns: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    r"""Entries and exits of specialisations (RCA ≥ threshold) in a panel.

    For every period *t* for which *t + horizon* exists (in years for integer periods,
    in positions otherwise), presence is :math:`M_{cp} = [RCA_{cp} \ge` threshold]
    (the convention's comparison) and entry/exit are as in :func:`entries` /
    :func:`exits`.

    Parameters
    ----------
    data : ActivityTable or pandas.DataFrame
        Long table of an additive measure.
    horizon : int
        *k*: compare *t* with *t + k*.
    threshold : float, optional
        RCA threshold (default: the convention's, 1).
    convention : str or Convention, optional
        For the threshold and the comparison (``>=`` or ``>``).
    stay : int
        Robustness: an entry (exit) must also hold at the ``stay`` periods after
        *t + k* (pairs without them are left out).
    start_below : float, optional
        Robustness: only cells with :math:`RCA_{cp,t} <` ``start_below`` are at risk of
        entry (e.g. 0.5), so that cells just below the threshold are not counted.
    missing : {"error", "zero", "drop"}
        Missing values.

    Returns
    -------
    pandas.DataFrame
        One row per region × activity × start period: ``region, activity, period,
        period_end, rca_start, rca_end, mcp_start, mcp_end, entry, exit``; ``entry`` is
        1/0 over the entry risk set and NaN elsewhere, ``exit`` likewise. Regions
        without data (zero total) at any of the periods involved are NaN.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"region": ["a", "a", "b", "b"] * 2, "activity": ["x", "y"] * 4,
    ...                    "period": [1] * 4 + [2] * 4, "value": [3.0, 1, 1, 3, 1, 3, 3, 1]})
    >>> out = compute_entry_exit(df)
    >>> out[["region", "activity", "entry", "exit"]].values.tolist()
    [['a', 'x', nan, 1.0], ['a', 'y', 1.0, nan], ['b', 'x', 1.0, nan], ['b', 'y', nan, 1.0]]
    """
    import pandas as pd

    conv = get_convention(convention)
    thr = float(conv.threshold if threshold is None else threshold)
    panel = _load_panel(data, missing=missing, columns=columns, require_additive="entry/exit")
    trs = _transitions_of(
        panel, horizon=horizon, conv=conv, threshold=thr, stay=stay, start_below=start_below
    )
    parts = []
    for tr in trs:
        nanrows = ~tr.live[:, None]
        parts.append(
            _long(
                panel,
                {
                    "period": np.array(panel.periods[tr.start]),
                    "period_end": np.array(panel.periods[tr.end]),
                    "rca_start": tr.rca0,
                    "rca_end": tr.rca1,
                    "mcp_start": np.where(nanrows, np.nan, tr.M0),
                    "mcp_end": np.where(nanrows, np.nan, tr.M1),
                    "entry": tr.entry,
                    "exit": tr.exit,
                },
            )
        )
    return pd.concat(parts, ignore_index=True)
