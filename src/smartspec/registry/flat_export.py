"""Exports of the registry: the lossless JSON backup, and flat tables for spreadsheets.

Three formats:

``json``
    The lossless backup of :meth:`Registry.export_json
    <smartspec.registry.service.Registry.export_json>` (every row of every table);
    :meth:`~smartspec.registry.service.Registry.import_json` restores it.
``csv``
    One flat table, one row per region × revision × priority (:data:`PRIORITY_COLUMNS`):
    every priority every revision of a region's own strategy states, and every area of
    the joint strategies it belongs to (``joint`` true), in the order region, strategy,
    effective date, revision, position. UTF-8, comma-separated, a header row.
``xlsx``
    A workbook with the sheets ``priorities`` (the CSV table), ``revisions``, ``sources``
    and ``audit`` (the audit log, before/after as JSON text), and ``classifications``
    (:data:`CLASSIFICATION_COLUMNS`: the NACE divisions and themes suggested for or set
    on priorities, with their review status) when the registry holds any.

The flat tables are derived from one JSON export, so all sheets show one consistent
state. Files are written to a temporary file in the target folder and renamed, so an
export is never half-written, and an existing file is replaced only with ``force``.

>>> sorted(f.value for f in ExportFormat)
['csv', 'json', 'xlsx']
"""

from __future__ import annotations

import csv
import datetime as dt
import enum
import json
import os
import re
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from smartspec.errors import InputError
from smartspec.registry.dates import DatePrecision, PartialDate

if TYPE_CHECKING:
    from smartspec.registry.service import Registry

__all__ = [
    "AUDIT_COLUMNS",
    "CLASSIFICATION_COLUMNS",
    "PRIORITY_COLUMNS",
    "REVISION_COLUMNS",
    "SOURCE_COLUMNS",
    "ExportFormat",
    "ExportSummary",
    "audit_rows",
    "check_target",
    "classification_rows",
    "export_registry",
    "format_from_suffix",
    "priority_rows",
    "revision_rows",
    "source_rows",
    "write_atomic",
]


class ExportFormat(enum.StrEnum):
    """The export formats."""

    json = "json"
    csv = "csv"
    xlsx = "xlsx"


#: Columns of the flat priorities table (CSV, and the ``priorities`` sheet).
PRIORITY_COLUMNS: tuple[str, ...] = (
    "region",
    "region_name",
    "strategy",
    "joint",
    "revision",
    "effective",
    "source",
    "priority_id",
    "position",
    "label_sv",
    "label_en",
    "kind",
    "category",
)
#: Columns of the ``revisions`` sheet.
REVISION_COLUMNS: tuple[str, ...] = (
    "strategy",
    "strategy_name",
    "joint",
    "regions",
    "revision",
    "effective",
    "recorded_at",
    "author",
    "reason",
    "source",
    "priority_count",
    "status",
    "period_start",
    "period_end",
    "adopted_on",
    "vision",
)
#: Columns of the ``sources`` sheet.
SOURCE_COLUMNS: tuple[str, ...] = (
    "key",
    "title",
    "publisher",
    "url",
    "date",
    "date_inferred",
    "language",
    "note",
)
#: Columns of the ``audit`` sheet.
AUDIT_COLUMNS: tuple[str, ...] = (
    "id",
    "recorded_at",
    "actor",
    "operation",
    "reason",
    "table",
    "row_key",
    "action",
    "before",
    "after",
)
#: Columns of the ``classifications`` sheet.
CLASSIFICATION_COLUMNS: tuple[str, ...] = (
    "strategy",
    "joint",
    "priority_id",
    "label",
    "scheme",
    "code",
    "name",
    "score",
    "status",
    "method",
    "evidence",
    "reviewed_by",
    "reviewed_at",
    "created_at",
)

_EXCEL_MAX_CELL = 32_767


@dataclass(frozen=True)
class ExportSummary:
    """What an export wrote.

    Attributes
    ----------
    rows:
        Table or sheet name → number of data rows written (JSON: rows per table).
    """

    path: Path
    format: ExportFormat
    rows: Mapping[str, int]


# --------------------------------------------------------------------------- tables

Export = Mapping[str, Any]


def _export(source: Registry | Export) -> Export:
    if isinstance(source, Mapping):
        return source
    return source.export_json()


def _tables(export: Export) -> Mapping[str, list[dict[str, Any]]]:
    tables = export.get("tables")
    if not isinstance(tables, Mapping):
        raise InputError("not a registry export: it has no 'tables'")
    return tables


