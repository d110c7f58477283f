"""The catalogue, ``<data dir>/evidence.duckdb``: its schema, the names of stored tables
(:func:`check_name`), picking a name and version out of it, and the errors when a name,
a version or the catalogue itself is not there.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from pathlib import Path

from smartspec.data.store.entry import EvidenceEntry
from smartspec.data.store.errors import EvidenceStoreError, _first_line
from smartspec.errors import InputError, UnknownCodeError

NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
"""Names of stored tables: lowercase letters, digits, ``_`` and ``-``; at most 64."""

SCHEMA_VERSION = 1

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


# --------------------------------------------------------------------------- names
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


def _unusable(path: Path, reason: str) -> EvidenceStoreError:
    return EvidenceStoreError(
        f"{path} is not an evidence catalogue smartspec can open ({_first_line(reason)}); "
        "move it away to start an empty store"
    )


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
