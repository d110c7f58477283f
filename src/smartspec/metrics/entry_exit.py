r"""Entry and exit of specialisations, counted over the risk set.

Which region × activity cells became (stopped being) specialised between *t* and
*t + k*: presence :math:`M_{cp}` going from 0 to 1 (1 to 0), counted over the cells that
could have changed — the *risk set*, the cells absent (present) at *t* (Neffke, Henning &
Boschma 2011; Hidalgo et al. 2018). Robustness options require an entry to persist in
later periods (``stay``) or restrict the risk set to cells well below the threshold
(``start_below``). :func:`entries` and :func:`exits` take presence matrices (NumPy
arrays, regions in rows, activities in columns); :func:`compute_entry_exit` takes an
:class:`~smartspec.table.ActivityTable` or a long DataFrame (``region, activity,
period, value``), computes RCA and presence per period, and imports pandas when called.

Neffke, F., Henning, M., & Boschma, R. (2011). How do regions diversify over time?
Industry relatedness and the development of new growth paths in regions. *Economic
Geography*, 87(3), 237–265. Hidalgo, C. A., Balland, P.-A., Boschma, R., et al. (2018).
The principle of relatedness. In *Unifying Themes in Complex Systems IX* (pp. 451–457).
Springer.

>>> entries([[0, 1], [0, 0]], [[1, 1], [0, 1]]).tolist()
[[1.0, nan], [0.0, 1.0]]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from smartspec.errors import InputError
from smartspec.metrics._panel import Missing, _load_panel, _long, _Panel
from smartspec.metrics.conventions import Convention, get_convention
from smartspec.metrics.specialisation import binarise, rca

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

__all__ = ["compute_entry_exit", "entries", "exits"]


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