def _partial(day: str | None, precision: str | None) -> str | None:
    """An ISO day and a precision as the date was published: ``2019``, ``2019-10``…

    >>> _partial("2019-10-01", "month"), _partial(None, None)
    ('2019-10', None)
    """
    if day is None:
        return None
    return str(PartialDate(dt.date.fromisoformat(day), DatePrecision(precision or "day")))


def _strategy_regions(tables: Mapping[str, list[dict[str, Any]]]) -> dict[int, list[int]]:
    members: dict[int, list[int]] = {}
    for row in tables.get("strategy_region", []):
        members.setdefault(row["strategy_id"], []).append(row["region_id"])
    return members


def _revisions_ordered(
    tables: Mapping[str, list[dict[str, Any]]], strategies: Mapping[int, dict[str, Any]]
) -> list[dict[str, Any]]:
    return sorted(
        tables.get("strategy_revision", []),
        key=lambda r: (
            strategies[r["strategy_id"]]["kind"] != "regional",
            strategies[r["strategy_id"]]["code"],
            r["effective_date"],
            r["number"],
        ),
    )


def priority_rows(source: Registry | Export) -> list[dict[str, Any]]:
    """The flat priorities table: one row per region × revision × priority.

    Parameters
    ----------
    source:
        A registry, or an export of one (:meth:`Registry.export_json`).

    Returns
    -------
    list[dict]
        Rows with the keys :data:`PRIORITY_COLUMNS`, ordered by region, then the region's
        own strategy before its joint ones, effective date, revision number and position.
    """
    tables = _tables(_export(source))
    regions = {r["id"]: r for r in tables.get("region", [])}
    strategies = {s["id"]: s for s in tables.get("strategy", [])}
    sources = {s["id"]: s["key"] for s in tables.get("source_document", [])}
    members = _strategy_regions(tables)
    by_revision: dict[int, list[dict[str, Any]]] = {}
    for item in tables.get("revision_priority", []):
        by_revision.setdefault(item["revision_id"], []).append(item)
    rows: list[tuple[tuple[Any, ...], dict[str, Any]]] = []
    for rev in _revisions_ordered(tables, strategies):
        strategy = strategies[rev["strategy_id"]]
        joint = strategy["kind"] == "joint"
        effective = _partial(rev["effective_date"], rev["effective_precision"])
        items = sorted(by_revision.get(rev["id"], []), key=lambda p: p["position"])
        for region_id in members.get(strategy["id"], []):
            region = regions[region_id]
            for item in items:
                order = (region["code"], joint, strategy["code"], rev["effective_date"])
                rows.append(
                    (
                        (*order, rev["number"], item["position"]),
                        {
                            "region": region["code"],
                            "region_name": region["name"],
                            "strategy": strategy["code"],
                            "joint": joint,
                            "revision": rev["number"],
                            "effective": effective,
                            "source": sources.get(rev["source_id"]),
                            "priority_id": item["priority_id"],
                            "position": item["position"],
                            "label_sv": item["label_sv"],
                            "label_en": item["label_en"],
                            "kind": item["kind"],
                            "category": item["category"],
                        },
                    )
                )
    return [row for _key, row in sorted(rows, key=lambda pair: pair[0])]


def revision_rows(source: Registry | Export) -> list[dict[str, Any]]:
    """Every revision of every strategy (:data:`REVISION_COLUMNS`), by strategy and date."""
    tables = _tables(_export(source))
    regions = {r["id"]: r["code"] for r in tables.get("region", [])}
    strategies = {s["id"]: s for s in tables.get("strategy", [])}
    sources = {s["id"]: s["key"] for s in tables.get("source_document", [])}
    members = _strategy_regions(tables)
    counts: dict[int, int] = {}
    for item in tables.get("revision_priority", []):
        counts[item["revision_id"]] = counts.get(item["revision_id"], 0) + 1
    rows = []
    for rev in _revisions_ordered(tables, strategies):
        strategy = strategies[rev["strategy_id"]]
        rows.append(
            {
                "strategy": strategy["code"],
                "strategy_name": strategy["name"],
                "joint": strategy["kind"] == "joint",
                "regions": " ".join(sorted(regions[i] for i in members.get(strategy["id"], []))),
                "revision": rev["number"],
                "effective": _partial(rev["effective_date"], rev["effective_precision"]),
                "recorded_at": rev["recorded_at"],
                "author": rev["author"],
                "reason": rev["reason"],
                "source": sources.get(rev["source_id"]),
                "priority_count": counts.get(rev["id"], 0),
                "status": rev["status"],
                "period_start": rev["period_start"],
                "period_end": rev["period_end"],
                "adopted_on": rev["adopted_on"],
                "vision": rev["vision"],
            }
        )
    return rows


