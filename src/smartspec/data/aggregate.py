"""From record-level data to an :class:`~smartspec.table.ActivityTable`, at any scale.

Records — one row per firm, person, patent or project, with a region identifier, an
activity code, a period and optionally a weight — are aggregated to one value per
(region, activity, period): the sum of the weights, the number of records, or the
number of distinct ids. The aggregation is written once with `Ibis
<https://ibis-project.org>`_, so the same expression runs

* on **DuckDB** (default): embedded, in-process, streaming over Parquet files without
  loading them into memory — hundreds of millions of records on a laptop;
* on **Apache Spark** through Ibis's PySpark backend, for data that outgrow one
  machine (``backend="pyspark"`` or your own ``SparkSession``).

On DuckDB, when the codes need no mapping and there are many possible cells, the same
aggregation runs as SQL grouping by the codes cast to ``ENUM`` types (small integers
in the hash table, categoricals out); ``meta.provenance["aggregation"]["sql"]`` shows
the query that ran.

Region identifiers are mapped to NUTS *in the backend*: NUTS codes as they are,
Swedish municipality codes (the first two digits are the county, which is a NUTS 3
region; see :func:`smartspec.geo.lan_by_scb_code`), or any identifier (postcodes…)
through a lookup table you give. NACE codes can be cut to a coarser level
(``activity_level=2`` gives divisions) or mapped through a table. Records that cannot
be placed are counted and listed with examples, and refused (default) or dropped.

Ibis, DuckDB and PySpark are imported only when :func:`aggregate` runs.

Examples
--------
>>> import pandas as pd
>>> records = pd.DataFrame({
...     "firm": [1, 2, 3, 4, 5],
...     "kommun": ["0180", "0184", "0680", "2580", "0180"],
...     "nace": ["62.01", "62.02", "10.11", "62.01", "10.12"],
...     "year": [2022, 2022, 2022, 2022, 2023],
...     "employees": [10.0, 5.0, 3.0, 2.0, 4.0],
... })
>>> table = aggregate(records, measure="employment", unit="persons", weight="employees",
...                   region="kommun", region_from="municipality",
...                   activity="nace", activity_level=2, period="year")
>>> table.to_pandas()
  region activity  period  value
0  SE110       10    2023    4.0
1  SE110       62    2022   15.0
2  SE211       10    2022    3.0
3  SE332       62    2022    2.0
>>> agg = table.meta.provenance["aggregation"]
>>> agg["backend"].split()[0], agg["records_in"], agg["records_used"]
('duckdb', 5, 5)
"""

from __future__ import annotations

import difflib
import glob
import os
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal, cast

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from smartspec.data.engines import backend_label, connect
from smartspec.errors import InputError
from smartspec.table import ActivityTable

__all__ = ["Unmatched", "UnmatchedRecordsError", "aggregate"]

RegionFrom = Literal["nuts", "municipality", "postcode"]
UnmatchedPolicy = Literal["error", "drop"]

_PREFIX = "_s3_"
_R, _A, _P = "_s3_region", "_s3_activity", "_s3_period"
_RAW_R, _RAW_A, _RAW_P = "_s3_raw_region", "_s3_raw_activity", "_s3_raw_period"
_W, _ID, _N, _NW, _MIN, _V = "_s3_w", "_s3_id", "_s3_n", "_s3_nw", "_s3_min", "_s3_value"
_KEY, _VAL = "_s3_key", "_s3_val"
_EXAMPLES = 5
_PARQUET_SUFFIXES = (".parquet", ".pq", ".parq")
_CSV_SUFFIXES = (".csv", ".csv.gz", ".txt", ".txt.gz")
_ENUM_MAX = 100_000  # more distinct codes than this: group by the text itself
# Fewer possible cells than this: group by the text itself. The ENUM cast costs a
# little per record and pays off per output row (no strings to fetch); on 2 cores,
# 10M records into 211k cells took 1.1 s grouping text vs 1.4 s with ENUMs, and into
# 5.5M cells 5 s vs 2.2 s.
_ENUM_MIN_CELLS = 1_000_000


# --------------------------------------------------------------------------- reports
@dataclass(frozen=True)
class Unmatched:
    """Records whose region, activity or period could not be placed.

    Attributes
    ----------
    column:
        ``"region"``, ``"activity"`` or ``"period"``.
    reason:
        Why, e.g. ``"no NUTS code for the municipality code"``.
    records:
        Number of records.
    identifiers:
        Number of distinct raw identifiers among them.
    examples:
        The most frequent raw identifiers with their record counts.
    """

    column: str
    reason: str
    records: int
    identifiers: int
    examples: tuple[tuple[str, int], ...]

    def __str__(self) -> str:
        shown = ", ".join(f"{code!r} ({n:,})" for code, n in self.examples)
        more = self.identifiers - len(self.examples)
        if more > 0:
            shown += f", … ({more:,} more)"
        s = "s" if self.records != 1 else ""
        ids = f"{self.identifiers:,} identifier{'s' if self.identifiers != 1 else ''}"
        return f"{self.records:,} record{s} ({ids}): {self.reason}: {shown}"


class UnmatchedRecordsError(InputError):
    """Records that could not be placed (see :class:`Unmatched`), with ``unmatched``."""

    def __init__(self, unmatched: Sequence[Unmatched], *, source: str | None = None) -> None:
        self.unmatched = list(unmatched)
        text = "; ".join(str(u) for u in self.unmatched)
        super().__init__(
            text,
            source=source,
            hint="fix the identifiers or the mapping (region_from, region_map, activity_level, "
            "activity_map), or pass unmatched='drop' to drop these records (they are then "
            "listed in table.meta.provenance['aggregation']['unmatched'])",
        )


