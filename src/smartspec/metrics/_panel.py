"""Dense period × region × activity panels for the dynamics metrics (internal).

Entry/exit (:mod:`smartspec.metrics.entry_exit`), growth (:mod:`smartspec.metrics.growth`),
shift-share (:mod:`smartspec.metrics.shift_share`), critical mass and the entry backtest
read their table argument — an :class:`~smartspec.table.ActivityTable` or a long
DataFrame (``region, activity, period, value``) — into one dense array with its labels,
check it (non-negative finite values, no duplicated keys, an additive measure where one
is needed) and apply the missing-value policy. The helpers here also pick the two
periods of a comparison and turn region × activity results back into a long DataFrame.
pandas is imported when a table is read, not at import.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import numpy.typing as npt

from smartspec.errors import InputError

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

FloatArray = npt.NDArray[np.float64]
Missing = Literal["error", "zero", "drop"]

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
