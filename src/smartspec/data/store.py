"""The evidence store: activity tables kept in the data directory, versioned.

Tables that a user imports (from a file, from Eurostat, from SCB) are kept so that an
analysis can name them instead of fetching or reading them again:

* the rows of each version are a Parquet file, ``<data dir>/evidence/<name>/v<N>.parquet``
  (columns ``region``, ``activity``, ``period``, ``value``, ``flag`` as the table has
  them; the metadata is repeated in the file's key-value metadata, so a file describes
  itself);
* the catalogue is a DuckDB database, ``<data dir>/evidence.duckdb``: one row per name
  and version with the table's metadata (measure, unit, additivity, classification,
  NUTS version and level, region scheme), its provenance and validation report (JSON),
  its content hash, row count, import time and file.

Versions
    :meth:`EvidenceStore.put` stores a table under a name. Storing content that is
    identical to the latest version of the name changes nothing (the result says so);
    anything else becomes a new version (``v1``, ``v2``…), and the old versions are kept.
    :meth:`~EvidenceStore.load` gives the latest version unless one is asked for;
    :meth:`~EvidenceStore.history` lists them all. Version numbers are not reused after a
    :meth:`~EvidenceStore.drop` of one version; dropping a whole name forgets it.

Content hash
    SHA-256 over a canonical serialisation of the rows (sorted by region, activity and
    period, so the row order does not matter) and the metadata, provenance included
    except the fields that only record *when and how* the data was fetched
    (``retrieved``, ``from_cache``, ``chunks``, ``limits``): fetching the same slice
    again is not a new version, a changed value, flag, unit or source is.

All or nothing
    An import writes the Parquet file to a temporary file, flushes it to disk, renames
    it into place and only then inserts the catalogue row, in one transaction. A crash
    at any point leaves the catalogue as it was; the next write (or opening the store)
    removes the temporary files and the files that no catalogue row names. Dropping
    deletes the rows first and the files after.

One process at a time
    DuckDB lets one process open the catalogue for writing. The store opens it only for
    the duration of each call and waits up to ``wait`` seconds for another process to
    finish; then it raises :class:`StoreBusyError` ("the evidence store is in use by
    another process (pid …)").

Examples
--------
>>> import pandas as pd, tempfile
>>> from smartspec.table import ActivityTable
>>> table = ActivityTable.from_frame(
...     pd.DataFrame({"region": ["SE11", "SE12"], "value": [1.0, 2.0]}),
...     measure="gdp", unit="MIO_EUR", additive=True, nuts_version=2016)
>>> store = EvidenceStore(tempfile.mkdtemp())
>>> print(store.put(table, "gdp"))
imported gdp v1: 2 rows
>>> print(store.put(table, "gdp"))
gdp is unchanged: the content is identical to v1 (nothing imported)
>>> store.load("gdp").meta == table.meta
True
"""

from __future__ import annotations

import builtins
import contextlib
import difflib
import hashlib
import json
import math
import os
import re
import sys
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from smartspec.config import DataDir
from smartspec.config import data_dir as _data_dir
from smartspec.errors import InputError, SmartspecError, UnknownCodeError
from smartspec.table import ActivityTable, DroppedCode, TableMeta, ValidationReport

if TYPE_CHECKING:
    import duckdb
    import pyarrow as pa

__all__ = [
    "NAME_PATTERN",
    "VOLATILE_PROVENANCE",
    "EvidenceEntry",
    "EvidenceStore",
    "EvidenceStoreError",
    "PutResult",
    "StoreBusyError",
    "check_name",
    "content_hash",
]

NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
"""Names of stored tables: lowercase letters, digits, ``_`` and ``-``; at most 64."""

VOLATILE_PROVENANCE: frozenset[str] = frozenset({"retrieved", "from_cache", "chunks", "limits"})
"""Provenance fields left out of the content hash: when and how, not what."""