# --------------------------------------------------------------------------- the API
def aggregate(
    source: str | os.PathLike[str] | pd.DataFrame | Any,
    *,
    measure: str,
    unit: str,
    backend: Any = None,
    region: str = "region",
    activity: str | None = "activity",
    period: str | None = "period",
    weight: str | None = None,
    distinct: str | None = None,
    region_from: RegionFrom = "nuts",
    region_map: pd.DataFrame | Mapping[str, str] | str | os.PathLike[str] | Any | None = None,
    region_map_columns: tuple[str, str] | None = None,
    activity_level: int | None = None,
    activity_map: pd.DataFrame | Mapping[str, str] | str | os.PathLike[str] | Any | None = None,
    activity_map_columns: tuple[str, str] | None = None,
    filters: Mapping[str, Any] | Sequence[Any] | Any | None = None,
    unmatched: UnmatchedPolicy = "error",
    allow_negative: bool = False,
    additive: bool = True,
    classification: str | None = None,
    classification_version: str | None = None,
    nuts_version: int | str | None = None,
    region_level: int | None = None,
    region_scheme: str = "NUTS",
    provenance: Mapping[str, Any] | None = None,
    source_name: str | None = None,
    threads: int | None = None,
    memory_limit: str | None = None,
) -> ActivityTable:
    """Aggregate records to a region × activity × period :class:`ActivityTable`.

    Parameters
    ----------
    source:
        The records: a Parquet file, directory or glob (``"data/*.parquet"``; streamed,
        never loaded whole), a CSV file, a ``pandas.DataFrame`` or an Ibis table.
    measure, unit:
        What the values are, e.g. ``measure="employment", unit="persons"``.
    backend:
        ``None`` or ``"duckdb"`` (a new in-process DuckDB database; an Ibis table is
        aggregated by its own backend), ``"pyspark"`` (the active SparkSession or a
        local one, see :func:`smartspec.data.engines.spark_session`), a
        ``SparkSession``, or any Ibis backend object.
    region, activity, period:
        Column names in the records. ``activity`` and ``period`` may be ``None`` for a
        table without that dimension. Periods are years: integers, text such as
        ``"2021"``, or dates (their year).
    weight:
        Column to sum (employees, turnover…). Without it, records are counted.
    distinct:
        Column of ids to count distinct values of (firms with several workplaces,
        patents with several inventors). Not together with *weight*.
    region_from:
        What the region column holds: ``"nuts"`` (NUTS codes), ``"municipality"``
        (Swedish 4-digit municipality codes → NUTS 3 by the county in their first two
        digits) or ``"postcode"`` (mapped through *region_map*, required).
    region_map:
        A lookup table identifier → NUTS code: a DataFrame, a ``{id: nuts}`` mapping,
        a CSV (read as text, so leading zeros stay) or Parquet file, or an Ibis table.
        Joined in the backend. Identifiers are compared without spaces and in upper
        case (``"123 45"`` matches ``"12345"``). With ``region_from="municipality"`` it
        replaces the built-in Swedish mapping (municipalities of other countries).
    region_map_columns:
        ``(identifier column, NUTS column)`` of *region_map*; not needed when it has
        exactly two columns.
    activity_level:
        Cut NACE codes (``"62.01"``, ``"6201"``, ``"C62.01"``, SNI ``"62.010"``) to a
        NACE level: 1 section, 2 division, 3 group, 4 class. Codes that are not NACE
        codes at that level are unmatched.
    activity_map, activity_map_columns:
        A lookup table raw activity code → activity code (any classification), like
        *region_map*. Not together with *activity_level*.
    filters:
        Keep only some records, before mapping: ``{column: value}`` or
        ``{column: [values]}``, or Ibis expressions / deferred predicates such as
        ``[ibis._.year >= 2015]``.
    unmatched:
        Records whose region, activity or period cannot be placed: ``"error"``
        (default) raises :class:`UnmatchedRecordsError` with counts and examples;
        ``"drop"`` drops them and lists them in the provenance and the report notes.
        Also passed to :meth:`ActivityTable.from_frame` as ``unknown_regions``.
    allow_negative:
        Accept negative weights (balances, corrections). Off by default.
    additive:
        Whether the values may be summed (default ``True``: sums and counts are).
    classification, classification_version:
        The activity classification; ``"NACE"``, ``"Rev. 2"`` when *activity_level*
        is given.
    nuts_version, region_level, region_scheme:
        As in :meth:`ActivityTable.from_frame`; ``region_level`` is 3 for
        municipalities.
    provenance:
        More provenance (publisher, url…). ``meta.provenance["aggregation"]`` gets the
        backend, the row counts, the SQL of the aggregation and the timings.
    source_name:
        Name of the source in messages and provenance (default: the path).
    threads, memory_limit:
        DuckDB settings when smartspec opens the database (e.g. ``threads=2``,
        ``memory_limit="3GB"``).

    Returns
    -------
    ActivityTable
        One row per (region, activity, period) with records.

    Raises
    ------
    InputError
        A missing column (named, with the columns there are), a file that does not
        exist, a weight that is not a number or is negative, a lookup table that maps
        one identifier to several codes.
    UnmatchedRecordsError
        Records that cannot be placed, with ``unmatched="error"``.
    """
    started = time.perf_counter()
    statistic = _check_arguments(
        weight=weight,
        distinct=distinct,
        region_from=region_from,
        region_map=region_map,
        activity=activity,
        activity_level=activity_level,
        activity_map=activity_map,
        unmatched=unmatched,
    )
    import ibis

    table, bound = _as_ibis_table(source, ibis)
    if bound is not None and backend is None:
        con, created = connect(bound)
    else:
        con, created = connect(
            "duckdb" if backend is None else backend, threads=threads, memory_limit=memory_limit
        )
    if created and con.name == "duckdb":
        # the rows of a GROUP BY have no order to keep; lets DuckDB parallelise freely
        con.raw_sql("SET preserve_insertion_order = false")
    try:
        name = source_name or _describe(source)
        if table is None:
            table = _read_source(cast("str | os.PathLike[str]", source), con, name)
        return _aggregate(
            table,
            con,
            ibis,
            name=name,
            started=started,
            statistic=statistic,
            measure=measure,
            unit=unit,
            region=region,
            activity=activity,
            period=period,
            weight=weight,
            distinct=distinct,
            region_from=region_from,
            region_map=region_map,
            region_map_columns=region_map_columns,
            activity_level=activity_level,
            activity_map=activity_map,
            activity_map_columns=activity_map_columns,
            filters=filters,
            unmatched=unmatched,
            allow_negative=allow_negative,
            from_frame={
                "additive": additive,
                "classification": classification,
                "classification_version": classification_version,
                "nuts_version": nuts_version,
                "region_level": region_level,
                "region_scheme": region_scheme,
                "provenance": provenance,
            },
        )
    finally:
        if created and con.name == "duckdb":
            con.disconnect()