def source_rows(source: Registry | Export) -> list[dict[str, Any]]:
    """Every source document (:data:`SOURCE_COLUMNS`), by key."""
    tables = _tables(_export(source))
    return [
        {
            "key": s["key"],
            "title": s["title"],
            "publisher": s["publisher"],
            "url": s["url"],
            "date": _partial(s["date"], s["date_precision"]),
            "date_inferred": bool(s["date_inferred"]),
            "language": s["language"],
            "note": s["note"],
        }
        for s in sorted(tables.get("source_document", []), key=lambda s: s["key"])
    ]


def audit_rows(source: Registry | Export) -> list[dict[str, Any]]:
    """The audit log (:data:`AUDIT_COLUMNS`), oldest first; before/after as JSON text."""
    tables = _tables(_export(source))

    def as_json(value: Any) -> str | None:
        if value is None:
            return None
        return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))

    return [
        {
            "id": e["id"],
            "recorded_at": e["recorded_at"],
            "actor": e["actor"],
            "operation": e["operation"],
            "reason": e["reason"],
            "table": e["table_name"],
            "row_key": e["row_key"],
            "action": e["action"],
            "before": as_json(e["before"]),
            "after": as_json(e["after"]),
        }
        for e in sorted(tables.get("audit_log", []), key=lambda e: e["id"])
    ]


def classification_rows(source: Registry | Export) -> list[dict[str, Any]]:
    """Every priority classification (:data:`CLASSIFICATION_COLUMNS`).

    Ordered by strategy (regional before joint), priority id, scheme (NACE, then
    themes), status (accepted, added, suggested, rejected) and score; ``label`` is the
    priority's label in the latest revision stating it, ``name`` the code's English name,
    ``evidence`` one item per line.
    """
    from smartspec.registry.classification import code_name

    tables = _tables(_export(source))
    strategies = {s["id"]: s for s in tables.get("strategy", [])}
    priorities = {p["id"]: p["strategy_id"] for p in tables.get("priority", [])}
    revisions = {
        r["id"]: (r["effective_date"], r["number"]) for r in tables.get("strategy_revision", [])
    }
    labels: dict[int, tuple[tuple[str, int], str]] = {}
    for item in tables.get("revision_priority", []):
        when = revisions[item["revision_id"]]
        label = item["label_sv"] if item["label_sv"] is not None else (item["label_en"] or "")
        if item["priority_id"] not in labels or labels[item["priority_id"]][0] < when:
            labels[item["priority_id"]] = (when, label)
    status_order = {"accepted": 0, "added": 1, "suggested": 2, "rejected": 3}
    rows: list[tuple[tuple[Any, ...], dict[str, Any]]] = []
    for c in tables.get("priority_classification", []):
        strategy = strategies[priorities[c["priority_id"]]]
        joint = strategy["kind"] == "joint"
        score = c["score"]
        key = (
            joint,
            strategy["code"],
            c["priority_id"],
            c["scheme"] != "nace",
            status_order.get(c["status"], 9),
            -(score if score is not None else -1.0),
            c["code"],
        )
        rows.append(
            (
                key,
                {
                    "strategy": strategy["code"],
                    "joint": joint,
                    "priority_id": c["priority_id"],
                    "label": labels[c["priority_id"]][1] if c["priority_id"] in labels else "",
                    "scheme": c["scheme"],
                    "code": c["code"],
                    "name": code_name(c["scheme"], c["code"]),
                    "score": score,
                    "status": c["status"],
                    "method": c["method"],
                    "evidence": c["evidence"],
                    "reviewed_by": c["reviewed_by"],
                    "reviewed_at": c["reviewed_at"],
                    "created_at": c["created_at"],
                },
            )
        )
    return [row for _key, row in sorted(rows, key=lambda pair: pair[0])]


# --------------------------------------------------------------------------- writing


def format_from_suffix(out: str | os.PathLike[str]) -> ExportFormat:
    """The export format a file name's suffix names.

    >>> format_from_suffix("map.XLSX").value
    'xlsx'
    """
    suffix = Path(out).suffix.lower().lstrip(".")
    try:
        return ExportFormat(suffix)
    except ValueError:
        raise InputError(
            f"cannot tell the format of {Path(out).name!r} from its suffix",
            hint="give --format json, csv or xlsx",
        ) from None


def _format(fmt: ExportFormat | str | None, out: Path) -> ExportFormat:
    if fmt is None:
        return format_from_suffix(out)
    try:
        return ExportFormat(str(fmt).lower())
    except ValueError:
        raise InputError(f"unknown export format {fmt!r}", hint="use json, csv or xlsx") from None


