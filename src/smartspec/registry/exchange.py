"""Lossless JSON backup and restore of a whole registry (revisions and audit log included).

The export holds every row of every registry table, ordered by primary key, with dates and
times in ISO 8601 and enumerations by value::

    {"format": "smartspec-registry", "format_version": 1, "schema": "0001",
     "tables": {"region": [{"id": 1, "code": "SE110", ...}, ...], ...}}

Restoring writes the rows back with their ids, in one transaction, into an *empty*
registry at the same schema revision, so an export of the restored registry equals the
original export. It works across backends (SQLite -> PostgreSQL and back). A restore
brings back the audit log as it was; it adds no audit entries of its own.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from smartspec.errors import InputError
from smartspec.registry.models import Base
from smartspec.registry.serial import decode, encode

__all__ = ["FORMAT", "FORMAT_VERSION", "dump_tables", "load_tables", "read_export"]

FORMAT = "smartspec-registry"
FORMAT_VERSION = 1


def dump_tables(connection: sa.Connection, schema: str) -> dict[str, Any]:
    """Every row of every registry table as JSON-ready values."""
    tables: dict[str, list[dict[str, Any]]] = {}
    for table in Base.metadata.sorted_tables:
        order = list(table.primary_key.columns)
        rows = connection.execute(sa.select(table).order_by(*order)).mappings()
        tables[table.name] = [
            {column.name: encode(row[column]) for column in table.columns} for row in rows
        ]
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "schema": schema,
        "tables": tables,
    }


def read_export(data: dict[str, Any] | str | os.PathLike[str]) -> dict[str, Any]:
    """An export given as a dict, a JSON file path, or JSON text."""
    if isinstance(data, dict):
        return data
    text = os.fspath(data)
    if not text.lstrip().startswith("{"):
        try:
            text = Path(text).read_text(encoding="utf-8")
        except FileNotFoundError:
            raise InputError(f"no such file: {text!r}") from None
    try:
        loaded = json.loads(text)
    except json.JSONDecodeError as err:
        raise InputError(f"not valid JSON: {err.msg}", row=err.lineno) from None
    if not isinstance(loaded, dict):
        raise InputError("a registry export must be a JSON object")
    return loaded


def load_tables(connection: sa.Connection, export: dict[str, Any], schema: str) -> int:
    """Insert the rows of ``export`` into the (empty) registry; returns the row count.

    Raises
    ------
    InputError
        If the export is not a registry export, is of another schema revision, names an
        unknown table or column, or the registry is not empty.
    """
    if export.get("format") != FORMAT:
        raise InputError(f"not a smartspec registry export (format {export.get('format')!r})")
    if export.get("format_version") != FORMAT_VERSION:
        raise InputError(
            f"export format version {export.get('format_version')!r} is not supported",
            hint=f"this smartspec reads version {FORMAT_VERSION}",
        )
    if export.get("schema") != schema:
        raise InputError(
            f"the export is of registry schema {export.get('schema')!r}, this registry is at "
            f"{schema!r}",
            hint="restore with the smartspec version that made the export, then upgrade",
        )
    tables = export.get("tables")
    if not isinstance(tables, dict):
        raise InputError("the export has no 'tables'")
    known = {t.name: t for t in Base.metadata.sorted_tables}
    unknown = sorted(set(tables) - set(known))
    if unknown:
        raise InputError(f"the export has an unknown table {unknown[0]!r}")
    for table in known.values():
        if connection.execute(sa.select(sa.func.count()).select_from(table)).scalar_one():
            raise InputError(
                f"the registry is not empty (table {table.name!r} has rows)",
                hint="restore into a new, empty database",
            )
    total = 0
    for table in Base.metadata.sorted_tables:
        rows = tables.get(table.name) or []
        if not rows:
            continue
        columns = {c.name: c for c in table.columns}
        decoded = []
        for number, row in enumerate(rows, start=1):
            extra = sorted(set(row) - set(columns))
            if extra:
                raise InputError(
                    f"unknown column {extra[0]!r}", source=f"table {table.name}", row=number
                )
            decoded.append({name: decode(col, row.get(name)) for name, col in columns.items()})
        connection.execute(sa.insert(table), decoded)
        total += len(decoded)
    _reset_sequences(connection)
    return total


def _reset_sequences(connection: sa.Connection) -> None:
    """After inserting explicit ids, make PostgreSQL's id sequences continue after them."""
    if connection.dialect.name != "postgresql":
        return
    for table in Base.metadata.sorted_tables:
        if "id" not in table.columns or not table.c.id.autoincrement:
            continue
        connection.execute(
            sa.text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"
            )
        )
