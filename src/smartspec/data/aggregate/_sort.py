"""The order of the output: the aggregated rows with text codes as sorted categoricals,
periods as integers, and the rows sorted by region, activity and period with a counting
sort over the possible cells (linear; the keys of a GROUP BY are unique).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray


def _sorted(df: pd.DataFrame, keys: Mapping[str, str], value: str) -> pd.DataFrame:
    """The aggregated rows for :meth:`ActivityTable.from_frame`: text codes as
    categoricals (sorted categories), periods as int64, values as float64, rows sorted
    by region, activity, period.

    The keys of a GROUP BY are unique, and there are rarely many more possible cells
    than rows, so the rows are put in order by their cell number (a counting sort,
    linear) rather than sorted; ``argsort`` is the fallback.
    """
    present = [(src, dst) for src, dst in keys.items() if src in df.columns]
    factors: list[tuple[NDArray[np.intp], Any]] = []
    for src, dst in present:
        column = df[src]
        raw: Any
        found: Any
        uniques: Any
        if dst == "period":
            years = column.to_numpy(dtype=np.int64)
            low = int(years.min()) if len(years) else 0
            span = int(years.max()) - low + 1 if len(years) else 0
            if 0 < span <= 10_000:  # years: offsets, no hashing
                raw, uniques = years - low, np.arange(low, low + span, dtype=np.int64)
            else:  # pragma: no cover - periods are years, 0-9999
                raw, found = pd.factorize(years)
                uniques = np.asarray(found, dtype=np.int64)
        elif isinstance(column.dtype, pd.CategoricalDtype):  # from an ENUM: no strings
            raw = column.cat.codes.to_numpy(dtype=np.intp)
            uniques = np.asarray(column.cat.categories.astype(str), dtype=object)
        else:
            raw, found = pd.factorize(column.astype(str))
            uniques = np.asarray(found, dtype=object)
        raw = np.asarray(raw, dtype=np.intp)
        # keep the values that occur, sorted; only the (few) distinct values are sorted
        used = np.flatnonzero(np.bincount(raw, minlength=len(uniques)))
        by_value = np.argsort(uniques[used], kind="stable")
        remap = np.full(len(uniques), -1, dtype=np.intp)
        remap[used[by_value]] = np.arange(len(used), dtype=np.intp)
        kept: Any = uniques[used[by_value]]
        if dst != "period":
            kept = pd.Index(kept, dtype=object)
        factors.append((remap[raw], kept))
    n = len(df)
    sizes = [max(len(uniques), 1) for _, uniques in factors]
    cells = float(np.prod(sizes, dtype=np.float64))
    values = df[value].to_numpy(dtype=np.float64, na_value=np.nan)
    data: dict[str, Any] = {}
    order: NDArray[np.intp] | None = None
    if cells >= 2.0**62:  # pragma: no cover - more than 2**62 possible cells
        order = np.lexsort([codes for codes, _ in reversed(factors)])
        sorted_codes = [codes[order] for codes, _ in factors]
    else:
        combined = np.zeros(n, dtype=np.int64)
        for (codes, _), size in zip(factors, sizes, strict=True):
            combined = combined * size + codes
        if cells <= 4 * n + (1 << 20):  # counting sort over the possible cells
            slots = np.full(int(cells), -1, dtype=np.intp)
            slots[combined] = np.arange(n, dtype=np.intp)
            cell = np.flatnonzero(slots >= 0)
            if len(cell) == n:  # unique keys, as after a GROUP BY
                order = slots[cell]
        if order is None:
            order = np.argsort(combined, kind="stable")
            cell = combined[order]
        # the codes of each sorted row, from its cell number: no gathers
        sorted_codes = []
        for size in reversed(sizes):
            cell, rest = np.divmod(cell, size)
            sorted_codes.append(rest)
        sorted_codes.reverse()
    for (_, dst), (_, uniques), codes in zip(present, factors, sorted_codes, strict=True):
        if dst == "period":
            data[dst] = uniques[codes]
        else:
            data[dst] = pd.Categorical.from_codes(codes, categories=uniques)
    data["value"] = values[order]
    return pd.DataFrame(data)
