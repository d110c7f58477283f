r"""Growth between two periods: absolute change, relative change and CAGR.

.. math:: \Delta = x_{t+k} - x_t, \qquad r = \frac{x_{t+k}}{x_t} - 1, \qquad
          CAGR = \left( \frac{x_{t+k}}{x_t} \right)^{1/k} - 1

Cells that start at zero are handled explicitly: they have an absolute change but no
growth *rate*, and are flagged (``from_zero``) rather than given an infinite rate or
dropped. :func:`growth` and :func:`cagr` take NumPy arrays; :func:`compute_growth`
takes an :class:`~smartspec.table.ActivityTable` or a long DataFrame (``region,
activity, period, value``) and imports pandas when called.

>>> growth([100.0, 0.0], [121.0, 3.0], years=2).cagr.round(12).tolist()
[0.1, nan]
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from smartspec.errors import InputError
from smartspec.metrics._panel import Missing, _load_panel, _long, _pick_periods

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

__all__ = ["Growth", "cagr", "compute_growth", "growth"]


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
