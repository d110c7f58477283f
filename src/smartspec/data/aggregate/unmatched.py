"""Records whose region, activity or period cannot be placed.

:class:`Unmatched` says how many records and identifiers, why, and gives the most
frequent raw identifiers (counted in the backend); :class:`UnmatchedRecordsError`
refuses them (``unmatched="error"``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from smartspec.data.aggregate._codes import _EXAMPLES, _N, _as_text
from smartspec.errors import InputError

__all__ = ["Unmatched", "UnmatchedRecordsError"]


# --------------------------------------------------------------------------- reports
@dataclass(frozen=True)
class Unmatched:
    """Records whose region, activity or period could not be placed.

    Attributes
    ----------
    column:
        ``"region"``, ``"activity"`` or ``"period"``.
    reason:
        Why, e.g. ``"no NUTS code for the municipality code"``.
    records:
        Number of records.
    identifiers:
        Number of distinct raw identifiers among them.
    examples:
        The most frequent raw identifiers with their record counts.
    """

    column: str
    reason: str
    records: int
    identifiers: int
    examples: tuple[tuple[str, int], ...]

    def __str__(self) -> str:
        shown = ", ".join(f"{code!r} ({n:,})" for code, n in self.examples)
        more = self.identifiers - len(self.examples)
        if more > 0:
            shown += f", … ({more:,} more)"
        s = "s" if self.records != 1 else ""
        ids = f"{self.identifiers:,} identifier{'s' if self.identifiers != 1 else ''}"
        return f"{self.records:,} record{s} ({ids}): {self.reason}: {shown}"


class UnmatchedRecordsError(InputError):
    """Records that could not be placed (see :class:`Unmatched`), with ``unmatched``."""

    def __init__(self, unmatched: Sequence[Unmatched], *, source: str | None = None) -> None:
        self.unmatched = list(unmatched)
        text = "; ".join(str(u) for u in self.unmatched)
        super().__init__(
            text,
            source=source,
            hint="fix the identifiers or the mapping (region_from, region_map, activity_level, "
            "activity_map), or pass unmatched='drop' to drop these records (they are then "
            "listed in table.meta.provenance['aggregation']['unmatched'])",
        )


def _unmatched(
    mapped: Any, con: Any, column: str, reason: str, raw: str, condition: Any, records: int
) -> Unmatched:
    bad = mapped.filter(condition)
    bad = bad.select(_s3_x=_as_text(bad[raw]), _s3_n=bad[_N])
    top = (
        bad.group_by("_s3_x")
        .aggregate(_s3_n=bad[_N].sum())
        .order_by([_desc(_N), "_s3_x"])
        .limit(_EXAMPLES)
    )
    examples = con.execute(top)
    stats = con.execute(bad.aggregate(_s3_k=bad._s3_x.nunique(), _s3_null=bad._s3_x.isnull().any()))
    identifiers = int(stats["_s3_k"].iloc[0]) + int(bool(stats["_s3_null"].iloc[0]))
    pairs = tuple(
        ("<missing>" if pd.isna(code) else str(code), int(k))
        for code, k in zip(examples["_s3_x"], examples[_N], strict=True)
    )
    return Unmatched(column, reason, records, identifiers, pairs)


def _desc(column: str) -> Any:
    import ibis

    return ibis.desc(column)
