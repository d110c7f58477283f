"""Convert region tables between NUTS versions (2010, 2013, 2016, 2021, 2024).

Between two versions, every region of the older one is **unchanged** (same code, same
territory), **recoded** (new code, same territory), **merged** (wholly part of a larger
new region), **split** (into several new regions that lie wholly inside it), shifted
(**boundary_shift**: parts go to new regions that also receive parts of others) or
**discontinued** (no successor, e.g. the UK in NUTS 2024); regions of the newer version
that receive nothing are **new**. Conversions between distant versions chain the
consecutive steps (2013 → 2016 → 2021 → 2024, and backwards).

What is known, and so what can be converted:

* Which regions changed, and how, comes from Eurostat's change tables. Unchanged and
  recoded regions are always converted; merges of counts (additive tables) too (the
  values are summed).
* How a split or shifted region divides comes from the JRC NUTS converter matrices: the
  area (``areaKm``), population 2011 and 2021 (``pop11``, ``pop21``), artificial surface
  2012 and 2018 (``artif_surf12``, ``artif_surf18``) and built-up volume (``bu_vol``) of
  every old ∩ new intersection, for 2013↔2016, 2016↔2021 and 2021↔2024 at levels 1-3.
  With ``weight=...`` a count is shared out in proportion to the weight (the share of
  the old region's weight that falls in each new region), and a rate (non-additive
  table) becomes the weighted mean of the old regions' rates over the intersections.
  Rates are never averaged without a weight you name.
* 2010 ↔ 2013 has no JRC matrix: recodes and merges (of counts) only; splits and
  boundary shifts cannot be converted.

Everything else raises :class:`~smartspec.errors.InputError` listing the regions and
saying which option would convert them.

A converted value is **NaN** when any region that contributes to it is NaN, or has no
row for that cell (activity, period): a missing value is never counted as 0. Fill
explicit zeros first if an absent row means zero. Flags of a combined cell are the
sorted union of the letters of its contributors' flags (``b`` and ``u`` give ``bu``).

Examples
--------
>>> import pandas as pd
>>> from smartspec.geo.conversion import convert
>>> df = pd.DataFrame({"region": ["FR24", "SE11"], "value": [10.0, 5.0]})
>>> convert(df, from_version=2013, to_version=2016, additive=True)
  region  value
0   FRB0   10.0
1   SE11    5.0
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from smartspec.errors import InputError
from smartspec.geo._conversion_plan import (
    _KINDS,
    CONVERSION_WEIGHTS,
    ConversionPlan,
    PlanEntry,
    _check_weight,
    _plan,
    conversion_plan,
)
from smartspec.geo._store import (
    all_codes,
    check_version,
    codes,
    is_aggregate,
    looks_like_code,
)

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
    from numpy.typing import NDArray

    from smartspec.geo._conversion_data import Step

__all__ = [
    "CONVERSION_WEIGHTS",
    "ConversionPlan",
    "PlanEntry",
    "conversion_plan",
    "convert",
]


_SOURCES = (
    "Eurostat NUTS change tables (NUTS 2010-2013 … NUTS 2021-2024 workbooks); "
    "JRC NUTS converter matrices (via the R package ropensci/nuts, MIT)"
)
_MAX_LISTED = 8


# --------------------------------------------------------------------------- convert
def convert(
    data: Any,
    *,
    to_version: int,
    from_version: int | None = None,
    weight: str | None = None,
    additive: bool | None = None,
    region: str = "region",
    value: str = "value",
    flag: str = "flag",
    unconvertible: Literal["error", "drop"] = "error",
) -> Any:
    """Convert a table of regions from one NUTS version to another.

    Parameters
    ----------
    data:
        A long :class:`pandas.DataFrame` with a region column and a value column (every
        other column except the flag column, e.g. activity and period, is a key that is
        kept as it is), or an :class:`~smartspec.table.ActivityTable` (anything with
        ``.frame`` and ``.meta``), whose metadata gives the version and additivity.
    to_version:
        The NUTS version to convert to.
    from_version:
        The NUTS version of the codes; required for a DataFrame, taken from
        ``meta.nuts_version`` for a table.
    weight:
        A JRC weight (:data:`CONVERSION_WEIGHTS`) for split and shifted regions, e.g.
        ``"pop21"`` or ``"areaKm"``. Needed to share counts out, and to average rates
        over merged or shifted regions. Ignored where nothing needs it.
    additive:
        ``True`` for counts and amounts (summed and shared out), ``False`` for rates,
        shares and per-capita values (weighted means); required for a DataFrame, taken
        from ``meta.additive`` for a table.
    region, value, flag:
        Column names in a DataFrame (the flag column is optional).
    unconvertible:
        ``"error"`` (default) raises an :class:`~smartspec.errors.InputError` listing
        the regions that cannot be converted; ``"drop"`` leaves them out, and with them
        the target regions they contribute to (recorded in the provenance).

    Returns
    -------
    pandas.DataFrame or ActivityTable
        The same kind of object. A DataFrame has the columns region, keys, value (and
        flag) and the conversion record in ``.attrs["nuts_conversion"]``; a table has
        ``meta.nuts_version = to_version`` and the record appended to
        ``meta.provenance["conversions"]``.

    Raises
    ------
    InputError
        For codes that are not codes of ``from_version``, and for regions that cannot
        be converted (naming them and the option that would convert them).

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"region": ["LT00"], "value": [1000.0]})
    >>> convert(df, from_version=2013, to_version=2016, additive=True, weight="areaKm")
      region       value
    0   LT01  149.949892
    1   LT02  850.050108
    """
    import numpy as np
    import pandas as pd

    b = check_version(to_version)
    if unconvertible not in ("error", "drop"):
        raise InputError(
            f"unconvertible={unconvertible!r} is not a policy", hint="use 'error' or 'drop'"
        )
    w = _check_weight(weight)
    table = None
    if hasattr(data, "frame") and hasattr(data, "meta"):
        table = data
        meta = data.meta
        if getattr(meta, "region_scheme", "NUTS") != "NUTS":
            raise InputError(
                f"the table's regions are {meta.region_scheme} codes, not NUTS codes",
                hint="only NUTS tables can be converted between NUTS versions",
            )
        a = _table_value("from_version", from_version, meta.nuts_version, "nuts_version")
        add = _table_value("additive", additive, meta.additive, "additive")
        frame = data.frame
        region, value, flag = "region", "value", "flag"
    elif isinstance(data, pd.DataFrame):
        if from_version is None:
            raise InputError(
                "from_version is required for a DataFrame",
                hint="pass from_version=2013 (the NUTS version of the region codes); "
                "smartspec.geo.detect_version(codes) lists the versions that fit",
            )
        if additive is None:
            raise InputError(
                "additive is required for a DataFrame",
                hint="additive=True for counts and amounts (summed), False for rates, "
                "shares and per-capita values (averaged with a weight)",
            )
        a, add, frame = from_version, additive, data
    else:
        raise InputError(
            f"expected a pandas DataFrame or an ActivityTable, got {type(data).__name__}"
        )
    a = check_version(a)
    if not isinstance(add, bool | np.bool_):
        raise InputError(f"additive must be True or False, not {add!r}")
    for role, col in (("region", region), ("value", value)):
        if col not in frame.columns:
            raise InputError(
                f"there is no {role} column {col!r}",
                hint=f"the columns are {', '.join(map(str, frame.columns))}; "
                f"pass {role}='<column name>'",
            )
    out, record = _convert_frame(frame, a, b, w, bool(add), region, value, flag, unconvertible)
    if table is None:
        out.attrs["nuts_conversion"] = record
        return out
    meta = table.meta
    prov = dict(meta.provenance)
    prov["conversions"] = [*prov.get("conversions", []), record]
    has = set(out.columns)
    return type(table).from_frame(
        out,
        measure=meta.measure,
        unit=meta.unit,
        additive=meta.additive,
        activity="activity" if "activity" in has else None,
        period="period" if "period" in has else None,
        flag="flag" if "flag" in has else None,
        classification=meta.classification,
        classification_version=meta.classification_version,
        nuts_version=b,
        region_level=meta.region_level,
        provenance=prov,
        allow_negative=True,
    )


def _table_value(name: str, given: Any, meta_value: Any, meta_name: str) -> Any:
    if meta_value is None and given is None:
        raise InputError(f"the table has no {meta_name}", hint=f"pass {name}=... to say what it is")
    if given is not None and meta_value is not None and given != meta_value:
        raise InputError(
            f"{name}={given!r} contradicts the table's {meta_name} ({meta_value!r})",
            hint=f"leave {name} out: the table's metadata is used",
        )
    return meta_value if given is None else given


def _convert_frame(
    frame: pd.DataFrame,
    a: int,
    b: int,
    weight: str | None,
    additive: bool,
    region: str,
    value: str,
    flag: str,
    unconvertible: str,
) -> tuple[pd.DataFrame, dict[str, Any]]:
    import numpy as np
    import pandas as pd

    from smartspec.geo import _conversion_data as data

    has_flag = flag in frame.columns
    keys = [c for c in frame.columns if c not in (region, value, flag)]
    values = pd.to_numeric(frame[value], errors="coerce").to_numpy(dtype=np.float64)
    bad = np.isnan(values) & frame[value].notna().to_numpy()
    if bad.any():
        first = int(np.argmax(bad))
        raise InputError(
            f"value {frame[value].iloc[first]!r} is not a number",
            row=first + 1,
            column=value,
        )
    if keys:
        col = np.asarray(frame.groupby(keys, sort=False, dropna=False).ngroup(), dtype=np.intp)
    else:
        col = np.zeros(len(frame), dtype=np.intp)
    n_col = int(col.max()) + 1 if len(col) else 1
    f_uniq: list[str] = [""]
    f_inv: Any = np.zeros(len(frame), dtype=np.intp)
    if has_flag:
        text = frame[flag].astype("string").str.strip().fillna("")
        f_inv, uniq = pd.factorize(text, use_na_sentinel=False)
        f_uniq = [str(f) for f in uniq]
    letters = sorted({ch for f in f_uniq for ch in str(f)})
    bit = {ch: 1 << i for i, ch in enumerate(letters)}
    masks = np.asarray([sum(bit[c] for c in set(str(f))) for f in f_uniq], dtype=np.int64)
    fmask = masks[np.asarray(f_inv, dtype=np.intp)]

    # regions: levels, aggregates, unknown codes (work on the distinct codes only)
    raw_inv, raw_uniq = pd.factorize(frame[region], use_na_sentinel=False)
    uniq_codes, remap = np.unique(
        np.asarray([str(c).strip().upper() for c in raw_uniq], dtype=str), return_inverse=True
    )
    code_inv = remap[np.asarray(raw_inv, dtype=np.intp)]
    aggregate = np.asarray([is_aggregate(c) for c in uniq_codes], dtype=bool)
    level_of = np.asarray(
        [len(c) - 2 if looks_like_code(c) else -1 for c in uniq_codes], dtype=np.intp
    )
    known = np.asarray(
        [
            agg or (0 <= lv <= 3 and c in codes(a, int(lv)))
            for c, lv, agg in zip(uniq_codes, level_of, aggregate, strict=True)
        ],
        dtype=bool,
    )
    if not known.all():
        raise _unknown_codes_error([str(c) for c in uniq_codes[~known]], a, region)
    levels = tuple(
        sorted({int(lv) for lv, agg in zip(level_of, aggregate, strict=True) if not agg})
    )
    row_agg = aggregate[code_inv]

    steps = data.path(a, b)
    w_idx = None if weight is None else CONVERSION_WEIGHTS.index(weight)
    dropped_sources: list[str] = []
    dropped_targets: list[str] = []
    # the region rows
    keep = ~row_agg
    cur_inv = code_inv[keep]
    cur_col, cur_val, cur_flag = col[keep], values[keep], fmask[keep]
    _check_duplicates(cur_inv, cur_col, frame, keys, keep, region)
    present_codes = [str(c) for c in uniq_codes[np.unique(cur_inv)]]
    # region indices into the code list of the current version (the steps' sources and
    # targets are the sorted codes of each version at these levels, so they chain)
    first_step = data.step(*steps[0], levels) if steps else None
    universe = first_step.sources if first_step is not None else tuple(present_codes)
    pos = pd.Index(universe).get_indexer(pd.Index(uniq_codes))
    src = pos[cur_inv].astype(np.intp)
    for x, y in steps:
        st = data.step(x, y, levels)
        coef = st.additive_coef(w_idx) if additive else st.rate_coef(w_idx)
        unknown = np.isnan(coef)
        deg = np.bincount(st.src, minlength=len(st.sources))
        bad_src = np.zeros(len(st.sources), dtype=bool)
        bad_src[st.src[unknown]] = True
        blocked = np.zeros(len(st.targets), dtype=bool)
        blocked[st.tgt[unknown]] = True
        used = np.zeros(len(st.sources), dtype=bool)
        used[src] = True
        lost = used & (deg == 0)
        stuck = used & bad_src
        if lost.any() or stuck.any():
            if unconvertible == "error":
                raise _unconvertible_error(st, lost, stuck, additive, weight, coef, (a, b))
            dropped_sources += [st.sources[i] for i in np.flatnonzero(lost | stuck)]
            ok = ~(lost | stuck)[src]
            src, cur_col, cur_val, cur_flag = src[ok], cur_col[ok], cur_val[ok], cur_flag[ok]
        tgt, cur_col, cur_val, cur_flag = _apply(st, coef, src, cur_col, cur_val, cur_flag, n_col)
        if unconvertible == "drop" and blocked.any():
            drop = blocked[tgt]
            dropped_targets += sorted({st.targets[i] for i in tgt[drop]})
            tgt, cur_col, cur_val, cur_flag = (
                tgt[~drop],
                cur_col[~drop],
                cur_val[~drop],
                cur_flag[~drop],
            )
        src = tgt
        universe = st.targets

    # the output frame: region rows, then aggregates as they were
    first_row = np.zeros(n_col, dtype=np.intp)
    used_cols, first_at = np.unique(col, return_index=True)
    first_row[used_cols] = first_at
    out_codes = pd.Index(universe, dtype=object)[src].tolist() if len(src) else []
    out = pd.DataFrame({region: pd.Series(out_codes)})
    for k in keys:
        out[k] = frame[k].to_numpy()[first_row[cur_col]]
    out[value] = cur_val
    if has_flag:
        out[flag] = pd.Series(_mask_text(cur_flag, letters))
    if row_agg.any():
        agg = frame.loc[row_agg, [region, *keys, value, *([flag] if has_flag else [])]]
        out = pd.concat([out, agg], ignore_index=True)
    out = out.reset_index(drop=True)
    record = _record(
        a, b, weight, additive, levels, present_codes, dropped_sources, dropped_targets
    )
    return out, record


def _apply(
    st: Step,
    coef: NDArray[np.float64],
    src: NDArray[np.intp],
    col: NDArray[np.intp],
    val: NDArray[np.float64],
    fmask: NDArray[np.int64],
    n_col: int,
) -> tuple[NDArray[np.intp], NDArray[np.intp], NDArray[np.float64], NDArray[np.int64]]:
    """One step as a sparse product on the long rows: expand, multiply, group, sum."""
    import numpy as np

    order = np.argsort(st.src, kind="stable")
    p_tgt, p_coef = st.tgt[order], coef[order]
    deg = np.bincount(st.src, minlength=len(st.sources))
    start = np.concatenate(([0], np.cumsum(deg)[:-1]))
    d = deg[src]
    rep = np.repeat(np.arange(len(src)), d)
    offset = np.arange(int(d.sum())) - np.repeat(np.cumsum(d) - d, d)
    pos = np.repeat(start[src], d) + offset
    tgt = p_tgt[pos]
    contrib = val[rep] * np.nan_to_num(p_coef[pos], nan=0.0)
    key = tgt.astype(np.int64) * n_col + col[rep]
    uniq, inv = np.unique(key, return_inverse=True)
    sums = np.bincount(inv, weights=contrib, minlength=len(uniq))
    present = np.bincount(inv, minlength=len(uniq))
    indeg = np.bincount(st.tgt, minlength=len(st.targets))
    out_tgt = (uniq // n_col).astype(np.intp)
    out_col = (uniq % n_col).astype(np.intp)
    sums[present < indeg[out_tgt]] = np.nan  # a contributor has no row: unknown
    flags = np.zeros(len(uniq), dtype=np.int64)
    if len(inv):
        by_group = np.argsort(inv, kind="stable")
        starts = np.flatnonzero(np.r_[True, np.diff(inv[by_group]) != 0])
        flags = np.bitwise_or.reduceat(fmask[rep][by_group], starts)
    return out_tgt, out_col, sums.astype(np.float64), flags.astype(np.int64)


def _mask_text(masks: NDArray[np.int64], letters: list[str]) -> list[str | None]:
    import numpy as np

    uniq, inv = np.unique(masks, return_inverse=True)
    text = ["".join(ch for i, ch in enumerate(letters) if int(m) >> i & 1) or None for m in uniq]
    return [text[i] for i in inv]


def _check_duplicates(
    codes_: NDArray[np.intp],
    col: NDArray[np.intp],
    frame: pd.DataFrame,
    keys: list[str],
    keep: NDArray[np.bool_],
    region: str,
) -> None:
    import pandas as pd

    dup = pd.DataFrame({"r": codes_, "c": col}).duplicated(keep=False).to_numpy()
    if dup.any():
        rows = frame.loc[keep].iloc[dup.nonzero()[0][:3]]
        shown = "; ".join(
            " × ".join(str(v) for v in row) for row in rows[[region, *keys]].itertuples(False)
        )
        raise InputError(
            f"{int(dup.sum())} rows repeat a (region{', ' if keys else ''}{', '.join(keys)}) "
            f"key, e.g. {shown}",
            hint="each region may occur once per key; a column that varies within a key "
            "must be selected or aggregated first",
        )


def _record(
    a: int,
    b: int,
    weight: str | None,
    additive: bool,
    levels: tuple[int, ...],
    present: list[str],
    dropped_sources: list[str],
    dropped_targets: list[str],
) -> dict[str, Any]:
    from smartspec.geo import _conversion_data as data

    counts = dict.fromkeys(_KINDS, 0)
    present_set = set(present)
    for level in levels:
        for entry in _plan(a, b, level, weight):
            if entry.code in present_set:
                counts[entry.kind] += 1
    steps = data.path(a, b)
    jrc = weight is not None and any(min(x, y) in data.JRC_STEPS for x, y in steps)
    return {
        "operation": "nuts_conversion",
        "from_version": a,
        "to_version": b,
        "steps": [f"{x}->{y}" for x, y in steps],
        "weight": weight,
        "additive": additive,
        "regions": len(present_set),
        **counts,
        "dropped_sources": sorted(set(dropped_sources)),
        "dropped_targets": sorted(set(dropped_targets)),
        "change_tables": _SOURCES if jrc else _SOURCES.split(";")[0],
    }


# --------------------------------------------------------------------------- errors
def _unknown_codes_error(unknown: list[str], version: int, column: str) -> InputError:
    parts = []
    for code in unknown[:_MAX_LISTED]:
        other = all_codes().get(code, ())
        parts.append(f"{code} (a NUTS {'/'.join(map(str, other))} code)" if other else code)
    more = f" and {len(unknown) - _MAX_LISTED} more" if len(unknown) > _MAX_LISTED else ""
    n = len(unknown)
    return InputError(
        f"{n} region code{'s are' if n != 1 else ' is'} not NUTS {version} codes: "
        f"{', '.join(parts)}{more}",
        column=column,
        hint="declare the right from_version, or correct or drop these rows",
    )


def _listed(st: Step, idx: Any, coef: Any) -> str:
    import numpy as np

    parts = []
    for i in list(idx)[:_MAX_LISTED]:
        pairs = np.flatnonzero(st.src == i)
        targets = [st.targets[j] for j in st.tgt[pairs]]
        parts.append(f"{st.sources[i]} (→ {', '.join(targets)})" if targets else st.sources[i])
    more = len(idx) - _MAX_LISTED
    return "; ".join(parts) + (f"; and {more} more" if more > 0 else "")


def _unconvertible_error(
    st: Step,
    lost: Any,
    stuck: Any,
    additive: bool,
    weight: str | None,
    coef: Any,
    ends: tuple[int, int],
) -> InputError:
    import numpy as np

    where = (
        st.label
        if (st.from_version, st.to_version) == ends
        else (f"{st.label} (a step of NUTS {ends[0]} → {ends[1]})")
    )
    if lost.any():
        idx = np.flatnonzero(lost)
        return InputError(
            f"{where}: {len(idx)} region(s) have no successor in NUTS {st.to_version}: "
            f"{_listed(st, idx, coef)}",
            hint="pass unconvertible='drop' to leave them out",
        )
    idx = np.flatnonzero(stuck)
    regions = _listed(st, idx, coef)
    what = "counts" if additive else "rates"
    if not st.has_weights:
        return InputError(
            f"{where}: {len(idx)} region(s) cannot be converted ({what}): {regions}",
            hint=f"there are no JRC weights for NUTS {min(ends)}↔2013 and the change "
            "table gives no shares for splits and boundary shifts"
            + ("" if additive else ", nor for averaging rates over merged regions")
            + "; use a level where these regions are unchanged, or pass "
            "unconvertible='drop' to leave them out",
        )
    if weight is None:
        if additive:
            message = f"{len(idx)} region(s) are split or shifted and need a weight: {regions}"
            hint = (
                "pass weight='pop21' (population 2021) or 'areaKm' (area) to share the "
                "counts out; the JRC weights are " + ", ".join(CONVERSION_WEIGHTS)
            )
        else:
            message = (
                f"{len(idx)} region(s) are merged, split or shifted, and a rate is only "
                f"re-weighted with a weight you name: {regions}"
            )
            hint = (
                "pass weight='pop21' for the population-weighted mean of the rates (or "
                "another JRC weight: " + ", ".join(CONVERSION_WEIGHTS) + ")"
            )
        return InputError(f"{where}: {message}", hint=hint)
    return InputError(
        f"{where}: the JRC matrix gives no {weight} to {len(idx)} region(s): {regions}",
        hint="pass weight='areaKm' (area), which every intersection has",
    )
