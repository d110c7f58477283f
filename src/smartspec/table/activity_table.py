"""The :class:`ActivityTable`: a validated tidy table with its metadata and report.

:meth:`ActivityTable.from_frame` hands the input to :func:`smartspec.table.build.build_parts`
(which applies the rules of :mod:`smartspec.table.validate` and
:mod:`smartspec.table.regions`); the table then gives its rows, labels and metadata, and
region × activity matrices (:mod:`smartspec.table.matrix`).

Core module: no I/O, no web, database or plotting imports.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Any, Literal

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from smartspec.table.build import build_parts
from smartspec.table.matrix import LabelledMatrix, MissingPolicy, period_matrices, period_matrix
from smartspec.table.meta import TableMeta, ValidationReport

__all__ = ["ActivityTable"]


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
            One row per (region, activity, period). Columns may hold codes as any
            usual text dtype (``object``, ``str``, pandas or Arrow strings including
            ``string_view``, categoricals, Arrow dictionaries) and periods and values
            as NumPy, nullable or Arrow numbers; see :mod:`smartspec.table.dtypes`.
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
        frame, meta, report = build_parts(
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
        return cls(frame, meta, report)

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
        return period_matrix(self, period, sparse=sparse, missing=missing)

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
        return period_matrices(self, sparse=sparse, missing=missing)
