"""Eurostat's bulk-download TSV files: parsed into long form, and read as ActivityTables.

:func:`parse_eurostat_tsv` gives the long form; :func:`read_eurostat_tsv` (also
importable from :mod:`smartspec.data.readers`, with the other readers) turns a file into
a validated :class:`~smartspec.table.ActivityTable`.

Eurostat's bulk TSV has one row per combination of the key dimensions and one column per
period. The first header cell names the key dimensions and, after a backslash, the time
dimension; both layouts are read:

* the old one, e.g. ``unit,nace_r2,age,geo\\time`` with periods newest first;
* the current one, e.g. ``freq,unit,nace_r2,geo\\TIME_PERIOD`` with periods oldest first.

A cell holds a value and optional flags separated by a blank: ``14.3 `` ``4.0 bu``
``: u`` ``:``. ``:`` means *not available*; it becomes NaN and the flag column keeps
``:`` followed by the letters (``":"``, ``":u"``, ``":c"``). Eurostat's flags are b
(break in series), c (confidential), d (definition differs), e (estimated), f (forecast),
n (not significant), p (provisional), r (revised), s (Eurostat estimate), u (low
reliability) and z (not applicable).

>>> text = "unit,nace_r2,geo\\\\time\\t2015 \\t2014 \\nTHS,C,SE11\\t14.3 \\t: u\\n"
>>> parsed = parse_eurostat_tsv(text, source="demo.tsv")
>>> parsed.dims, parsed.time_dim, parsed.periods
(('unit', 'nace_r2', 'geo'), 'time', (2015, 2014))
>>> parsed.wide[["unit", "nace_r2", "geo"]].values.tolist()
[['THS', 'C', 'SE11']]
>>> long = parsed.to_long()
>>> long[["geo", "period", "value"]].values.tolist()
[['SE11', 2015, 14.3], ['SE11', 2014, nan]]
>>> long["flag"].isna().tolist(), long["flag"].iloc[1]
([True, False], ':u')
"""

from __future__ import annotations

import gzip
import io
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from smartspec.errors import InputError
from smartspec.table import ActivityTable

__all__ = [
    "EUROSTAT_CLASSIFICATIONS",
    "EurostatTSV",
    "additive_from_unit",
    "parse_eurostat_tsv",
    "read_eurostat_text",
    "read_eurostat_tsv",
]

_YEAR = re.compile(r"^\d{4}$")
_FLAGS = re.compile(r"^[a-z]*$")


