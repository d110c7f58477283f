"""The DataFrame layer: long tables in, long tables out, with diagnostics.

:func:`compute_metrics` factorises the region, activity and period labels once
(``pandas.factorize``, or cheaper exact fast paths for the usual layouts of long
tables, see :func:`_factorize`), scatters the values into a dense period × region ×
activity array, runs :func:`smartspec.metrics.engine.matrix_metrics` on each period and writes
the results straight into preallocated output columns — no string joins, no
``pivot_table``. pandas is imported when a function is called, not when the module is
imported.

The result is a :class:`pandas.DataFrame` whose ``attrs["diagnostics"]`` holds a
:class:`Diagnostics` (see :func:`diagnostics`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import numpy.typing as npt

from smartspec.errors import InputError
from smartspec.metrics.conventions import Convention, get_convention
from smartspec.metrics.engine import Kind, Method, Presence, matrix_metrics

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

FloatArray = npt.NDArray[np.float64]
Missing = Literal["raise", "zero", "drop"]

__all__ = [
    "Diagnostics",
    "Dropped",
    "PeriodDiagnostics",
    "Provenance",
    "compute_metrics",
    "compute_proximity",
    "diagnostics",
    "region_indices",
]

_MAX_LISTED = 10


@dataclass(frozen=True)
class Dropped:
    """A region or activity left out of (some) metrics in one period, and why."""

    kind: str  # "region" or "activity"
    code: Any
    period: Any
    reason: str


@dataclass(frozen=True)
class PeriodDiagnostics:
    """What happened in one period.

    ``sign`` is the factor applied to the eigenvector and ``sign_source`` which rule
    fixed it (``"diversity"``: correlation with diversity; ``"ubiquity"``/``"default"``:
    fallbacks of the ``diversity_safe`` rule; ``"undefined"``: NaN results).
    ``eigenvalues`` are the top eigenvalues of the region (activity) transition matrix,
    ``eigen_gap`` is :math:`(\\lambda_2-\\lambda_3)/\\lambda_2`. ``stability`` maps each
    alternative presence threshold to the Spearman correlations (ECI, PCI) with the
    ranking at the chosen threshold; it is computed the first time it is read (it
    needs two more eigensolves per period, which :func:`compute_metrics` does not
    pay for unless asked). ``degenerate`` is True when the second
    eigenvalue equals the first (to 1e-9): the region–activity network is disconnected,
    the eigenvector is not unique and ECI/PCI separate the components rather than rank
    complexity (py-ecomplexity then returns an arbitrary vector of the eigenspace).
    """

    period: Any
    n_regions: int
    n_activities: int
    sign: float
    sign_source: str
    sign_correlation: float
    eigenvalues: tuple[float, ...]
    eigen_gap: float
    dropped: tuple[Dropped, ...]
    fitness_converged: bool | None = None
    degenerate: bool = False
    rank_stability: _LazyStability | dict[float, tuple[float, float]] = field(
        default_factory=dict, repr=False, compare=False
    )

    @property
    def stability(self) -> dict[float, tuple[float, float]]:
        """Spearman (ECI, PCI) correlation with the ranking at each other threshold."""
        if isinstance(self.rank_stability, dict):
            return self.rank_stability
        return self.rank_stability.get(self.period)

    def __deepcopy__(self, memo: dict[int, Any]) -> PeriodDiagnostics:
        return self  # immutable; pandas deep-copies attrs on every operation


class _LazyStability:
    """The rank-stability diagnostic of every period, computed on first use.

    Holds the value panel, the per-period presence inputs and complexity results;
    ``get(period)`` computes (once) the Spearman correlations at the other thresholds
    with :func:`smartspec.metrics.engine.rank_stability`. Deep copies return the same
    object (pandas deep-copies ``attrs`` on every operation).
    """

    def __init__(
        self,
        panel: _Panel,
        conv: Convention,
        presence: str,
        thresholds: Sequence[float],
    ) -> None:
        self._panel = panel
        self._conv = conv
        self._presence = presence
        self._thresholds = tuple(float(t) for t in thresholds)
        self._inputs: dict[Any, tuple[int, Any, Any]] = {}
        self._done: dict[Any, dict[float, tuple[float, float]]] = {}

    def add(self, period: Any, t: int, population: Any, reference: Any) -> None:
        self._inputs[period] = (t, population, reference)

    def get(self, period: Any) -> dict[float, tuple[float, float]]:
        if period in self._done:
            return self._done[period]
        from smartspec.metrics.engine import rank_stability
        from smartspec.metrics.specialisation import rca, rpop

        out: dict[float, tuple[float, float]] = {}
        if self._thresholds and period in self._inputs:
            t, pop, ref = self._inputs[period]
            panel = self._panel
            rows = np.flatnonzero(panel.region_present[t])
            cidx = np.flatnonzero(panel.activity_present[t])
            Xt = panel.X[t][np.ix_(rows, cidx)]
            if self._presence == "rpop":
                live = Xt.sum(axis=1) > 0
                basis = np.full(Xt.shape, np.nan)
                basis[live] = rpop(Xt[live], pop[live])
            else:
                basis = rca(Xt)
            out = rank_stability(basis, ref, self._conv, self._thresholds)
        self._done[period] = out
        return out

    def __deepcopy__(self, memo: dict[int, Any]) -> _LazyStability:
        return self


@dataclass(frozen=True)
class Provenance:
    """Where a result came from: version, convention, parameters and an input hash."""

    smartspec_version: str
    convention: dict[str, Any]
    parameters: dict[str, Any]
    input_hash: str


@dataclass(frozen=True)
class Diagnostics:
    """Diagnostics returned with every :func:`compute_metrics` result."""

    convention: Convention
    method: str
    periods: tuple[PeriodDiagnostics, ...]
    provenance: Provenance
    missing_cells: int = 0
    missing_policy: str = "raise"
    notes: tuple[str, ...] = field(default=())

    def __deepcopy__(self, memo: dict[int, Any]) -> Diagnostics:
        return self  # immutable; pandas deep-copies attrs on every DataFrame operation

    @property
    def dropped(self) -> tuple[Dropped, ...]:
        """Everything dropped, over all periods."""
        return tuple(d for p in self.periods for d in p.dropped)

    def summary(self) -> str:
        """A few human-readable lines."""
        lines = [
            f"convention {self.convention.name}, method {self.method}, "
            f"{len(self.periods)} period(s), input {self.provenance.input_hash[:12]}"
        ]
        for p in self.periods:
            stab = ", ".join(
                f"t={t:g}: ρ(ECI)={a:.3f} ρ(PCI)={b:.3f}" for t, (a, b) in p.stability.items()
            )
            lines.append(
                f"  {p.period}: {p.n_regions}×{p.n_activities}, sign {p.sign:+g} "
                f"({p.sign_source}), eigen-gap {p.eigen_gap:.3g}, dropped {len(p.dropped)}"
                + (f"; {stab}" if stab else "")
            )
        if self.missing_cells:
            lines.append(
                f"  {self.missing_cells} missing cell(s) handled as {self.missing_policy!r}"
            )
        lines.extend(f"  note: {n}" for n in self.notes)
        return "\n".join(lines)


def diagnostics(result: pd.DataFrame) -> Diagnostics:
    """The :class:`Diagnostics` of a :func:`compute_metrics` result.

    Raises :class:`~smartspec.errors.InputError` if the frame carries none (e.g. after
    an operation that dropped ``attrs``).
    """
    diag = result.attrs.get("diagnostics")
    if not isinstance(diag, Diagnostics):
        raise InputError(
            "this DataFrame carries no smartspec diagnostics",
            hint="use the DataFrame returned by compute_metrics (attrs['diagnostics'])",
        )
    return diag


# --------------------------------------------------------------------------------------
# input handling


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


def _input_hash(panel: _Panel) -> str:
    h = hashlib.sha256()
    for labels in (panel.regions, panel.activities, panel.periods):
        if labels is None:
            h.update(b"\x00none")
        else:
            h.update("\x1f".join(map(str, labels)).encode("utf-8"))
        h.update(b"\x1e")
    h.update(np.ascontiguousarray(panel.X).data)
    h.update(np.packbits(panel.region_present).tobytes())
    h.update(np.packbits(panel.activity_present).tobytes())
    return h.hexdigest()


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


def _code_dtype(n: int) -> type[np.signedinteger[Any]]:
    """The smallest signed integer type that holds codes 0..n-1 (for Categorical)."""
    if n <= np.iinfo(np.int8).max:
        return np.int8
    if n <= np.iinfo(np.int16).max:
        return np.int16
    return np.int32


# --------------------------------------------------------------------------------------


def compute_metrics(
    data: Any,
    convention: str | Convention | None = None,
    *,
    method: Method = "eigenvector",
    threshold: float | None = None,
    presence: Presence = "rca",
    population: Any = None,
    proximity: Kind = "min",
    proximity_matrix: Any = None,
    missing: Missing = "raise",
    steps: int | None = None,
    iterations: int | None = None,
    stability_thresholds: Sequence[float] | None = None,
    columns: Mapping[str, str] | None = None,
    progress: Any = None,
) -> pd.DataFrame:
    """Specialisation, complexity and relatedness metrics of a long activity table.

    Parameters
    ----------
    data : pandas.DataFrame or object with a ``.frame`` DataFrame
        Columns ``region``, ``activity``, ``value`` and optionally ``period`` (rename
        with ``columns``). One row per (region, activity, period); absent rows count as
        0. Values must be non-negative. Any usual dtype will do (text as ``object``,
        ``str``, pandas or Arrow strings including ``string_view``, categoricals or Arrow
        dictionaries; NumPy, nullable or Arrow numbers): the output is the same, with
        labels in the dtype pandas infers for text and whole-number periods as int64
        (see :mod:`smartspec.table.dtypes`).
    convention : str or Convention, optional
        ``None`` (smartspec's default), ``"growthlab"`` (py-ecomplexity 0.5.3),
        ``"economiccomplexity"`` (R economiccomplexity 2.0.0), ``"econgeo"`` (R EconGeo
        2.1) or a :class:`~smartspec.metrics.conventions.Convention`.
    method : {"eigenvector", "reflections", "fitness"}
        ECI/PCI by the eigenvector (Hidalgo & Hausmann 2009), the method of reflections
        (``steps`` steps) or fitness–complexity (Tacchella et al. 2012; the output then
        has ``fitness`` and ``product_complexity`` instead of ``eci`` and ``pci``).
    threshold : float, optional
        Presence threshold on RCA (RPOP); default the convention's (1).
    presence : {"rca", "rpop"}
        Presence test; ``"rpop"`` needs ``population``.
    population : DataFrame, Series or mapping, optional
        Region population: a DataFrame with ``region``, ``population`` (and optionally
        ``period``), or a Series / mapping region → population.
    proximity : {"min", "asymmetric", "continuous"}
        Proximity form (Hidalgo et al. 2007 minimum conditional probability; the
        asymmetric conditional probability; the correlation of RCA).
    proximity_matrix : DataFrame or array, optional
        A proximity computed elsewhere (e.g. by :func:`compute_proximity` on other
        regions): long (``activity_1, activity_2, proximity``) or square. Used for
        density, COI and COG instead of the data's own.
    missing : {"raise", "zero", "drop"}
        NaN values: an :class:`~smartspec.errors.InputError` listing them (default),
        0 (py-ecomplexity's behaviour), or dropped rows (absent).
    steps, iterations : int, optional
        For ``method="reflections"`` / ``"fitness"`` (default: the convention's
        ``reflection_steps`` / ``fitness_iterations``).
    stability_thresholds : sequence of float, optional
        Thresholds for the rank-stability diagnostic (default 0.8× and 1.25× the
        threshold; ``()`` skips it).
    columns : mapping, optional
        Your column names, e.g. ``{"region": "geo", "activity": "nace", "period":
        "year", "value": "emp"}``.
    progress : callable, optional
        Called as ``progress(done, total)`` after each period (e.g. a progress bar).

    Returns
    -------
    pandas.DataFrame
        One row per region × activity of each period (every region and activity that
        has a row in that period), sorted by period, region, activity, with columns
        ``region, activity, [period], value, rca, [rpop], mcp, diversity, ubiquity,
        eci, pci, density, coi, cog`` (``fitness, product_complexity`` for
        ``method="fitness"``); output columns keep your column names. ``attrs
        ["diagnostics"]`` holds a :class:`Diagnostics`.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({
    ...     "region": ["a", "a", "b", "b", "c"],
    ...     "activity": ["x", "y", "x", "z", "z"],
    ...     "value": [5.0, 1.0, 2.0, 2.0, 3.0]})
    >>> out = compute_metrics(df, stability_thresholds=())
    >>> out[["region", "activity", "mcp"]].head(3).values.tolist()
    [['a', 'x', 1], ['a', 'y', 1], ['a', 'z', 0]]
    >>> diagnostics(out).convention.name
    'smartspec'
    """
    import pandas as pd

    from smartspec._version import __version__

    conv = get_convention(convention)
    thr = float(conv.threshold if threshold is None else threshold)
    cols = {"region": "region", "activity": "activity", "period": "period", "value": "value"}
    if columns:
        unknown = set(columns) - set(cols)
        if unknown:
            raise InputError(f"columns: unknown key(s) {sorted(unknown)}; use {sorted(cols)}")
        cols.update(columns)
    frame = _frame_of(data)
    source = type(data).__name__ if not isinstance(data, pd.DataFrame) else "DataFrame"
    panel = _factorise(frame, cols, missing, source)
    if presence == "rpop" and population is None:
        raise InputError("presence='rpop' needs population=")

    n_t, n_r, n_a = panel.X.shape
    nr_t = panel.region_present.sum(axis=1)
    na_t = panel.activity_present.sum(axis=1)
    sizes = nr_t * na_t
    n_out = int(sizes.sum())
    offsets = np.concatenate([[0], np.cumsum(sizes)])

    mat_names = ["value", "rca", "density", "cog"] + (["rpop"] if presence == "rpop" else [])
    vec_r = ["eci", "coi"]
    vec_a = ["pci"]
    out: dict[str, FloatArray] = {k: np.empty(n_out) for k in [*mat_names, *vec_r, *vec_a]}
    mcp_out = np.empty(n_out, dtype=np.int8)
    div_out = np.empty(n_out, dtype=np.int32)
    ubi_out = np.empty(n_out, dtype=np.int32)
    rcode = np.empty(n_out, dtype=_code_dtype(n_r))
    acode = np.empty(n_out, dtype=_code_dtype(n_a))
    # numeric periods are written as values (below), other labels as codes
    numeric_periods = panel.periods is not None and panel.periods.dtype.kind in "iuf"
    pcode = None if numeric_periods else np.empty(n_out, dtype=_code_dtype(n_t))

    from smartspec.metrics.engine import default_stability_thresholds

    alts = (
        default_stability_thresholds(thr) if stability_thresholds is None else stability_thresholds
    )
    lazy = _LazyStability(panel, conv, presence, alts)
    period_diags: list[PeriodDiagnostics] = []
    for t in range(n_t):
        rows = np.flatnonzero(panel.region_present[t])
        cidx = np.flatnonzero(panel.activity_present[t])
        full = rows.size == n_r and cidx.size == n_a
        Xt = panel.X[t] if full else panel.X[t][np.ix_(rows, cidx)]
        pop = None
        if presence == "rpop":
            pop = _population_vector(population, panel, t, rows, cols)
        prox = None
        if proximity_matrix is not None:
            prox = _proximity_array(proximity_matrix, panel, cidx)
        m = matrix_metrics(
            Xt,
            conv,
            threshold=thr,
            presence=presence,
            population=pop,
            proximity_kind=proximity,
            proximity_matrix=prox,
            method=method,
            steps=steps,
            iterations=iterations,
            stability_thresholds=(),
        )
        sl = slice(int(offsets[t]), int(offsets[t + 1]))
        k_r, k_a = rows.size, cidx.size
        out["value"][sl] = Xt.ravel()
        out["rca"][sl] = m.rca.ravel()
        # M is 0/1: a comparison written as bool into the int8 column (no float cast)
        np.not_equal(m.mcp.ravel(), 0.0, out=mcp_out[sl].view(np.bool_))
        out["density"][sl] = m.density.ravel()
        out["cog"][sl] = m.cog.ravel()
        if m.rpop is not None:
            out["rpop"][sl] = m.rpop.ravel()
        # broadcast per-region / per-activity vectors, cast first (a casting broadcast
        # is several times slower than a plain one)
        for arr, vec in (
            (div_out, m.diversity),
            (out["eci"], m.eci),
            (out["coi"], m.coi),
            (rcode, rows),
        ):
            arr[sl].reshape(k_r, k_a)[:] = vec.astype(arr.dtype, copy=False)[:, None]
        for arr, vec in ((ubi_out, m.ubiquity), (out["pci"], m.pci), (acode, cidx)):
            arr[sl].reshape(k_r, k_a)[:] = vec.astype(arr.dtype, copy=False)[None, :]
        if pcode is not None:
            pcode[sl] = t

        plabel = None if panel.periods is None else panel.periods[t]
        dropped = tuple(
            Dropped("region", panel.regions[rows[i]], plabel, why) for i, why in m.dropped_regions
        ) + tuple(
            Dropped("activity", panel.activities[cidx[j]], plabel, why)
            for j, why in m.dropped_activities
        )
        c = m.complexity
        lazy.add(plabel, t, pop, c)
        period_diags.append(
            PeriodDiagnostics(
                period=plabel,
                n_regions=int(k_r),
                n_activities=int(k_a),
                sign=c.sign,
                sign_source=c.sign_source,
                sign_correlation=c.sign_correlation,
                eigenvalues=c.eigenvalues,
                eigen_gap=c.eigen_gap,
                dropped=dropped,
                fitness_converged=None if m.fitness is None else m.fitness.converged,
                degenerate=len(c.eigenvalues) >= 2 and c.eigenvalues[1] >= 1.0 - 1e-9,
                rank_stability=lazy,
            )
        )
        if progress is not None:
            progress(t + 1, n_t)

    names = {k: cols.get(k, k) for k in ("region", "activity", "period", "value")}
    data_out: dict[str, Any] = {
        # the codes are in range by construction: skip pandas' validation pass
        names["region"]: pd.Categorical.from_codes(rcode, categories=panel.regions, validate=False),
        names["activity"]: pd.Categorical.from_codes(
            acode, categories=panel.activities, validate=False
        ),
    }
    if panel.periods is not None:
        if pcode is None:
            pvals = panel.periods.to_numpy()
            pout = np.empty(n_out, dtype=pvals.dtype)
            for t in range(n_t):
                pout[int(offsets[t]) : int(offsets[t + 1])] = pvals[t]
            data_out[names["period"]] = pout
        else:
            data_out[names["period"]] = panel.periods.take(pcode).array
    data_out[names["value"]] = out["value"]
    data_out["rca"] = out["rca"]
    if presence == "rpop":
        data_out["rpop"] = out["rpop"]
    data_out["mcp"] = mcp_out
    data_out["diversity"] = div_out
    data_out["ubiquity"] = ubi_out
    if method == "fitness":
        data_out["fitness"] = out["eci"]
        data_out["product_complexity"] = out["pci"]
    else:
        data_out["eci"] = out["eci"]
        data_out["pci"] = out["pci"]
    data_out["density"] = out["density"]
    data_out["coi"] = out["coi"]
    data_out["cog"] = out["cog"]
    result = pd.DataFrame(data_out, copy=False)

    params: dict[str, Any] = {
        "method": method,
        "threshold": thr,
        "presence": presence,
        "proximity": proximity,
        "proximity_matrix": proximity_matrix is not None,
        "population": population is not None,
        "missing": missing,
        "steps": steps,
        "iterations": iterations,
        "stability_thresholds": None
        if stability_thresholds is None
        else [float(x) for x in stability_thresholds],
        "columns": dict(cols),
    }
    notes: list[str] = []
    if conv.sign_rule == "diversity" and any(p.sign_source == "undefined" for p in period_diags):
        notes.append("the sign rule was undefined in some period: ECI/PCI are NaN there")
    degenerate = [str(p.period) for p in period_diags if p.degenerate]
    if degenerate:
        notes.append(
            "the region–activity network is disconnected (second eigenvalue = 1) in period(s) "
            + ", ".join(degenerate)
            + ": ECI/PCI are not unique there"
        )
    diag = Diagnostics(
        convention=conv,
        method=method,
        periods=tuple(period_diags),
        provenance=Provenance(
            smartspec_version=__version__,
            convention=conv.as_dict(),
            parameters=params,
            input_hash=_input_hash(panel),
        ),
        missing_cells=panel.missing_cells,
        missing_policy=missing,
        notes=tuple(notes),
    )
    result.attrs["diagnostics"] = diag
    return result


def compute_proximity(
    data: Any,
    convention: str | Convention | None = None,
    *,
    threshold: float | None = None,
    proximity: Kind = "min",
    presence: Presence = "rca",
    population: Any = None,
    missing: Missing = "raise",
    columns: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Proximity between activities of each period, as a long table.

    Returns columns ``[period], activity_1, activity_2, proximity`` (every ordered pair,
    including the diagonal) — the input of ``compute_metrics(...,
    proximity_matrix=...)``, so that proximity from one set of regions can be applied
    to another. Formulas: :func:`smartspec.metrics.relatedness.proximity`.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"region": ["a", "a", "b"], "activity": ["x", "y", "y"],
    ...                    "value": [1.0, 1.0, 3.0]})
    >>> compute_proximity(df)["proximity"].tolist()
    [1.0, 0.0, 0.0, 1.0]
    """
    import pandas as pd

    conv = get_convention(convention)
    thr = float(conv.threshold if threshold is None else threshold)
    cols = {"region": "region", "activity": "activity", "period": "period", "value": "value"}
    if columns:
        cols.update(columns)
    frame = _frame_of(data)
    panel = _factorise(frame, cols, missing, "DataFrame")
    parts = []
    for t in range(panel.X.shape[0]):
        rows = np.flatnonzero(panel.region_present[t])
        cidx = np.flatnonzero(panel.activity_present[t])
        Xt = panel.X[t][np.ix_(rows, cidx)]
        pop = _population_vector(population, panel, t, rows, cols) if presence == "rpop" else None
        m = matrix_metrics(
            Xt,
            conv,
            threshold=thr,
            presence=presence,
            population=pop,
            proximity_kind=proximity,
            stability_thresholds=(),
        )
        k = cidx.size
        part: dict[str, Any] = {}
        if panel.periods is not None:
            part[cols["period"]] = panel.periods.take(np.full(k * k, t)).array
        part["activity_1"] = panel.activities.take(np.repeat(cidx, k)).array
        part["activity_2"] = panel.activities.take(np.tile(cidx, k)).array
        part["proximity"] = m.proximity.ravel()
        parts.append(pd.DataFrame(part))
    return pd.concat(parts, ignore_index=True)


def region_indices(
    result: pd.DataFrame,
    groups: Mapping[Any, Any] | None = None,
) -> pd.DataFrame:
    r"""One row per region (and period) of a :func:`compute_metrics` result.

    Columns: ``region, [period], diversity, eci`` (``fitness`` for
    ``method="fitness"``), ``coi`` from the result, and the specialisation indices of
    the region's values — :func:`~smartspec.metrics.specialisation.hachman`,
    :func:`~smartspec.metrics.specialisation.krugman`,
    :func:`~smartspec.metrics.specialisation.herfindahl` and
    :func:`~smartspec.metrics.specialisation.shannon_entropy` (bits); with ``groups``
    (activity → coarser group, e.g. NACE division → section) also
    :func:`~smartspec.metrics.variety.related_variety` and
    :func:`~smartspec.metrics.variety.unrelated_variety` (Frenken et al. 2007).

    Hachman, F. (1994); Krugman, P. (1991). *Geography and Trade*; Herfindahl, O. C.
    (1950); Shannon, C. E. (1948); Frenken, K., Van Oort, F., & Verburg, T. (2007).
    Related variety, unrelated variety and regional economic growth. *Regional
    Studies*, 41(5), 685–697.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"region": ["a", "a", "b", "b"], "activity": ["x", "y"] * 2,
    ...                    "value": [3.0, 1.0, 1.0, 3.0]})
    >>> out = region_indices(compute_metrics(df, stability_thresholds=()))
    >>> out[["region", "krugman", "herfindahl"]].values.tolist()
    [['a', 0.5, 0.625], ['b', 0.5, 0.625]]
    """
    import pandas as pd

    from smartspec.metrics.specialisation import hachman, herfindahl, krugman, shannon_entropy
    from smartspec.metrics.variety import related_variety, unrelated_variety

    diag = diagnostics(result)
    cols = diag.provenance.parameters.get("columns", {})
    rname = cols.get("region", "region")
    aname = cols.get("activity", "activity")
    pname = cols.get("period", "period")
    vname = cols.get("value", "value")
    cx = "fitness" if "fitness" in result.columns else "eci"
    has_period = pname in result.columns
    values = result[vname].to_numpy(dtype=np.float64)
    parts: list[pd.DataFrame] = []
    start = 0
    for p in diag.periods:
        k_r, k_a = p.n_regions, p.n_activities
        stop = start + k_r * k_a
        block = result.iloc[start:stop:k_a]  # first row of each region
        X = values[start:stop].reshape(k_r, k_a)
        part: dict[str, Any] = {rname: block[rname].to_numpy()}
        if has_period:
            part[pname] = block[pname].to_numpy()
        part["diversity"] = block["diversity"].to_numpy()
        part[cx] = block[cx].to_numpy()
        part["coi"] = block["coi"].to_numpy()
        with np.errstate(divide="ignore", invalid="ignore"):
            part["hachman"] = hachman(X)
            part["krugman"] = krugman(X)
            part["herfindahl"] = herfindahl(X)
            part["entropy"] = shannon_entropy(X)
            if groups is not None:
                acts = result[aname].iloc[start : start + k_a].to_numpy()
                labels = np.array([str(groups.get(a, a)) for a in acts], dtype=object)
                part["related_variety"] = related_variety(X, labels)
                part["unrelated_variety"] = unrelated_variety(X, labels)
        parts.append(pd.DataFrame(part))
        start = stop
    out = pd.concat(parts, ignore_index=True)
    if isinstance(result[rname].dtype, pd.CategoricalDtype):
        out[rname] = pd.Categorical(out[rname], categories=result[rname].cat.categories)
    return out
