"""Read JSON-stat 1.x and 2.0 datasets (Eurostat's and Statistics Sweden's APIs).

JSON-stat (json-stat.org) describes a cube: dimensions (``id``, ``size``) with ordered
categories, and a flat ``value`` array in row-major order (the last dimension varies
fastest). ``value`` and ``status`` may be arrays or sparse objects keyed by the flat
position (Eurostat sends sparse objects; a position without a value is missing).

Two versions occur in practice:

* **2.0** (``"version": "2.0"``, ``"class": "dataset"``): ``id``, ``size`` and ``role``
  at the top — Eurostat's statistics API and PxWeb API v2;
* **1.x**: a bundle ``{"dataset": {...}}`` (or several named datasets) whose dimension
  object holds ``id``, ``size`` and ``role`` — PxWeb API v1 ``format: json-stat``.

:func:`parse_jsonstat` reads both into a :class:`JsonStatDataset`;
:meth:`JsonStatDataset.to_frame` gives one row per cell, missing values as NaN and the
publisher's status symbols (flags) in a ``status`` column.

>>> doc = {"version": "2.0", "class": "dataset", "id": ["geo", "time"], "size": [1, 2],
...        "dimension": {"geo": {"category": {"index": ["SE"]}},
...                      "time": {"category": {"index": {"2014": 0, "2015": 1}}}},
...        "value": {"1": 5.5}, "status": {"0": "c"}}
>>> ds = parse_jsonstat(doc)
>>> ds.ids, ds.sizes
(('geo', 'time'), (1, 2))
>>> ds.to_frame().values.tolist()
[['SE', '2014', nan, 'c'], ['SE', '2015', 5.5, None]]
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from smartspec.errors import InputError

__all__ = ["Dimension", "JsonStatDataset", "parse_jsonstat"]


@dataclass(frozen=True)
class Dimension:
    """One dimension of a JSON-stat dataset.

    Attributes
    ----------
    id:
        The dimension's id, e.g. ``"geo"`` or ``"Region"``.
    label:
        Its label (``id`` when the document gives none).
    codes:
        Category codes in cube order.
    labels:
        Category code → label.
    units:
        Category code → unit object (JSON-stat ``category.unit``), for metric dimensions.
    role:
        ``"time"``, ``"geo"`` or ``"metric"`` if the document says so.
    extension:
        The dimension's ``extension`` object (PxWeb puts ``elimination`` there).
    note:
        The dimension's notes.
    """

    id: str
    label: str
    codes: tuple[str, ...]
    labels: dict[str, str] = field(default_factory=dict)
    units: dict[str, dict[str, Any]] = field(default_factory=dict)
    role: str | None = None
    extension: dict[str, Any] = field(default_factory=dict)
    note: tuple[str, ...] = ()

    @property
    def size(self) -> int:
        """Number of categories."""
        return len(self.codes)

    def label_of(self, code: str) -> str:
        """The label of a category (its code if it has none)."""
        return self.labels.get(code, code)


@dataclass(frozen=True)
class JsonStatDataset:
    """A parsed JSON-stat dataset (a dense cube).

    Attributes
    ----------
    dimensions:
        The dimensions in cube order.
    values:
        One float per cell in row-major order (the last dimension fastest); NaN where the
        document has no value or ``null``.
    status:
        One status symbol (or ``None``) per cell, if the document has any.
    label, source, updated:
        The dataset's label, source and update time as the document gives them.
    version:
        ``"2.0"`` or ``"1.x"``.
    extension:
        The dataset's ``extension`` object (Eurostat: status labels, annotations; PxWeb:
        ``px`` table information).
    note:
        Dataset-level notes.
    """

    dimensions: tuple[Dimension, ...]
    values: NDArray[np.float64]
    status: NDArray[np.object_] | None = None
    label: str | None = None
    source: str | None = None
    updated: str | None = None
    version: str = "2.0"
    extension: dict[str, Any] = field(default_factory=dict)
    note: tuple[str, ...] = ()

    @property
    def ids(self) -> tuple[str, ...]:
        """Dimension ids in cube order."""
        return tuple(d.id for d in self.dimensions)

    @property
    def sizes(self) -> tuple[int, ...]:
        """Number of categories of each dimension."""
        return tuple(d.size for d in self.dimensions)

    def dimension(self, dim_id: str) -> Dimension:
        """The dimension with this id.

        Raises
        ------
        InputError
            If there is none; lists the dimensions there are.
        """
        for d in self.dimensions:
            if d.id == dim_id:
                return d
        raise InputError(
            f"the dataset has no dimension {dim_id!r}",
            hint=f"its dimensions are {', '.join(self.ids)}",
        )

    def role(self, role: str) -> Dimension | None:
        """The first dimension with this role (``"time"``, ``"geo"``, ``"metric"``)."""
        for d in self.dimensions:
            if d.role == role:
                return d
        return None

    def to_frame(self, *, labels: bool = False) -> pd.DataFrame:
        """One row per cell: a column per dimension (codes), ``value``, ``status``.

        Parameters
        ----------
        labels:
            Also add a ``<id>_label`` column per dimension with the category labels.
        """
        n = len(self.values)
        out: dict[str, Any] = {}
        stride = n
        for d in self.dimensions:
            stride //= max(d.size, 1)
            positions = (np.arange(n) // max(stride, 1)) % max(d.size, 1)
            codes = np.asarray(d.codes, dtype=object)
            out[d.id] = codes[positions] if d.size else np.asarray([], dtype=object)
            if labels:
                names = np.asarray([d.label_of(c) for c in d.codes], dtype=object)
                out[f"{d.id}_label"] = names[positions] if d.size else names
        out["value"] = self.values
        status = self.status if self.status is not None else np.full(n, None, dtype=object)
        # object dtype keeps None for "no status" (a string dtype would turn it into NaN)
        out["status"] = pd.Series(status, dtype=object)
        return pd.DataFrame(out)


# --------------------------------------------------------------------------- parsing
def parse_jsonstat(
    document: Mapping[str, Any] | str | bytes,
    *,
    dataset: str | int | None = None,
    source: str | None = None,
    metadata_only: bool = False,
) -> JsonStatDataset:
    """Parse a JSON-stat 1.x or 2.0 document into a :class:`JsonStatDataset`.

    Parameters
    ----------
    document:
        The parsed JSON (a dict) or its text.
    dataset:
        For a JSON-stat 1.x bundle with several datasets: the name or position of the one
        to read (default: the first).
    source:
        Name of the document for error messages (e.g. the URL).
    metadata_only:
        Read the dimensions only; ``values`` and ``status`` stay empty (for table
        descriptions such as PxWeb v2's ``/metadata``, whose cube may be huge).

    Raises
    ------
    InputError
        If the document is not a JSON-stat dataset, or its sizes and values disagree.
    """
    if isinstance(document, bytes | str):
        try:
            document = json.loads(document)
        except ValueError as err:
            raise InputError(f"not valid JSON ({err})", source=source) from None
    if not isinstance(document, Mapping):
        raise InputError("a JSON-stat document is a JSON object", source=source)
    doc: Mapping[str, Any] = document
    if doc.get("class") == "error" or ("error" in doc and "dimension" not in doc):
        raise InputError(f"the document is an error message: {_error_text(doc)}", source=source)
    if doc.get("class") == "collection":
        raise InputError(
            "this is a JSON-stat collection (links to datasets), not a dataset",
            source=source,
            hint="request one of the linked datasets",
        )
    if "dimension" in doc and ("id" in doc or "version" in doc or "value" in doc):
        if "id" in doc:
            return _parse_v2(doc, source, metadata_only)
        return _parse_v1(doc, source, metadata_only)  # a bare 1.x dataset
    # a JSON-stat 1.x bundle: {"name": dataset, ...}
    bundle = {k: v for k, v in doc.items() if isinstance(v, Mapping) and "dimension" in v}
    if not bundle:
        raise InputError(
            "this is not a JSON-stat dataset: it has no 'dimension' object",
            source=source,
            hint="expected JSON-stat 2.0 ({'version': '2.0', 'class': 'dataset', ...}) "
            "or 1.x ({'dataset': {...}})",
        )
    names = list(bundle)
    if dataset is None:
        name = names[0]
    elif isinstance(dataset, int):
        if not 0 <= dataset < len(names):
            raise InputError(
                f"the bundle has {len(names)} datasets; there is no dataset {dataset}",
                source=source,
            )
        name = names[dataset]
    else:
        if dataset not in bundle:
            raise InputError(
                f"the bundle has no dataset {dataset!r}",
                source=source,
                hint=f"it has {', '.join(names)}",
            )
        name = dataset
    return _parse_v1(bundle[name], source, metadata_only)


def _parse_v2(doc: Mapping[str, Any], source: str | None, metadata_only: bool) -> JsonStatDataset:
    ids = _str_list(doc.get("id"), "id", source)
    sizes = _int_list(doc.get("size"), "size", source)
    roles = _roles(doc.get("role"))
    dims = _dimensions(doc["dimension"], ids, sizes, roles, source)
    n = 0 if metadata_only else math.prod(sizes)
    values = _values(None if metadata_only else doc.get("value"), n, source)
    status = None if metadata_only else _status(doc.get("status"), n, source)
    return JsonStatDataset(
        dimensions=dims,
        values=values,
        status=status,
        label=_opt_str(doc.get("label")),
        source=_opt_str(doc.get("source")),
        updated=_opt_str(doc.get("updated")),
        version=str(doc.get("version", "2.0")),
        extension=dict(doc.get("extension") or {}),
        note=_notes(doc.get("note")),
    )


def _parse_v1(doc: Mapping[str, Any], source: str | None, metadata_only: bool) -> JsonStatDataset:
    dim_obj = doc.get("dimension")
    if not isinstance(dim_obj, Mapping):
        raise InputError("the dataset has no 'dimension' object", source=source)
    ids = _str_list(dim_obj.get("id"), "dimension.id", source)
    sizes = _int_list(dim_obj.get("size"), "dimension.size", source)
    roles = _roles(dim_obj.get("role"))
    dims = _dimensions(dim_obj, ids, sizes, roles, source)
    n = 0 if metadata_only else math.prod(sizes)
    values = _values(None if metadata_only else doc.get("value"), n, source)
    status = None if metadata_only else _status(doc.get("status"), n, source)
    return JsonStatDataset(
        dimensions=dims,
        values=values,
        status=status,
        label=_opt_str(doc.get("label")),
        source=_opt_str(doc.get("source")),
        updated=_opt_str(doc.get("updated")),
        version="1.x",
        extension=dict(doc.get("extension") or {}),
        note=_notes(doc.get("note")),
    )


def _roles(raw: Any) -> dict[str, str]:
    out: dict[str, str] = {}
    if isinstance(raw, Mapping):
        for role, members in raw.items():
            for member in members or ():
                out.setdefault(str(member), str(role))
    return out


def _dimensions(
    dim_obj: Mapping[str, Any],
    ids: list[str],
    sizes: list[int],
    roles: Mapping[str, str],
    source: str | None,
) -> tuple[Dimension, ...]:
    if len(ids) != len(sizes):
        raise InputError(
            f"'id' names {len(ids)} dimensions but 'size' gives {len(sizes)} sizes",
            source=source,
        )
    if len(set(ids)) != len(ids):
        raise InputError("a dimension id occurs twice", source=source)
    dims: list[Dimension] = []
    for dim_id, size in zip(ids, sizes, strict=True):
        raw = dim_obj.get(dim_id)
        if not isinstance(raw, Mapping):
            raise InputError(f"the dimension {dim_id!r} is not described", source=source)
        category = raw.get("category") or {}
        codes = _category_codes(category, dim_id, source)
        if len(codes) != size:
            raise InputError(
                f"the dimension {dim_id!r} has {len(codes)} categories but its size is {size}",
                source=source,
            )
        labels = {str(k): str(v) for k, v in (category.get("label") or {}).items()}
        units_raw = category.get("unit") or {}
        units = {str(k): dict(v) for k, v in units_raw.items() if isinstance(v, Mapping)}
        dims.append(
            Dimension(
                id=dim_id,
                label=str(raw.get("label") or dim_id),
                codes=codes,
                labels=labels,
                units=units,
                role=roles.get(dim_id),
                extension=dict(raw.get("extension") or {}),
                note=_notes(raw.get("note")),
            )
        )
    return tuple(dims)


def _category_codes(
    category: Mapping[str, Any], dim_id: str, source: str | None
) -> tuple[str, ...]:
    index = category.get("index")
    if isinstance(index, list):
        return tuple(str(c) for c in index)
    if isinstance(index, Mapping):
        pairs = sorted(((int(pos), str(code)) for code, pos in index.items()), key=lambda p: p[0])
        positions = [p for p, _ in pairs]
        if positions != list(range(len(pairs))):
            raise InputError(f"the category index of {dim_id!r} is not 0, 1, 2, …", source=source)
        return tuple(code for _, code in pairs)
    labels = category.get("label")
    if isinstance(labels, Mapping) and len(labels) == 1:
        return (str(next(iter(labels))),)
    raise InputError(
        f"the dimension {dim_id!r} has no category index",
        source=source,
        hint="JSON-stat needs category.index unless a dimension has one category",
    )


def _values(raw: Any, n: int, source: str | None) -> NDArray[np.float64]:
    out = np.full(n, np.nan, dtype=np.float64)
    if raw is None:
        return out
    if isinstance(raw, list):
        if len(raw) != n:
            raise InputError(
                f"'value' has {len(raw)} entries, but the sizes make {n:,} cells",
                source=source,
            )
        for i, v in enumerate(raw):
            out[i] = _number(v, i, source)
        return out
    if isinstance(raw, Mapping):
        for key, v in raw.items():
            i = _position(key, n, "value", source)
            out[i] = _number(v, i, source)
        return out
    raise InputError("'value' is neither an array nor an object", source=source)


def _number(v: Any, i: int, source: str | None) -> float:
    if v is None:
        return math.nan
    if isinstance(v, bool):
        raise InputError(f"value {v!r} at position {i} is not a number", source=source)
    if isinstance(v, int | float):
        return float(v)
    text = str(v).strip()
    try:
        return float(text)
    except ValueError:
        # PxWeb and others put symbols such as '..' where a value is missing
        return math.nan


def _status(raw: Any, n: int, source: str | None) -> NDArray[np.object_] | None:
    if raw is None:
        return None
    out = np.full(n, None, dtype=object)
    if isinstance(raw, str):
        out[:] = raw or None
        return out
    if isinstance(raw, list):
        if len(raw) == 1 and n != 1:
            out[:] = raw[0] or None
            return out
        if len(raw) != n:
            raise InputError(
                f"'status' has {len(raw)} entries, but the sizes make {n:,} cells",
                source=source,
            )
        for i, s in enumerate(raw):
            out[i] = str(s) if s not in (None, "") else None
        return out
    if isinstance(raw, Mapping):
        for key, s in raw.items():
            i = _position(key, n, "status", source)
            out[i] = str(s) if s not in (None, "") else None
        return out
    raise InputError("'status' is neither a text, an array nor an object", source=source)


def _position(key: Any, n: int, what: str, source: str | None) -> int:
    try:
        i = int(key)
    except (TypeError, ValueError):
        raise InputError(f"{what} key {key!r} is not a position", source=source) from None
    if not 0 <= i < n:
        raise InputError(f"{what} position {i} is outside the cube (0–{n - 1})", source=source)
    return i


def _str_list(raw: Any, what: str, source: str | None) -> list[str]:
    if not isinstance(raw, Sequence) or isinstance(raw, str):
        raise InputError(f"'{what}' is missing or not a list", source=source)
    return [str(x) for x in raw]


def _int_list(raw: Any, what: str, source: str | None) -> list[int]:
    if not isinstance(raw, Sequence) or isinstance(raw, str):
        raise InputError(f"'{what}' is missing or not a list", source=source)
    try:
        sizes = [int(x) for x in raw]
    except (TypeError, ValueError):
        raise InputError(f"'{what}' holds something that is not a number", source=source) from None
    if any(s < 0 for s in sizes):
        raise InputError(f"'{what}' holds a negative size", source=source)
    return sizes


def _opt_str(raw: Any) -> str | None:
    return None if raw is None else str(raw)


def _notes(raw: Any) -> tuple[str, ...]:
    if raw is None:
        return ()
    if isinstance(raw, str):
        return (raw,)
    if isinstance(raw, Mapping):
        return tuple(str(v) for v in raw.values())
    return tuple(str(v) for v in raw)


def _error_text(doc: Mapping[str, Any]) -> str:
    for key in ("label", "error", "message"):
        value = doc.get(key)
        if isinstance(value, str):
            return value
        if isinstance(value, list) and value and isinstance(value[0], Mapping):
            return str(value[0].get("label") or value[0])
        if isinstance(value, Mapping):
            return str(value.get("label") or value)
    return "no message"
