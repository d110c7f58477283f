"""What the catalogue says about a stored version: :class:`EvidenceEntry`, and
:class:`PutResult` (what :meth:`~smartspec.data.store.EvidenceStore.put` did); the
validation report as JSON data and back.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from smartspec.table import DroppedCode, TableMeta, ValidationReport

__all__ = ["EvidenceEntry", "PutResult"]

# the columns a stored table can have, in the order they are stored
_COLUMNS = ("region", "activity", "period", "value", "flag")


# --------------------------------------------------------------------------- records
@dataclass(frozen=True)
class EvidenceEntry:
    """One version of a stored table, as the catalogue describes it.

    Attributes
    ----------
    name, version:
        The table's name and version number (1, 2, …).
    measure, unit, additive, classification, classification_version, region_scheme,
    region_level, nuts_version, provenance:
        The table's :class:`~smartspec.table.TableMeta`.
    report:
        The :class:`~smartspec.table.ValidationReport` of the import.
    content_hash:
        SHA-256 (hex) of the rows and metadata (see :func:`content_hash`).
    rows, columns, regions, activities, periods:
        Number of rows, the columns of the table, the number of distinct regions and
        activities, and the first and last period (``None`` without periods).
    imported_at:
        When the version was stored (UTC).
    file:
        The version's Parquet file.
    versions:
        How many versions of the name the store keeps.
    """

    name: str
    version: int
    measure: str
    unit: str
    additive: bool
    classification: str | None
    classification_version: str | None
    region_scheme: str
    region_level: int | None
    nuts_version: int | None
    provenance: dict[str, Any]
    report: ValidationReport
    content_hash: str
    rows: int
    columns: tuple[str, ...]
    regions: int
    activities: int
    periods: tuple[int, int] | None
    imported_at: datetime
    file: Path
    versions: int = 1

    @property
    def label(self) -> str:
        """``name vN``."""
        return f"{self.name} v{self.version}"

    @property
    def meta(self) -> TableMeta:
        """The table's metadata."""
        return TableMeta(
            measure=self.measure,
            unit=self.unit,
            additive=self.additive,
            classification=self.classification,
            classification_version=self.classification_version,
            region_level=self.region_level,
            nuts_version=self.nuts_version,
            region_scheme=self.region_scheme,
            provenance=dict(self.provenance),
        )

    def to_dict(self) -> dict[str, Any]:
        """The entry as JSON-ready data (the report as text lines and structure)."""
        return {
            "name": self.name,
            "version": self.version,
            "versions": self.versions,
            "measure": self.measure,
            "unit": self.unit,
            "additive": self.additive,
            "classification": self.classification,
            "classification_version": self.classification_version,
            "region_scheme": self.region_scheme,
            "region_level": self.region_level,
            "nuts_version": self.nuts_version,
            "rows": self.rows,
            "columns": list(self.columns),
            "regions": self.regions,
            "activities": self.activities,
            "periods": list(self.periods) if self.periods is not None else None,
            "content_hash": self.content_hash,
            "imported_at": self.imported_at.isoformat().replace("+00:00", "Z"),
            "file": str(self.file),
            "provenance": self.provenance,
            "report": _report_to_dict(self.report),
        }


@dataclass(frozen=True)
class PutResult:
    """What :meth:`EvidenceStore.put` did.

    ``status`` is ``"new"`` (the first version of a name), ``"new version"`` (the content
    differs from the latest version, which is kept) or ``"unchanged"`` (identical to the
    latest version: nothing was written); ``entry`` is the stored (or existing) version
    and ``previous`` the version that was the latest before, if any.
    """

    entry: EvidenceEntry
    status: Literal["new", "new version", "unchanged"]
    previous: int | None = None

    @property
    def changed(self) -> bool:
        """Whether a version was written."""
        return self.status != "unchanged"

    @property
    def message(self) -> str:
        """One line saying what happened."""
        e = self.entry
        if self.status == "unchanged":
            return (
                f"{e.name} is unchanged: the content is identical to v{e.version} "
                "(nothing imported)"
            )
        text = f"imported {e.label}: {e.rows:,} row{'s' if e.rows != 1 else ''}"
        if self.status == "new version":
            text += f" (a new version; v{self.previous} is kept)"
        return text

    def __str__(self) -> str:
        return self.message


_Entries = list[EvidenceEntry]


def _meta_fields(meta: TableMeta, provenance: Any) -> dict[str, Any]:
    """A table's metadata as the store keeps it (Parquet footer, content hash), in order."""
    return {
        "measure": meta.measure,
        "unit": meta.unit,
        "additive": meta.additive,
        "classification": meta.classification,
        "classification_version": meta.classification_version,
        "region_level": meta.region_level,
        "nuts_version": meta.nuts_version,
        "region_scheme": meta.region_scheme,
        "provenance": provenance,
    }


def _report_to_dict(report: ValidationReport) -> dict[str, Any]:
    return {
        "rows_read": report.rows_read,
        "rows_kept": report.rows_kept,
        "missing_values": report.missing_values,
        "dropped": [
            {"code": d.code, "reason": d.reason, "rows": d.rows, "column": d.column}
            for d in report.dropped
        ],
        "notes": list(report.notes),
    }


def _report_from_dict(data: Mapping[str, Any]) -> ValidationReport:
    return ValidationReport(
        rows_read=int(data.get("rows_read", 0)),
        rows_kept=int(data.get("rows_kept", 0)),
        missing_values=int(data.get("missing_values", 0)),
        dropped=tuple(
            DroppedCode(str(d["code"]), str(d["reason"]), int(d["rows"]), str(d["column"]))
            for d in data.get("dropped", ())
        ),
        notes=tuple(str(n) for n in data.get("notes", ())),
    )
