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

The package, one concept per module:

* :mod:`~smartspec.data.store.evidence_store`: the :class:`EvidenceStore` class (put,
  load, list, show, history, drop; opening and sweeping the store);
* :mod:`~smartspec.data.store.entry`: :class:`EvidenceEntry` (one version as the
  catalogue describes it) and :class:`PutResult`;
* :mod:`~smartspec.data.store.catalogue`: the DuckDB catalogue's schema, the names of
  stored tables (:func:`check_name`) and picking a name or version;
* :mod:`~smartspec.data.store.hashing`: the content hash (:func:`content_hash`) and
  provenance as JSON;
* :mod:`~smartspec.data.store.files`: the Parquet files, written atomically and read
  back;
* :mod:`~smartspec.data.store.lock`: one process at a time;
* :mod:`~smartspec.data.store.errors`: :class:`EvidenceStoreError`,
  :class:`StoreBusyError`.

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

from smartspec.data.store.catalogue import NAME_PATTERN, check_name
from smartspec.data.store.catalogue import SCHEMA_VERSION as SCHEMA_VERSION
from smartspec.data.store.entry import EvidenceEntry, PutResult
from smartspec.data.store.errors import EvidenceStoreError, StoreBusyError
from smartspec.data.store.evidence_store import EvidenceStore
from smartspec.data.store.hashing import VOLATILE_PROVENANCE, content_hash

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