# --------------------------------------------------------------------------- arguments
def _check_arguments(
    *,
    weight: str | None,
    distinct: str | None,
    region_from: str,
    region_map: Any,
    activity: str | None,
    activity_level: int | None,
    activity_map: Any,
    unmatched: str,
) -> str:
    if weight is not None and distinct is not None:
        raise InputError(
            f"weight={weight!r} and distinct={distinct!r} cannot both be given",
            hint="sum a weight, or count distinct ids, or (neither) count records",
        )
    if region_from not in ("nuts", "municipality", "postcode"):
        raise InputError(
            f"region_from={region_from!r} is not known",
            hint="use 'nuts', 'municipality' or 'postcode'",
        )
    if region_from == "postcode" and region_map is None:
        raise InputError(
            "region_from='postcode' needs region_map: a table postcode → NUTS code",
            hint="pass region_map=DataFrame, {postcode: nuts}, or a CSV/Parquet file",
        )
    if region_from == "nuts" and region_map is not None:
        raise InputError(
            "region_map is used with region_from='postcode' or 'municipality'",
            hint="say what the region column holds, e.g. region_from='postcode'",
        )
    if activity_level is not None:
        if isinstance(activity_level, bool) or activity_level not in (1, 2, 3, 4):
            raise InputError(
                f"activity_level must be 1, 2, 3 or 4 (NACE section, division, group, "
                f"class), not {activity_level!r}"
            )
        if activity_map is not None:
            raise InputError("give activity_level or activity_map, not both")
    if activity is None and (activity_level is not None or activity_map is not None):
        raise InputError("activity_level and activity_map need an activity column")
    if unmatched not in ("error", "drop"):
        raise InputError(f"unmatched={unmatched!r} is not a policy", hint="use 'error' or 'drop'")
    if weight is not None:
        return "sum"
    return "count_distinct" if distinct is not None else "count"


def _is_ibis_table(obj: Any) -> bool:
    return type(obj).__module__.startswith("ibis.") and hasattr(obj, "schema")


def _as_ibis_table(source: Any, ibis: Any) -> tuple[Any | None, Any | None]:
    """(ibis table or None if a file still to be read, the backend it is bound to)."""
    if isinstance(source, pd.DataFrame):
        return ibis.memtable(source), None
    if _is_ibis_table(source):
        try:
            return source, source._find_backend(use_default=False)
        except Exception:  # an unbound table (memtable): any backend runs it
            return source, None
    if isinstance(source, str | os.PathLike):
        return None, None
    raise InputError(
        f"cannot aggregate a {type(source).__name__}",
        hint="give a Parquet or CSV path (or glob), a pandas DataFrame or an Ibis table",
    )


def _describe(source: Any) -> str:
    if isinstance(source, pd.DataFrame):
        return f"DataFrame ({len(source):,} rows)"
    if isinstance(source, str | os.PathLike):
        return os.fspath(source)
    return "Ibis table"


def _file_kind(path: str) -> str | None:
    lower = path.lower().rstrip("/")
    if lower.endswith(_PARQUET_SUFFIXES):
        return "parquet"
    if lower.endswith(_CSV_SUFFIXES):
        return "csv"
    return None


def _read_source(source: str | os.PathLike[str], con: Any, name: str) -> Any:
    text = os.fspath(source)
    remote = "://" in text
    kind = _file_kind(text)
    target = text
    if not remote:
        if glob.has_magic(text):
            matches = sorted(glob.glob(text, recursive=True))
            if not matches:
                raise InputError("no file matches this pattern", source=name)
            kind = kind or _file_kind(matches[0])
        elif Path(text).is_dir():
            if not any(Path(text).rglob("*.parquet")):
                raise InputError(
                    "the directory has no .parquet file", source=name, hint="give a file or glob"
                )
            kind = "parquet"
            # Spark reads a directory (with its partitions) itself; DuckDB wants a glob
            target = str(Path(text).resolve())
            if con.name != "pyspark":
                target = str(Path(target) / "**" / "*.parquet")
        elif Path(text).exists():
            target = str(Path(text).resolve())
        else:
            raise InputError(
                "the file does not exist",
                source=name,
                hint=f"the working directory is {Path.cwd()}",
            )
    if kind is None:
        raise InputError(
            "cannot tell the file type from the name",
            source=name,
            hint="records are read from .parquet (also directories and globs) or .csv files",
        )
    try:
        if kind == "parquet":
            return con.read_parquet(target)
        return con.read_csv(target)
    except Exception as exc:  # the backends raise their own exception types
        raise InputError(
            f"cannot read the {kind} records: {_first_line(exc)}", source=name
        ) from exc


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def _require_column(table: Any, column: str, role: str, source: str) -> None:
    columns = list(table.columns)
    if column in columns:
        return
    close = difflib.get_close_matches(column, columns, n=3, cutoff=0.6)
    hint = f"the columns are: {', '.join(columns)}"
    if close:
        hint = f"did you mean {' or '.join(repr(c) for c in close)}? " + hint
    raise InputError(
        f"there is no column {column!r} ({role})", source=source, column=column, hint=hint
    )


