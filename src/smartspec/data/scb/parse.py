"""Parsing SCB's data answers into a long frame and its provenance.

JSON-stat 1.x and 2.0 (API v1 ``json-stat``, v2 ``json-stat2``) are read by
:mod:`smartspec.data.jsonstat`; PxWeb's own ``json`` format (API v1) by
:func:`parse_pxweb_json`. The frame has one column per variable, ``value`` (NaN when
missing) and ``flag`` (SCB's status symbol).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from smartspec.data.http import Response
from smartspec.data.jsonstat import parse_jsonstat
from smartspec.errors import InputError


def _parse_data(response: Response, fmt: str, table: str) -> tuple[pd.DataFrame, dict[str, Any]]:
    try:
        doc = response.json()
    except ValueError:
        raise InputError(f"SCB's answer for {table} is not JSON", source=response.url) from None
    if fmt == "json":
        frame, info = parse_pxweb_json(doc, source=response.url)
    else:
        ds = parse_jsonstat(doc, source=response.url)
        frame = ds.to_frame()
        status = frame.pop("status").to_numpy(dtype=object)
        frame["flag"] = [s if isinstance(s, str) and s else None for s in status.tolist()]
        time_dim = ds.role("time")
        metric = ds.role("metric")
        contents: dict[str, dict[str, Any]] = {}
        if metric is not None:
            for c in metric.codes:
                unit = metric.units.get(c, {})
                contents[c] = {"label": metric.label_of(c), "unit": unit.get("base")}
        info = {
            "label": ds.label,
            "data_source": ds.source,
            "updated": ds.updated,
            "variables": {d.id: d.label for d in ds.dimensions},
            "time_variable": time_dim.id if time_dim else None,
            "metric_variable": metric.id if metric else None,
            "contents": contents,
            "notes": list(ds.note),
        }
    info["url"] = response.url
    info["retrieved"] = response.retrieved.isoformat()
    info["from_cache"] = response.from_cache
    return frame, info


def parse_pxweb_json(
    document: Mapping[str, Any], *, source: str | None = None
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Parse PxWeb's own ``json`` format (API v1 ``"response": {"format": "json"}``).

    The answer lists ``columns`` (``type`` ``d`` dimension, ``t`` time, ``c`` content)
    and ``data`` rows with a ``key`` (the codes of the d and t columns) and ``values``
    (one text per content column). The result has one row per key and content, the
    content code in ``ContentsCode``; values that are not numbers (``..``) become NaN
    with the symbol in ``flag``.

    Examples
    --------
    >>> doc = {"columns": [{"code": "Tid", "text": "år", "type": "t"},
    ...                    {"code": "BE0101N1", "text": "Folkmängd", "type": "c"}],
    ...        "data": [{"key": ["2016"], "values": ["5257563"]},
    ...                 {"key": ["2017"], "values": [".."]}]}
    >>> frame, info = parse_pxweb_json(doc)
    >>> frame.values.tolist()
    [['2016', 'BE0101N1', 5257563.0, None], ['2017', 'BE0101N1', nan, '..']]
    """
    columns = document.get("columns")
    data = document.get("data")
    if not isinstance(columns, list) or not isinstance(data, list):
        raise InputError(
            "this is not a PxWeb json answer: it needs 'columns' and 'data'", source=source
        )
    keys = [c for c in columns if c.get("type") in ("d", "t")]
    contents = [c for c in columns if c.get("type") == "c"]
    if not contents:
        raise InputError("the PxWeb json answer has no content column", source=source)
    rows: dict[str, list[Any]] = {str(c["code"]): [] for c in keys}
    rows["ContentsCode"] = []
    values: list[float] = []
    flags: list[str | None] = []
    for i, entry in enumerate(data, start=1):
        key = entry.get("key", [])
        cells = entry.get("values", [])
        if len(key) != len(keys) or len(cells) != len(contents):
            raise InputError(
                f"data row {i} has {len(key)} key codes and {len(cells)} values; the columns "
                f"say {len(keys)} and {len(contents)}",
                source=source,
            )
        for content, cell in zip(contents, cells, strict=True):
            for col, code in zip(keys, key, strict=True):
                rows[str(col["code"])].append(str(code))
            rows["ContentsCode"].append(str(content["code"]))
            text = str(cell).strip()
            try:
                values.append(float(text))
                flags.append(None)
            except ValueError:
                values.append(math.nan)
                flags.append(text or None)
    frame = pd.DataFrame(
        {
            **rows,
            "value": np.asarray(values, dtype=np.float64),
            "flag": pd.Series(flags, dtype=object),
        }
    )
    meta = (document.get("metadata") or [{}])[0]
    time_cols = [str(c["code"]) for c in keys if c.get("type") == "t"]
    info: dict[str, Any] = {
        "label": meta.get("label"),
        "data_source": meta.get("source"),
        "updated": meta.get("updated"),
        "variables": {
            **{str(c["code"]): str(c.get("text", c["code"])) for c in keys},
            "ContentsCode": "tabellinnehåll",
        },
        "time_variable": time_cols[0] if time_cols else None,
        "metric_variable": "ContentsCode",
        "contents": {
            str(c["code"]): {"label": str(c.get("text", c["code"])), "unit": c.get("unit")}
            for c in contents
        },
        "notes": [str(c.get("comment", c)) for c in document.get("comments") or []],
    }
    return frame, info