SCHEMA_VERSION = 1
_HASH_PREFIX = b"smartspec-evidence/1\n"
_COLUMNS = ("region", "activity", "period", "value", "flag")
_FILE = re.compile(r"^v(\d+)\.parquet$")
_ROW_GROUP = 65_536
_LOCK_PID = re.compile(r"PID (\d+)")
# Tests only: "<stage>:<action>" makes a write stop at a stage ("parquet-write": the
# Parquet file is half written; "before-commit": the file is in place, the catalogue row
# is not) with an action ("exit": os._exit; "pause": announce on stderr and sleep).
_HOOK_ENV = "SMARTSPEC_STORE_TEST_HOOK"

_PROCESS_LOCKS: dict[Path, threading.RLock] = {}
_PROCESS_LOCKS_GUARD = threading.Lock()

_SCHEMA = (
    """
    CREATE TABLE IF NOT EXISTS store_info (
        key VARCHAR PRIMARY KEY,
        value VARCHAR NOT NULL
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS evidence_names (
        name VARCHAR PRIMARY KEY,
        next_version INTEGER NOT NULL
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS evidence (
        name VARCHAR NOT NULL,
        version INTEGER NOT NULL,
        measure VARCHAR NOT NULL,
        unit VARCHAR NOT NULL,
        additive BOOLEAN NOT NULL,
        classification VARCHAR,
        classification_version VARCHAR,
        region_scheme VARCHAR NOT NULL,
        region_level INTEGER,
        nuts_version INTEGER,
        provenance VARCHAR NOT NULL,
        report VARCHAR NOT NULL,
        content_hash VARCHAR NOT NULL,
        n_rows BIGINT NOT NULL,
        column_names VARCHAR NOT NULL,
        n_regions INTEGER NOT NULL,
        n_activities INTEGER NOT NULL,
        period_min INTEGER,
        period_max INTEGER,
        imported_at TIMESTAMP NOT NULL,
        file VARCHAR NOT NULL,
        PRIMARY KEY (name, version)
    )
    """,
)
_ENTRY_COLUMNS = (
    "name, version, measure, unit, additive, classification, classification_version, "
    "region_scheme, region_level, nuts_version, provenance, report, content_hash, n_rows, "
    "column_names, n_regions, n_activities, period_min, period_max, imported_at, file"
)


# --------------------------------------------------------------------------- errors
class EvidenceStoreError(SmartspecError):
    """The evidence store cannot be used: its catalogue or a file is damaged or missing."""


class StoreBusyError(EvidenceStoreError):
    """Another process has the evidence store open.

    ``pid`` is that process's id when DuckDB names it, else ``None``.
    """

    def __init__(self, path: Path, pid: int | None) -> None:
        self.path = path
        self.pid = pid
        who = f"pid {pid}" if pid is not None else "pid unknown"
        super().__init__(
            f"the evidence store is in use by another process ({who}): {path}; "
            "wait for it to finish, or stop it, and try again"
        )


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


# --------------------------------------------------------------------------- names, hash
def check_name(name: str) -> str:
    """Return *name* if it can name a stored table, else raise a clear :class:`InputError`.

    Examples
    --------
    >>> check_name("emp_se-2015")
    'emp_se-2015'
    >>> try:
    ...     check_name("Employment SE")
    ... except InputError as err:
    ...     print(err.hint.split(": ")[-1])
    e.g. 'employment_se'
    """
    if isinstance(name, str) and NAME_PATTERN.match(name):
        return name
    text = str(name)
    suggestion = re.sub(r"[^a-z0-9_-]+", "_", text.strip().lower()).strip("_-")[:64]
    example = suggestion if suggestion and NAME_PATTERN.match(suggestion) else "emp_se_2015"
    raise InputError(
        f"{text!r} is not a valid name for a stored table",
        hint="use lowercase letters, digits, '_' and '-', starting with a letter or digit, "
        f"at most 64 characters: e.g. {example!r}",
    )


