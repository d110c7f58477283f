"""The tidy activity table every smartspec analysis takes.

An :class:`ActivityTable` is a long table with one row per (region, activity, period):

========== ============================================================================
column     meaning
========== ============================================================================
region     region code (NUTS by default; ISO3 country codes etc. with ``region_scheme``)
activity   activity or product code (optional: region-level indicators have none)
period     year as an integer (optional)
value      float64; a missing value is NaN, never 0
flag       the publisher's flag (optional), e.g. Eurostat's ``b``, ``u`` or ``:``
========== ============================================================================

with :class:`TableMeta` (measure, unit, additivity, classification, NUTS version and
level, provenance) and a :class:`ValidationReport` of what was dropped and why.

Build one with :meth:`ActivityTable.from_frame` (or the readers in
:mod:`smartspec.data.readers`). It refuses input it cannot use with an
:class:`~smartspec.errors.InputError` that says what, where and what would be right:

* a value that is not a number, or is negative, names its row and column; empty cells,
  ``NaN``, ``NA`` and Eurostat's ``:`` are *missing* and kept as NaN with their flag;
* duplicate (region, activity, period) keys are listed, with the other columns that
  vary within them (an unselected dimension such as Eurostat's ``age``);
* region codes are checked against the table's NUTS version (declared or detected);
  aggregates (``EU28``, country totals in a NUTS 2 table, NUTS 1 rows in a NUTS 2
  table) and Extra-Regio codes are dropped and listed in ``table.report.dropped``;
* activity codes that nest (``C`` in ``B-E``, anything in ``TOTAL``) cannot be mixed.

Core module: no I/O, no web, database or plotting imports.

>>> import pandas as pd
>>> df = pd.DataFrame({"region": ["SE11", "SE11", "SE12", "SE12"],
...                    "activity": ["C", "J", "C", "J"],
...                    "value": [10.0, 5.0, 4.0, 1.0]})
>>> t = ActivityTable.from_frame(df, measure="employment", unit="persons", additive=True,
...                              region_scheme="custom")
>>> t.regions, t.activities
(('SE11', 'SE12'), ('C', 'J'))
>>> t.to_matrix().values
array([[10.,  5.],
       [ 4.,  1.]])
"""

from __future__ import annotations

import difflib
import functools
import importlib
import math
import re
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal, cast

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from smartspec.errors import InputError
from smartspec.taxonomy import Classification, is_nace_code, overlapping_activities

__all__ = [
    "NUTS_VERSIONS",
    "ActivityTable",
    "DroppedCode",
    "LabelledMatrix",
    "MissingPolicy",
    "TableMeta",
    "UnknownRegionCodesError",
    "ValidationReport",
]

NUTS_VERSIONS: tuple[int, ...] = (2010, 2013, 2016, 2021, 2024)
"""NUTS versions a table can declare."""

MissingPolicy = Literal["error", "zero", "drop"]

_MISSING_TEXT = frozenset({"", ":", "nan", "NaN", "NAN", "NA", "<NA>"})
_NUTS_SHAPE = re.compile(r"^[A-Z]{2}[0-9A-Z]{0,3}$")
_MAX_LISTED = 5


# --------------------------------------------------------------------------- metadata
@dataclass(frozen=True)
class TableMeta:
    """What the values of an :class:`ActivityTable` are.

    Attributes
    ----------
    measure:
        What is measured, e.g. ``"employment"``.
    unit:
        Unit of the values, e.g. ``"thousand persons"`` or Eurostat's ``"THS"``.
    additive:
        ``True`` for counts and amounts that may be summed over regions or activities
        and converted between NUTS versions; ``False`` for rates, shares and per-capita
        values, which may not.
    classification, classification_version:
        The activity classification, e.g. ``"NACE"``, ``"Rev. 2"``.
    region_level:
        NUTS level of the regions (0–3), ``None`` if not a NUTS table or unknown.
    nuts_version:
        NUTS version of the region codes (2010, 2013, 2016, 2021 or 2024).
    region_scheme:
        ``"NUTS"`` (default; codes are validated) or another scheme such as ``"ISO3"``
        (codes are not checked against NUTS).
    provenance:
        Where the data comes from: source, publisher, url, retrieved, notes, …

    Examples
    --------
    >>> TableMeta("employment", "persons", True, "NACE", "Rev. 2").classification_id
    Classification(name='NACE', version='Rev. 2')
    """

    measure: str
    unit: str
    additive: bool
    classification: str | None = None
    classification_version: str | None = None
    region_level: int | None = None
    nuts_version: int | None = None
    region_scheme: str = "NUTS"
    provenance: dict[str, Any] = field(default_factory=dict)

    @property
    def classification_id(self) -> Classification | None:
        """The classification as a :class:`~smartspec.taxonomy.Classification`."""
        if self.classification is None:
            return None
        return Classification(self.classification, self.classification_version)


@dataclass(frozen=True)
class DroppedCode:
    """A code whose rows were dropped while building a table, and why."""

    code: str
    reason: str
    rows: int
    column: str = "region"

    def __str__(self) -> str:
        return f"{self.code} ({self.reason}; {self.rows} row{'s' if self.rows != 1 else ''})"


