"""The rules a table's input must follow, and the errors that say what is wrong.

Each rule takes the columns of the input frame (already given usable dtypes by
:func:`smartspec.table.dtypes.usable_frame`) and returns clean arrays or raises an
:class:`~smartspec.errors.InputError` that says what, where (source, row, column) and
what would be right:

* arguments and columns: the NUTS version, the column names, ``select``;
* codes: every row has a region (activity) code; codes that differ only by blanks are
  one code; periods are whole years;
* values: numbers (or missing: empty, ``NaN``, ``NA``, Eurostat's ``:``), not negative
  unless allowed, flags as text;
* activities: NACE codes that nest (``C`` in ``B-E``) cannot be mixed;
* keys: each (region, activity, period) occurs once; the message names the other
  columns that vary within a duplicated key (an unselected dimension such as ``age``).

Region codes are checked in :mod:`smartspec.table.regions`. Core module: no I/O, no
web, database or plotting imports.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Hashable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from smartspec.errors import InputError
from smartspec.table.meta import NUTS_VERSIONS
from smartspec.taxonomy import is_nace_code, overlapping_activities

_MISSING_TEXT = frozenset({"", ":", "nan", "NaN", "NAN", "NA", "<NA>"})
_MAX_LISTED = 5


# --------------------------------------------------------------------------- messages
def _fmt_select(values: Sequence[str]) -> str:
    return repr(values[0]) if len(values) == 1 else repr(list(values))


def _list(items: Sequence[Any], limit: int = 12) -> str:
    shown = [str(i) for i in list(items)[:limit]]
    more = len(items) - len(shown)
    return ", ".join(shown) + (f" … ({more} more)" if more > 0 else "")


def _first_row(mask: NDArray[np.bool_], rows: NDArray[np.int64]) -> int:
    return int(rows[int(np.argmax(mask))])


# --------------------------------------------------------------------------- arguments
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


# --------------------------------------------------------------------------- codes
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


# --------------------------------------------------------------------------- values
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
