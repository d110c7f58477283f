"""Region × activity matrices of an :class:`~smartspec.table.ActivityTable`.

:class:`LabelledMatrix` is a dense ``numpy`` array or a ``scipy.sparse`` CSR matrix with
its region and activity labels. :func:`period_matrix` and :func:`period_matrices` build
them for :meth:`ActivityTable.to_matrix <smartspec.table.ActivityTable.to_matrix>` and
:meth:`ActivityTable.matrices <smartspec.table.ActivityTable.matrices>`: rows and columns
are all regions and activities of the table (sorted), so the matrices of different
periods line up; cells without a row are 0; missing (NaN) values raise, count as 0 or
drop their regions (:data:`MissingPolicy`).

Core module: no I/O, no web, database or plotting imports.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, cast

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from smartspec.errors import InputError
from smartspec.table.validate import _MAX_LISTED

if TYPE_CHECKING:  # pragma: no cover
    from smartspec.table.activity_table import ActivityTable

__all__ = ["LabelledMatrix", "MissingPolicy", "period_matrices", "period_matrix"]

MissingPolicy = Literal["error", "zero", "drop"]


@dataclass(frozen=True)
class LabelledMatrix:
    """A region × activity matrix with its labels.

    ``values`` is a dense ``numpy`` array or a ``scipy.sparse`` CSR matrix; rows follow
    ``regions`` and columns ``activities``. ``dropped_regions`` lists regions left out
    because of missing values (``missing="drop"``).
    """

    values: Any
    regions: tuple[str, ...]
    activities: tuple[str, ...]
    period: int | None = None
    dropped_regions: tuple[str, ...] = ()

    @property
    def shape(self) -> tuple[int, int]:
        """(number of regions, number of activities)."""
        return (len(self.regions), len(self.activities))

    def to_frame(self) -> pd.DataFrame:
        """The matrix as a wide DataFrame (regions as index, activities as columns).

        Examples
        --------
        >>> import numpy as np
        >>> wide = LabelledMatrix(np.eye(2), ("SE11", "SE12"), ("C", "J")).to_frame()
        >>> wide.loc["SE11", "C"], wide.shape
        (np.float64(1.0), (2, 2))
        """
        values = self.values.toarray() if hasattr(self.values, "toarray") else self.values
        return pd.DataFrame(
            np.asarray(values, dtype=np.float64),
            index=pd.Index(self.regions, name="region"),
            columns=pd.Index(self.activities, name="activity"),
        )


def period_matrix(
    table: ActivityTable,
    period: int | None,
    *,
    sparse: bool,
    missing: MissingPolicy,
) -> LabelledMatrix:
    """The matrix of one period (see :meth:`ActivityTable.to_matrix`)."""
    _require_activity(table)
    _check_missing_policy(missing)
    mask: NDArray[np.bool_] | None
    if table.has_period:
        periods = table.periods
        if period is None:
            if len(periods) != 1:
                raise InputError(
                    f"the table has {len(periods)} periods ({_span(periods)}); say which one",
                    hint="pass period=..., or use matrices() for all periods",
                )
            period = periods[0]
        elif period not in periods:
            raise InputError(
                f"period {period!r} is not in the table",
                hint=f"the table has {_span(periods)}",
            )
        mask = table.frame["period"].to_numpy() == period
    else:
        if period is not None:
            raise InputError(
                f"the table has no periods, so period={period!r} cannot be selected",
                hint="leave period out",
            )
        mask = None
    drop = _regions_with_missing(table, [mask]) if missing == "drop" else None
    return _matrix(table, mask, period, sparse=sparse, missing=missing, drop=drop)


def period_matrices(
    table: ActivityTable, *, sparse: bool, missing: MissingPolicy
) -> dict[int | None, LabelledMatrix]:
    """One matrix per period, all with the same labels (see :meth:`ActivityTable.matrices`)."""
    _require_activity(table)
    _check_missing_policy(missing)
    if not table.has_period:
        drop = _regions_with_missing(table, [None]) if missing == "drop" else None
        return {None: _matrix(table, None, None, sparse=sparse, missing=missing, drop=drop)}
    period_values = table.frame["period"].to_numpy()
    masks = {p: period_values == p for p in table.periods}
    drop = _regions_with_missing(table, list(masks.values())) if missing == "drop" else None
    out: dict[int | None, LabelledMatrix] = {}
    for p, mask in masks.items():
        out[p] = _matrix(table, mask, p, sparse=sparse, missing=missing, drop=drop)
    return out


# --------------------------------------------------------------------------- internals
def _require_activity(table: ActivityTable) -> None:
    if not table.has_activity:
        raise InputError(
            "the table has no activity column, so it has no region × activity matrix",
            hint="region-level indicators are used as they are: see table.frame",
        )


def _codes(table: ActivityTable, column: str) -> NDArray[np.intp]:
    cat = cast(pd.Categorical, table.frame[column].array)
    return np.asarray(cat.codes, dtype=np.intp)


def _regions_with_missing(
    table: ActivityTable, masks: Sequence[NDArray[np.bool_] | None]
) -> NDArray[np.bool_]:
    values = table.frame["value"].to_numpy()
    nan = np.isnan(values)
    any_mask = np.zeros(len(values), dtype=bool)
    for mask in masks:
        any_mask |= nan if mask is None else (nan & mask)
    flagged = np.zeros(len(table.regions), dtype=bool)
    flagged[_codes(table, "region")[any_mask]] = True
    return flagged


def _matrix(
    table: ActivityTable,
    mask: NDArray[np.bool_] | None,
    period: int | None,
    *,
    sparse: bool,
    missing: MissingPolicy,
    drop: NDArray[np.bool_] | None,
) -> LabelledMatrix:
    r = _codes(table, "region")
    a = _codes(table, "activity")
    v = table.frame["value"].to_numpy(dtype=np.float64)
    if mask is not None:
        r, a, v = r[mask], a[mask], v[mask]
    nan = np.isnan(v)
    if nan.any():
        if missing == "error":
            regions, activities = table.regions, table.activities
            cells = [
                f"{regions[i]} × {activities[j]}"
                for i, j in zip(r[nan][:_MAX_LISTED], a[nan][:_MAX_LISTED], strict=True)
            ]
            n = int(nan.sum())
            when = f" in {period}" if period is not None else ""
            raise InputError(
                f"{n:,} missing value{'s' if n != 1 else ''}{when} "
                f"({', '.join(cells)}{', …' if n > _MAX_LISTED else ''})",
                source=table.meta.provenance.get("source"),
                hint="pass missing='zero' to count them as 0, or missing='drop' to "
                "leave out the regions that have them",
            )
        v = np.where(nan, 0.0, v)
    shape = (len(table.regions), len(table.activities))
    values: Any
    if sparse:
        from scipy import sparse as sp

        keep = v != 0
        r, a, v = r[keep], a[keep], v[keep]
        # keys are unique: SciPy's COO → CSR conversion (a counting pass over the rows
        # in C) places every value once; the indices come out sorted within each row
        # (sort_indices is then a no-op). Faster than ordering the keys in numpy first.
        index = np.int32 if max(shape) < np.iinfo(np.int32).max else np.int64
        values = sp.coo_matrix((v, (r.astype(index), a.astype(index))), shape=shape).tocsr()
        values.sort_indices()
    else:
        values = np.zeros(shape, dtype=np.float64)
        values[r, a] = v
    regions = table.regions
    dropped: tuple[str, ...] = ()
    if drop is not None and drop.any():
        keep_rows = np.flatnonzero(~drop)
        values = values[keep_rows]
        dropped = tuple(regions[i] for i in np.flatnonzero(drop))
        regions = tuple(regions[i] for i in keep_rows)
    return LabelledMatrix(values, regions, table.activities, period, dropped)


def _check_missing_policy(missing: str) -> None:
    if missing not in ("error", "zero", "drop"):
        raise InputError(
            f"missing={missing!r} is not a policy", hint="use 'error', 'zero' or 'drop'"
        )


def _span(periods: Sequence[int]) -> str:
    if not periods:
        return "no periods"
    if len(periods) == 1:
        return str(periods[0])
    if list(periods) == list(range(periods[0], periods[-1] + 1)):
        return f"{periods[0]}–{periods[-1]}"
    return ", ".join(str(p) for p in periods)
