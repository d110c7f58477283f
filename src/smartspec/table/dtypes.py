"""Column dtypes at the boundary: every reasonable representation in, one usable out.

pandas holds text as NumPy ``object``, as ``str`` / ``string[python]`` /
``string[pyarrow]``, as an Arrow type (``pd.ArrowDtype(pa.string())``, ``large_string``,
``string_view``) or as a categorical or Arrow dictionary of those; whole numbers and
numbers as NumPy, nullable (``Int64``, ``Float64``) or Arrow types. Most of pandas works
on all of them, but not all: pandas cannot even ask an Arrow ``string_view`` column
for its scalar type (``ArrowDtype.type`` raises ``NotImplementedError``, so
``is_numeric_dtype``, ``is_bool_dtype`` and ``astype`` fail), and pyarrow has no
sort, take or filter kernels for ``string_view`` behind pandas' ``factorize(sort=True)``,
``take`` and boolean indexing. A categorical's order is the order of its categories,
not of its codes as text, and ``factorize(sort=True)`` follows it.

So a frame is made usable once, where it enters (:meth:`ActivityTable.from_frame
<smartspec.table.ActivityTable.from_frame>` and :func:`smartspec.metrics.compute_metrics`),
by :func:`usable_frame`:

* Arrow ``string_view`` becomes Arrow ``large_string`` (the layout of
  ``string[pyarrow]``; no row is converted to a Python object);
* an Arrow dictionary becomes a pandas categorical of the same values;
* the categories of a code column are sorted and unordered (their order would
  otherwise decide the order of the labels);
* nested Arrow types (lists, structs, maps, unions) and bytes cannot be codes, periods
  or values: an :class:`~smartspec.errors.InputError` names the column, its dtype and
  what would be right.

Every other dtype is passed on as it is, without a copy. :func:`label_index` then gives
the labels factorised from any of these one representation (the one pandas infers for
the values: ``str`` for text on pandas 3, int64 for whole numbers, float64 for numbers),
so results do not depend on how the input held them.

Core module: no I/O, no web, database or plotting imports.

>>> import pandas as pd, pyarrow as pa
>>> df = pd.DataFrame({"region": pd.array(["SE12", "SE11"],
...                                       dtype=pd.ArrowDtype(pa.string_view()))})
>>> usable_frame(df, {"region": "region"})["region"].dtype
large_string[pyarrow]
>>> label_index(pd.Index(pd.array([2016, 2015], dtype="Int32"))).dtype
dtype('int64')
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from smartspec.errors import InputError

__all__ = ["CODE_ROLES", "label_index", "usable_frame"]

CODE_ROLES = frozenset({"region", "activity", "period"})
"""Roles whose labels are sorted (categorical columns in them get sorted categories)."""

_TEXT = (
    "text (object, str, string[python], string[pyarrow], or an Arrow string, large_string "
    "or string_view), whole numbers, or a categorical or Arrow dictionary of them"
)
_RIGHT = {
    "region": f"region codes are {_TEXT}",
    "activity": f"activity codes are {_TEXT}",
    "period": "periods are whole numbers (int64, int32, Int64, Arrow int…) or text such as '2015'",
    "value": "values are numbers (float64, float32, Float64, Arrow double…, integers) or "
    "text that holds numbers",
    "flag": f"flags are {_TEXT}",
    "select": f"a column to select on holds {_TEXT}",
}


def usable_frame(
    df: pd.DataFrame,
    roles: Mapping[Any, str],
    *,
    source: str | None = None,
    others: bool = False,
) -> pd.DataFrame:
    """*df* with every column in a dtype pandas (and smartspec) can work with.

    Parameters
    ----------
    df:
        The input frame (not changed).
    roles:
        ``{column name: role}`` of the columns that are used (roles: ``"region"``,
        ``"activity"``, ``"period"``, ``"value"``, ``"flag"``, ``"select"``); names
        that are not in *df* are ignored. A used column whose dtype cannot hold its
        role is refused.
    source:
        Name of the input, for error messages.
    others:
        Also make the other columns usable where that is possible (they are never
        refused).

    Returns
    -------
    pandas.DataFrame
        *df* itself when no column needs a change, else a shallow copy with the
        changed columns replaced.

    Raises
    ------
    InputError
        A used column of a nested Arrow type (list, struct, map, union) or of bytes.
    """
    replaced: dict[int, pd.Series[Any]] = {}
    for i, (name, dtype) in enumerate(zip(df.columns, df.dtypes, strict=True)):
        role = roles.get(name)
        if role is None and not others:
            continue
        if not isinstance(dtype, pd.ArrowDtype | pd.CategoricalDtype):
            continue  # NumPy, nullable and pandas string dtypes work as they are
        new = _usable_series(df.iloc[:, i], role, name, source)
        if new is not None:
            replaced[i] = new
    if not replaced:
        return df
    out = df.copy(deep=False)
    for i, series in replaced.items():
        out.isetitem(i, series.array)
    return out


def label_index(uniques: Any) -> pd.Index[Any]:
    """Factorised labels in one representation, whatever the column's dtype was.

    Text becomes the dtype pandas infers for text (``str`` on pandas 3, ``object`` on
    pandas 2), whole numbers of any width or kind (NumPy, nullable, Arrow) int64,
    other numbers float64; other labels (dates, mixed) keep the dtype pandas infers
    for them. A categorical gives the labels it holds, not its categories.

    Examples
    --------
    >>> import pandas as pd
    >>> label_index(pd.CategoricalIndex(["b", "a"], categories=["b", "a", "z"])).tolist()
    ['b', 'a']
    >>> label_index(pd.Index([2015, 2016], dtype="int32")).dtype
    dtype('int64')
    """
    index = uniques if isinstance(uniques, pd.Index) else pd.Index(uniques)
    dtype = index.dtype
    if isinstance(dtype, np.dtype):
        if dtype in (np.dtype(np.int64), np.dtype(np.float64)):
            return index
    elif dtype == _inferred_text_dtype():
        return index
    values = index.to_numpy(dtype=object)
    kind = pd.api.types.infer_dtype(values, skipna=False)
    if kind == "integer":
        try:
            return pd.Index(values.astype(np.int64))
        except OverflowError:  # beyond int64 (uint64 labels): as pandas infers them
            pass
    elif kind in ("floating", "mixed-integer-float", "decimal"):
        return pd.Index(values.astype(np.float64))
    canonical: pd.Index[Any] = pd.Index(values)
    return canonical


def _inferred_text_dtype() -> Any:
    """The dtype pandas infers for text (``str`` on pandas 3, ``object`` before)."""
    return pd.Index(np.array(["a"], dtype=object)).dtype


# --------------------------------------------------------------------------- columns
def _usable_series(
    series: pd.Series[Any], role: str | None, name: Hashable, source: str | None
) -> pd.Series[Any] | None:
    """A usable version of *series*, or None if it is usable as it is."""
    dtype = series.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        if role in CODE_ROLES:
            return _sorted_categories(series)
        return None
    if not isinstance(dtype, pd.ArrowDtype):
        return None
    import pyarrow as pa

    typ = dtype.pyarrow_dtype
    problem = _unusable(typ.value_type if pa.types.is_dictionary(typ) else typ)
    if problem is not None:
        if role is None:
            return None  # an unused column: left as it is
        raise InputError(
            f"the {role} column {str(name)!r} has dtype {dtype} ({problem})",
            source=source,
            column=str(name),
            hint=_RIGHT.get(role, _TEXT)
            + (
                f"; decode bytes first: df[{str(name)!r}].str.decode('utf-8')"
                if problem.startswith("bytes")
                else ""
            ),
        )
    if pa.types.is_dictionary(typ):
        data = _arrow_data(series)
        values = typ.value_type
        if _is_string_view(values):
            data = data.cast(pa.dictionary(typ.index_type, pa.large_string(), typ.ordered))
        # pyarrow unifies the dictionaries of the chunks
        categorical = pd.Series(
            data.to_pandas().array, index=series.index, name=series.name, copy=False
        )
        if role in CODE_ROLES:
            resorted = _sorted_categories(categorical)
            return categorical if resorted is None else resorted
        return categorical
    if _is_string_view(typ):
        data = _arrow_data(series).cast(pa.large_string())
        return pd.Series(
            pd.arrays.ArrowExtensionArray(data), index=series.index, name=series.name, copy=False
        )
    return None


def _sorted_categories(series: pd.Series[Any]) -> pd.Series[Any] | None:
    """A categorical column with sorted, unordered categories (None if it has them)."""
    cat = series.cat
    try:
        in_order = bool(cat.categories.is_monotonic_increasing)
        order = cat.categories if in_order else cat.categories.sort_values()
    except TypeError:  # categories of mixed types: their order is kept
        in_order, order = True, cat.categories
    if in_order and not cat.ordered:
        return None
    return cat.reorder_categories(order, ordered=False)


def _arrow_data(series: pd.Series[Any]) -> Any:
    """The pyarrow (chunked) array behind an Arrow-backed column."""
    import pyarrow as pa

    data = pa.array(series.array)  # through the array's __arrow_array__
    return pa.chunked_array([data]) if isinstance(data, pa.Array) else data


def _is_string_view(typ: Any) -> bool:
    import pyarrow as pa

    check = getattr(pa.types, "is_string_view", None)  # pyarrow >= 16
    return bool(check(typ)) if check is not None else False


def _unusable(typ: Any) -> str | None:
    """Why an Arrow type cannot be a code, period or value (None if it can)."""
    import pyarrow as pa

    t = pa.types
    nested: tuple[str, ...] = ("is_list", "is_large_list", "is_list_view", "is_large_list_view")
    nested += ("is_fixed_size_list", "is_struct", "is_map", "is_union")
    if any(getattr(t, check, lambda _: False)(typ) for check in nested):
        return "a nested type: each cell holds several values"
    binary = ("is_binary", "is_large_binary", "is_binary_view", "is_fixed_size_binary")
    if any(getattr(t, check, lambda _: False)(typ) for check in binary):
        return "bytes, not text"
    return None
