"""The Ibis expressions of the codes, computed in the backend.

Region identifiers to NUTS codes (NUTS codes as they are, Swedish municipality codes by
their county, any identifier through a lookup table), NACE codes cut to a level, periods
as years; the filters on the records; the lookup tables (``region_map``,
``activity_map``), normalised and checked for identifiers with several codes; and the
names of the columns the aggregation adds (all start with ``_s3_``).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from smartspec.data.aggregate._inputs import (
    _file_kind,
    _first_line,
    _is_ibis_table,
    _require_column,
)
from smartspec.errors import InputError

_PREFIX = "_s3_"
_R, _A, _P = "_s3_region", "_s3_activity", "_s3_period"
_RAW_R, _RAW_A, _RAW_P = "_s3_raw_region", "_s3_raw_activity", "_s3_raw_period"
_W, _ID, _N, _NW, _MIN, _V = "_s3_w", "_s3_id", "_s3_n", "_s3_nw", "_s3_min", "_s3_value"
_KEY, _VAL = "_s3_key", "_s3_val"
_EXAMPLES = 5


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
