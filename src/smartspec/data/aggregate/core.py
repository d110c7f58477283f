"""The aggregation: :func:`aggregate` from records to an :class:`~smartspec.table.ActivityTable`.

:func:`aggregate` checks its arguments, reads the records and connects to the backend;
:func:`_aggregate` builds the Ibis expression of one row per (region, activity,
period), refuses negative weights, runs the aggregation (on DuckDB with clean codes as
the ``ENUM`` SQL of :mod:`~smartspec.data.aggregate._duckdb_fast`), reports the records
that cannot be placed and builds the table with the aggregation's provenance.

Ibis, DuckDB and PySpark are imported only when :func:`aggregate` runs.
"""

from __future__ import annotations

import functools
import os
import time
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict
from typing import Any, Literal, cast

import numpy as np
import pandas as pd

from smartspec.data.aggregate._codes import (
    _A,
    _ID,
    _KEY,
    _MIN,
    _N,
    _NW,
    _P,
    _R,
    _RAW_A,
    _RAW_P,
    _RAW_R,
    _V,
    _VAL,
    _W,
    _as_text,
    _compact,
    _filter,
    _lookup,
    _municipality_to_nuts,
    _nace_level,
    _period_expr,
)
from smartspec.data.aggregate._duckdb_fast import _enum_sql, _is_identity
from smartspec.data.aggregate._inputs import (
    _as_ibis_table,
    _check_arguments,
    _describe,
    _read_source,
    _require_column,
)
from smartspec.data.aggregate._sort import _sorted
from smartspec.data.aggregate.unmatched import Unmatched, UnmatchedRecordsError, _unmatched
from smartspec.data.engines import backend_label, connect
from smartspec.errors import InputError
from smartspec.table import ActivityTable

__all__ = ["aggregate"]

RegionFrom = Literal["nuts", "municipality", "postcode"]
UnmatchedPolicy = Literal["error", "drop"]


# --------------------------------------------------------------------------- the API
def _quiet_engines(fn: Callable[..., ActivityTable]) -> Callable[..., ActivityTable]:
    """Run *fn* without the deprecation warnings Ibis 12 and PySpark 4 raise.

    They call pandas and DuckDB APIs that pandas 3 and DuckDB 1.5 deprecate
    (``Pandas4Warning``, ``DeprecationWarning`` from ``ibis.*`` / ``pyspark.*``):
    nothing a user of smartspec can act on. Warnings from anywhere else pass.
    """

    @functools.wraps(fn)
    def run(*args: Any, **kwargs: Any) -> ActivityTable:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", module=r"(ibis|pyspark)(\.|$)")
            return fn(*args, **kwargs)

    return run


@_quiet_engines
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
        As in :meth:`ActivityTable.from_frame`; for Swedish municipalities mapped by
        the built-in table, ``region_level`` is 3 and ``nuts_version`` 2024 (the län's
        codes, unchanged since 2008).
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
    if region_from == "municipality" and region_map is None:
        # the built-in mapping gives the län's NUTS 2024 codes (unchanged since 2008),
        # as the SCB client does
        if options["region_level"] is None:
            options["region_level"] = 3
        if options["nuts_version"] is None:
            options["nuts_version"] = 2024
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