# --------------------------------------------------------------------------- expressions
def _as_text(col: Any) -> Any:
    """A column as trimmed text; integral floats lose their ``.0``."""
    dtype = col.type()
    if dtype.is_string():
        return col.strip()
    if dtype.is_floating() or dtype.is_decimal():
        return col.cast("int64").cast("string")
    return col.cast("string").strip()


def _compact(col: Any) -> Any:
    """Text without spaces, upper case: how identifiers are compared.

    ``REPLACE`` rather than a regular expression: it runs once per record.
    """
    return _as_text(col).replace(" ", "").upper()


def _municipality_to_nuts(col: Any, ibis: Any) -> Any:
    from smartspec.geo import lan, lan_by_scb_code

    dtype = col.type()
    if dtype.is_integer() or dtype.is_floating() or dtype.is_decimal():
        code = _as_text(col).lpad(4, "0")  # 180 → "0180": the leading zero of a number
    else:
        code = _compact(col)
    pairs = [(item.scb_code, lan_by_scb_code(item.scb_code).code) for item in lan()]
    county = code.substr(0, 2).cases(*pairs)
    return code.re_search(r"^[0-9]{4}$").ifelse(county, ibis.null("string"))


def _nace_level(col: Any, level: int, ibis: Any) -> Any:
    from smartspec.taxonomy import nace_codes, nace_parent

    raw = _compact(col)
    digits = raw.re_replace(r"[^0-9]", "")
    n = digits.length()
    none = ibis.null("string")
    if level == 1:
        pairs = [(d, nace_parent(d)) for d in nace_codes(2)]
        section = digits.substr(0, 2).cases(*pairs)
        return raw.re_search(r"^[A-U]$").ifelse(raw, (n >= 2).ifelse(section, none))
    if level == 2:
        return (n >= 2).ifelse(digits.substr(0, 2), none)
    if level == 3:
        return (n >= 3).ifelse(digits.substr(0, 2) + "." + digits.substr(2, 1), none)
    return (n >= 4).ifelse(digits.substr(0, 2) + "." + digits.substr(2, 2), none)


def _period_expr(col: Any, source: str, column: str) -> Any:
    dtype = col.type()
    if dtype.is_integer():
        return col.cast("int64")
    if dtype.is_floating() or dtype.is_decimal():
        return col.cast("int64")
    if dtype.is_string():
        return col.strip().try_cast("int64")
    if dtype.is_date() or dtype.is_timestamp():
        return col.year().cast("int64")
    raise InputError(
        f"periods must be years (integers, text or dates), not {dtype}",
        source=source,
        column=column,
    )


def _filter(table: Any, filters: Any, source: str) -> tuple[Any, list[str]]:
    if filters is None:
        return table, []
    shown: list[str] = []
    predicates: list[Any] = []
    if isinstance(filters, Mapping):
        for column, wanted in filters.items():
            _require_column(table, column, "a filter", source)
            if isinstance(wanted, list | tuple | set | frozenset | range):
                values = sorted(wanted, key=str) if isinstance(wanted, set | frozenset) else wanted
                values = [_filter_value(table, column, v, source) for v in values]
                predicates.append(table[column].isin(values))
            elif wanted is None:
                predicates.append(table[column].isnull())
            else:
                predicates.append(table[column] == _filter_value(table, column, wanted, source))
            shown.append(f"{column} = {wanted!r}")
    else:
        items = list(filters) if isinstance(filters, list | tuple) else [filters]
        for item in items:
            predicates.append(item(table) if _is_plain_callable(item) else item)
            shown.append(str(item))
    try:
        return table.filter(*predicates), shown
    except Exception as exc:  # a deferred predicate naming a column that is not there
        raise InputError(
            f"a filter does not apply to the records: {_first_line(exc)}",
            source=source,
            hint=f"the columns are: {', '.join(table.columns)}",
        ) from exc


def _filter_value(table: Any, column: str, value: Any, source: str) -> Any:
    """*value* as the column's type: text such as ``"2021"`` (from a command line) is
    compared as a number with a numeric column; text that is no number is an error."""
    dtype = table[column].type()
    if not isinstance(value, str) or not dtype.is_numeric():
        return value
    try:
        return int(value) if dtype.is_integer() else float(value)
    except ValueError:
        raise InputError(
            f"the filter {column} = {value!r} is not a number, but the column holds {dtype}",
            source=source,
            column=column,
            hint=f"give a number, e.g. {column}=2021",
        ) from None


def _is_plain_callable(item: Any) -> bool:
    return callable(item) and not type(item).__module__.startswith("ibis.")


