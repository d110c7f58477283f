"""The dtypes a column of codes, periods or values may come in, as builders.

Each entry maps a label (the test id) to a function that builds a column of that dtype
from plain Python values; ``None`` is a missing value where the dtype can hold one.
Used by the table's and compute_metrics's dtype tests, which assert that every dtype
gives the result plain ``object`` / ``float64`` columns give.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

Make = Callable[[Sequence[Any]], Any]
PANDAS_3 = int(pd.__version__.split(".")[0]) >= 3
HAS_VIEW = hasattr(pa, "string_view")  # pyarrow >= 16


def arrow(typ: pa.DataType) -> Make:
    return lambda values: pd.arrays.ArrowExtensionArray(pa.array(values, type=typ))


def dictionary(typ: pa.DataType) -> Make:
    return lambda values: pd.arrays.ArrowExtensionArray(
        pa.array(values, type=typ).dictionary_encode()
    )


def unsorted_categorical(ordered: bool) -> Make:
    def make(values: Sequence[Any]) -> pd.Categorical:
        present = sorted({v for v in values if v is not None}, reverse=True)
        return pd.Categorical(values, categories=[*present, "~unused"], ordered=ordered)

    return make


TEXT: dict[str, Make] = {
    "object": lambda values: np.asarray(values, dtype=object),
    "string[python]": lambda values: pd.array(values, dtype="string[python]"),
    "string[pyarrow]": lambda values: pd.array(values, dtype="string[pyarrow]"),
    "arrow string": arrow(pa.string()),
    "arrow large_string": arrow(pa.large_string()),
    "category": pd.Categorical,
    "category, unsorted with an unused category": unsorted_categorical(False),
    "category, ordered in reverse": unsorted_categorical(True),
    "arrow dictionary": dictionary(pa.string()),
}
if PANDAS_3:
    TEXT["str"] = lambda values: pd.array(values, dtype="str")
if HAS_VIEW:
    TEXT["arrow string_view"] = arrow(pa.string_view())
    TEXT["arrow dictionary of string_view"] = dictionary(pa.string_view())

INTEGERS: dict[str, Make] = {
    "int64": lambda values: np.asarray(values, dtype=np.int64),
    "int32": lambda values: np.asarray(values, dtype=np.int32),
    "uint16": lambda values: np.asarray(values, dtype=np.uint16),
    "Int64": lambda values: pd.array(values, dtype="Int64"),
    "Int32": lambda values: pd.array(values, dtype="Int32"),
    "arrow int64": arrow(pa.int64()),
    "arrow int32": arrow(pa.int32()),
    "arrow int16": arrow(pa.int16()),
    "arrow dictionary of int32": dictionary(pa.int32()),
}

NUMBERS: dict[str, Make] = {  # values with missing ones (None)
    "float64": lambda values: np.asarray([np.nan if v is None else v for v in values]),
    "float32": lambda values: np.asarray(
        [np.nan if v is None else v for v in values], dtype=np.float32
    ),
    "Float64": lambda values: pd.array(values, dtype="Float64"),
    "Float32": lambda values: pd.array(values, dtype="Float32"),
    "arrow double": arrow(pa.float64()),
    "arrow float": arrow(pa.float32()),
    "object": lambda values: np.asarray(values, dtype=object),
}

WHOLE_NUMBERS: dict[str, Make] = {  # values without missing ones
    "int64": lambda values: np.asarray(values, dtype=np.int64),
    "int32": lambda values: np.asarray(values, dtype=np.int32),
    "Int64": lambda values: pd.array(values, dtype="Int64"),
    "arrow int64": arrow(pa.int64()),
    "arrow uint32": arrow(pa.uint32()),
}
