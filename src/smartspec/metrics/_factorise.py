"""Reading the input of :func:`~smartspec.metrics.frame.compute_metrics` (internal).

The long table — a DataFrame, or an object with a ``.frame`` DataFrame such as an
:class:`~smartspec.table.ActivityTable` — is checked (columns, numbers, missing values,
duplicated keys) and factorised into a :class:`_Panel`: a dense period × region ×
activity array with presence masks and the label lists. The region, activity and period
labels are factorised once (``pandas.factorize``, or cheaper exact fast paths for the
usual layouts of long tables, see :func:`_factorize`). A population (for RPOP) and a
proximity computed elsewhere are aligned to the panel's labels here too. pandas is
imported when a function is called, not when the module is imported.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import numpy.typing as npt

from smartspec.errors import InputError

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

FloatArray = npt.NDArray[np.float64]
Missing = Literal["raise", "zero", "drop"]

_MAX_LISTED = 10


def _frame_of(data: Any) -> pd.DataFrame:
    import pandas as pd

    if isinstance(data, pd.DataFrame):
        return data
    inner = getattr(data, "frame", None)
    if isinstance(inner, pd.DataFrame):
        return inner
    raise InputError(
        f"expected a pandas DataFrame (or an object with a .frame DataFrame), "
        f"got {type(data).__name__}"
    )


def _describe_rows(
    frame: pd.DataFrame, positions: npt.NDArray[np.intp], cols: Sequence[str]
) -> str:
    shown = []
    for pos in positions[:_MAX_LISTED]:
        key = ", ".join(f"{c}={frame[c].iloc[int(pos)]!r}" for c in cols)
        shown.append(f"row {int(pos) + 1} ({key})")
    more = len(positions) - _MAX_LISTED
    return "; ".join(shown) + (f"; and {more} more" if more > 0 else "")


@dataclass
class _Panel:
    """Factorised panel: dense values and presence masks, with the label lists."""

    X: FloatArray  # (T, R, A)
    region_present: npt.NDArray[np.bool_]  # (T, R)
    activity_present: npt.NDArray[np.bool_]  # (T, A)
    regions: Any  # pandas Index
    activities: Any
    periods: Any | None
    missing_cells: int


@dataclass
class _Codes:
    """Factorised labels (``pandas.factorize(col, sort=True)``), possibly kept compact.

    ``codes`` is ``repeat(run_codes, run_lengths)`` for a column in runs of equal labels,
    ``tile(block, n // len(block))`` for a column that repeats with a period, else the
    full array; :meth:`materialise` builds the full array only when needed.
    """

    n: int
    uniques: Any
    full: npt.NDArray[np.intp] | None = None
    run_codes: npt.NDArray[np.intp] | None = None
    run_lengths: npt.NDArray[np.intp] | None = None
    block: npt.NDArray[np.intp] | None = None

    @property
    def first_run(self) -> int | None:
        """Length of the first run of equal labels when the column comes in runs."""
        return None if self.run_lengths is None else int(self.run_lengths[0])

    def materialise(self) -> npt.NDArray[np.intp]:
        if self.full is None:
            if self.run_codes is not None and self.run_lengths is not None:
                self.full = np.repeat(self.run_codes, self.run_lengths)
            else:
                assert self.block is not None
                self.full = np.tile(self.block, self.n // self.block.size)
        return self.full

    def runs_of(self, codes: npt.NDArray[np.intp], length: int) -> bool:
        """True if the column is the runs ``codes``, each ``length`` rows long."""
        return (
            self.run_codes is not None
            and self.run_lengths is not None
            and self.run_codes.size == codes.size
            and bool((self.run_lengths == length).all())
            and bool((self.run_codes == codes).all())
        )


def _factorise(
    frame: pd.DataFrame, cols: Mapping[str, str], missing: Missing, source: str
) -> _Panel:
    import pandas as pd

    from smartspec.table.dtypes import label_index, usable_frame

    need = ["region", "activity", "value"]
    absent = [cols[k] for k in need if cols[k] not in frame.columns]
    if absent:
        raise InputError(
            "missing column(s) " + ", ".join(repr(a) for a in absent),
            source=source,
            hint="expected columns region, activity, value and optionally period "
            f"(have {', '.join(map(str, frame.columns))})",
        )
    has_period = cols["period"] in frame.columns
    key_cols = [cols["region"], cols["activity"]] + ([cols["period"]] if has_period else [])
    # the one place the input's dtypes are made usable (Arrow string_view, dictionaries,
    # categoricals in any order, …), see smartspec.table.dtypes
    roles = {cols[k]: k for k in ("value", "period", "activity", "region")}
    frame = usable_frame(frame, roles, source=source)

    vcol = frame[cols["value"]]
    if not pd.api.types.is_numeric_dtype(vcol) or pd.api.types.is_bool_dtype(vcol):
        num = pd.to_numeric(vcol, errors="coerce")
        # NaN, not NA: pyarrow-backed text gives NaN (not null) where it is not a number
        unparsed = np.isnan(num.to_numpy(dtype=np.float64, na_value=np.nan))
        bad = np.flatnonzero(unparsed & vcol.notna().to_numpy())
        if bad.size:
            raise InputError(
                f"{bad.size} value(s) are not numbers: " + _describe_rows(frame, bad, key_cols),
                source=source,
                column=cols["value"],
                hint="values must be non-negative numbers",
            )
        vcol = num
    values = vcol.to_numpy(dtype=np.float64, na_value=np.nan)
    # fast check (two reductions, no temporaries): min >= 0 fails on NaN and negatives
    clean = values.size == 0 or (values.min() >= 0.0 and values.max() < np.inf)
    n_missing = 0
    keep: npt.NDArray[np.bool_] | None = None
    if not clean:
        nan = np.isnan(values)
        n_missing = int(nan.sum())
    if n_missing:
        if missing == "raise":
            raise InputError(
                f"{n_missing} missing value(s): "
                + _describe_rows(frame, np.flatnonzero(nan), key_cols),
                source=source,
                column=cols["value"],
                hint="fill them, or pass missing='zero' (treat as 0, as py-ecomplexity does) "
                "or missing='drop' (treat as absent)",
            )
        if missing == "zero":
            values = np.where(nan, 0.0, values)
        elif missing == "drop":
            keep = ~nan
        else:
            raise InputError(f"missing must be 'raise', 'zero' or 'drop', not {missing!r}")
    if not clean:
        bad = np.flatnonzero(np.isinf(values) | (values < 0))
        if bad.size:
            raise InputError(
                f"{bad.size} value(s) are negative or infinite: "
                + _describe_rows(frame, bad, key_cols),
                source=source,
                column=cols["value"],
                hint="values must be non-negative finite numbers (employment, exports, …)",
            )

    def codes_of(name: str, block: int | None = None) -> _Codes:
        got = _factorize(frame[cols[name]], block)
        if got.full is not None and (got.full < 0).any():
            rows = np.flatnonzero(got.full < 0)
            raise InputError(
                f"{rows.size} missing {name} label(s): " + _describe_rows(frame, rows, key_cols),
                source=source,
                column=cols[name],
            )
        return got

    rcodes = codes_of("region")
    acodes = codes_of("activity", rcodes.first_run)
    pcodes = codes_of("period") if has_period else None
    # labels in one representation, whatever the input's dtypes (str, int64, …)
    regions, activities = label_index(rcodes.uniques), label_index(acodes.uniques)
    periods = None if pcodes is None else label_index(pcodes.uniques)
    n_r, n_a = len(regions), len(activities)
    n_t = 1 if periods is None else len(periods)
    size = n_t * n_r * n_a

    # the usual layout, checked on the compact codes (no per-row work): sorted by
    # (period, region, activity), every combination present once
    if (
        keep is None
        and len(values) == size
        and acodes.block is not None
        and acodes.block.size == n_a
        and bool((acodes.block == np.arange(n_a)).all())
        and rcodes.runs_of(np.tile(np.arange(n_r), n_t), n_a)
        and (pcodes is None or pcodes.runs_of(np.arange(n_t), n_r * n_a))
    ):
        return _Panel(
            values.astype(np.float64, copy=True).reshape(n_t, n_r, n_a),
            np.ones((n_t, n_r), dtype=bool),
            np.ones((n_t, n_a), dtype=bool),
            regions,
            activities,
            periods,
            n_missing,
        )

    rc = rcodes.materialise()
    ac = acodes.materialise()
    pc = np.zeros(len(frame), dtype=np.intp) if pcodes is None else pcodes.materialise()
    if keep is not None:
        rc, ac, pc, values = rc[keep], ac[keep], pc[keep], values[keep]
    lin = pc * n_r if n_t > 1 else np.zeros_like(rc)
    lin += rc
    lin *= n_a
    lin += ac
    if lin.size and bool((lin[1:] > lin[:-1]).all()):
        # sorted by (period, region, activity) without duplicates: scatter directly
        if lin.size == size:
            flat = values.astype(np.float64, copy=True)
            rp = np.ones((n_t, n_r), dtype=bool)
            ap = np.ones((n_t, n_a), dtype=bool)
        else:
            flat = np.zeros(size)
            flat[lin] = values
            seen = np.zeros(size, dtype=bool)
            seen[lin] = True
            seen3 = seen.reshape(n_t, n_r, n_a)
            rp = np.asarray(seen3.any(axis=2), dtype=bool)
            ap = np.asarray(seen3.any(axis=1), dtype=bool)
        return _Panel(flat.reshape(n_t, n_r, n_a), rp, ap, regions, activities, periods, n_missing)
    counts = np.bincount(lin, minlength=size)
    if counts.max(initial=0) > 1:
        dup_lin = np.flatnonzero(counts > 1)
        dup_rows = np.flatnonzero(np.isin(lin, dup_lin))
        if keep is not None:
            dup_rows = np.flatnonzero(keep)[dup_rows]
        raise InputError(
            f"{dup_lin.size} duplicated (region, activity"
            + (", period" if has_period else "")
            + ") key(s): "
            + _describe_rows(frame, dup_rows, key_cols),
            source=source,
            hint="aggregate first (e.g. df.groupby([...], as_index=False)['value'].sum())",
        )
    X = np.asarray(np.bincount(lin, weights=values, minlength=size), dtype=np.float64)
    X = X.reshape(n_t, n_r, n_a)
    del lin
    present = counts.astype(bool).reshape(n_t, n_r, n_a)
    del counts
    rp = np.asarray(present.any(axis=2), dtype=bool)
    ap = np.asarray(present.any(axis=1), dtype=bool)
    return _Panel(X, rp, ap, regions, activities, periods, n_missing)


def _string_buffers(
    col: pd.Series,
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.uint8]] | None:
    """(offsets, bytes) of an Arrow-backed string column without nulls, else None.

    String ``i`` is ``bytes[offsets[i]:offsets[i + 1]]`` (no copy of the data).
    """
    to_arrow = getattr(col.array, "__arrow_array__", None)
    if to_arrow is None:
        return None
    try:
        import pyarrow as pa

        arr = to_arrow()
        if isinstance(arr, pa.ChunkedArray):
            arr = arr.chunk(0) if arr.num_chunks == 1 else arr.combine_chunks()
        if arr.null_count or not (
            pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type)
        ):
            return None
        _, obuf, dbuf = arr.buffers()
    except Exception:  # pragma: no cover - an unusual Arrow layout: take the general path
        return None
    n = len(arr)
    otype = np.int64 if pa.types.is_large_string(arr.type) else np.int32
    offsets = np.frombuffer(obuf, dtype=otype)[arr.offset : arr.offset + n + 1]
    data = np.frombuffer(dbuf, dtype=np.uint8) if dbuf is not None else np.zeros(0, np.uint8)
    return offsets.astype(np.int64, copy=False), data


def _changes(col: pd.Series) -> npt.NDArray[np.bool_]:
    """``col[1:] != col[:-1]`` as a NumPy bool array.

    For Arrow-backed strings of one length the bytes are compared directly (one
    vectorised pass, no per-string comparison).
    """
    buf = _string_buffers(col)
    n = len(col)
    if buf is not None and n > 1:
        offsets, data = buf
        width = int(offsets[1] - offsets[0])
        if width > 0 and bool((np.diff(offsets) == width).all()):
            lo, hi = int(offsets[0]), int(offsets[-1])
            differ = np.flatnonzero(data[lo + width : hi] != data[lo : hi - width])
            out = np.zeros(n - 1, dtype=bool)
            out[differ // width] = True
            return out
    arr = col.array
    return np.asarray(arr[1:] != arr[:-1], dtype=bool)


def _periodic(col: pd.Series, block: int) -> bool:
    """True if ``col[block:] == col[:-block]`` everywhere (exact)."""
    buf = _string_buffers(col)
    if buf is not None:
        # same lengths with period `block`, then the bytes repeat with the block's size
        offsets, data = buf
        span = int(offsets[block] - offsets[0])
        if not bool((offsets[block:] - offsets[:-block] == span).all()):
            return False
        lo, hi = int(offsets[0]), int(offsets[-1])
        return bool(np.array_equal(data[lo + span : hi], data[lo : hi - span]))
    arr = col.array
    return bool(np.asarray(arr[block:] == arr[:-block], dtype=bool).all())


def _factorize(col: pd.Series, block: int | None = None) -> _Codes:
    """``pandas.factorize(col, sort=True)``, faster for the usual layouts of long tables.

    Fast paths, each checked exactly (they only avoid hashing every row, the codes are
    the same):

    * labels in runs (a table sorted by region, or by period): only the first label of
      each run is factorised; the codes are kept as runs;
    * a column that repeats with period ``block`` (the activities of a rectangular
      panel sorted by region then activity): the first ``block`` labels are factorised
      and the codes kept as that block.

    Arrow-backed string columns are compared on their bytes (see :func:`_changes`).
    """
    import pandas as pd

    n = len(col)
    if n >= 10_000 and not col.hasnans:
        if int(np.count_nonzero(_changes(col.iloc[:2000]))) < 250:
            changes = _changes(col)
            starts = np.flatnonzero(np.concatenate(([True], changes)))
            if starts.size < n // 4:
                hc, uniques = pd.factorize(col.iloc[starts], sort=True)
                lengths = np.diff(np.append(starts, n))
                return _Codes(
                    n,
                    uniques,
                    run_codes=hc.astype(np.intp, copy=False),
                    run_lengths=lengths.astype(np.intp, copy=False),
                )
        if block is not None and 1 < block < n and n % block == 0 and _periodic(col, block):
            hc, uniques = pd.factorize(col.iloc[:block], sort=True)
            return _Codes(n, uniques, block=hc.astype(np.intp, copy=False))
    codes, uniques = pd.factorize(col, sort=True)
    return _Codes(n, uniques, full=codes.astype(np.intp, copy=False))


def _population_vector(
    population: Any, panel: _Panel, t: int, rows: npt.NDArray[np.intp], cols: Mapping[str, str]
) -> FloatArray:
    """Population of the period's regions, from a Mapping, Series or DataFrame."""
    import pandas as pd

    from smartspec.table.dtypes import label_index, usable_frame

    labels = panel.regions.take(rows)
    if isinstance(population, pd.DataFrame):
        pop = population
        pcol = next((c for c in ("population", "pop") if c in pop.columns), None)
        if cols["region"] not in pop.columns or pcol is None:
            raise InputError(
                "population must have columns region and population (and optionally period)"
            )
        pop = usable_frame(pop, {cols["region"]: "region", cols["period"]: "period", pcol: "value"})
        if panel.periods is not None and cols["period"] in pop.columns:
            pop = pop[pop[cols["period"]] == panel.periods[t]]
        series = pop.set_index(cols["region"])[pcol]
    elif isinstance(population, pd.Series):
        series = population
    elif isinstance(population, Mapping):
        series = pd.Series(population)
    else:
        raise InputError(
            "population must be a DataFrame, a Series or a mapping region → population"
        )
    series = series.set_axis(label_index(series.index))  # region codes as in the labels
    if series.index.has_duplicates:
        raise InputError("population has more than one value for some region (in a period)")
    vec = series.reindex(labels).to_numpy(dtype=np.float64, na_value=np.nan)
    lacking = np.flatnonzero(~np.isfinite(vec) | (vec <= 0))
    if lacking.size:
        names = ", ".join(repr(labels[i]) for i in lacking[:_MAX_LISTED])
        when = "" if panel.periods is None else f" in period {panel.periods[t]!r}"
        raise InputError(
            f"no positive population for {lacking.size} region(s){when}: {names}",
            hint="give a population for every region with data",
        )
    out: FloatArray = vec
    return out


def _proximity_array(given: Any, panel: _Panel, cols_idx: npt.NDArray[np.intp]) -> FloatArray:
    """A user-supplied proximity (long or square DataFrame) aligned to the activities."""
    import pandas as pd

    from smartspec.table.dtypes import usable_frame

    labels = panel.activities.take(cols_idx)
    if isinstance(given, pd.DataFrame) and {"activity_1", "activity_2", "proximity"} <= set(
        given.columns
    ):
        roles = {"activity_1": "activity", "activity_2": "activity", "proximity": "value"}
        given = usable_frame(given, roles)
        c1, i1 = pd.factorize(given["activity_1"])
        c2, i2 = pd.factorize(given["activity_2"])
        pos1 = pd.Index(labels).get_indexer(i1)[c1]
        pos2 = pd.Index(labels).get_indexer(i2)[c2]
        ok = (pos1 >= 0) & (pos2 >= 0)
        n = len(labels)
        out = np.full((n, n), np.nan)
        out[pos1[ok], pos2[ok]] = given["proximity"].to_numpy(dtype=np.float64)[ok]
        known = np.zeros(n, dtype=bool)
        known[pos1[ok]] = True
        # unknown pairs between known activities are unrelated (0), like py-ecomplexity
        inner = np.ix_(known, known)
        block = out[inner]
        block[np.isnan(block)] = 0.0
        out[inner] = block
        return out
    if isinstance(given, pd.DataFrame):
        return given.reindex(index=labels, columns=labels).to_numpy(dtype=np.float64)
    arr = np.asarray(given, dtype=np.float64)
    if arr.shape != (len(labels), len(labels)):
        raise InputError(
            f"proximity_matrix must be a DataFrame or a {len(labels)}×{len(labels)} array"
        )
    return arr