def content_hash(table: ActivityTable) -> str:
    """SHA-256 (hex) of a table's rows and metadata; the row order does not change it.

    The rows are sorted by region, activity and period (unique keys), and each column
    is serialised as its sorted distinct codes and the row codes (region, activity,
    flag), little-endian integers (period) or IEEE doubles with one NaN (value). The
    metadata is canonical JSON; provenance fields in :data:`VOLATILE_PROVENANCE` are
    left out.

    Examples
    --------
    >>> import pandas as pd
    >>> from smartspec.table import ActivityTable
    >>> def t(rows):
    ...     return ActivityTable.from_frame(pd.DataFrame(rows, columns=["region", "value"]),
    ...         measure="m", unit="u", additive=True, region_scheme="custom")
    >>> content_hash(t([("A", 1.0), ("B", 2.0)])) == content_hash(t([("B", 2.0), ("A", 1.0)]))
    True
    >>> content_hash(t([("A", 1.0), ("B", 2.0)])) == content_hash(t([("A", 1.0), ("B", 3.0)]))
    False
    """
    digest = hashlib.sha256(_HASH_PREFIX)
    frame = table.frame
    columns = [c for c in _COLUMNS if c in frame.columns]
    keys: dict[str, np.ndarray[Any, Any]] = {}
    parts: dict[str, tuple[np.ndarray[Any, Any], list[str] | None]] = {}
    for col in columns:
        series = frame[col]
        if col in ("region", "activity", "flag"):
            codes, uniques = _factorize_text(series)
            parts[col] = (codes, uniques)
            if col != "flag":
                keys[col] = codes
        elif col == "period":
            values = np.asarray(series.to_numpy(), dtype="<i8")
            parts[col] = (values, None)
            keys[col] = values
        else:
            values = np.asarray(series.to_numpy(dtype=np.float64), dtype="<f8").copy()
            values[np.isnan(values)] = np.nan  # one NaN bit pattern
            parts[col] = (values, None)
    order = (
        np.lexsort(tuple(keys[c] for c in reversed(list(keys)))) if keys else np.arange(len(frame))
    )
    digest.update(f"rows {len(frame)}\n".encode())
    for col in columns:
        data, texts = parts[col]
        digest.update(f"column {col}\n".encode())
        if texts is not None:
            digest.update(f"codes {len(texts)}\n".encode())
            for text in texts:
                raw = text.encode("utf-8")
                digest.update(len(raw).to_bytes(8, "little") + raw)
            data = np.asarray(data, dtype="<i8")
        digest.update(np.ascontiguousarray(data[order]).tobytes())
    digest.update(b"meta\n")
    digest.update(_canonical_json(_meta_for_hash(table.meta)).encode("utf-8"))
    return digest.hexdigest()


def _factorize_text(series: pd.Series[Any]) -> tuple[np.ndarray[Any, Any], list[str]]:
    """Codes into the sorted distinct texts; a missing value is -1."""
    values = series.astype(object).to_numpy()
    codes, uniques = pd.factorize(values, sort=True)
    return np.asarray(codes, dtype=np.int64), [str(u) for u in uniques]


def _meta_for_hash(meta: TableMeta) -> dict[str, Any]:
    provenance = {k: v for k, v in meta.provenance.items() if k not in VOLATILE_PROVENANCE}
    return {
        "measure": meta.measure,
        "unit": meta.unit,
        "additive": meta.additive,
        "classification": meta.classification,
        "classification_version": meta.classification_version,
        "region_level": meta.region_level,
        "nuts_version": meta.nuts_version,
        "region_scheme": meta.region_scheme,
        "provenance": _jsonable(provenance),
    }


def _canonical_json(value: Any) -> str:
    return json.dumps(
        value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False
    )


def _jsonable(value: Any, where: str = "provenance") -> Any:
    """Provenance as JSON data: tuples become lists, numpy scalars numbers, dates ISO text."""
    if value is None or isinstance(value, bool | str | int):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise InputError(
                f"{where} holds {value!r}, which JSON cannot store",
                hint="use None for a missing number",
            )
        return value
    if isinstance(value, np.generic):
        return _jsonable(value.item(), where)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, Mapping):
        out: dict[str, Any] = {}
        for k, v in value.items():
            if not isinstance(k, str):
                raise InputError(
                    f"{where} has a key {k!r} that is not text",
                    hint="provenance keys must be strings",
                )
            out[k] = _jsonable(v, f"{where}[{k!r}]")
        return out
    if isinstance(value, list | tuple):
        return [_jsonable(v, f"{where}[{i}]") for i, v in enumerate(value)]
    raise InputError(
        f"{where} holds a {type(value).__name__}, which cannot be stored",
        hint="provenance may hold text, numbers, booleans, dates, lists and mappings",
    )


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