def _lookup(
    spec: Any,
    columns: tuple[str, str] | None,
    con: Any,
    ibis: Any,
    *,
    what: str,
    normalize: Callable[[Any], Any],
    value_upper: bool,
) -> Any:
    """A lookup table (_s3_key, _s3_val): normalised, de-duplicated, one value per key."""
    if isinstance(spec, Mapping):
        frame = pd.DataFrame(
            {"key": [str(k) for k in spec], "value": [str(v) for v in spec.values()]}
        )
        lk = ibis.memtable(frame)
    elif isinstance(spec, pd.DataFrame):
        lk = ibis.memtable(spec)
    elif _is_ibis_table(spec):
        lk = spec
    elif isinstance(spec, str | os.PathLike):
        path = Path(spec)
        if not path.exists():
            raise InputError("the lookup file does not exist", source=f"{what} {path}")
        kind = _file_kind(str(path))
        if kind == "csv":  # as text, so codes keep their leading zeros
            lk = ibis.memtable(pd.read_csv(path, dtype=str, keep_default_na=False))
        elif kind == "parquet":
            lk = con.read_parquet(str(path.resolve()))
        else:
            raise InputError("a lookup file must be .csv or .parquet", source=f"{what} {path}")
    else:
        raise InputError(
            f"{what} must be a DataFrame, a mapping, a CSV/Parquet file or an Ibis table, "
            f"not {type(spec).__name__}"
        )
    names = list(lk.columns)
    if columns is None:
        if len(names) != 2:
            raise InputError(
                f"{what} has {len(names)} columns; say which two to use",
                hint=f"pass {what}_columns=(identifier column, code column); "
                f"the columns are: {', '.join(names)}",
            )
        key_col, val_col = names[0], names[1]
    else:
        key_col, val_col = columns
        for col in (key_col, val_col):
            _require_column(lk, col, f"in {what}", what)
    value = _compact(lk[val_col]) if value_upper else _as_text(lk[val_col])
    clean = lk.select(**{_KEY: normalize(lk[key_col]), _VAL: value})
    clean = clean.filter(clean[_KEY].notnull(), clean[_VAL].notnull(), clean[_VAL] != "")
    clean = clean.distinct()
    dup = clean.group_by(_KEY).aggregate(_s3_k=clean.count()).filter(lambda t: t._s3_k > 1)
    n_dup = int(con.execute(dup.count()))
    if n_dup:
        keys = con.execute(dup.order_by(_KEY).limit(_EXAMPLES))[_KEY].tolist()
        pairs = con.execute(clean.filter(clean[_KEY].isin(keys)).order_by([_KEY, _VAL]))
        shown = "; ".join(
            f"{k!r} → {', '.join(g[_VAL].astype(str))}" for k, g in pairs.groupby(_KEY, sort=True)
        )
        raise InputError(
            f"{what} maps {n_dup:,} identifier{'s' if n_dup != 1 else ''} to several codes: "
            f"{shown}",
            hint="give one code per identifier",
        )
    return clean


