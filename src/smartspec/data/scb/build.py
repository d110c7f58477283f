"""Building an :class:`~smartspec.table.ActivityTable` from SCB's long frame.

Finds the time, region and activity variables, checks that every other variable has
one value, maps regions to NUTS and SNI 2007 to NACE Rev. 2 (summing five-digit detail
groups into their class), and tells from the unit whether the values are additive.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from smartspec.data.scb.mapping import scb_region_to_nuts, sni_to_nace
from smartspec.data.scb.selection import _preview
from smartspec.errors import InputError
from smartspec.table import ActivityTable

_ADDITIVE_WORDS = re.compile(
    r"^(antal|st|styck|personer|individer|kr|kronor|tkr|tusen|mnkr|mdkr|miljon|miljard|"
    r"timmar|ton|hektar|ha|kvm|m2|sysselsatta|företag|arbetsställen)\b",
    re.IGNORECASE,
)
_RATE_WORDS = re.compile(
    r"(procent|%|promille|per |/|index|andel|kvot|medel|median|genomsnitt|ränta|pris)",
    re.IGNORECASE,
)


def _additive_from_unit(unit: str, source: str) -> bool:
    text = unit.strip()
    if _RATE_WORDS.search(text):
        return False
    if _ADDITIVE_WORDS.match(text):
        return True
    raise InputError(
        f"cannot tell from the unit {unit!r} whether the values may be summed",
        source=source,
        hint="pass additive=True for counts and amounts, additive=False for rates",
    )


def _detect(
    variables: Mapping[str, str],
    explicit: str | None,
    kind: str,
    frame_cols: Sequence[str],
    table: str,
) -> str | None:
    if explicit is not None:
        if explicit not in frame_cols:
            raise InputError(
                f"the table {table} has no variable {explicit!r}",
                hint=f"its variables are {', '.join(variables)}",
            )
        return explicit
    for code, label in variables.items():
        if code not in frame_cols:
            continue
        low_code, low_label = code.lower(), str(label).lower()
        if kind == "region" and (low_code in ("region", "lan", "län") or low_label == "region"):
            return code
        if kind == "activity" and (
            low_code.startswith("sni2007") or "sni 2007" in low_label or "sni2007" in low_label
        ):
            return code
    return None


def _to_table(
    frame: pd.DataFrame,
    info: dict[str, Any],
    *,
    measure: str | None,
    unit: str | None,
    additive: bool | None,
    region_dim: str | None,
    activity_dim: str | None,
    regions: str,
    select: Mapping[str, str | Sequence[str]] | None,
    table_options: Mapping[str, Any],
) -> ActivityTable:
    table = str(info["table"])
    source = f"SCB {table}"
    variables: dict[str, str] = dict(info.get("variables") or {})
    cols = [c for c in frame.columns if c not in ("value", "flag")]
    if regions not in ("nuts", "scb"):
        raise InputError(f"regions={regions!r} is not an option", hint="use 'nuts' or 'scb'")
    if select:
        for name, wanted in select.items():
            if name not in cols:
                raise InputError(
                    f"select names {name!r}, which the table does not have",
                    source=source,
                    hint=f"its variables are {', '.join(cols)}",
                )
            want = [wanted] if isinstance(wanted, str) else [str(w) for w in wanted]
            have = set(frame[name].astype(str))
            missing = [w for w in want if w not in have]
            if missing:
                raise InputError(
                    f"select {name}: {', '.join(missing)} not in the answer",
                    source=source,
                    hint=f"the values are {_preview(sorted(have))}",
                )
            frame = frame.loc[frame[name].astype(str).isin(want)]
    time_var = info.get("time_variable") or _detect_time(cols)
    if time_var is None or time_var not in cols:
        raise InputError(f"the table {table} has no time variable", source=source)
    region_var = _detect(variables, region_dim, "region", cols, table)
    if region_var is None:
        raise InputError(
            f"the table {table} has no region variable",
            source=source,
            hint=f"its variables are {', '.join(cols)}; pass region_dim=...",
        )
    activity_var = _detect(variables, activity_dim, "activity", cols, table)
    metric_var = info.get("metric_variable")
    fixed: dict[str, str] = {}
    for col in cols:
        if col in (time_var, region_var, activity_var):
            continue
        values = sorted(frame[col].astype(str).unique())
        if len(values) > 1:
            label = variables.get(col, col)
            raise InputError(
                f"the variable {col!r} ({label}) has {len(values)} values "
                f"({_preview(values)}): a table holds one",
                source=source,
                column=col,
                hint=f"select one value in the query, e.g. {{{col!r}: [{values[0]!r}]}}, or "
                f"pass select={{{col!r}: {values[0]!r}}}",
            )
        if values:
            fixed[col] = values[0]
    contents: dict[str, dict[str, Any]] = dict(info.get("contents") or {})
    content_code = fixed.get(str(metric_var)) if metric_var else None
    content = contents.get(content_code or "", {})
    if measure is None:
        measure = str(content.get("label") or info.get("label") or table)
    if unit is None:
        unit = content.get("unit")
        if not unit:
            raise InputError(
                f"SCB's answer for {table} does not give the unit",
                source=source,
                hint="pass unit=..., e.g. unit='antal personer'",
            )
    if additive is None:
        additive = _additive_from_unit(str(unit), source)
    notes: list[str] = []
    out = pd.DataFrame(
        {
            "region": frame[region_var].astype(str).to_numpy(),
            "period": frame[time_var].astype(str).to_numpy(),
            "value": frame["value"].to_numpy(dtype=np.float64),
            "flag": frame["flag"].to_numpy(dtype=object),
        }
    )
    if activity_var is not None:
        out.insert(1, "activity", frame[activity_var].astype(str).to_numpy())
    scheme = "NUTS"
    if regions == "nuts":
        mapping = {c: scb_region_to_nuts(c) for c in out["region"].unique()}
        out["region"] = out["region"].map(mapping)
    else:
        scheme = "SCB"
    classification = version = None
    is_sni = activity_var is not None and _is_sni2007(activity_var, variables)
    if is_sni:
        out, more = _map_activities(out, bool(additive), source)
        notes += more
        classification, version = "NACE", "Rev. 2"
    provenance = {
        **{k: v for k, v in info.items() if k not in ("variables", "contents")},
        "source": source,
        "dimensions": fixed,
        "region_variable": region_var,
        "activity_variable": activity_var,
        "time_variable": time_var,
    }
    options = dict(table_options)
    provenance.update(options.pop("provenance", None) or {})
    if scheme == "NUTS":
        options.setdefault("nuts_version", 2024)
    options.setdefault("allow_negative", not additive)
    return ActivityTable.from_frame(
        out,
        measure=measure,
        unit=str(unit),
        additive=bool(additive),
        region="region",
        activity="activity" if activity_var is not None else None,
        period="period",
        value="value",
        flag="flag",
        classification=options.pop("classification", classification),
        classification_version=options.pop("classification_version", version),
        region_scheme=scheme,
        provenance=provenance,
        source=source,
        notes=notes,
        **options,
    )


def _detect_time(cols: Sequence[str]) -> str | None:
    for c in cols:
        if c.lower() in ("tid", "time", "år"):
            return c
    return None


def _is_sni2007(code: str, variables: Mapping[str, str]) -> bool:
    label = str(variables.get(code, "")).lower()
    return "2007" in code or "sni 2007" in label or "sni2007" in label


def _map_activities(
    out: pd.DataFrame, additive: bool, source: str
) -> tuple[pd.DataFrame, list[str]]:
    codes = out["activity"].unique().tolist()
    mapping = {c: sni_to_nace(c) for c in codes}
    notes: list[str] = []
    unknown = sorted(c for c, m in mapping.items() if m is None)
    if unknown:
        n = int(out["activity"].isin(unknown).sum())
        notes.append(
            f"activity codes that are not SNI 2007 / NACE codes dropped ({n} rows): "
            + _preview(unknown)
        )
        out = out.loc[~out["activity"].isin(unknown)]
    out = out.assign(activity=out["activity"].map(mapping))
    detail = sorted(
        c for c, m in mapping.items() if m is not None and len(re.sub(r"\D", "", c)) == 5
    )
    if detail:
        if not additive:
            raise InputError(
                f"the SNI 2007 detail groups ({_preview(detail)}) would have to be summed "
                "into NACE classes, but the values are not additive",
                source=source,
                hint="select four-digit SNI codes, or pass additive=True if the values are counts",
            )
        keys = ["region", "activity", "period"]
        if out.duplicated(keys).any():
            grouped = out.groupby(keys, sort=False, dropna=False)
            summed = grouped["value"].sum(min_count=1)
            # a class is missing if any of its detail groups is
            any_nan = grouped["value"].apply(lambda v: bool(v.isna().any()))
            summed[any_nan] = np.nan
            flags = grouped["flag"].agg(_merge_flags)
            out = pd.DataFrame({"value": summed, "flag": flags}).reset_index()
        notes.append(
            f"{len(detail)} SNI 2007 detail groups (five digits) summed into their NACE "
            "Rev. 2 classes"
        )
    return out, notes


def _merge_flags(flags: pd.Series[Any]) -> str | None:
    """The flags of the detail groups summed into one class: distinct, comma-separated."""
    distinct = sorted({x for x in flags if isinstance(x, str) and x})
    return ",".join(distinct) or None
