"""The content hash of a stored table: SHA-256 over its rows (in a canonical order) and
its metadata, without the provenance fields that only say when and how it was fetched;
and provenance as JSON data.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from smartspec.data.store.entry import _COLUMNS, _meta_fields
from smartspec.errors import InputError
from smartspec.table import ActivityTable, TableMeta

VOLATILE_PROVENANCE: frozenset[str] = frozenset({"retrieved", "from_cache", "chunks", "limits"})
"""Provenance fields left out of the content hash: when and how, not what."""

_HASH_PREFIX = b"smartspec-evidence/1\n"


def content_hash(table: ActivityTable) -> str:
    """SHA-256 (hex) of a table's rows and metadata; the row order does not change it.

    The rows are sorted by region, activity and period (unique keys), and each column
    is serialised as its sorted distinct codes and the row codes (region, activity,
    flag), little-endian integers (period) or IEEE doubles with one NaN (value). The
    metadata is canonical JSON; provenance fields in :data:`VOLATILE_PROVENANCE` are
    left out.

    Examples
    --------
    >>> import pandas as pd
    >>> from smartspec.table import ActivityTable
    >>> def t(rows):
    ...     return ActivityTable.from_frame(pd.DataFrame(rows, columns=["region", "value"]),
    ...         measure="m", unit="u", additive=True, region_scheme="custom")
    >>> content_hash(t([("A", 1.0), ("B", 2.0)])) == content_hash(t([("B", 2.0), ("A", 1.0)]))
    True
    >>> content_hash(t([("A", 1.0), ("B", 2.0)])) == content_hash(t([("A", 1.0), ("B", 3.0)]))
    False
    """
    digest = hashlib.sha256(_HASH_PREFIX)
    frame = table.frame
    columns = [c for c in _COLUMNS if c in frame.columns]
    keys: dict[str, np.ndarray[Any, Any]] = {}
    parts: dict[str, tuple[np.ndarray[Any, Any], list[str] | None]] = {}
    for col in columns:
        series = frame[col]
        if col in ("region", "activity", "flag"):
            codes, uniques = _factorize_text(series)
            parts[col] = (codes, uniques)
            if col != "flag":
                keys[col] = codes
        elif col == "period":
            values = np.asarray(series.to_numpy(), dtype="<i8")
            parts[col] = (values, None)
            keys[col] = values
        else:
            values = np.asarray(series.to_numpy(dtype=np.float64), dtype="<f8").copy()
            values[np.isnan(values)] = np.nan  # one NaN bit pattern
            parts[col] = (values, None)
    order = (
        np.lexsort(tuple(keys[c] for c in reversed(list(keys)))) if keys else np.arange(len(frame))
    )
    digest.update(f"rows {len(frame)}\n".encode())
    for col in columns:
        data, texts = parts[col]
        digest.update(f"column {col}\n".encode())
        if texts is not None:
            digest.update(f"codes {len(texts)}\n".encode())
            for text in texts:
                raw = text.encode("utf-8")
                digest.update(len(raw).to_bytes(8, "little") + raw)
            data = np.asarray(data, dtype="<i8")
        digest.update(np.ascontiguousarray(data[order]).tobytes())
    digest.update(b"meta\n")
    digest.update(_canonical_json(_meta_for_hash(table.meta)).encode("utf-8"))
    return digest.hexdigest()


def _factorize_text(series: pd.Series[Any]) -> tuple[np.ndarray[Any, Any], list[str]]:
    """Codes into the sorted distinct texts; a missing value is -1."""
    values = series.astype(object).to_numpy()
    codes, uniques = pd.factorize(values, sort=True)
    return np.asarray(codes, dtype=np.int64), [str(u) for u in uniques]


def _meta_for_hash(meta: TableMeta) -> dict[str, Any]:
    provenance = {k: v for k, v in meta.provenance.items() if k not in VOLATILE_PROVENANCE}
    return _meta_fields(meta, _jsonable(provenance))


def _canonical_json(value: Any) -> str:
    return json.dumps(
        value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False
    )


def _jsonable(value: Any, where: str = "provenance") -> Any:
    """Provenance as JSON data: tuples become lists, numpy scalars numbers, dates ISO text."""
    if value is None or isinstance(value, bool | str | int):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise InputError(
                f"{where} holds {value!r}, which JSON cannot store",
                hint="use None for a missing number",
            )
        return value
    if isinstance(value, np.generic):
        return _jsonable(value.item(), where)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, Mapping):
        out: dict[str, Any] = {}
        for k, v in value.items():
            if not isinstance(k, str):
                raise InputError(
                    f"{where} has a key {k!r} that is not text",
                    hint="provenance keys must be strings",
                )
            out[k] = _jsonable(v, f"{where}[{k!r}]")
        return out
    if isinstance(value, list | tuple):
        return [_jsonable(v, f"{where}[{i}]") for i, v in enumerate(value)]
    raise InputError(
        f"{where} holds a {type(value).__name__}, which cannot be stored",
        hint="provenance may hold text, numbers, booleans, dates, lists and mappings",
    )
