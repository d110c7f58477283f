"""Building a table: from an input frame to the frame, metadata and report of a table.

:func:`build_parts` runs the whole pipeline behind :meth:`ActivityTable.from_frame
<smartspec.table.ActivityTable.from_frame>`: arguments, column names and dtypes
(:mod:`smartspec.table.dtypes`), ``select``, codes, periods, values and flags
(:mod:`smartspec.table.validate`), region codes (:mod:`smartspec.table.regions`),
nesting of activities, duplicate keys, and finally the categorical frame with its
:class:`~smartspec.table.TableMeta` and :class:`~smartspec.table.ValidationReport`.

Core module: no I/O, no web, database or plotting imports.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from typing import Any, cast

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from smartspec.errors import InputError
from smartspec.table.dtypes import usable_frame
from smartspec.table.meta import DroppedCode, TableMeta, ValidationReport
from smartspec.table.regions import _check_regions
from smartspec.table.validate import (
    _MAX_LISTED,
    _apply_select,
    _check_duplicates,
    _check_nesting,
    _check_version,
    _factor_codes,
    _factor_periods,
    _fmt_select,
    _parse_flags,
    _parse_values,
    _resolve_columns,
)

__all__ = ["build_parts"]


def build_parts(
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
) -> tuple[pd.DataFrame, TableMeta, ValidationReport]:
    """Validate *df* and build the frame, metadata and report of a table.

    The work of :meth:`ActivityTable.from_frame <smartspec.table.ActivityTable.from_frame>`,
    whose parameters these are (``columns`` maps each role to its column name).
    """
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
    # ---- dtypes: Arrow string_view and dictionaries made usable, nested types refused
    roles: dict[Hashable, str] = dict.fromkeys(select or {}, "select")
    roles.update({col: role for role, col in used.items()})
    df = usable_frame(df, roles, source=source, others=True)

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
    return frame, meta, report


def _categorical(codes: NDArray[np.intp], uniques: list[str]) -> pd.Categorical:
    """A categorical of the used codes, categories sorted."""
    used = np.flatnonzero(np.bincount(codes, minlength=len(uniques)))
    names = [uniques[i] for i in used]
    order = np.argsort(np.asarray(names, dtype=object), kind="stable")
    remap = np.full(len(uniques), -1, dtype=np.intp)
    remap[used[order]] = np.arange(len(used), dtype=np.intp)
    categories = pd.Index([names[i] for i in order], dtype=object)
    return pd.Categorical.from_codes(remap[codes], categories=categories)
