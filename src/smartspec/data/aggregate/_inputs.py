"""The inputs of :func:`~smartspec.data.aggregate.aggregate`: the arguments checked, the
records as an Ibis table (a pandas DataFrame, an Ibis table, or a Parquet or CSV file,
directory or glob read by the backend) and the columns they must have.
"""

from __future__ import annotations

import difflib
import glob
import os
from pathlib import Path
from typing import Any

import pandas as pd

from smartspec.errors import InputError

_PARQUET_SUFFIXES = (".parquet", ".pq", ".parq")
_CSV_SUFFIXES = (".csv", ".csv.gz", ".txt", ".txt.gz")


# --------------------------------------------------------------------------- arguments
def _check_arguments(
    *,
    weight: str | None,
    distinct: str | None,
    region_from: str,
    region_map: Any,
    activity: str | None,
    activity_level: int | None,
    activity_map: Any,
    unmatched: str,
) -> str:
    if weight is not None and distinct is not None:
        raise InputError(
            f"weight={weight!r} and distinct={distinct!r} cannot both be given",
            hint="sum a weight, or count distinct ids, or (neither) count records",
        )
    if region_from not in ("nuts", "municipality", "postcode"):
        raise InputError(
            f"region_from={region_from!r} is not known",
            hint="use 'nuts', 'municipality' or 'postcode'",
        )
    if region_from == "postcode" and region_map is None:
        raise InputError(
            "region_from='postcode' needs region_map: a table postcode → NUTS code",
            hint="pass region_map=DataFrame, {postcode: nuts}, or a CSV/Parquet file",
        )
    if region_from == "nuts" and region_map is not None:
        raise InputError(
            "region_map is used with region_from='postcode' or 'municipality'",
            hint="say what the region column holds, e.g. region_from='postcode'",
        )
    if activity_level is not None:
        if isinstance(activity_level, bool) or activity_level not in (1, 2, 3, 4):
            raise InputError(
                f"activity_level must be 1, 2, 3 or 4 (NACE section, division, group, "
                f"class), not {activity_level!r}"
            )
        if activity_map is not None:
            raise InputError("give activity_level or activity_map, not both")
    if activity is None and (activity_level is not None or activity_map is not None):
        raise InputError("activity_level and activity_map need an activity column")
    if unmatched not in ("error", "drop"):
        raise InputError(f"unmatched={unmatched!r} is not a policy", hint="use 'error' or 'drop'")
    if weight is not None:
        return "sum"
    return "count_distinct" if distinct is not None else "count"


def _is_ibis_table(obj: Any) -> bool:
    return type(obj).__module__.startswith("ibis.") and hasattr(obj, "schema")


def _as_ibis_table(source: Any, ibis: Any) -> tuple[Any | None, Any | None]:
    """(ibis table or None if a file still to be read, the backend it is bound to)."""
    if isinstance(source, pd.DataFrame):
        return ibis.memtable(source), None
    if _is_ibis_table(source):
        try:
            return source, source._find_backend(use_default=False)
        except Exception:  # an unbound table (memtable): any backend runs it
            return source, None
    if isinstance(source, str | os.PathLike):
        return None, None
    raise InputError(
        f"cannot aggregate a {type(source).__name__}",
        hint="give a Parquet or CSV path (or glob), a pandas DataFrame or an Ibis table",
    )


def _describe(source: Any) -> str:
    if isinstance(source, pd.DataFrame):
        return f"DataFrame ({len(source):,} rows)"
    if isinstance(source, str | os.PathLike):
        return os.fspath(source)
    return "Ibis table"


def _file_kind(path: str) -> str | None:
    lower = path.lower().rstrip("/")
    if lower.endswith(_PARQUET_SUFFIXES):
        return "parquet"
    if lower.endswith(_CSV_SUFFIXES):
        return "csv"
    return None


def _read_source(source: str | os.PathLike[str], con: Any, name: str) -> Any:
    text = os.fspath(source)
    remote = "://" in text
    kind = _file_kind(text)
    target = text
    if not remote:
        if glob.has_magic(text):
            matches = sorted(glob.glob(text, recursive=True))
            if not matches:
                raise InputError("no file matches this pattern", source=name)
            kind = kind or _file_kind(matches[0])
        elif Path(text).is_dir():
            if not any(Path(text).rglob("*.parquet")):
                raise InputError(
                    "the directory has no .parquet file", source=name, hint="give a file or glob"
                )
            kind = "parquet"
            # Spark reads a directory (with its partitions) itself; DuckDB wants a glob
            target = str(Path(text).resolve())
            if con.name != "pyspark":
                target = str(Path(target) / "**" / "*.parquet")
        elif Path(text).exists():
            target = str(Path(text).resolve())
        else:
            raise InputError(
                "the file does not exist",
                source=name,
                hint=f"the working directory is {Path.cwd()}",
            )
    if kind is None:
        raise InputError(
            "cannot tell the file type from the name",
            source=name,
            hint="records are read from .parquet (also directories and globs) or .csv files",
        )
    try:
        if kind == "parquet":
            return con.read_parquet(target)
        return con.read_csv(target)
    except Exception as exc:  # the backends raise their own exception types
        raise InputError(
            f"cannot read the {kind} records: {_first_line(exc)}", source=name
        ) from exc


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def _require_column(table: Any, column: str, role: str, source: str) -> None:
    columns = list(table.columns)
    if column in columns:
        return
    close = difflib.get_close_matches(column, columns, n=3, cutoff=0.6)
    hint = f"the columns are: {', '.join(columns)}"
    if close:
        hint = f"did you mean {' or '.join(repr(c) for c in close)}? " + hint
    raise InputError(
        f"there is no column {column!r} ({role})", source=source, column=column, hint=hint
    )