@dataclass(frozen=True)
class ValidationReport:
    """What happened to the input rows: kept, dropped (with reasons), missing values.

    Examples
    --------
    >>> r = ValidationReport(rows_read=3, rows_kept=2, missing_values=1,
    ...                      dropped=(DroppedCode("EU28", "aggregate, not a region", 1),))
    >>> print(r)
    3 rows read, 2 kept, 1 dropped; 1 missing value kept as NaN
    dropped region EU28 (aggregate, not a region; 1 row)
    """

    rows_read: int = 0
    rows_kept: int = 0
    missing_values: int = 0
    dropped: tuple[DroppedCode, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def rows_dropped(self) -> int:
        """Number of input rows that are not in the table."""
        return self.rows_read - self.rows_kept

    def dropped_codes(self, column: str = "region") -> tuple[str, ...]:
        """Codes of one column (``"region"`` or ``"activity"``) whose rows were dropped."""
        return tuple(d.code for d in self.dropped if d.column == column)

    def by_reason(self, column: str = "region") -> dict[str, tuple[str, ...]]:
        """Dropped codes of one column grouped by the reason they were dropped.

        Examples
        --------
        >>> r = ValidationReport(dropped=(DroppedCode("SE", "country total", 2),
        ...                               DroppedCode("DK", "country total", 2)))
        >>> r.by_reason()
        {'country total': ('SE', 'DK')}
        """
        out: dict[str, list[str]] = {}
        for d in self.dropped:
            if d.column == column:
                out.setdefault(d.reason, []).append(d.code)
        return {reason: tuple(codes) for reason, codes in out.items()}

    def summary(self) -> str:
        """A short version of :meth:`to_text`: one line per reason for dropping.

        Examples
        --------
        >>> r = ValidationReport(rows_read=4, rows_kept=2, dropped=(
        ...     DroppedCode("SE", "country total", 1), DroppedCode("DK", "country total", 1)))
        >>> print(r.summary())
        4 rows read, 2 kept, 2 dropped; 0 missing values kept as NaN
        dropped 2 region codes (country total): SE, DK
        """
        lines = [self.to_text().splitlines()[0]]
        for column in ("region", "activity"):
            for reason, codes in self.by_reason(column).items():
                shown = ", ".join(codes[:8]) + (
                    f", … ({len(codes) - 8} more)" if len(codes) > 8 else ""
                )
                n = len(codes)
                lines.append(
                    f"dropped {n} {column} code{'s' if n != 1 else ''} ({reason}): {shown}"
                )
        lines += [f"note: {note}" for note in self.notes]
        return "\n".join(lines)

    def to_text(self) -> str:
        """The report as plain text, one fact per line."""
        head = (
            f"{self.rows_read:,} rows read, {self.rows_kept:,} kept, {self.rows_dropped:,} dropped"
        )
        n = self.missing_values
        head += f"; {n:,} missing value{'s' if n != 1 else ''} kept as NaN"
        lines = [head]
        lines += [f"dropped {d.column} {d}" for d in self.dropped]
        lines += [f"note: {note}" for note in self.notes]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.to_text()


class UnknownRegionCodesError(InputError):
    """Region codes that are not codes of the table's NUTS version.

    ``codes`` lists them; ``suggestions`` maps each to the closest known codes.
    """

    def __init__(
        self,
        message: str,
        *,
        codes: Sequence[str],
        suggestions: Mapping[str, Sequence[str]],
        source: str | None = None,
        row: int | None = None,
        column: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.codes = list(codes)
        self.suggestions = {k: list(v) for k, v in suggestions.items()}
        super().__init__(message, source=source, row=row, column=column, hint=hint)


# --------------------------------------------------------------------------- matrices
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


# --------------------------------------------------------------------------- the table
class ActivityTable:
    """A validated tidy table of values by region, activity and period, with metadata.

    Do not call the constructor directly; use :meth:`from_frame` or a reader.
    """

    __slots__ = ("_frame", "_meta", "_report")

    def __init__(self, frame: pd.DataFrame, meta: TableMeta, report: ValidationReport) -> None:
        self._frame = frame
        self._meta = meta
        self._report = report

    # ------------------------------------------------------------------ construction
    @classmethod
    def from_frame(
        cls,
        df: pd.DataFrame,
        *,
        measure: str,
        unit: str,
        additive: bool,
        region: str = "region",
        activity: str | None = "activity",
        period: str | None = "period",
        value: str = "value",
        flag: str | None = None,
        classification: str | None = None,
        classification_version: str | None = None,
        nuts_version: int | str | None = None,
        region_level: int | None = None,
        region_scheme: str = "NUTS",
        provenance: Mapping[str, Any] | None = None,
        source: str | None = None,
        select: Mapping[str, str | Sequence[str]] | None = None,
        unknown_regions: Literal["error", "drop"] = "error",
        allow_negative: bool = False,
        row_numbers: Sequence[int] | NDArray[np.integer[Any]] | None = None,
        notes: Iterable[str] = (),
        _trusted_unique_keys: bool = False,
    ) -> ActivityTable:
        """Validate a long DataFrame and build a table.

        Parameters
        ----------
        df:
            One row per (region, activity, period).
        measure, unit, additive:
            What the values are (see :class:`TableMeta`). ``additive`` is required:
            ``True`` for counts, ``False`` for rates and per-capita values.
        region, activity, period, value, flag:
            Column names in *df*. ``activity`` and ``period`` are optional: when left at
            their defaults and absent from *df*, the table has no such column; pass
            ``None`` to ignore a column. ``flag`` is used only when given.
        classification, classification_version:
            Activity classification, e.g. ``"NACE"``, ``"Rev. 2"``. NACE codes (and codes
            of an undeclared classification) are checked for nesting.
        nuts_version:
            NUTS version of the region codes; detected when unambiguous if not given.
        region_level:
            NUTS level of the table. If not given, the most detailed level present; rows
            of coarser levels are dropped as aggregates (listed in the report).
        region_scheme:
            ``"NUTS"`` (validated) or another scheme such as ``"ISO3"`` (not validated).
        provenance:
            Source, publisher, url, retrieved, notes… (copied into ``meta.provenance``).
        source:
            Name of the input for error messages, e.g. a file name.
        select:
            ``{column: value}`` (or a list of values): keep only these rows, then drop
            the column. Use it for extra dimensions such as ``age`` or ``sex``.
        unknown_regions:
            ``"error"`` (default) refuses codes that are not in the NUTS version;
            ``"drop"`` drops them and lists them in the report.
        allow_negative:
            Accept negative values (growth rates, balances). Off by default.
        row_numbers:
            Row number in the source of each row of *df*, for error messages (default:
            1-based position).
        notes:
            Notes for the report (readers use it, e.g. for the encoding they detected).
        _trusted_unique_keys:
            Private, for smartspec's own callers (:func:`smartspec.data.aggregate`):
            the caller guarantees that no two rows share a (region, activity, period)
            key — e.g. the rows come out of a ``GROUP BY`` on exactly these columns —
            so the duplicate check is skipped. Every other rule (codes, NUTS version
            and level, nesting, values) is still checked. Do not use it on data you
            did not group yourself: duplicates would then go undetected.

        Raises
        ------
        InputError
            With what, where (source, row, column) and what would be right.
        """
        return _build(
            df,
            measure=measure,
            unit=unit,
            additive=additive,
            columns={
                "region": region,
                "activity": activity,
                "period": period,
                "value": value,
                "flag": flag,
            },
            classification=classification,
            classification_version=classification_version,
            nuts_version=nuts_version,
            region_level=region_level,
            region_scheme=region_scheme,
            provenance=provenance,
            source=source,
            select=select,
            unknown_regions=unknown_regions,
            allow_negative=allow_negative,
            row_numbers=row_numbers,
            notes=tuple(notes),
            trusted_unique_keys=bool(_trusted_unique_keys),
        )

    # ------------------------------------------------------------------ accessors
    @property
    def frame(self) -> pd.DataFrame:
        """The validated long table (categorical region/activity, int64 period, float64
        value, string flag); columns that the table lacks are absent."""
        return self._frame

    @property
    def meta(self) -> TableMeta:
        """What the values are (:class:`TableMeta`)."""
        return self._meta

    @property
    def report(self) -> ValidationReport:
        """What was dropped and why (:class:`ValidationReport`)."""
        return self._report

    @property
    def has_activity(self) -> bool:
        """Whether the table has an activity column."""
        return "activity" in self._frame.columns

    @property
    def has_period(self) -> bool:
        """Whether the table has a period column."""
        return "period" in self._frame.columns

    @property
    def regions(self) -> tuple[str, ...]:
        """Region codes, sorted."""
        return tuple(str(c) for c in self._frame["region"].cat.categories)

    @property
    def activities(self) -> tuple[str, ...]:
        """Activity codes, sorted (empty if the table has no activity column)."""
        if not self.has_activity:
            return ()
        return tuple(str(c) for c in self._frame["activity"].cat.categories)

    @property
    def periods(self) -> tuple[int, ...]:
        """Periods (years), sorted (empty if the table has no period column)."""
        if not self.has_period:
            return ()
        return tuple(int(p) for p in np.unique(self._frame["period"].to_numpy()))

    def __len__(self) -> int:
        return len(self._frame)

    def __repr__(self) -> str:
        m = self._meta
        n_reg = len(self.regions)
        parts = [f"{len(self):,} rows", f"{n_reg} region{'s' if n_reg != 1 else ''}"]
        if self.has_activity:
            n_act = len(self.activities)
            parts.append(f"{n_act} activit{'ies' if n_act != 1 else 'y'}")
        if self.has_period:
            ps = self.periods
            parts.append(f"periods {ps[0]}–{ps[-1]}" if len(ps) > 1 else f"period {ps[0]}")
        where = m.region_scheme
        if m.nuts_version is not None:
            where += f" {m.nuts_version}"
        if m.region_level is not None:
            where += f" level {m.region_level}"
        return f"<ActivityTable {m.measure} [{m.unit}]: {', '.join(parts)}; {where}>"

    def to_pandas(self) -> pd.DataFrame:
        """A copy of the table as a plain DataFrame (string region and activity codes).

        Examples
        --------
        >>> import pandas as pd
        >>> t = ActivityTable.from_frame(
        ...     pd.DataFrame({"region": ["SE11"], "value": [1.5]}),
        ...     measure="gdp", unit="EUR_HAB", additive=False, region_scheme="custom")
        >>> t.to_pandas()
          region  value
        0   SE11    1.5
        """
        out = self._frame.copy()
        for col in ("region", "activity"):
            if col in out.columns:
                out[col] = out[col].astype(str)
        return out

    def with_meta(self, **changes: Any) -> ActivityTable:
        """A table with the same rows and some metadata fields changed.

        Examples
        --------
        >>> import pandas as pd
        >>> t = ActivityTable.from_frame(
        ...     pd.DataFrame({"region": ["X"], "value": [1.0]}),
        ...     measure="m", unit="u", additive=True, region_scheme="custom")
        >>> t.with_meta(unit="thousand persons").meta.unit
        'thousand persons'
        """
        return ActivityTable(self._frame, replace(self._meta, **changes), self._report)

    # ------------------------------------------------------------------ matrices
    def to_matrix(
        self,
        period: int | None = None,
        *,
        sparse: bool = False,
        missing: MissingPolicy = "error",
    ) -> LabelledMatrix:
        """The region × activity matrix of one period.

        Rows and columns are all regions and activities of the table (sorted), so
        matrices of different periods line up. Cells without a row are 0.

        Parameters
        ----------
        period:
            The period; may be left out when the table has one period or none.
        sparse:
            Return a ``scipy.sparse`` CSR matrix instead of a dense array.
        missing:
            What to do with missing (NaN) values: ``"error"`` (default) raises an
            :class:`~smartspec.errors.InputError` listing them; ``"zero"`` treats them as
            0; ``"drop"`` leaves out the regions that have a missing value (listed in
            ``dropped_regions``).

        Examples
        --------
        >>> import pandas as pd
        >>> df = pd.DataFrame({"region": ["A1", "A1", "B1"], "activity": ["x", "y", "x"],
        ...                    "period": [2015, 2015, 2015], "value": [1.0, float("nan"), 3.0]})
        >>> t = ActivityTable.from_frame(df, measure="m", unit="u", additive=True,
        ...                              region_scheme="custom")
        >>> t.to_matrix(missing="zero").values
        array([[1., 0.],
               [3., 0.]])
        >>> m = t.to_matrix(2015, missing="drop")
        >>> m.regions, m.dropped_regions
        (('B1',), ('A1',))
        """
        self._require_activity()
        _check_missing_policy(missing)
        if self.has_period:
            periods = self.periods
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
            mask = self._frame["period"].to_numpy() == period
        else:
            if period is not None:
                raise InputError(
                    f"the table has no periods, so period={period!r} cannot be selected",
                    hint="leave period out",
                )
            mask = None
        drop = self._regions_with_missing([mask]) if missing == "drop" else None
        return self._matrix(mask, period, sparse=sparse, missing=missing, drop=drop)

    def matrices(
        self, *, sparse: bool = False, missing: MissingPolicy = "error"
    ) -> dict[int | None, LabelledMatrix]:
        """One region × activity matrix per period, all with the same labels.

        With ``missing="drop"``, a region with a missing value in any period is left
        out of every matrix, so the labels still line up. A table without periods gives
        ``{None: matrix}``.

        Examples
        --------
        >>> import pandas as pd
        >>> df = pd.DataFrame({"region": ["A1", "B1", "A1"], "activity": ["x", "x", "y"],
        ...                    "period": [2014, 2014, 2015], "value": [1.0, 2.0, 3.0]})
        >>> ms = ActivityTable.from_frame(df, measure="m", unit="u", additive=True,
        ...                               region_scheme="custom").matrices()
        >>> sorted(ms), ms[2015].regions, ms[2015].values.tolist()
        ([2014, 2015], ('A1', 'B1'), [[0.0, 3.0], [0.0, 0.0]])
        """
        self._require_activity()
        _check_missing_policy(missing)
        if not self.has_period:
            drop = self._regions_with_missing([None]) if missing == "drop" else None
            return {None: self._matrix(None, None, sparse=sparse, missing=missing, drop=drop)}
        period_values = self._frame["period"].to_numpy()
        masks = {p: period_values == p for p in self.periods}
        drop = self._regions_with_missing(list(masks.values())) if missing == "drop" else None
        out: dict[int | None, LabelledMatrix] = {}
        for p, mask in masks.items():
            out[p] = self._matrix(mask, p, sparse=sparse, missing=missing, drop=drop)
        return out

    # ------------------------------------------------------------------ internals
    def _require_activity(self) -> None:
        if not self.has_activity:
            raise InputError(
                "the table has no activity column, so it has no region × activity matrix",
                hint="region-level indicators are used as they are: see table.frame",
            )

    def _codes(self, column: str) -> NDArray[np.intp]:
        cat = cast(pd.Categorical, self._frame[column].array)
        return np.asarray(cat.codes, dtype=np.intp)

    def _regions_with_missing(self, masks: Sequence[NDArray[np.bool_] | None]) -> NDArray[np.bool_]:
        values = self._frame["value"].to_numpy()
        nan = np.isnan(values)
        any_mask = np.zeros(len(values), dtype=bool)
        for mask in masks:
            any_mask |= nan if mask is None else (nan & mask)
        flagged = np.zeros(len(self.regions), dtype=bool)
        flagged[self._codes("region")[any_mask]] = True
        return flagged

    def _matrix(
        self,
        mask: NDArray[np.bool_] | None,
        period: int | None,
        *,
        sparse: bool,
        missing: MissingPolicy,
        drop: NDArray[np.bool_] | None,
    ) -> LabelledMatrix:
        r = self._codes("region")
        a = self._codes("activity")
        v = self._frame["value"].to_numpy(dtype=np.float64)
        if mask is not None:
            r, a, v = r[mask], a[mask], v[mask]
        nan = np.isnan(v)
        if nan.any():
            if missing == "error":
                regions, activities = self.regions, self.activities
                cells = [
                    f"{regions[i]} × {activities[j]}"
                    for i, j in zip(r[nan][:_MAX_LISTED], a[nan][:_MAX_LISTED], strict=True)
                ]
                n = int(nan.sum())
                when = f" in {period}" if period is not None else ""
                raise InputError(
                    f"{n:,} missing value{'s' if n != 1 else ''}{when} "
                    f"({', '.join(cells)}{', …' if n > _MAX_LISTED else ''})",
                    source=self._meta.provenance.get("source"),
                    hint="pass missing='zero' to count them as 0, or missing='drop' to "
                    "leave out the regions that have them",
                )
            v = np.where(nan, 0.0, v)
        shape = (len(self.regions), len(self.activities))
        values: Any
        if sparse:
            from scipy import sparse as sp

            keep = v != 0
            r, a, v = r[keep], a[keep], v[keep]
            # keys are unique, so CSR can be built directly: order by (region, activity)
            # with two stable sorts on small integers (radix sorts in numpy)
            order = np.argsort(a.astype(np.min_scalar_type(shape[1])), kind="stable")
            order = order[np.argsort(r[order].astype(np.min_scalar_type(shape[0])), kind="stable")]
            indptr = np.zeros(shape[0] + 1, dtype=np.int64)
            np.cumsum(np.bincount(r, minlength=shape[0]), out=indptr[1:])
            values = sp.csr_matrix((v[order], a[order], indptr), shape=shape)
            values.has_sorted_indices = True
        else:
            values = np.zeros(shape, dtype=np.float64)
            values[r, a] = v
        regions = self.regions
        dropped: tuple[str, ...] = ()
        if drop is not None and drop.any():
            keep_rows = np.flatnonzero(~drop)
            values = values[keep_rows]
            dropped = tuple(regions[i] for i in np.flatnonzero(drop))
            regions = tuple(regions[i] for i in keep_rows)
        return LabelledMatrix(values, regions, self.activities, period, dropped)


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


# --------------------------------------------------------------------------- building
def _build(
    df: pd.DataFrame,
    *,
    measure: str,
    unit: str,
    additive: bool,
    columns: dict[str, str | None],
    classification: str | None,
    classification_version: str | None,
    nuts_version: int | str | None,
    region_level: int | None,
    region_scheme: str,
    provenance: Mapping[str, Any] | None,
    source: str | None,
    select: Mapping[str, str | Sequence[str]] | None,
    unknown_regions: str,
    allow_negative: bool,
    row_numbers: Sequence[int] | NDArray[np.integer[Any]] | None,
    notes: tuple[str, ...],
    trusted_unique_keys: bool = False,
) -> ActivityTable:
    # ---- arguments
    if not isinstance(df, pd.DataFrame):
        raise InputError(
            f"expected a pandas DataFrame, got {type(df).__name__}",
            source=source,
            hint="read files with smartspec.read_table(path, ...)",
        )
    for name, arg in (("measure", measure), ("unit", unit)):
        if not isinstance(arg, str) or not arg.strip():
            raise InputError(
                f"{name} must be a non-empty text, not {arg!r}",
                source=source,
                hint=f"e.g. {name}='employment'" if name == "measure" else "e.g. unit='persons'",
            )
    if not isinstance(additive, bool | np.bool_):
        raise InputError(
            f"additive must be True or False, not {additive!r}",
            source=source,
            hint="True for counts that may be summed (employment, exports); "
            "False for rates and per-capita values",
        )
    if unknown_regions not in ("error", "drop"):
        raise InputError(
            f"unknown_regions={unknown_regions!r} is not a policy", hint="use 'error' or 'drop'"
        )
    scheme = str(region_scheme).strip() or "NUTS"
    is_nuts = scheme.upper() == "NUTS"
    if is_nuts:
        scheme = "NUTS"
    version = _check_version(nuts_version, source)
    if region_level is not None and (
        isinstance(region_level, bool)
        or not isinstance(region_level, int | np.integer)
        or not 0 <= int(region_level) <= 3
    ):
        raise InputError(f"region_level must be 0, 1, 2 or 3, not {region_level!r}", source=source)
    level = None if region_level is None else int(region_level)

    # ---- columns
    if df.columns.has_duplicates:
        dups = sorted({str(c) for c in df.columns[df.columns.duplicated()]})
        raise InputError(
            f"the column names {', '.join(map(repr, dups))} occur more than once",
            source=source,
            hint="give every column a distinct name",
        )
    used = _resolve_columns(df, columns, source)

    n_in = len(df)
    rows = (
        np.arange(1, n_in + 1, dtype=np.int64)
        if row_numbers is None
        else np.asarray(row_numbers, dtype=np.int64)
    )
    if len(rows) != n_in:
        raise InputError(f"row_numbers has {len(rows)} entries for {n_in} rows", source=source)

    # ---- selection of extra dimensions
    selection_notes: list[str] = []
    if select:
        before = len(df)
        df, rows = _apply_select(df, select, used, rows, source)
        if len(df) != before:
            chosen = ", ".join(
                f"{col} = {_fmt_select([v] if isinstance(v, str) else list(v))}"
                for col, v in select.items()
            )
            selection_notes.append(f"select kept {len(df):,} of {before:,} rows ({chosen})")
    extra = [c for c in df.columns if c not in used.values() and c not in (select or {})]

    # ---- values and codes
    region_col = cast(str, used["region"])
    r_codes, r_uniques = _factor_codes(df[region_col], region_col, rows, source, "region")
    a_codes: NDArray[np.intp] | None = None
    a_uniques: list[str] = []
    if "activity" in used:
        col = cast(str, used["activity"])
        a_codes, a_uniques = _factor_codes(df[col], col, rows, source, "activity")
    p_codes: NDArray[np.intp] | None = None
    p_uniques: list[int] = []
    if "period" in used:
        p_codes, p_uniques = _factor_periods(df[cast(str, used["period"])], used, rows, source)
    values = _parse_values(df[cast(str, used["value"])], used, rows, source, allow_negative)
    flags = _parse_flags(df[cast(str, used["flag"])]) if "flag" in used else None

    # ---- regions: aggregates, Extra-Regio, unknown codes, levels
    note_list = [*notes, *selection_notes]
    dropped: list[DroppedCode] = []
    keep_unique = np.ones(len(r_uniques), dtype=bool)
    reasons: dict[int, str] = {}
    if is_nuts:
        version, level, reasons = _check_regions(
            r_uniques, version, level, unknown_regions, r_codes, rows, source, region_col, note_list
        )
    counts = np.bincount(r_codes, minlength=len(r_uniques))
    for i, reason in reasons.items():
        keep_unique[i] = False
        dropped.append(DroppedCode(r_uniques[i], reason, int(counts[i]), "region"))
    keep = keep_unique[r_codes]
    if not keep.all():
        r_codes = r_codes[keep]
        rows = rows[keep]
        values = values[keep]
        if a_codes is not None:
            a_codes = a_codes[keep]
        if p_codes is not None:
            p_codes = p_codes[keep]
        if flags is not None:
            flags = flags[keep]
        df_extra = df.loc[keep, extra] if extra else None
    else:
        df_extra = df[extra] if extra else None
    if len(r_codes) == 0:
        what = "; ".join(str(d) for d in dropped[:_MAX_LISTED])
        raise InputError(
            "no rows left" + (f" after dropping {what}" if what else " (the input is empty)"),
            source=source,
            hint="check the region codes and the region_level",
        )

    # ---- activities: nesting, classification
    if a_codes is not None:
        kept_activities = [a_uniques[i] for i in np.flatnonzero(np.bincount(a_codes))]
        _check_nesting(kept_activities, classification, source, used, note_list)

    # ---- duplicates (skipped when the caller grouped by exactly these keys; codes that
    # differ only by blanks are merged above, so this is only safe for stripped codes,
    # which a GROUP BY caller's codes are)
    if not trusted_unique_keys:
        _check_duplicates(
            r_codes, a_codes, p_codes, r_uniques, a_uniques, p_uniques, rows, df_extra, source, used
        )

    # ---- frame
    data: dict[str, Any] = {"region": _categorical(r_codes, r_uniques)}
    if a_codes is not None:
        data["activity"] = _categorical(a_codes, a_uniques)
    if p_codes is not None:
        data["period"] = np.asarray(p_uniques, dtype=np.int64)[p_codes]
    data["value"] = values
    if flags is not None:
        data["flag"] = flags
    frame = pd.DataFrame(data)

    prov: dict[str, Any] = dict(provenance or {})
    if source is not None:
        prov.setdefault("source", source)
    meta = TableMeta(
        measure=measure.strip(),
        unit=unit.strip(),
        additive=bool(additive),
        classification=classification,
        classification_version=classification_version,
        region_level=level,
        nuts_version=version,
        region_scheme=scheme,
        provenance=prov,
    )
    report = ValidationReport(
        rows_read=n_in,
        rows_kept=len(frame),
        missing_values=int(np.isnan(values).sum()),
        dropped=tuple(dropped),
        notes=tuple(note_list),
    )
    return ActivityTable(frame, meta, report)


def _check_version(nuts_version: int | str | None, source: str | None) -> int | None:
    if nuts_version is None:
        return None
    try:
        version = int(str(nuts_version).strip())
    except ValueError:
        version = -1
    if version not in NUTS_VERSIONS:
        raise InputError(
            f"unknown NUTS version {nuts_version!r}",
            source=source,
            hint="use one of " + ", ".join(str(v) for v in NUTS_VERSIONS),
        )
    return version


_DEFAULTS = {"activity": "activity", "period": "period"}


def _resolve_columns(
    df: pd.DataFrame, columns: dict[str, str | None], source: str | None
) -> dict[str, Hashable]:
    present = list(df.columns)
    used: dict[str, Hashable] = {}
    for role, name in columns.items():
        if name is None:
            continue
        if name in present:
            used[role] = name
            continue
        if role in _DEFAULTS and name == _DEFAULTS[role]:
            continue  # optional column left at its default name: the table has none
        close = difflib.get_close_matches(str(name), [str(c) for c in present], n=3)
        hint = f"the columns are {_list(present)}"
        if close:
            hint += f"; did you mean {role}={close[0]!r}?"
        else:
            hint += f"; pass {role}='<column name>'"
        raise InputError(f"there is no {role} column {name!r}", source=source, hint=hint)
    seen: dict[Hashable, str] = {}
    for role, col in used.items():
        if col in seen:
            raise InputError(
                f"the column {col!r} is used both as {seen[col]} and as {role}",
                source=source,
            )
        seen[col] = role
    return used


def _apply_select(
    df: pd.DataFrame,
    select: Mapping[str, str | Sequence[str]],
    used: Mapping[str, Hashable],
    rows: NDArray[np.int64],
    source: str | None,
) -> tuple[pd.DataFrame, NDArray[np.int64]]:
    keep = np.ones(len(df), dtype=bool)
    for col, wanted in select.items():
        if col not in df.columns:
            raise InputError(
                f"select names the column {col!r}, which is not in the input",
                source=source,
                hint=f"the columns are {_list(list(df.columns))}",
            )
        wanted_list = [wanted] if isinstance(wanted, str) else list(wanted)
        wanted_set = {str(w).strip() for w in wanted_list}
        text = df[col].astype(str).str.strip()
        hit = text.isin(wanted_set).to_numpy()
        available = sorted(set(text.unique()))
        missing = sorted(wanted_set - set(available))
        if missing:
            raise InputError(
                f"select {col}={_fmt_select(wanted_list)}: {_list(missing)} not found",
                source=source,
                column=str(col),
                hint=f"the values of {col!r} are {_list(available)}",
            )
        keep &= hit
    out = df.loc[keep]
    drop_cols = [c for c in select if c not in used.values()]
    return out.drop(columns=drop_cols), rows[keep]


def _fmt_select(values: Sequence[str]) -> str:
    return repr(values[0]) if len(values) == 1 else repr(list(values))


def _list(items: Sequence[Any], limit: int = 12) -> str:
    shown = [str(i) for i in list(items)[:limit]]
    more = len(items) - len(shown)
    return ", ".join(shown) + (f" … ({more} more)" if more > 0 else "")


def _first_row(mask: NDArray[np.bool_], rows: NDArray[np.int64]) -> int:
    return int(rows[int(np.argmax(mask))])


def _factor_codes(
    series: pd.Series[Any],
    column: Hashable,
    rows: NDArray[np.int64],
    source: str | None,
    role: str,
) -> tuple[NDArray[np.intp], list[str]]:
    """Factorise a code column; strip and stringify the distinct codes only (fast)."""
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    codes = np.asarray(codes, dtype=np.intp)
    if (codes < 0).any():
        raise InputError(
            f"a {role} code is missing",
            source=source,
            row=_first_row(codes < 0, rows),
            column=str(column),
            hint=f"every row needs a {role} code",
        )
    texts = [_code_text(u) for u in uniques]
    empty = [i for i, t in enumerate(texts) if not t]
    if empty:
        raise InputError(
            f"a {role} code is empty",
            source=source,
            row=_first_row(np.isin(codes, empty), rows),
            column=str(column),
            hint=f"every row needs a {role} code",
        )
    # codes that differ only by surrounding blanks are the same code
    merged: dict[str, int] = {}
    remap = np.empty(len(texts), dtype=np.intp)
    for i, t in enumerate(texts):
        remap[i] = merged.setdefault(t, len(merged))
    if len(merged) != len(texts):
        codes = remap[codes]
    return codes, list(merged)


def _code_text(value: Any) -> str:
    if isinstance(value, float | np.floating) and math.isfinite(value) and value == int(value):
        return str(int(value))
    return str(value).strip()


def _factor_periods(
    series: pd.Series[Any],
    used: Mapping[str, Hashable],
    rows: NDArray[np.int64],
    source: str | None,
) -> tuple[NDArray[np.intp], list[int]]:
    column = str(used["period"])
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    codes = np.asarray(codes, dtype=np.intp)
    if (codes < 0).any():
        raise InputError(
            "a period is missing",
            source=source,
            row=_first_row(codes < 0, rows),
            column=column,
            hint="every row needs a period (a year such as 2015)",
        )
    years: list[int] = []
    for i, raw in enumerate(uniques):
        year = _as_year(raw)
        if year is None:
            raise InputError(
                f"period {str(raw).strip()!r} is not a year",
                source=source,
                row=_first_row(codes == i, rows),
                column=column,
                hint="use a whole year such as 2015; quarters and months are not supported",
            )
        years.append(year)
    merged: dict[int, int] = {}
    remap = np.empty(len(years), dtype=np.intp)
    for i, y in enumerate(years):
        remap[i] = merged.setdefault(y, len(merged))
    return remap[codes], list(merged)


def _as_year(raw: Any) -> int | None:
    if isinstance(raw, bool | np.bool_):
        return None
    if isinstance(raw, int | np.integer):
        year = int(raw)
    elif isinstance(raw, float | np.floating):
        if not math.isfinite(raw) or raw != int(raw):
            return None
        year = int(raw)
    else:
        text = str(raw).strip()
        if not re.fullmatch(r"-?\d{1,4}(\.0+)?", text):
            return None
        year = int(float(text))
    return year if 0 <= year <= 9999 else None


def _parse_values(
    series: pd.Series[Any],
    used: Mapping[str, Hashable],
    rows: NDArray[np.int64],
    source: str | None,
    allow_negative: bool,
) -> NDArray[np.float64]:
    column = str(used["value"])
    if pd.api.types.is_bool_dtype(series.dtype):
        raise InputError(
            "values are True/False, not numbers",
            source=source,
            column=column,
            row=rows[0] if len(rows) else None,
        )
    if pd.api.types.is_numeric_dtype(series.dtype):
        values = series.to_numpy(dtype=np.float64, na_value=np.nan)
    else:
        values = _parse_text_values(series, column, rows, source)
    finite = np.isfinite(values) | np.isnan(values)
    if not finite.all():
        raise InputError(
            f"value {values[~finite][0]!r} is not a finite number",
            source=source,
            row=_first_row(~finite, rows),
            column=column,
            hint="use a number, or leave the cell empty (or ':') if it is missing",
        )
    if not allow_negative:
        negative = values < 0
        if negative.any():
            n = int(negative.sum())
            raise InputError(
                f"value {values[negative][0]:g} is negative"
                + (f" ({n} negative values in all)" if n > 1 else ""),
                source=source,
                row=_first_row(negative, rows),
                column=column,
                hint="counts and amounts cannot be negative; pass allow_negative=True for "
                "values such as growth rates",
            )
    return values


def _parse_text_values(
    series: pd.Series[Any], column: str, rows: NDArray[np.int64], source: str | None
) -> NDArray[np.float64]:
    na = series.isna().to_numpy()
    text = series.astype(str).str.strip()
    missing = na | text.isin(_MISSING_TEXT).to_numpy()
    candidates = text.where(~missing)
    numbers = pd.to_numeric(candidates, errors="coerce").to_numpy(dtype=np.float64)
    bad = np.isnan(numbers) & ~missing
    if bad.any():
        first = str(text.to_numpy()[int(np.argmax(bad))])
        n = int(bad.sum())
        hint = "use a number such as 12.5; leave the cell empty or write ':' if it is missing"
        if re.fullmatch(r"-?\d+,\d+", first):
            hint = "this looks like a decimal comma: read the file with decimal=','"
        elif re.fullmatch(r"-?[\d.]+\s+[a-z]+", first) or re.fullmatch(r":\s*[a-z]+", first):
            hint = "this looks like a Eurostat value with a flag: use read_eurostat_tsv"
        raise InputError(
            f"value {first!r} is not a number"
            + (f" ({n:,} values in all are not numbers)" if n > 1 else ""),
            source=source,
            row=_first_row(bad, rows),
            column=column,
            hint=hint,
        )
    return numbers


def _parse_flags(series: pd.Series[Any]) -> NDArray[np.object_]:
    text = series.astype("string").str.strip()
    text = text.mask(text == "")
    return np.asarray(text.astype(object).where(text.notna(), None).to_numpy(), dtype=object)


def _categorical(codes: NDArray[np.intp], uniques: list[str]) -> pd.Categorical:
    """A categorical of the used codes, categories sorted."""
    used = np.flatnonzero(np.bincount(codes, minlength=len(uniques)))
    names = [uniques[i] for i in used]
    order = np.argsort(np.asarray(names, dtype=object), kind="stable")
    remap = np.full(len(uniques), -1, dtype=np.intp)
    remap[used[order]] = np.arange(len(used), dtype=np.intp)
    categories = pd.Index([names[i] for i in order], dtype=object)
    return pd.Categorical.from_codes(remap[codes], categories=categories)


# --------------------------------------------------------------------------- regions
def _geo() -> Any:
    return importlib.import_module("smartspec.geo")


def _nuts_level(code: str) -> int | None:
    return len(code) - 2 if _NUTS_SHAPE.match(code) else None


@functools.cache
def _known_codes(version: int, level: int) -> frozenset[str]:
    return frozenset(str(c) for c in _geo().codes(version, level))


def _versions_with_all(codes: Sequence[str]) -> tuple[int, ...]:
    """The NUTS versions in which every code exists (``geo.detect_version``)."""
    found = _geo().detect_version(list(codes))
    if found is None:
        return ()
    if isinstance(found, Iterable) and not isinstance(found, str | bytes):
        return tuple(int(v) for v in found)
    return (int(found),)


def _best_version(codes: Sequence[str]) -> int:
    """The version that knows most of the codes (the newest on a tie)."""
    best, best_n = NUTS_VERSIONS[-1], -1
    for v in NUTS_VERSIONS:
        by_level: dict[int, frozenset[str]] = {}
        n = 0
        for code in codes:
            lvl = cast(int, _nuts_level(code))
            if lvl not in by_level:
                by_level[lvl] = _known_codes(v, lvl)
            n += code in by_level[lvl]
        if n >= best_n:
            best, best_n = v, n
    return best


def _check_regions(
    uniques: list[str],
    version: int | None,
    level: int | None,
    unknown_policy: str,
    codes: NDArray[np.intp],
    rows: NDArray[np.int64],
    source: str | None,
    column: str,
    notes: list[str],
) -> tuple[int | None, int | None, dict[int, str]]:
    """Classify the distinct region codes; returns (version, level, {index: drop reason})."""
    geo = _geo()
    reasons: dict[int, str] = {}
    candidates: dict[int, int] = {}  # unique index -> NUTS level (-1: not shaped like NUTS)
    for i, code in enumerate(uniques):
        if geo.is_aggregate(code):
            reasons[i] = "aggregate of countries, not a region"
        elif geo.is_extra_regio(code):
            reasons[i] = "Extra-Regio, not a region"
        else:
            lvl = _nuts_level(code)
            candidates[i] = -1 if lvl is None else lvl
    shaped = [uniques[i] for i, lv in candidates.items() if lv >= 0]
    check_version = version
    if version is None and shaped:
        options = _versions_with_all(shaped)
        if len(options) == 1:
            version = check_version = options[0]
        elif options:
            check_version = options[-1]
            notes.append(
                "NUTS version not declared and the codes exist in several versions ("
                + ", ".join(str(v) for v in options)
                + "); pass nuts_version=... to record it"
            )
        else:
            check_version = _best_version(shaped)
            if unknown_policy == "drop":
                version = check_version
                notes.append(
                    f"NUTS version not declared; NUTS {version} knows most of the codes, "
                    "the others are dropped"
                )
    unknown: list[int] = []
    if check_version is not None:
        known_by_level: dict[int, frozenset[str]] = {}
        for i, lvl in candidates.items():
            if lvl < 0:
                unknown.append(i)
                continue
            if lvl not in known_by_level:
                known_by_level[lvl] = _known_codes(check_version, lvl)
            if uniques[i] not in known_by_level[lvl]:
                unknown.append(i)
    elif candidates:  # nothing shaped like a NUTS code at all
        unknown = list(candidates)
    if unknown:
        if unknown_policy == "drop":
            for i in unknown:
                reasons[i] = (
                    f"not a NUTS {check_version} code"
                    if check_version is not None
                    else "not a NUTS code"
                )
                del candidates[i]
        else:
            raise _unknown_regions_error(
                [uniques[i] for i in unknown],
                check_version,
                version is not None,
                codes,
                unknown,
                rows,
                source,
                column,
            )
    if candidates:
        finest = max(candidates.values())
        if level is None:
            level = finest
        elif finest > level:
            fine = sorted(uniques[i] for i, lv in candidates.items() if lv > level)
            raise InputError(
                f"the table is declared NUTS level {level}, but it has codes of level "
                f"{finest}: {_list(fine, 6)}",
                source=source,
                column=column,
                hint=f"pass region_level={finest}, or aggregate the level-{finest} rows first",
            )
        for i, lvl in candidates.items():
            if lvl < level:
                what = "country total" if lvl == 0 else f"NUTS {lvl} region"
                reasons[i] = f"aggregate: {what} in a NUTS {level} table"
    return version, level, reasons


def _unknown_regions_error(
    unknown_codes: list[str],
    version: int | None,
    declared: bool,
    codes: NDArray[np.intp],
    unknown_idx: list[int],
    rows: NDArray[np.int64],
    source: str | None,
    column: str,
) -> UnknownRegionCodesError:
    suggestions: dict[str, list[str]] = {}
    parts: list[str] = []
    for code in unknown_codes[:_MAX_LISTED]:
        lvl = _nuts_level(code.upper())
        other: list[int] = []
        close: list[str] = []
        if lvl is not None:
            for v in NUTS_VERSIONS:
                if v != version and code in _known_codes(v, lvl):
                    other.append(v)
        if version is not None:
            levels = [lvl] if lvl is not None else [0, 1, 2, 3]
            pool: set[str] = set()
            for lv in levels:
                pool |= _known_codes(version, lv)
            same_country = {c for c in pool if c[:2] == code[:2].upper()}
            if code.upper() in pool:
                close = [code.upper()]
            else:
                close = difflib.get_close_matches(
                    code.upper(), sorted(same_country or pool), n=3, cutoff=0.5
                )
        suggestions[code] = close
        text = repr(code)
        if other:
            text += f" (a NUTS {'/'.join(map(str, other))} code)"
        elif close:
            text += f" (did you mean {' or '.join(close)}?)"
        parts.append(text)
    more = len(unknown_codes) - len(parts)
    n = len(unknown_codes)
    listed = ", ".join(parts) + (f" and {more} more" if more > 0 else "")
    if version is None:
        message = f"{n} region code{'s are' if n != 1 else ' is'} not NUTS codes: {listed}"
        hint = "pass region_scheme='…' if the codes are of another scheme (e.g. 'ISO3')"
    elif declared:
        message = (
            f"{n} region code{'s are' if n != 1 else ' is'} not NUTS {version} codes: {listed}"
        )
        hint = (
            "correct the codes, declare the right nuts_version, or pass "
            "unknown_regions='drop' to drop them (they are listed in the report)"
        )
    else:
        message = (
            f"the region codes are not all of one NUTS version; NUTS {version} knows most "
            f"of them, but not {listed}"
        )
        hint = (
            "correct or convert the codes, declare nuts_version=..., or pass "
            "unknown_regions='drop' to drop the codes the version lacks (listed in the report)"
        )
    first = _first_row(np.isin(codes, unknown_idx), rows)
    return UnknownRegionCodesError(
        message,
        codes=unknown_codes,
        suggestions=suggestions,
        source=source,
        row=first,
        column=column,
        hint=hint,
    )


# --------------------------------------------------------------------------- activities
def _check_nesting(
    activities: list[str],
    classification: str | None,
    source: str | None,
    used: Mapping[str, Hashable],
    notes: list[str],
) -> None:
    nace = classification is None or classification.strip().upper().startswith("NACE")
    if not nace:
        return
    pairs = overlapping_activities(activities)
    if pairs:
        shown = [f"{a} is inside {b}" for a, b in pairs[:_MAX_LISTED]]
        n = len(pairs)
        outer = sorted({b for _, b in pairs})
        if "TOTAL" in activities:
            hint = "drop TOTAL"
            rest = [p for p in pairs if "TOTAL" not in p]
            if rest:
                hint += f", and keep one level of the others (e.g. drop {rest[0][1]})"
        else:
            hint = f"keep one level: e.g. drop {_list(outer, 6)}"
        if any(a in ("B-E", "G-I", "M_N", "O-Q", "R-U") for a in activities):
            hint += ", or keep only the A*10 groups (A, B-E, F, G-I, J, K, L, M_N, O-Q, R-U)"
        raise InputError(
            f"activity codes overlap, so values would be counted twice: {'; '.join(shown)}"
            + (f" ({n} overlapping pairs in all)" if n > _MAX_LISTED else ""),
            source=source,
            column=str(used.get("activity")),
            hint=hint,
        )
    if classification is not None:
        unknown = [a for a in activities if not is_nace_code(a)]
        if unknown:
            notes.append(
                f"activity codes that are not NACE Rev. 2 codes (kept as they are): "
                f"{_list(unknown, 8)}"
            )


# --------------------------------------------------------------------------- duplicates
def _check_duplicates(
    r_codes: NDArray[np.intp],
    a_codes: NDArray[np.intp] | None,
    p_codes: NDArray[np.intp] | None,
    r_uniques: list[str],
    a_uniques: list[str],
    p_uniques: list[int],
    rows: NDArray[np.int64],
    extra: pd.DataFrame | None,
    source: str | None,
    used: Mapping[str, Hashable],
) -> None:
    key = r_codes.astype(np.int64)
    if a_codes is not None:
        key = key * max(len(a_uniques), 1) + a_codes
    if p_codes is not None:
        key = key * max(len(p_uniques), 1) + p_codes
    index = pd.Index(key)
    if not index.has_duplicates:
        return
    dup = np.asarray(index.duplicated(keep=False))
    first_key = key[int(np.argmax(dup))]
    first_rows = rows[key == first_key][:3]
    n_keys = len(np.unique(key[dup]))

    def label(i: int) -> str:
        parts = [r_uniques[r_codes[i]]]
        if a_codes is not None:
            parts.append(a_uniques[a_codes[i]])
        if p_codes is not None:
            parts.append(str(p_uniques[p_codes[i]]))
        return " × ".join(parts)

    examples: list[str] = []
    seen: set[int] = set()
    for i in np.flatnonzero(dup):
        k = int(key[i])
        if k in seen:
            continue
        seen.add(k)
        examples.append(label(int(i)))
        if len(examples) == _MAX_LISTED:
            break
    dims = ["region"] + [r for r in ("activity", "period") if r in used]
    hint = "each (" + ", ".join(dims) + ") may occur once"
    varying = _varying_columns(extra, dup, key)
    if varying:
        hint = "; ".join(
            f"the column {col!r} has several values ({_list(vals, 8)}): select one with "
            f"select={{{col!r}: {vals[0]!r}}}"
            + (
                " or map it as the activity with activity=" + repr(col)
                if "activity" not in used
                else ""
            )
            for col, vals in varying
        )
    raise InputError(
        f"{n_keys:,} duplicate key{'s' if n_keys != 1 else ''} ({', '.join(dims)}), e.g. "
        f"{', '.join(examples)}; first at rows {', '.join(str(int(r)) for r in first_rows)}",
        source=source,
        row=int(first_rows[0]),
        hint=hint,
    )


def _varying_columns(
    extra: pd.DataFrame | None, dup: NDArray[np.bool_], key: NDArray[np.int64]
) -> list[tuple[str, list[str]]]:
    if extra is None or extra.empty:
        return []
    sub = extra.loc[dup]
    keys = key[dup]
    out: list[tuple[str, list[str]]] = []
    for col in sub.columns:
        text = sub[col].astype(str)
        per_key = pd.DataFrame({"k": keys, "v": text.to_numpy()}).groupby("k")["v"].nunique()
        if (per_key > 1).any():
            values = sorted(set(text.unique()))
            out.append((str(col), values))
    return out
