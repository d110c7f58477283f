"""The Parquet file of each version, ``<data dir>/evidence/<name>/v<N>.parquet``: the
table as Arrow with its metadata, written to a temporary file, flushed and renamed into
place (all or nothing), and read back; the test hook that stops a write midway.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from smartspec.data.store.entry import _COLUMNS, EvidenceEntry, _meta_fields, _report_to_dict
from smartspec.data.store.errors import EvidenceStoreError, _first_line
from smartspec.table import ActivityTable

if TYPE_CHECKING:
    import pyarrow as pa

_FILE = re.compile(r"^v(\d+)\.parquet$")
_ROW_GROUP = 65_536
# Tests only: "<stage>:<action>" makes a write stop at a stage ("parquet-write": the
# Parquet file is half written; "before-commit": the file is in place, the catalogue row
# is not) with an action ("exit": os._exit; "pause": announce on stderr and sleep).
_HOOK_ENV = "SMARTSPEC_STORE_TEST_HOOK"


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
    info = _meta_fields(table.meta, provenance)
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