def check_target(out: Path, *, force: bool = False) -> Path:
    """Check that ``out`` may be written; return its folder.

    Raises
    ------
    InputError
        If ``out`` exists and ``force`` is false, is a folder, or its folder is missing.
    """
    if out.is_dir():
        raise InputError(f"{out} is a folder", hint="give a file name")
    if out.exists() and not force:
        raise InputError(
            f"{out} already exists", hint="use --force to overwrite it, or choose another --out"
        )
    folder = out.parent if str(out.parent) else Path(".")
    if not folder.is_dir():
        raise InputError(f"folder {folder} does not exist", hint="create it first")
    return folder


def write_atomic(out: Path, write: Callable[[Path], None], *, force: bool = False) -> None:
    """Write ``out`` through ``write(temporary path)`` and a rename: never half-written.

    Raises
    ------
    InputError
        If ``out`` exists and ``force`` is false, is a folder, or its folder is missing.
    """
    folder = check_target(out, force=force)
    fd, tmp_name = tempfile.mkstemp(dir=folder, prefix=f".{out.name}.", suffix=".tmp")
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        write(tmp)
        os.chmod(tmp, 0o644)
        os.replace(tmp, out)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _csv_value(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else value


def _write_csv(rows: Sequence[Mapping[str, Any]], columns: Sequence[str], path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        for row in rows:
            writer.writerow([_csv_value(row.get(c)) for c in columns])


_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _excel_text(value: str) -> str:
    text = _ILLEGAL.sub("", value)
    if len(text) > _EXCEL_MAX_CELL:
        text = text[: _EXCEL_MAX_CELL - 1] + "…"
    return text


def _write_xlsx(
    sheets: Mapping[str, tuple[Sequence[str], list[dict[str, Any]]]], path: Path
) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    for default in list(book.worksheets):
        book.remove(default)
    bold = Font(bold=True)
    for name, (columns, rows) in sheets.items():
        sheet = book.create_sheet(name)
        sheet.append(list(columns))
        for cell in sheet[1]:
            cell.font = bold
        widths = [len(c) for c in columns]
        for number, row in enumerate(rows, start=2):
            for col, key in enumerate(columns, start=1):
                value = row.get(key)
                if isinstance(value, str):
                    value = _excel_text(value)
                    widths[col - 1] = max(widths[col - 1], min(len(value), 60))
                cell = sheet.cell(row=number, column=col, value=value)
                if isinstance(value, str):
                    cell.data_type = "s"  # text, never a formula (a label may start with "=")
        for col, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(col)].width = width + 2
        sheet.freeze_panes = "A2"
        if rows:
            sheet.auto_filter.ref = sheet.dimensions
    book.save(path)


def export_registry(
    registry: Registry,
    out: str | os.PathLike[str],
    fmt: ExportFormat | str | None = None,
    *,
    force: bool = False,
) -> ExportSummary:
    """Export the registry to a file (see the module for the formats).

    Parameters
    ----------
    out:
        The file to write.
    fmt:
        ``"json"``, ``"csv"`` or ``"xlsx"``; default: from the suffix of ``out``.
    force:
        Replace ``out`` if it exists.

    Returns
    -------
    ExportSummary
        What was written.

    Raises
    ------
    InputError
        For an unknown format, an existing ``out`` without ``force``, or a missing folder.
    """
    path = Path(out)
    kind = _format(fmt, path)
    check_target(path, force=force)  # refuse before the work, not only at the rename
    export = registry.export_json()
    if kind is ExportFormat.json:
        text = json.dumps(export, ensure_ascii=False, indent=1) + "\n"

        def write_json(tmp: Path) -> None:
            tmp.write_text(text, encoding="utf-8")

        write_atomic(path, write_json, force=force)
        counts = {name: len(rows) for name, rows in _tables(export).items()}
        return ExportSummary(path, kind, counts)
    priorities = priority_rows(export)
    if kind is ExportFormat.csv:
        write_atomic(path, lambda tmp: _write_csv(priorities, PRIORITY_COLUMNS, tmp), force=force)
        return ExportSummary(path, kind, {"priorities": len(priorities)})
    sheets = {
        "priorities": (PRIORITY_COLUMNS, priorities),
        "revisions": (REVISION_COLUMNS, revision_rows(export)),
        "sources": (SOURCE_COLUMNS, source_rows(export)),
        "audit": (AUDIT_COLUMNS, audit_rows(export)),
    }
    classified = classification_rows(export)
    if classified:
        sheets["classifications"] = (CLASSIFICATION_COLUMNS, classified)
    write_atomic(path, lambda tmp: _write_xlsx(sheets, tmp), force=force)
    return ExportSummary(path, kind, {name: len(rows) for name, (_c, rows) in sheets.items()})
