"""What an :class:`~smartspec.table.ActivityTable` holds besides its rows.

:class:`TableMeta` says what the values are (measure, unit, additivity, classification,
NUTS version and level, provenance); :class:`ValidationReport` says what happened to
the input rows (kept, dropped and why, missing values), one :class:`DroppedCode` per
dropped code.

Core module: no I/O, no web, database or plotting imports.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from smartspec.taxonomy import Classification

__all__ = ["NUTS_VERSIONS", "DroppedCode", "TableMeta", "ValidationReport"]

NUTS_VERSIONS: tuple[int, ...] = (2010, 2013, 2016, 2021, 2024)
"""NUTS versions a table can declare."""


@dataclass(frozen=True)
class TableMeta:
    """What the values of an :class:`ActivityTable` are.

    Attributes
    ----------
    measure:
        What is measured, e.g. ``"employment"``.
    unit:
        Unit of the values, e.g. ``"thousand persons"`` or Eurostat's ``"THS"``.
    additive:
        ``True`` for counts and amounts that may be summed over regions or activities
        and converted between NUTS versions; ``False`` for rates, shares and per-capita
        values, which may not.
    classification, classification_version:
        The activity classification, e.g. ``"NACE"``, ``"Rev. 2"``.
    region_level:
        NUTS level of the regions (0–3), ``None`` if not a NUTS table or unknown.
    nuts_version:
        NUTS version of the region codes (2010, 2013, 2016, 2021 or 2024).
    region_scheme:
        ``"NUTS"`` (default; codes are validated) or another scheme such as ``"ISO3"``
        (codes are not checked against NUTS).
    provenance:
        Where the data comes from: source, publisher, url, retrieved, notes, …

    Examples
    --------
    >>> TableMeta("employment", "persons", True, "NACE", "Rev. 2").classification_id
    Classification(name='NACE', version='Rev. 2')
    """

    measure: str
    unit: str
    additive: bool
    classification: str | None = None
    classification_version: str | None = None
    region_level: int | None = None
    nuts_version: int | None = None
    region_scheme: str = "NUTS"
    provenance: dict[str, Any] = field(default_factory=dict)

    @property
    def classification_id(self) -> Classification | None:
        """The classification as a :class:`~smartspec.taxonomy.Classification`."""
        if self.classification is None:
            return None
        return Classification(self.classification, self.classification_version)


@dataclass(frozen=True)
class DroppedCode:
    """A code whose rows were dropped while building a table, and why."""

    code: str
    reason: str
    rows: int
    column: str = "region"

    def __str__(self) -> str:
        return f"{self.code} ({self.reason}; {self.rows} row{'s' if self.rows != 1 else ''})"


@dataclass(frozen=True)
class ValidationReport:
    """What happened to the input rows: kept, dropped (with reasons), missing values.

    Examples
    --------
    >>> r = ValidationReport(rows_read=3, rows_kept=2, missing_values=1,
    ...                      dropped=(DroppedCode("EU28", "aggregate, not a region", 1),))
    >>> print(r)
    3 rows read, 2 kept, 1 dropped; 1 missing value kept as NaN
    dropped region EU28 (aggregate, not a region; 1 row)
    """

    rows_read: int = 0
    rows_kept: int = 0
    missing_values: int = 0
    dropped: tuple[DroppedCode, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def rows_dropped(self) -> int:
        """Number of input rows that are not in the table."""
        return self.rows_read - self.rows_kept

    def dropped_codes(self, column: str = "region") -> tuple[str, ...]:
        """Codes of one column (``"region"`` or ``"activity"``) whose rows were dropped."""
        return tuple(d.code for d in self.dropped if d.column == column)

    def by_reason(self, column: str = "region") -> dict[str, tuple[str, ...]]:
        """Dropped codes of one column grouped by the reason they were dropped.

        Examples
        --------
        >>> r = ValidationReport(dropped=(DroppedCode("SE", "country total", 2),
        ...                               DroppedCode("DK", "country total", 2)))
        >>> r.by_reason()
        {'country total': ('SE', 'DK')}
        """
        out: dict[str, list[str]] = {}
        for d in self.dropped:
            if d.column == column:
                out.setdefault(d.reason, []).append(d.code)
        return {reason: tuple(codes) for reason, codes in out.items()}

    def summary(self) -> str:
        """A short version of :meth:`to_text`: one line per reason for dropping.

        Examples
        --------
        >>> r = ValidationReport(rows_read=4, rows_kept=2, dropped=(
        ...     DroppedCode("SE", "country total", 1), DroppedCode("DK", "country total", 1)))
        >>> print(r.summary())
        4 rows read, 2 kept, 2 dropped; 0 missing values kept as NaN
        dropped 2 region codes (country total): SE, DK
        """
        lines = [self.to_text().splitlines()[0]]
        for column in ("region", "activity"):
            for reason, codes in self.by_reason(column).items():
                shown = ", ".join(codes[:8]) + (
                    f", … ({len(codes) - 8} more)" if len(codes) > 8 else ""
                )
                n = len(codes)
                lines.append(
                    f"dropped {n} {column} code{'s' if n != 1 else ''} ({reason}): {shown}"
                )
        lines += [f"note: {note}" for note in self.notes]
        return "\n".join(lines)

    def to_text(self) -> str:
        """The report as plain text, one fact per line."""
        head = (
            f"{self.rows_read:,} rows read, {self.rows_kept:,} kept, {self.rows_dropped:,} dropped"
        )
        n = self.missing_values
        head += f"; {n:,} missing value{'s' if n != 1 else ''} kept as NaN"
        lines = [head]
        lines += [f"dropped {d.column} {d}" for d in self.dropped]
        lines += [f"note: {note}" for note in self.notes]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.to_text()
