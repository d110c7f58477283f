r"""Shift-share analysis (Dunn 1960) with the Esteban-Marquillas (1972) split.

The change of each region × activity cell between *t* and *t + k* is split into a
*national share* (what the cell would have gained growing like the whole reference
economy), an *industry mix* (the extra growth of its activity in the reference) and a
*regional competitive effect* (the rest), so that the three add up to the change
exactly. Esteban-Marquillas split the competitive effect into a *homothetic* part (the
competitive effect of the cell if the region were distributed like the reference) and
an *allocation* part (from the region's specialisation). Cells that start at zero keep
their whole change as competitive effect and are flagged.

:func:`shift_share` takes NumPy arrays (regions in rows, activities in columns);
:func:`compute_shift_share` takes an :class:`~smartspec.table.ActivityTable` or a long
DataFrame (``region, activity, period, value``) of an additive measure, optionally with
another table as the reference "nation", and imports pandas when called.

Dunn, E. S. (1960). A statistical and analytical technique for regional analysis.
*Papers of the Regional Science Association*, 6(1), 97–112. Esteban-Marquillas, J. M.
(1972). A reinterpretation of shift-share analysis. *Regional and Urban Economics*,
2(3), 249–255.

>>> s = shift_share([[10.0, 0.0]], [[12.0, 5.0]], reference=([100.0, 50.0], [110.0, 60.0]))
>>> s.competitive.round(9).tolist()
[[1.0, 5.0]]
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from smartspec.errors import InputError
from smartspec.metrics._panel import Missing, _load_panel, _long, _Panel, _pick_periods

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

__all__ = ["ShiftShare", "compute_shift_share", "shift_share"]


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