# --------------------------------------------------------------------------- the work
def _aggregate(
    table: Any,
    con: Any,
    ibis: Any,
    *,
    name: str,
    started: float,
    statistic: str,
    measure: str,
    unit: str,
    region: str,
    activity: str | None,
    period: str | None,
    weight: str | None,
    distinct: str | None,
    region_from: str,
    region_map: Any,
    region_map_columns: tuple[str, str] | None,
    activity_level: int | None,
    activity_map: Any,
    activity_map_columns: tuple[str, str] | None,
    filters: Any,
    unmatched: str,
    allow_negative: bool,
    from_frame: dict[str, Any],
) -> ActivityTable:
    seconds: dict[str, float] = {}
    roles = {region: "the region", activity: "the activity", period: "the period"}
    roles.update({weight: "the weight", distinct: "the ids to count"})
    for column, role in roles.items():
        if column is not None:
            _require_column(table, column, role, name)
    if weight is not None and not table[weight].type().is_numeric():
        raise InputError(
            f"the weight column holds {table[weight].type()}, not numbers",
            source=name,
            column=weight,
            hint="give a numeric column (read CSV numbers without quotes or thousands separators)",
        )

    filtered, shown_filters = _filter(table, filters, name)

    # ---- one row per record: the raw identifiers and the keys they map to
    cols: dict[str, Any] = {_N: ibis.literal(1, "int64"), _RAW_R: filtered[region]}
    region_fn: Callable[[Any], Any] | None = None
    activity_fn: Callable[[Any], Any] | None = None
    region_reason = "not a region code"
    if region_from == "nuts":
        region_fn = _compact
        cols[_R] = _compact(filtered[region])
    elif region_from == "municipality" and region_map is None:
        cols[_R] = _municipality_to_nuts(filtered[region], ibis)
        region_reason = "not a Swedish municipality code (4 digits, a county's 2 first)"
    else:
        cols[_KEY] = _compact(filtered[region])
        region_reason = f"not in region_map (as a {region_from} identifier)"
    if activity is not None:
        cols[_RAW_A] = filtered[activity]
        if activity_level is not None:
            cols[_A] = _nace_level(filtered[activity], activity_level, ibis)
        elif activity_map is not None:
            cols["_s3_akey"] = _compact(filtered[activity])
        else:
            activity_fn = _as_text
            cols[_A] = _as_text(filtered[activity])
    if period is not None:
        cols[_RAW_P] = filtered[period]
        cols[_P] = _period_expr(filtered[period], name, period)
    if weight is not None:
        cols[_W] = filtered[weight].cast("float64")
    if distinct is not None:
        cols[_ID] = filtered[distinct]
    keyed = filtered.select(**cols)

    if _KEY in cols:
        lk = _lookup(
            region_map,
            region_map_columns,
            con,
            ibis,
            what="region_map",
            normalize=_compact,
            value_upper=True,
        )
        joined = keyed.left_join(lk, keyed[_KEY] == lk[_KEY])
        keyed = joined.select(*[c for c in keyed.columns if c != _KEY], **{_R: joined[_VAL]})
    if "_s3_akey" in cols:
        lk = _lookup(
            activity_map,
            activity_map_columns,
            con,
            ibis,
            what="activity_map",
            normalize=_compact,
            value_upper=False,
        )
        joined = keyed.left_join(lk, keyed["_s3_akey"] == lk[_KEY])
        keyed = joined.select(*[c for c in keyed.columns if c != "_s3_akey"], **{_A: joined[_VAL]})

    # ---- one row per (region, activity, period). When the codes are clean (checked on
    # DuckDB, where a distinct count per column is cheap), group by the raw columns:
    # nothing is computed per record and DuckDB keeps its fast path for
    # dictionary-encoded Parquet columns.
    keys = [k for k in (_R, _A, _P) if k in keyed.columns]
    t0 = time.perf_counter()
    checks: list[tuple[str, Callable[[Any], Any]]] = []
    if region_fn is not None:
        checks.append((region, region_fn))
    if activity_fn is not None and activity is not None:
        checks.append((activity, activity_fn))
    if period is not None and not filtered[period].type().is_integer():
        checks.append((period, lambda c: _period_expr(c, name, period)))
    distinct_values: dict[str, list[str]] = {}  # of the clean text columns, for the ENUMs
    clean = (
        con.name == "duckdb"
        and region_fn is not None
        and (activity is None or activity_fn is not None)
        and all(_is_identity(filtered, column, fn, con, distinct_values) for column, fn in checks)
    )
    seconds["clean_check"] = time.perf_counter() - t0
    source_of = {_R: region, _A: activity, _P: period}
    rows = filtered if clean else keyed
    by = {k: filtered[source_of[k]] for k in keys} if clean else {k: keyed[k] for k in keys}
    # ---- the weights, over all records (one cheap ungrouped scan): negative weights are
    # refused before the aggregation, and the weights are counted per cell only when
    # some are missing (the GROUP BY then computes two aggregates, not four)
    weight_nulls = 0
    if weight is not None:
        t0 = time.perf_counter()
        wcol = filtered[weight].cast("float64")
        stats = con.execute(
            filtered.aggregate(**{_N: filtered.count(), _NW: wcol.count(), _MIN: wcol.min()})
        )
        low = stats[_MIN].iloc[0]
        if not allow_negative and pd.notna(low) and float(low) < 0:
            _negative_weights(filtered, {_R: region, _A: activity, _P: period}, weight, con, name)
        weight_nulls = int(stats[_N].iloc[0]) - int(stats[_NW].iloc[0])
        seconds["weight_stats"] = time.perf_counter() - t0
    metrics: dict[str, Any] = {_N: rows.count()}
    if weight is not None:
        w = filtered[weight].cast("float64") if clean else keyed[_W]
        metrics[_V] = w.sum()
        if weight_nulls:
            metrics[_NW] = w.count()
    elif distinct is not None:
        metrics[_V] = (filtered[distinct] if clean else keyed[_ID]).nunique()
    grouped = rows.group_by(**by).aggregate(**metrics)
    # On DuckDB with clean codes, group by the codes cast to ENUM types (their distinct
    # values, sorted): the hash table holds small integers instead of strings, and the
    # result comes back as Arrow dictionary arrays, i.e. categoricals, not millions of
    # Python strings. The same aggregation as `grouped`, written in SQL.
    t0 = time.perf_counter()
    fast_sql = (
        _enum_sql(
            filtered,
            con,
            ibis,
            {k: str(source_of[k]) for k in keys},
            weight,
            distinct,
            count_weights=bool(weight_nulls),
            distinct_values=distinct_values,
        )
        if clean
        else None
    )
    seconds["clean_check"] += time.perf_counter() - t0
    sql = fast_sql or _sql(grouped, con, ibis)
    seconds["plan"] = time.perf_counter() - started - seconds["clean_check"]

    t0 = time.perf_counter()
    records_in = int(con.execute(table.count()))
    seconds["count"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    # Arrow → pandas keeps the strings in Arrow memory
    if fast_sql is not None:
        df = con.con.execute(fast_sql).to_arrow_table().to_pandas()
    else:
        df = con.to_pyarrow(grouped).to_pandas()
    seconds["aggregate"] = time.perf_counter() - t0

    # ---- checks on the aggregated rows (small), with examples from the backend
    t0 = time.perf_counter()
    n = df[_N].to_numpy(dtype=np.int64)
    records_kept = int(n.sum())
    notes: list[str] = []
    bad_masks: list[tuple[np.ndarray[Any, np.dtype[np.bool_]], str, str, str, Any]] = []
    bad_r = df[_R].isna().to_numpy()
    bad_masks.append((bad_r, "region", region_reason, _RAW_R, keyed[_R].isnull()))
    if _A in df.columns:
        bad_a = df[_A].isna().to_numpy()
        reason = "no activity code"
        condition = keyed[_A].isnull()
        if activity_level is not None:
            from smartspec.taxonomy import nace_codes

            known = set(nace_codes(activity_level))
            codes = df[_A]
            unknown = (~bad_a) & ~codes.isin(known).to_numpy()
            if unknown.any():
                wrong = sorted({str(c) for c in codes[unknown]})
                condition = condition | keyed[_A].isin(wrong)
                bad_a = bad_a | unknown
            reason = f"not a NACE code at level {activity_level}"
        elif activity_map is not None:
            reason = "not in activity_map"
        bad_masks.append((bad_a, "activity", reason, _RAW_A, condition))
    if _P in df.columns:
        bad_p = df[_P].isna().to_numpy()
        bad_masks.append((bad_p, "period", "not a year", _RAW_P, keyed[_P].isnull()))
    found: list[Unmatched] = []
    for mask, column, reason, raw_column, condition in bad_masks:
        if mask.any():
            records = int(n[mask].sum())
            found.append(_unmatched(keyed, con, column, reason, raw_column, condition, records))
    bad_any = np.zeros(len(df), dtype=bool)
    for mask, *_ in bad_masks:
        bad_any |= mask
    records_unmatched = int(n[bad_any].sum())
    if found:
        if unmatched == "error":
            raise UnmatchedRecordsError(found, source=name)
        notes += [f"dropped {u}" for u in found]
        df = df.loc[~bad_any]
    records_used = records_kept - records_unmatched
    if statistic == "sum" and _NW in df.columns:
        no_weight = int((df[_N].to_numpy(np.int64) - df[_NW].to_numpy(np.int64)).sum())
        if no_weight:
            notes.append(
                f"{no_weight:,} record{'s' if no_weight != 1 else ''} without a weight "
                "(not in the sums; a cell with no weight at all is missing)"
            )
    seconds["checks"] = time.perf_counter() - t0

    # ---- the table
    t0 = time.perf_counter()
    df = df.reset_index(drop=True)
    out = _sorted(
        df, {_R: "region", _A: "activity", _P: "period"}, _N if statistic == "count" else _V
    )

    options = dict(from_frame)
    if activity_level is not None and options["classification"] is None:
        options["classification"], options["classification_version"] = "NACE", "Rev. 2"
    if region_from == "municipality" and region_map is None and options["region_level"] is None:
        options["region_level"] = 3
    what = {"sum": f"sum of {weight!r}", "count": "number of records"}.get(
        statistic, f"number of distinct {distinct!r}"
    )
    details: dict[str, Any] = {
        "backend": backend_label(con),
        "statistic": what,
        "region_from": region_from,
        "activity_level": activity_level,
        "filters": shown_filters,
        "records_in": records_in,
        "records_after_filters": records_kept,
        "records_unmatched": records_unmatched,
        "records_used": records_used,
        "rows_out": len(out),
        "unmatched": [asdict(u) for u in found],
        "sql": sql,
        "seconds": seconds,
    }
    user = dict(options.pop("provenance") or {})
    prov = {"source": name, **user, "aggregation": details}
    result = ActivityTable.from_frame(
        out,
        measure=measure,
        unit=unit,
        activity="activity" if activity is not None else None,
        period="period" if period is not None else None,
        provenance=prov,
        source=name,
        unknown_regions=unmatched,  # type: ignore[arg-type]
        allow_negative=allow_negative,
        notes=notes,
        _trusted_unique_keys=True,  # one row per group of the GROUP BY
        **options,
    )
    seconds["table"] = time.perf_counter() - t0
    seconds["total"] = time.perf_counter() - started
    details["rows_out"] = len(result)
    return result


def _sql(expr: Any, con: Any, ibis: Any) -> str:
    try:
        return str(ibis.to_sql(expr, dialect=con.name))
    except Exception:  # not a SQL backend: keep the expression's text
        return str(expr)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _enum_sql(
    filtered: Any,
    con: Any,
    ibis: Any,
    keys: Mapping[str, str],
    weight: str | None,
    distinct: str | None,
    *,
    count_weights: bool,
    distinct_values: Mapping[str, list[str]],
) -> str | None:
    """DuckDB SQL of the aggregation grouping by text codes cast to ENUM types.

    *keys* maps the output key names to columns of *filtered* (clean codes, integer
    periods). ``None`` (group by the text itself) when a code column has no values or
    more than ``_ENUM_MAX`` distinct values, or when there are fewer than
    ``_ENUM_MIN_CELLS`` possible cells (a small result).
    """
    base = str(ibis.to_sql(filtered, dialect="duckdb"))
    selects: list[str] = []
    cells = 1
    for key, column in keys.items():
        col = _quote(column)
        if filtered[column].type().is_string():
            if column in distinct_values:  # from the clean check
                values = distinct_values[column]
            else:
                values = [
                    str(v[0])
                    for v in con.con.execute(
                        f"SELECT DISTINCT {col} FROM ({base}) AS _s3_t WHERE {col} IS NOT NULL"
                    ).fetchall()
                ]
            if not values or len(values) > _ENUM_MAX:
                return None
            cells *= len(values)
            members = ", ".join("'" + v.replace("'", "''") + "'" for v in values)
            selects.append(f"CAST({col} AS ENUM({members})) AS {_quote(key)}")
        else:
            if cells < _ENUM_MIN_CELLS:  # periods (keys are region, activity, period)
                row = con.con.execute(
                    f"SELECT count(DISTINCT {col}) FROM ({base}) AS _s3_t"
                ).fetchone()
                cells *= max(int(row[0]) if row else 0, 1)
            selects.append(f"CAST({col} AS BIGINT) AS {_quote(key)}")
    if cells < _ENUM_MIN_CELLS:
        return None
    selects.append(f"count(*) AS {_N}")
    if weight is not None:
        w = f"CAST({_quote(weight)} AS DOUBLE)"
        selects.append(f"sum({w}) AS {_V}")
        if count_weights:
            selects.append(f"count({w}) AS {_NW}")
    elif distinct is not None:
        selects.append(f"count(DISTINCT {_quote(distinct)}) AS {_V}")
    return (
        f"SELECT {', '.join(selects)}\nFROM ({base}) AS _s3_t\n"
        f"GROUP BY {', '.join(str(i) for i in range(1, len(keys) + 1))}"
    )


def _negative_weights(
    filtered: Any, columns: Mapping[str, str | None], weight: str | None, con: Any, source: str
) -> None:
    assert weight is not None
    neg = filtered.filter(filtered[weight] < 0)
    stats = con.execute(neg.aggregate(_s3_n=neg.count(), _s3_lo=neg[weight].min()))
    count, low = int(stats[_N].iloc[0]), float(stats["_s3_lo"].iloc[0])
    labels = {_R: "region", _A: "activity", _P: "period"}
    first = neg.order_by(neg[weight]).limit(1)
    shown = {k: _as_text(first[c]) for k, c in columns.items() if c is not None and k in labels}
    example = con.execute(first.select(**shown)).iloc[0]
    where = ", ".join(f"{labels[k]} {example[k]}" for k in shown)
    raise InputError(
        f"{count:,} record{'s' if count != 1 else ''} ha{'ve' if count != 1 else 's'} a negative "
        f"weight (smallest {low:g}, at {where})",
        source=source,
        column=weight,
        hint="weights must be ≥ 0; pass allow_negative=True for balances or corrections",
    )


def _unmatched(
    mapped: Any, con: Any, column: str, reason: str, raw: str, condition: Any, records: int
) -> Unmatched:
    bad = mapped.filter(condition)
    bad = bad.select(_s3_x=_as_text(bad[raw]), _s3_n=bad[_N])
    top = (
        bad.group_by("_s3_x")
        .aggregate(_s3_n=bad[_N].sum())
        .order_by([_desc(_N), "_s3_x"])
        .limit(_EXAMPLES)
    )
    examples = con.execute(top)
    stats = con.execute(bad.aggregate(_s3_k=bad._s3_x.nunique(), _s3_null=bad._s3_x.isnull().any()))
    identifiers = int(stats["_s3_k"].iloc[0]) + int(bool(stats["_s3_null"].iloc[0]))
    pairs = tuple(
        ("<missing>" if pd.isna(code) else str(code), int(k))
        for code, k in zip(examples["_s3_x"], examples[_N], strict=True)
    )
    return Unmatched(column, reason, records, identifiers, pairs)


def _is_identity(
    filtered: Any,
    column: str,
    fn: Callable[[Any], Any],
    con: Any,
    distinct_values: dict[str, list[str]] | None = None,
) -> bool:
    """Whether *fn* maps every distinct non-null value of a text *column* to itself.

    If so, and *distinct_values* is given, the distinct values are stored in it under
    *column* (one query gives both).
    """
    if not filtered[column].type().is_string():
        return False
    values = filtered.select(_s3_x=filtered[column]).distinct()
    values = values.filter(values._s3_x.notnull())
    mapped = fn(values._s3_x)
    if not mapped.type().is_string():  # e.g. years given as text: not the same values
        return False
    if distinct_values is None:
        changed = (mapped != values._s3_x).ifelse(1, 0).sum()
        return int(con.execute(changed) or 0) == 0
    found = con.to_pyarrow(values.select(values._s3_x, _s3_same=mapped == values._s3_x))
    if not all(found.column("_s3_same").to_pylist()):
        return False
    distinct_values[column] = [str(v) for v in found.column("_s3_x").to_pylist()]
    return True


def _sorted(df: pd.DataFrame, keys: Mapping[str, str], value: str) -> pd.DataFrame:
    """The aggregated rows for :meth:`ActivityTable.from_frame`: text codes as
    categoricals (sorted categories), periods as int64, values as float64, rows sorted
    by region, activity, period.

    The keys of a GROUP BY are unique, and there are rarely many more possible cells
    than rows, so the rows are put in order by their cell number (a counting sort,
    linear) rather than sorted; ``argsort`` is the fallback.
    """
    present = [(src, dst) for src, dst in keys.items() if src in df.columns]
    factors: list[tuple[NDArray[np.intp], Any]] = []
    for src, dst in present:
        column = df[src]
        raw: Any
        found: Any
        uniques: Any
        if dst == "period":
            years = column.to_numpy(dtype=np.int64)
            low = int(years.min()) if len(years) else 0
            span = int(years.max()) - low + 1 if len(years) else 0
            if 0 < span <= 10_000:  # years: offsets, no hashing
                raw, uniques = years - low, np.arange(low, low + span, dtype=np.int64)
            else:  # pragma: no cover - periods are years, 0-9999
                raw, found = pd.factorize(years)
                uniques = np.asarray(found, dtype=np.int64)
        elif isinstance(column.dtype, pd.CategoricalDtype):  # from an ENUM: no strings
            raw = column.cat.codes.to_numpy(dtype=np.intp)
            uniques = np.asarray(column.cat.categories.astype(str), dtype=object)
        else:
            raw, found = pd.factorize(column.astype(str))
            uniques = np.asarray(found, dtype=object)
        raw = np.asarray(raw, dtype=np.intp)
        # keep the values that occur, sorted; only the (few) distinct values are sorted
        used = np.flatnonzero(np.bincount(raw, minlength=len(uniques)))
        by_value = np.argsort(uniques[used], kind="stable")
        remap = np.full(len(uniques), -1, dtype=np.intp)
        remap[used[by_value]] = np.arange(len(used), dtype=np.intp)
        kept: Any = uniques[used[by_value]]
        if dst != "period":
            kept = pd.Index(kept, dtype=object)
        factors.append((remap[raw], kept))
    n = len(df)
    sizes = [max(len(uniques), 1) for _, uniques in factors]
    cells = float(np.prod(sizes, dtype=np.float64))
    values = df[value].to_numpy(dtype=np.float64, na_value=np.nan)
    data: dict[str, Any] = {}
    order: NDArray[np.intp] | None = None
    if cells >= 2.0**62:  # pragma: no cover - more than 2**62 possible cells
        order = np.lexsort([codes for codes, _ in reversed(factors)])
        sorted_codes = [codes[order] for codes, _ in factors]
    else:
        combined = np.zeros(n, dtype=np.int64)
        for (codes, _), size in zip(factors, sizes, strict=True):
            combined = combined * size + codes
        if cells <= 4 * n + (1 << 20):  # counting sort over the possible cells
            slots = np.full(int(cells), -1, dtype=np.intp)
            slots[combined] = np.arange(n, dtype=np.intp)
            cell = np.flatnonzero(slots >= 0)
            if len(cell) == n:  # unique keys, as after a GROUP BY
                order = slots[cell]
        if order is None:
            order = np.argsort(combined, kind="stable")
            cell = combined[order]
        # the codes of each sorted row, from its cell number: no gathers
        sorted_codes = []
        for size in reversed(sizes):
            cell, rest = np.divmod(cell, size)
            sorted_codes.append(rest)
        sorted_codes.reverse()
    for (_, dst), (_, uniques), codes in zip(present, factors, sorted_codes, strict=True):
        if dst == "period":
            data[dst] = uniques[codes]
        else:
            data[dst] = pd.Categorical.from_codes(codes, categories=uniques)
    data["value"] = values[order]
    return pd.DataFrame(data)


def _desc(column: str) -> Any:
    import ibis

    return ibis.desc(column)