@dataclass
class EurostatTSV:
    """A parsed Eurostat bulk TSV, still wide (one row per key, one column per period).

    Attributes
    ----------
    dims:
        Names of the key dimensions, in file order (e.g. ``("unit", "nace_r2", "geo")``).
    time_dim:
        Name of the time dimension (``"time"`` or ``"TIME_PERIOD"``).
    periods:
        The periods (years), in file order.
    wide:
        One column per key dimension (strings) and one per period (the raw cells).
    rows:
        Line number of each row of ``wide`` in the file (1 = first row after the header).
    source:
        Name of the file, for messages.
    """

    dims: tuple[str, ...]
    time_dim: str
    periods: tuple[int, ...]
    period_columns: tuple[str, ...]
    wide: pd.DataFrame
    rows: NDArray[np.int64]
    source: str | None = None

    def values_of(self, dim: str) -> list[str]:
        """The distinct values of a key dimension, sorted."""
        return sorted(self.wide[dim].unique().tolist())

    def select(self, selection: Mapping[str, str | Sequence[str]]) -> EurostatTSV:
        """Keep the rows (and periods) whose dimensions take the given values.

        Keys are dimension names (or the time dimension's name, or ``"period"``); values a
        code or a list of codes. An unknown dimension or value is an
        :class:`~smartspec.errors.InputError` that lists what there is.
        """
        wide, rows = self.wide, self.rows
        periods, period_columns = list(self.periods), list(self.period_columns)
        keep = np.ones(len(wide), dtype=bool)
        for dim, wanted in selection.items():
            wanted_list = [wanted] if isinstance(wanted, str | int) else list(wanted)
            wanted_set = {str(w).strip() for w in wanted_list}
            if dim in (self.time_dim, "period", "time"):
                have = {str(p) for p in periods}
                missing = sorted(wanted_set - have)
                if missing:
                    raise InputError(
                        f"select {dim}: {', '.join(missing)} not among the periods",
                        source=self.source,
                        hint="the periods are " + ", ".join(str(p) for p in sorted(periods)),
                    )
                pairs = [(p, c) for p, c in zip(periods, period_columns, strict=True)]
                pairs = [(p, c) for p, c in pairs if str(p) in wanted_set]
                periods = [p for p, _ in pairs]
                period_columns = [c for _, c in pairs]
                continue
            if dim not in self.dims:
                raise InputError(
                    f"select names the dimension {dim!r}, which the file does not have",
                    source=self.source,
                    hint=f"its dimensions are {', '.join(self.dims)} and {self.time_dim}",
                )
            present = set(wide[dim].unique().tolist())
            missing = sorted(wanted_set - present)
            if missing:
                raise InputError(
                    f"select {dim}={_fmt(wanted_list)}: {', '.join(missing)} not found",
                    source=self.source,
                    column=dim,
                    hint=f"the values of {dim!r} are {_preview(sorted(present))}",
                )
            keep &= wide[dim].isin(wanted_set).to_numpy()
        columns = [*self.dims, *period_columns]
        return EurostatTSV(
            dims=self.dims,
            time_dim=self.time_dim,
            periods=tuple(periods),
            period_columns=tuple(period_columns),
            wide=wide.loc[keep, columns].reset_index(drop=True),
            rows=rows[keep],
            source=self.source,
        )

    def to_long(self, *, allow_negative: bool = True) -> pd.DataFrame:
        """One row per cell: the key dimensions, ``period``, ``value``, ``flag``, ``row``.

        Raises
        ------
        InputError
            For a cell that is neither a number nor ``:`` (with optional flags), naming
            its line and period column.
        """
        n_rows, n_periods = len(self.wide), len(self.periods)
        cells = self.wide[list(self.period_columns)].to_numpy(dtype=object).ravel()
        text = pd.Series(cells, dtype=object).astype(str).str.strip()
        parts = text.str.partition(" ")
        number = parts[0]
        flags = parts[2].str.strip()
        missing = (number == ":").to_numpy() | (number == "").to_numpy()
        values = pd.to_numeric(number.where(~missing), errors="coerce").to_numpy(dtype=np.float64)
        bad = (np.isnan(values) & ~missing) | ~np.isfinite(np.where(missing, 0.0, values))
        bad_flags = ~flags.str.fullmatch(_FLAGS.pattern).to_numpy(dtype=bool)
        for mask, what in ((bad, "is not a number"), (bad_flags, "has an unknown flag")):
            if mask.any():
                i = int(np.argmax(mask))
                raise InputError(
                    f"cell {text.iloc[i]!r} {what}",
                    source=self.source,
                    row=int(self.rows[i // n_periods]),
                    column=self.period_columns[i % n_periods].strip(),
                    hint="Eurostat cells are a number or ':' followed by optional flag "
                    "letters, e.g. '14.3', '4.0 bu', ': c'",
                )
        if not allow_negative:
            negative = values < 0
            if negative.any():
                i = int(np.argmax(negative))
                raise InputError(
                    f"value {values[i]:g} is negative",
                    source=self.source,
                    row=int(self.rows[i // n_periods]),
                    column=self.period_columns[i % n_periods].strip(),
                    hint="pass allow_negative=True for values such as growth rates",
                )
        flag_letters = flags.to_numpy(dtype=object)
        flag_text = np.where(missing, ":" + flag_letters, flag_letters)
        flag_out = np.asarray([f or None for f in flag_text.tolist()], dtype=object)
        repeat = np.repeat(np.arange(n_rows), n_periods)
        out: dict[str, object] = {}
        for dim in self.dims:
            out[dim] = self.wide[dim].to_numpy(dtype=object)[repeat]
        out["period"] = np.tile(np.asarray(self.periods, dtype=np.int64), n_rows)
        out["value"] = values
        out["flag"] = flag_out
        out["row"] = self.rows[repeat]
        return pd.DataFrame(out)


def _fmt(values: Sequence[object]) -> str:
    return repr(values[0]) if len(values) == 1 else repr(list(values))


def _preview(values: Sequence[str], limit: int = 15) -> str:
    shown = ", ".join(values[:limit])
    return shown + (f" … ({len(values) - limit} more)" if len(values) > limit else "")


def read_eurostat_text(path: str | Path) -> str:
    """The text of a Eurostat TSV file, gzip-compressed or plain (UTF-8)."""
    p = Path(path)
    try:
        raw = p.read_bytes()
    except FileNotFoundError:
        raise InputError("file not found", source=str(path)) from None
    except IsADirectoryError:
        raise InputError("is a folder, not a file", source=str(path)) from None
    if raw[:2] == b"\x1f\x8b":
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError) as err:
            raise InputError(
                f"the gzip data is damaged ({err})", source=p.name, hint="download it again"
            ) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def parse_eurostat_tsv(text: str, *, source: str | None = None) -> EurostatTSV:
    """Parse the text of a Eurostat bulk TSV (either layout) into an :class:`EurostatTSV`.

    Raises
    ------
    InputError
        If the header is not a Eurostat header, a row has the wrong number of fields or
        key parts, or a period is not a year.
    """
    first_line, _, _ = text.partition("\n")
    head = first_line.rstrip("\r").split("\t")
    if "\\" not in head[0]:
        raise InputError(
            "this is not a Eurostat bulk TSV: the first header cell should look like "
            f"'unit,nace_r2,geo\\time', not {head[0][:60]!r}",
            source=source,
            row=0,
            hint="read other tables with read_table()",
        )
    key_part, _, time_dim = head[0].partition("\\")
    dims = tuple(d.strip() for d in key_part.split(","))
    time_dim = time_dim.strip() or "time"
    if len(set(dims)) != len(dims) or any(not d for d in dims):
        raise InputError(f"the key dimensions {key_part!r} are malformed", source=source, row=0)
    period_columns = tuple(head[1:])
    if not period_columns:
        raise InputError("the header has no period columns", source=source, row=0)
    periods: list[int] = []
    for col in period_columns:
        label = col.strip()
        if not _YEAR.match(label):
            raise InputError(
                f"period {label!r} is not a year",
                source=source,
                row=0,
                column=label,
                hint="only annual data are supported (quarters and months are not)",
            )
        periods.append(int(label))
    if len(set(periods)) != len(periods):
        raise InputError("a period occurs twice in the header", source=source, row=0)
    lines = pd.Series(text.split("\n")[1:], dtype=object).str.rstrip("\r")
    tabs = lines.str.count("\t").to_numpy()
    filled = (lines.str.strip() != "").to_numpy()
    wrong = filled & (tabs != len(period_columns))
    if wrong.any():
        i = int(np.argmax(wrong))
        raise InputError(
            f"the row has {tabs[i] + 1} fields, the header has {len(period_columns) + 1}",
            source=source,
            row=i + 1,
            hint=f"every row needs a key and {len(period_columns)} period cells, tab-separated",
        )
    try:
        wide = pd.read_csv(
            io.StringIO(text),
            sep="\t",
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=False,
            quoting=3,  # csv.QUOTE_NONE: Eurostat cells are never quoted
        )
    except pd.errors.ParserError as err:
        raise InputError(
            f"rows do not match the header: {_parser_message(err)}",
            source=source,
            hint=f"every row needs a key and {len(period_columns)} period cells, tab-separated",
        ) from None
    rows = np.arange(1, len(wide) + 1, dtype=np.int64)
    blank = (wide.astype(str).apply(lambda c: c.str.strip()) == "").all(axis=1).to_numpy()
    if blank.any():
        wide, rows = wide.loc[~blank].reset_index(drop=True), rows[~blank]
    key_text = wide.iloc[:, 0].astype(str)
    keys = key_text.str.split(",")
    n_parts = (key_text.str.count(",") + 1).to_numpy()
    wrong = n_parts != len(dims)
    if wrong.any():
        i = int(np.argmax(wrong))
        raise InputError(
            f"the key {wide.iloc[i, 0]!r} has {n_parts[i]} parts, the header names "
            f"{len(dims)} ({', '.join(dims)})",
            source=source,
            row=int(rows[i]),
        )
    out = pd.DataFrame({dim: keys.str[j].str.strip() for j, dim in enumerate(dims)})
    for col in period_columns:
        out[col] = wide[col].to_numpy()
    return EurostatTSV(
        dims=dims,
        time_dim=time_dim,
        periods=tuple(periods),
        period_columns=period_columns,
        wide=out,
        rows=rows,
        source=source,
    )


def _parser_message(err: Exception) -> str:
    text = str(err).strip()
    m = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", text)
    if m:
        return f"line {int(m.group(2)) - 1} has {m.group(3)} fields, not {m.group(1)}"
    return text.splitlines()[-1] if text else type(err).__name__


# --------------------------------------------------------------------------- tables
# --------------------------------------------------------------------------- Eurostat
# Eurostat unit codes whose values may be summed over regions or activities.
_ADDITIVE_UNITS = re.compile(r"^(THS|NR|MIO|MIO_.*|THS_.*|MIL|BN_.*|NR_.*|PER|HW|THS_HW)$")
_RATE_UNITS = re.compile(r"(HAB|^PC|^PCH|^RT|^I\d|^CLV_I|_PC$|^PPS_EU|^EUR_EU)")
EUROSTAT_CLASSIFICATIONS = {
    "nace_r2": ("NACE", "Rev. 2"),
    "nace_r1": ("NACE", "Rev. 1.1"),
    "sitc06": ("SITC", "Rev. 4"),
}


def read_eurostat_tsv(
    path: str | os.PathLike[str],
    *,
    select: Mapping[str, str | Sequence[str]] | None = None,
    measure: str | None = None,
    unit: str | None = None,
    additive: bool | None = None,
    region_dim: str = "geo",
    activity_dim: str | None = "nace_r2",
    nuts_version: int | str | None = None,
    region_level: int | None = None,
    provenance: Mapping[str, Any] | None = None,
    **meta: Any,
) -> ActivityTable:
    """Read a Eurostat bulk TSV (old or current layout, gzip or plain) into a table.

    ``geo`` becomes the region, ``nace_r2`` the activity and the time columns the period.
    Every other key dimension (``unit``, ``age``, ``sex``, ``freq``…) must have one value,
    chosen with *select* when the file has several.

    Parameters
    ----------
    path:
        The ``.tsv`` or ``.tsv.gz`` file.
    select:
        ``{dimension: code or [codes]}``, e.g. ``{"age": "Y_GE15", "unit": "THS"}``;
        lists work for any dimension, e.g. ``{"nace_r2": ["A", "B-E", "F"]}`` or
        ``{"time": ["2014", "2015"]}``.
    measure:
        Default: the dataset code from the file name (``lfst_r_lfe2en2``).
    unit:
        Default: the value of the ``unit`` dimension (e.g. ``"THS"``).
    additive:
        Default: from the unit code (``THS``, ``NR``, ``MIO_EUR``… are additive;
        ``EUR_HAB``, ``PC``… are not); an unknown unit needs it given.
    region_dim, activity_dim:
        The dimensions used as region and activity; ``activity_dim=None`` for tables of
        regional indicators (GDP per inhabitant); it is also ``None`` when the file has
        no ``nace_r2`` dimension.
    nuts_version, region_level, provenance, **meta:
        As in :meth:`ActivityTable.from_frame <smartspec.table.ActivityTable.from_frame>`
        (``unknown_regions``, ``allow_negative``, ``classification``…).

    Raises
    ------
    InputError
        For a malformed file, an unselected dimension with several values (listing them
        and naming ``select``), or any rule of the table.
    """
    p = Path(path)
    text = read_eurostat_text(p)
    notes: list[str] = []
    return _eurostat_from_text(
        text,
        p.name,
        select=select,
        measure=measure,
        unit=unit,
        additive=additive,
        columns={"region": region_dim, "activity": activity_dim},
        meta={
            **meta,
            "nuts_version": nuts_version,
            "region_level": region_level,
            "provenance": provenance,
        },
        notes=notes,
    )


def _eurostat_from_text(
    text: str,
    name: str,
    *,
    select: Mapping[str, str | Sequence[str]] | None,
    measure: str | None,
    unit: str | None,
    additive: bool | None,
    columns: Mapping[str, Any],
    meta: Mapping[str, Any],
    notes: list[str],
) -> ActivityTable:
    parsed = parse_eurostat_tsv(text, source=name)
    region_dim = columns.get("region") or "geo"
    if region_dim == "region":
        region_dim = "geo"
    activity_dim = columns.get("activity", "nace_r2")
    if activity_dim == "activity":
        activity_dim = "nace_r2"
    if region_dim not in parsed.dims:
        raise InputError(
            f"the file has no region dimension {region_dim!r}",
            source=name,
            hint=f"its dimensions are {', '.join(parsed.dims)}; pass region_dim=...",
        )
    if activity_dim is not None and activity_dim not in parsed.dims:
        if activity_dim != "nace_r2":
            raise InputError(
                f"the file has no activity dimension {activity_dim!r}",
                source=name,
                hint=f"its dimensions are {', '.join(parsed.dims)}; pass activity_dim=...",
            )
        activity_dim = None
    if select:
        parsed = parsed.select(select)
    single: dict[str, str] = {}
    for dim in parsed.dims:
        if dim in (region_dim, activity_dim):
            continue
        values = parsed.values_of(dim)
        if len(values) > 1:
            raise InputError(
                f"the dimension {dim!r} has {len(values)} values ({_preview(values, 12)}): "
                "a table holds one",
                source=name,
                column=dim,
                hint=f"choose one with select={{{dim!r}: {values[0]!r}}}",
            )
        if values:
            single[dim] = values[0]
    if len(parsed.wide) == 0:
        raise InputError("no rows left after the selection", source=name)
    if unit is None:
        if "unit" not in single:
            raise InputError("the file has no unit dimension", source=name, hint="pass unit=...")
        unit = single["unit"]
    if additive is None:
        additive = additive_from_unit(single.get("unit", unit), name)
    if measure is None:
        measure = re.sub(r"(\.tsv)?(\.gz)?$", "", name, flags=re.IGNORECASE) or "value"
    allow_negative = bool(meta.get("allow_negative", False))
    long = parsed.to_long(allow_negative=allow_negative)
    provenance = {
        "source": name,
        "publisher": "Eurostat",
        "dataset": re.sub(r"(\.tsv)?(\.gz)?$", "", name, flags=re.IGNORECASE),
        "format": "Eurostat bulk TSV",
        "dimensions": dict(single),
        **dict(meta.get("provenance") or {}),
    }
    classification = meta.get("classification")
    version = meta.get("classification_version")
    if classification is None and activity_dim in EUROSTAT_CLASSIFICATIONS:
        classification, version = EUROSTAT_CLASSIFICATIONS[activity_dim]
    rest = {
        k: v
        for k, v in meta.items()
        if k not in ("provenance", "classification", "classification_version")
    }
    row_numbers = long["row"].to_numpy()
    return ActivityTable.from_frame(
        long.drop(columns="row"),
        measure=measure,
        unit=unit,
        additive=additive,
        region=region_dim,
        activity=activity_dim,
        period="period",
        value="value",
        flag="flag",
        classification=classification,
        classification_version=version,
        provenance=provenance,
        source=name,
        row_numbers=row_numbers,
        notes=notes,
        **rest,
    )


def additive_from_unit(unit: str, name: str) -> bool:
    """Whether values in a Eurostat unit (``THS``, ``NR``, ``EUR_HAB``, ``PC``…) may be summed.

    Counts and amounts are additive; rates, shares, per-inhabitant values and indices are
    not. An unknown unit is an :class:`~smartspec.errors.InputError` asking the caller to
    say ``additive=`` explicitly; ``name`` is the source named in that error.

    >>> additive_from_unit("THS", "x"), additive_from_unit("EUR_HAB", "x")
    (True, False)
    """
    code = unit.strip().upper()
    if _RATE_UNITS.search(code):
        return False
    if _ADDITIVE_UNITS.match(code):
        return True
    raise InputError(
        f"cannot tell from the unit {unit!r} whether the values may be summed",
        source=name,
        hint="pass additive=True for counts and amounts, additive=False for rates",
    )