# --------------------------------------------------------------------------- the store
class EvidenceStore:
    """Versioned activity tables in the data directory (Parquet + a DuckDB catalogue).

    Parameters
    ----------
    data_dir:
        The data directory (a path or a :class:`~smartspec.config.DataDir`); default
        as in :func:`smartspec.config.data_dir` (``SMARTSPEC_DATA_DIR`` or the
        platform's user data directory). It is created if needed.
    wait:
        Seconds to wait for another process that has the store open before raising
        :class:`StoreBusyError`.

    Raises
    ------
    StoreBusyError
        Another process keeps the store open for longer than *wait*.
    EvidenceStoreError
        ``evidence.duckdb`` is not a catalogue this version of smartspec can use.

    Notes
    -----
    Opening the store creates the catalogue if needed and removes what an interrupted
    import left behind (temporary files, files no catalogue row names).
    """

    def __init__(
        self, data_dir: str | os.PathLike[str] | DataDir | None = None, *, wait: float = 2.0
    ) -> None:
        self.directory = data_dir if isinstance(data_dir, DataDir) else _data_dir(data_dir)
        self.wait = float(wait)
        with self._connect() as con:
            self._sweep(con)

    # ------------------------------------------------------------------ paths
    @property
    def catalogue_path(self) -> Path:
        """The DuckDB catalogue, ``<data dir>/evidence.duckdb``."""
        return self.directory.evidence_db

    @property
    def files_path(self) -> Path:
        """The folder of the Parquet files, ``<data dir>/evidence``."""
        return self.directory.evidence_files

    def __repr__(self) -> str:
        return f"EvidenceStore({str(self.directory.path)!r})"

    # ------------------------------------------------------------------ reading
    def list(self) -> _Entries:
        """The latest version of every stored table, by name."""
        with self._connect() as con:
            rows = con.execute(
                f"SELECT {_ENTRY_COLUMNS}, versions FROM ("
                f"  SELECT {_ENTRY_COLUMNS},"
                "    count(*) OVER (PARTITION BY name) AS versions,"
                "    row_number() OVER (PARTITION BY name ORDER BY version DESC) AS rank"
                "  FROM evidence) WHERE rank = 1 ORDER BY name"
            ).fetchall()
        return [self._entry(row) for row in rows]

    def names(self) -> builtins.list[str]:
        """The names of the stored tables, sorted."""
        with self._connect() as con:
            rows = con.execute("SELECT DISTINCT name FROM evidence ORDER BY name").fetchall()
        return [str(r[0]) for r in rows]

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name in self.names()

    def history(self, name: str) -> _Entries:
        """Every kept version of a table, oldest first.

        Raises
        ------
        UnknownCodeError
            No table has that name (with the closest names).
        """
        with self._connect() as con:
            return self._history(con, name)

    def show(self, name: str, version: int | None = None) -> EvidenceEntry:
        """The catalogue entry of a table's latest version (or of *version*).

        Raises
        ------
        UnknownCodeError
            No table has that name, or it has no such version.
        """
        with self._connect() as con:
            return _pick(self._history(con, name), name, version)

    def load(self, name: str, version: int | None = None) -> ActivityTable:
        """A stored table: the latest version, or *version*.

        The table's metadata, flags and validation report are as they were stored; the
        rows are checked against the content hash of the catalogue.

        Raises
        ------
        UnknownCodeError
            No table has that name, or it has no such version.
        EvidenceStoreError
            The version's file is missing, or does not match the catalogue.
        """
        return self.load_entry(name, version)[0]

    def load_entry(
        self, name: str, version: int | None = None
    ) -> tuple[ActivityTable, EvidenceEntry]:
        """A stored table and its catalogue entry, read together (as :meth:`load`).

        The entry says which version was read (``entry.version``) and its content hash,
        for the provenance of an analysis; reading both in one call means a version
        imported in between cannot make them disagree.

        Raises
        ------
        UnknownCodeError
            No table has that name, or it has no such version.
        EvidenceStoreError
            The version's file is missing, or does not match the catalogue.
        """
        with self._connect() as con:
            entry = _pick(self._history(con, name), name, version)
            path = entry.file
            if not path.is_file():
                raise EvidenceStoreError(
                    f"the file of {entry.label} is missing: {path}; drop the version "
                    f"(smartspec data drop {entry.name} --version {entry.version}) and "
                    "import the table again"
                )
            table = _read_parquet(path, entry)
        found = content_hash(table)
        if found != entry.content_hash:
            raise EvidenceStoreError(
                f"the file of {entry.label} does not match its catalogue entry (content hash "
                f"{found[:12]}… instead of {entry.content_hash[:12]}…): {path} was changed "
                "or damaged; drop the version and import the table again"
            )
        return table, entry

    # ------------------------------------------------------------------ writing
    def put(self, table: ActivityTable, name: str) -> PutResult:
        """Store a table under a name: a new version, or nothing if it is unchanged.

        Parameters
        ----------
        table:
            The table to store.
        name:
            Lowercase letters, digits, ``_`` and ``-`` (see :func:`check_name`).

        Returns
        -------
        PutResult
            What happened (``status``) and the catalogue entry.

        Raises
        ------
        InputError
            A bad name, or provenance that cannot be stored as JSON.
        StoreBusyError
            Another process has the store open.
        """
        check_name(name)
        if not isinstance(table, ActivityTable):
            raise InputError(
                f"only an ActivityTable can be stored, not a {type(table).__name__}",
                hint="build one with ActivityTable.from_frame or read_table",
            )
        provenance = _jsonable(table.meta.provenance)
        digest = content_hash(table)
        arrow = _to_arrow(table, provenance, digest)
        with self._connect() as con:
            self._sweep(con)
            latest = con.execute(
                f"SELECT {_ENTRY_COLUMNS}, 1 FROM evidence WHERE name = ? "
                "ORDER BY version DESC LIMIT 1",
                [name],
            ).fetchone()
            previous = self._entry(latest) if latest is not None else None
            if previous is not None and previous.content_hash == digest:
                count = con.execute(
                    "SELECT count(*) FROM evidence WHERE name = ?", [name]
                ).fetchone()
                versions = int(count[0]) if count else 1
                entry = replace(previous, versions=versions)
                return PutResult(entry, "unchanged", previous.version)
            got = con.execute(
                "SELECT next_version FROM evidence_names WHERE name = ?", [name]
            ).fetchone()
            version = int(got[0]) if got is not None else 1
            if previous is not None:
                version = max(version, previous.version + 1)
            rel = f"{name}/v{version}.parquet"
            target = self.files_path / rel
            _write_parquet_atomically(arrow, target)
            _hook("before-commit")
            stamp = datetime.now(UTC).replace(tzinfo=None)
            frame = table.frame
            periods = table.periods
            row = [
                name,
                version,
                table.meta.measure,
                table.meta.unit,
                bool(table.meta.additive),
                table.meta.classification,
                table.meta.classification_version,
                table.meta.region_scheme,
                table.meta.region_level,
                table.meta.nuts_version,
                json.dumps(provenance, ensure_ascii=False, allow_nan=False),
                json.dumps(_report_to_dict(table.report), ensure_ascii=False),
                digest,
                len(frame),
                ",".join(c for c in _COLUMNS if c in frame.columns),
                len(table.regions),
                len(table.activities),
                periods[0] if periods else None,
                periods[-1] if periods else None,
                stamp,
                rel,
            ]
            try:
                con.execute("BEGIN TRANSACTION")
                con.execute(
                    f"INSERT INTO evidence ({_ENTRY_COLUMNS}) VALUES ({', '.join('?' * len(row))})",
                    row,
                )
                con.execute("DELETE FROM evidence_names WHERE name = ?", [name])
                con.execute("INSERT INTO evidence_names VALUES (?, ?)", [name, version + 1])
                con.execute("COMMIT")
            except BaseException:
                with contextlib.suppress(Exception):
                    con.execute("ROLLBACK")
                with contextlib.suppress(OSError):
                    target.unlink()
                raise
            entry = _pick(self._history(con, name), name, version)
        status: Literal["new", "new version"] = "new" if previous is None else "new version"
        return PutResult(entry, status, previous.version if previous else None)

    def drop(self, name: str, version: int | None = None) -> _Entries:
        """Remove a table (every version), or one version of it; return what was removed.

        The catalogue rows go first (in one transaction), then the files. Dropping one
        version keeps the numbering: the next import of the name gets a new number.

        Raises
        ------
        UnknownCodeError
            No table has that name, or it has no such version.
        """
        with self._connect() as con:
            history = self._history(con, name)
            gone = history if version is None else [_pick(history, name, version)]
            try:
                con.execute("BEGIN TRANSACTION")
                if version is None:
                    con.execute("DELETE FROM evidence WHERE name = ?", [name])
                    con.execute("DELETE FROM evidence_names WHERE name = ?", [name])
                else:
                    con.execute(
                        "DELETE FROM evidence WHERE name = ? AND version = ?", [name, version]
                    )
                con.execute("COMMIT")
            except BaseException:
                with contextlib.suppress(Exception):
                    con.execute("ROLLBACK")
                raise
            self._sweep(con)
        return gone

    # ------------------------------------------------------------------ internals
    @contextlib.contextmanager
    def _connect(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """The catalogue, opened for one call (and created if needed), under a lock."""
        lock = _process_lock(self.catalogue_path)
        with lock:
            con = self._open()
            try:
                yield con
            finally:
                con.close()

    def _open(self) -> duckdb.DuckDBPyConnection:
        try:
            import duckdb
        except ImportError:  # pragma: no cover - duckdb is a dependency
            raise EvidenceStoreError(
                "the evidence store needs the package duckdb: pip install duckdb"
            ) from None
        try:
            self.directory.ensure()
        except OSError as err:
            raise EvidenceStoreError(
                f"cannot create the data directory {self.directory.path}: {err.strerror or err}"
            ) from None
        path = self.catalogue_path
        deadline = time.monotonic() + max(self.wait, 0.0)
        delay = 0.02
        while True:
            try:
                con = duckdb.connect(str(path))
                break
            except duckdb.IOException as err:
                text = str(err)
                if "lock" not in text.lower():
                    raise _unusable(path, text) from None
                if time.monotonic() >= deadline:
                    found = _LOCK_PID.search(text)
                    raise StoreBusyError(path, int(found.group(1)) if found else None) from None
                time.sleep(delay)
                delay = min(delay * 2, 0.25)
            except duckdb.Error as err:
                raise _unusable(path, str(err)) from None
        try:
            self._prepare(con)
        except BaseException:
            con.close()
            raise
        return con

    def _prepare(self, con: duckdb.DuckDBPyConnection) -> None:
        import duckdb

        try:
            tables = {
                r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()
            }
            if "evidence" not in tables:
                con.execute("BEGIN TRANSACTION")
                for statement in _SCHEMA:
                    con.execute(statement)
                con.execute(
                    "INSERT OR REPLACE INTO store_info VALUES ('schema_version', ?)",
                    [str(SCHEMA_VERSION)],
                )
                con.execute("COMMIT")
                return
            got = con.execute(
                "SELECT value FROM store_info WHERE key = 'schema_version'"
            ).fetchone()
        except duckdb.Error as err:
            raise _unusable(self.catalogue_path, str(err)) from None
        found = int(got[0]) if got is not None else 0
        if found > SCHEMA_VERSION:
            raise EvidenceStoreError(
                f"{self.catalogue_path} was written by a newer smartspec (catalogue schema "
                f"{found}, this version knows {SCHEMA_VERSION}); upgrade smartspec"
            )

    def _sweep(self, con: duckdb.DuckDBPyConnection) -> int:
        """Remove temporary files and files no catalogue row names; return how many.

        Runs with the catalogue open, so no other writer is between writing a file and
        committing its row.
        """
        root = self.files_path
        if not root.is_dir():
            return 0
        known = {str(r[0]) for r in con.execute("SELECT file FROM evidence").fetchall()}
        removed = 0
        for folder in root.iterdir():
            if not folder.is_dir() or not NAME_PATTERN.match(folder.name):
                continue
            for path in folder.iterdir():
                rel = f"{folder.name}/{path.name}"
                stale = path.name.endswith(".tmp") or (
                    _FILE.match(path.name) is not None and rel not in known
                )
                if stale and path.is_file():
                    with contextlib.suppress(OSError):
                        path.unlink()
                        removed += 1
            with contextlib.suppress(OSError):
                folder.rmdir()  # only if empty
        return removed

    def _history(self, con: duckdb.DuckDBPyConnection, name: str) -> _Entries:
        rows = con.execute(
            f"SELECT {_ENTRY_COLUMNS}, count(*) OVER () FROM evidence WHERE name = ? "
            "ORDER BY version",
            [name],
        ).fetchall()
        if not rows:
            found = con.execute("SELECT DISTINCT name FROM evidence ORDER BY 1").fetchall()
            names = [str(r[0]) for r in found]
            raise _unknown_name(name, names)
        return [self._entry(row) for row in rows]

    def _entry(self, row: Sequence[Any]) -> EvidenceEntry:
        (
            name,
            version,
            measure,
            unit,
            additive,
            classification,
            classification_version,
            region_scheme,
            region_level,
            nuts_version,
            provenance,
            report,
            digest,
            n_rows,
            columns,
            n_regions,
            n_activities,
            period_min,
            period_max,
            imported_at,
            file,
            versions,
        ) = row
        stamp = (
            imported_at
            if isinstance(imported_at, datetime)
            else datetime.fromisoformat(str(imported_at))
        )
        return EvidenceEntry(
            name=str(name),
            version=int(version),
            measure=str(measure),
            unit=str(unit),
            additive=bool(additive),
            classification=classification,
            classification_version=classification_version,
            region_scheme=str(region_scheme),
            region_level=None if region_level is None else int(region_level),
            nuts_version=None if nuts_version is None else int(nuts_version),
            provenance=dict(json.loads(provenance)),
            report=_report_from_dict(json.loads(report)),
            content_hash=str(digest),
            rows=int(n_rows),
            columns=tuple(str(columns).split(",")) if columns else (),
            regions=int(n_regions),
            activities=int(n_activities),
            periods=None if period_min is None else (int(period_min), int(period_max)),
            imported_at=stamp.replace(tzinfo=UTC),
            file=self.files_path / str(file),
            versions=int(versions),
        )


# --------------------------------------------------------------------------- helpers
def _process_lock(path: Path) -> threading.RLock:
    """One lock per catalogue in this process (DuckDB's file lock is per process)."""
    with _PROCESS_LOCKS_GUARD:
        path = path.resolve()
        lock = _PROCESS_LOCKS.get(path)
        if lock is None:
            lock = _PROCESS_LOCKS[path] = threading.RLock()
        return lock


def _unusable(path: Path, reason: str) -> EvidenceStoreError:
    return EvidenceStoreError(
        f"{path} is not an evidence catalogue smartspec can open ({_first_line(reason)}); "
        "move it away to start an empty store"
    )


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else text


def _pick(history: Sequence[EvidenceEntry], name: str, version: int | None) -> EvidenceEntry:
    if version is None:
        return history[-1]
    for entry in history:
        if entry.version == version:
            return entry
    versions = [e.version for e in history]
    close = sorted(versions, key=lambda v: (abs(v - version), -v))[:1]
    raise UnknownCodeError(
        "version",
        str(version),
        [str(v) for v in close],
        context=f"of the stored table {name!r} (its versions: "
        + ", ".join(str(v) for v in versions)
        + ")",
    )


def _unknown_name(name: str, names: Sequence[str]) -> UnknownCodeError:
    close = difflib.get_close_matches(str(name).lower(), names, n=3, cutoff=0.5)
    if not names:
        context = (
            "in the evidence store (it is empty; import a table with "
            "`smartspec data import FILE --name NAME`)"
        )
    elif close:
        context = "in the evidence store"
    else:
        shown = ", ".join(names[:8]) + (f" and {len(names) - 8} more" if len(names) > 8 else "")
        context = f"in the evidence store (it holds {shown})"
    return UnknownCodeError("stored table", str(name), close, context=context)


def _hook(stage: str) -> None:
    """Tests only: stop a write at *stage* when SMARTSPEC_STORE_TEST_HOOK asks for it."""
    wanted = os.environ.get(_HOOK_ENV)
    if not wanted:
        return
    at, _, action = wanted.partition(":")
    if at != stage:
        return
    sys.stderr.write(f"smartspec-store-hook: {action or 'exit'} at {stage} (pid {os.getpid()})\n")
    sys.stderr.flush()
    if action == "pause":
        time.sleep(120)
    os._exit(70)


# --------------------------------------------------------------------------- Parquet
def _to_arrow(table: ActivityTable, provenance: Any, digest: str) -> pa.Table:
    import pyarrow as pa

    frame = table.frame
    arrays: dict[str, pa.Array] = {}
    for col in _COLUMNS:
        if col not in frame.columns:
            continue
        series = frame[col]
        if col in ("region", "activity", "flag"):
            arrays[col] = pa.array(
                series.astype(object).to_numpy(), type=pa.string(), from_pandas=True
            )
        elif col == "period":
            arrays[col] = pa.array(series.to_numpy(dtype=np.int64), type=pa.int64())
        else:
            arrays[col] = pa.array(series.to_numpy(dtype=np.float64), type=pa.float64())
    meta = table.meta
    info = {
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
    schema_meta = {
        b"smartspec.meta": json.dumps(info, ensure_ascii=False).encode("utf-8"),
        b"smartspec.report": json.dumps(_report_to_dict(table.report)).encode("utf-8"),
        b"smartspec.content_hash": digest.encode("ascii"),
    }
    return pa.table(arrays).replace_schema_metadata(schema_meta)


def _write_parquet_atomically(arrow: pa.Table, target: Path) -> None:
    """Write to a temporary file in the same folder, flush it to disk, rename it."""
    import pyarrow.parquet as pq

    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with pq.ParquetWriter(str(tmp), arrow.schema, compression="zstd") as writer:
            for start in range(0, max(arrow.num_rows, 1), _ROW_GROUP):
                writer.write_table(arrow.slice(start, _ROW_GROUP))
                if start == 0:
                    _hook("parquet-write")
        with open(tmp, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except OSError as err:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise EvidenceStoreError(f"cannot write {target}: {err.strerror or err}") from None
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    _fsync_dir(target.parent)


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":  # pragma: no cover - Windows cannot open folders
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _read_parquet(path: Path, entry: EvidenceEntry) -> ActivityTable:
    import pyarrow.parquet as pq

    try:
        arrow = pq.read_table(path)
    except Exception as err:
        raise EvidenceStoreError(
            f"the file of {entry.label} cannot be read ({_first_line(str(err))}): {path}; "
            "drop the version and import the table again"
        ) from None
    missing = [c for c in entry.columns if c not in arrow.column_names]
    if missing:
        raise EvidenceStoreError(
            f"the file of {entry.label} lacks the column(s) {', '.join(missing)}: {path}"
        )
    data: dict[str, Any] = {}
    for col in entry.columns:
        column = arrow.column(col)
        if col in ("region", "activity"):
            values = np.asarray(column.to_numpy(zero_copy_only=False), dtype=object)
            codes, uniques = pd.factorize(values, sort=True)
            categories = pd.Index([str(u) for u in uniques], dtype=object)
            data[col] = pd.Categorical.from_codes(codes, categories=categories)
        elif col == "period":
            data[col] = np.asarray(column.to_numpy(), dtype=np.int64)
        elif col == "value":
            data[col] = np.asarray(column.to_numpy(zero_copy_only=False), dtype=np.float64)
        else:
            flags = np.asarray(column.to_numpy(zero_copy_only=False), dtype=object)
            flags[pd.isna(flags)] = None
            data[col] = flags
    frame = pd.DataFrame(data)
    return ActivityTable(frame, entry.meta, entry.report)
