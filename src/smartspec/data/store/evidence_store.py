"""The :class:`EvidenceStore`: versioned activity tables in the data directory.

Each call opens the DuckDB catalogue (:mod:`~smartspec.data.store.catalogue`) under the
process lock (:mod:`~smartspec.data.store.lock`), removes what an interrupted import left
behind, and reads or writes the catalogue rows and the Parquet files
(:mod:`~smartspec.data.store.files`); an import is all or nothing.
"""

from __future__ import annotations

import builtins
import contextlib
import json
import os
import time
from collections.abc import Iterator, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from smartspec.config import DataDir
from smartspec.config import data_dir as _data_dir
from smartspec.data.store.catalogue import (
    _ENTRY_COLUMNS,
    _SCHEMA,
    NAME_PATTERN,
    SCHEMA_VERSION,
    _pick,
    _unknown_name,
    _unusable,
    check_name,
)
from smartspec.data.store.entry import (
    _COLUMNS,
    EvidenceEntry,
    PutResult,
    _Entries,
    _report_from_dict,
    _report_to_dict,
)
from smartspec.data.store.errors import EvidenceStoreError, StoreBusyError
from smartspec.data.store.files import (
    _FILE,
    _hook,
    _read_parquet,
    _to_arrow,
    _write_parquet_atomically,
)
from smartspec.data.store.hashing import _jsonable, content_hash
from smartspec.data.store.lock import _LOCK_PID, _process_lock
from smartspec.errors import InputError
from smartspec.table import ActivityTable

if TYPE_CHECKING:
    import duckdb

__all__ = ["EvidenceStore"]


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
