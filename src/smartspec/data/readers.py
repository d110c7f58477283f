"""Read activity tables from files: CSV, Excel, Parquet, Eurostat bulk TSV, DataFrames.

:func:`read_table` reads a tidy (long) table from a CSV (``,`` or ``;`` separated, decimal
point or comma, UTF-8 or Latin-1), Excel, Parquet file or a DataFrame;
:func:`read_eurostat_tsv` reads Eurostat's bulk TSV downloads. Both return a validated
:class:`~smartspec.table.ActivityTable` and raise
:class:`~smartspec.errors.InputError` with file, row and column when the input cannot be
used. What the readers noticed on the way (the encoding, the separator, the decimal
comma) is in ``table.report.notes``.

>>> import io, pandas as pd
>>> csv = io.BytesIO("region;activity;value\\nSE11;C;12,5\\nSE12;C;3,0\\n".encode("latin-1"))
>>> t = read_table(csv, measure="employment", unit="persons", additive=True,
...                nuts_version=2016)
>>> t.frame["value"].tolist()
[12.5, 3.0]
>>> t.report.notes
("separator ';' detected", "decimal comma detected in column 'value'")
"""

from __future__ import annotations

import csv
import gzip
import io
import os
import re
import warnings
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import IO, Any, Literal

import numpy as np
import pandas as pd

from smartspec.data.eurostat_tsv import (  # the bulk TSV reader lives with its parser
    EUROSTAT_CLASSIFICATIONS as EUROSTAT_CLASSIFICATIONS,
)
from smartspec.data.eurostat_tsv import _eurostat_from_text
from smartspec.data.eurostat_tsv import additive_from_unit as additive_from_unit
from smartspec.data.eurostat_tsv import read_eurostat_tsv as read_eurostat_tsv
from smartspec.errors import InputError
from smartspec.table import ActivityTable

__all__ = ["read_eurostat_tsv", "read_table"]

Source = str | os.PathLike[str] | pd.DataFrame | IO[bytes]

_CSV_SUFFIXES = {".csv", ".txt", ".tsv", ".tab"}
_EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls"}
_PARQUET_SUFFIXES = {".parquet", ".pq"}
_SEPARATORS = (",", ";", "\t", "|")
_MOJIBAKE = re.compile("Ã[¥¤¶…„–]")


# --------------------------------------------------------------------------- read_table
def read_table(
    source: Source,
    *,
    measure: str,
    unit: str,
    additive: bool,
    region: str = "region",
    activity: str | None = "activity",
    period: str | None = "period",
    value: str = "value",
    flag: str | None = None,
    select: Mapping[str, str | Sequence[str]] | None = None,
    sheet: str | int | None = None,
    sep: str | None = None,
    decimal: str | None = None,
    encoding: str | None = None,
    skip_rows: int = 0,
    **meta: Any,
) -> ActivityTable:
    """Read a long table from a file or DataFrame into an :class:`ActivityTable`.

    The file type follows the suffix: ``.csv``/``.txt``/``.tsv`` (also ``.gz``),
    ``.xlsx``/``.xlsm``/``.xls``, ``.parquet``. A ``.tsv`` with a Eurostat header is
    read with :func:`read_eurostat_tsv`. A binary file object is read as CSV.

    Parameters
    ----------
    source:
        Path, binary file object or ``pandas.DataFrame``.
    measure, unit, additive:
        What the values are (see :class:`~smartspec.table.TableMeta`).
    region, activity, period, value, flag:
        Column names (see :meth:`ActivityTable.from_frame
        <smartspec.table.ActivityTable.from_frame>`).
    select:
        ``{column: value}``: keep only these rows, e.g. ``{"sex": "T"}``.
    sheet:
        Excel sheet name or 0-based index (default: the first sheet).
    sep:
        CSV separator; detected among ``,`` ``;`` tab ``|`` when not given.
    decimal:
        ``"."`` or ``","``; detected from the value column when not given.
    encoding:
        Text encoding; by default UTF-8, falling back to Latin-1 (Windows-1252) with a
        note in the report.
    skip_rows:
        Lines (CSV) or rows (Excel) above the header to skip.
    **meta:
        Passed to :meth:`ActivityTable.from_frame
        <smartspec.table.ActivityTable.from_frame>`: ``classification``,
        ``classification_version``, ``nuts_version``, ``region_level``,
        ``region_scheme``, ``provenance``, ``unknown_regions``, ``allow_negative``.

    Raises
    ------
    InputError
        If the file cannot be read or its content is not a valid table.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"geo": ["SE11", "SE12"], "value": [1.0, 2.0]})
    >>> read_table(df, measure="gdp", unit="EUR_HAB", additive=False, region="geo").regions
    ('SE11', 'SE12')
    """
    columns: dict[str, Any] = {
        "region": region,
        "activity": activity,
        "period": period,
        "value": value,
        "flag": flag,
    }
    notes: list[str] = []
    if isinstance(source, pd.DataFrame):
        return _to_table(
            source, "DataFrame", None, columns, measure, unit, additive, select, notes, meta
        )
    if hasattr(source, "read"):
        name = str(getattr(source, "name", "") or "input")
        raw = _read_handle(source, name)
        df, rows = _read_csv_bytes(raw, name, sep, decimal, encoding, skip_rows, value, notes)
        return _to_table(
            df, Path(name).name, rows, columns, measure, unit, additive, select, notes, meta
        )
    if not isinstance(source, str | os.PathLike):
        raise InputError(
            f"cannot read a {type(source).__name__}",
            hint="pass a file path, a binary file object or a pandas DataFrame",
        )
    path = Path(source)
    name = path.name
    if not path.exists():
        raise InputError("file not found", source=str(source), hint="check the path")
    if path.is_dir():
        raise InputError("is a folder, not a file", source=str(source))
    suffixes = [s.lower() for s in path.suffixes]
    suffix = (
        suffixes[-2]
        if suffixes[-1:] == [".gz"] and len(suffixes) > 1
        else (suffixes[-1] if suffixes else "")
    )
    if suffix in _PARQUET_SUFFIXES:
        df = _read_parquet(path, name)
        return _to_table(df, name, None, columns, measure, unit, additive, select, notes, meta)
    if suffix in _EXCEL_SUFFIXES:
        df = _read_excel(path, name, sheet, skip_rows)
        rows = np.arange(1, len(df) + 1, dtype=np.int64)
        df, rows = _drop_blank_rows(df, rows)
        return _to_table(df, name, rows, columns, measure, unit, additive, select, notes, meta)
    if suffix in _CSV_SUFFIXES or suffix == "":
        raw = _read_bytes(path, name)
        if suffix == ".tsv" and _looks_like_eurostat(raw):
            return _eurostat_from_text(
                _decode(raw, name, encoding, notes),
                name,
                select=select,
                measure=measure,
                unit=unit,
                additive=additive,
                columns=columns,
                meta=meta,
                notes=notes,
            )
        df, rows = _read_csv_bytes(raw, name, sep, decimal, encoding, skip_rows, value, notes)
        return _to_table(df, name, rows, columns, measure, unit, additive, select, notes, meta)
    raise InputError(
        f"unknown file type {''.join(path.suffixes)!r}",
        source=name,
        hint="use .csv, .tsv, .txt (optionally .gz), .xlsx, .xls or .parquet",
    )


def _to_table(
    df: pd.DataFrame,
    name: str,
    rows: np.ndarray[Any, np.dtype[np.int64]] | None,
    columns: Mapping[str, Any],
    measure: str,
    unit: str,
    additive: bool,
    select: Mapping[str, str | Sequence[str]] | None,
    notes: list[str],
    meta: Mapping[str, Any],
) -> ActivityTable:
    provenance = dict(meta.get("provenance") or {})
    provenance.setdefault("source", name)
    rest = {k: v for k, v in meta.items() if k != "provenance"}
    return ActivityTable.from_frame(
        df,
        measure=measure,
        unit=unit,
        additive=additive,
        region=columns["region"],
        activity=columns["activity"],
        period=columns["period"],
        value=columns["value"],
        flag=columns["flag"],
        source=name,
        select=select,
        row_numbers=rows,
        notes=notes,
        provenance=provenance,
        **rest,
    )


# --------------------------------------------------------------------------- CSV
def _read_handle(handle: Any, name: str) -> bytes:
    data = handle.read()
    if isinstance(data, str):
        return data.encode("utf-8")
    if not isinstance(data, bytes | bytearray):
        raise InputError("the file object did not return bytes", source=name)
    return bytes(data)


def _read_bytes(path: Path, name: str) -> bytes:
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise InputError(f"cannot read the file ({err.strerror or err})", source=name) from None
    if raw[:2] == b"\x1f\x8b":
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError) as err:
            raise InputError(f"the gzip data is damaged ({err})", source=name) from None
    return raw


def _looks_like_eurostat(raw: bytes) -> bool:
    head = raw[:300].split(b"\n", 1)[0]
    return b"\\" in head.split(b"\t", 1)[0] and b"\t" in head


def _decode(raw: bytes, name: str, encoding: str | None, notes: list[str]) -> str:
    if encoding is not None:
        try:
            return raw.decode(encoding)
        except LookupError:
            raise InputError(f"unknown encoding {encoding!r}", source=name) from None
        except UnicodeDecodeError as err:
            line = raw[: err.start].count(b"\n") + 1
            raise InputError(
                f"the file is not valid {encoding}: byte 0x{raw[err.start]:02x} on line {line}",
                source=name,
                hint="try encoding='utf-8' or encoding='latin-1'",
            ) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        try:
            text = raw.decode("cp1252")
            label = "Windows-1252 (Latin-1)"
        except UnicodeDecodeError:
            text = raw.decode("latin-1")
            label = "Latin-1"
        notes.append(
            f"the file is not UTF-8 (byte 0x{raw[err.start]:02x} on line {line}); read as "
            f"{label}: check that å, ä, ö look right, or pass encoding=..."
        )
        return text
    if _MOJIBAKE.search(text):
        sample = _MOJIBAKE.search(text)
        notes.append(
            f"the text contains {sample.group(0) if sample else 'Ã'}…, which looks like "
            "UTF-8 that was once read as Latin-1 (å shows as Ã¥): re-save the file as UTF-8"
        )
    return text


def _sniff_separator(text: str) -> str:
    sample_lines = text.splitlines()[:50]
    while sample_lines and not sample_lines[-1].strip():
        sample_lines.pop()
    if not sample_lines:
        return ","
    sample = "\n".join(sample_lines)
    best, best_score = ",", (False, 0)
    for cand in _SEPARATORS:
        try:
            rows = [r for r in csv.reader(io.StringIO(sample), delimiter=cand) if r]
        except csv.Error:
            continue
        if not rows:
            continue
        widths = [len(r) for r in rows]
        if len(rows) > 2:  # the last sampled row may be cut
            widths = widths[:-1]
        consistent = len(set(widths)) == 1 and widths[0] > 1
        score = (consistent, widths[0] if consistent else 0)
        if score > best_score:
            best, best_score = cand, score
    if best_score == (False, 0):  # nothing consistent: fall back to the header counts
        header = sample_lines[0]
        best = max(_SEPARATORS, key=header.count)
        if header.count(best) == 0:
            best = ","
    return best


def _read_csv_bytes(
    raw: bytes,
    name: str,
    sep: str | None,
    decimal: str | None,
    encoding: str | None,
    skip_rows: int,
    value_column: str,
    notes: list[str],
) -> tuple[pd.DataFrame, np.ndarray[Any, np.dtype[np.int64]]]:
    if raw[:2] == b"\x1f\x8b":
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError) as err:
            raise InputError(f"the gzip data is damaged ({err})", source=name) from None
    text = _decode(raw, name, encoding, notes)
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise InputError(
            f"the file contains a NUL byte (line {line}): it is not a text file",
            source=name,
            hint="save the table as CSV (UTF-8), or read .xlsx/.parquet files by their suffix",
        )
    if skip_rows:
        text = "\n".join(text.splitlines()[skip_rows:])
    if not text.strip():
        raise InputError("the file is empty", source=name, hint="it needs a header row and data")
    if sep is None:
        sep = _sniff_separator(text)
        if sep != ",":
            notes.append(f"separator {sep!r} detected")
    elif len(sep) != 1:
        raise InputError(f"separator {sep!r} must be one character", source=name)
    if decimal not in (None, ".", ","):
        raise InputError(f"decimal must be '.' or ',', not {decimal!r}", source=name)
    if decimal == "," and sep == ",":
        raise InputError(
            "a decimal comma needs another separator than ','", source=name, hint="use sep=';'"
        )
    try:
        df = pd.read_csv(
            io.StringIO(text),
            sep=sep,
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=False,
            engine="c",
        )
    except pd.errors.EmptyDataError:
        raise InputError("the file has no header row", source=name) from None
    except pd.errors.ParserError as err:
        message, row = _parser_error(err, skip_rows)
        raise InputError(
            message,
            source=name,
            row=row,
            hint=f"check the separator ({sep!r} was used; pass sep=...) and the quoting",
        ) from None
    except (ValueError, csv.Error, OverflowError, IndexError, TypeError) as err:
        raise InputError(f"cannot read the file as CSV ({err})", source=name) from None
    df.columns = pd.Index([str(c).strip() for c in df.columns])
    rows = np.arange(1, len(df) + 1, dtype=np.int64)
    df, rows = _drop_blank_rows(df, rows)
    if value_column in df.columns:
        column = df[value_column].astype(str).str.strip()
        use = decimal if decimal is not None else _detect_decimal(column, sep)
        if use == ",":
            if decimal is None:
                notes.append(f"decimal comma detected in column {value_column!r}")
            cleaned = column.str.replace(r"[\s\u00a0]", "", regex=True)
            thousands = cleaned.str.fullmatch(r"-?\d{1,3}(\.\d{3})+(,\d+)?")
            cleaned = cleaned.where(~thousands, cleaned.str.replace(".", "", regex=False))
            df[value_column] = cleaned.str.replace(",", ".", regex=False)
    return df, rows


def _detect_decimal(column: pd.Series[Any], sep: str) -> str:
    if sep == ",":
        return "."
    comma = column.str.fullmatch(r"-?\d[\d\s\u00a0.]*,\d+").to_numpy(dtype=bool)
    point = column.str.fullmatch(r"-?\d+\.\d+").to_numpy(dtype=bool)
    return "," if comma.any() and not point.any() else "."


def _parser_error(err: Exception, skip_rows: int) -> tuple[str, int | None]:
    text = str(err).strip()
    m = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", text)
    if m:
        row = int(m.group(2)) - 1
        return f"row has {m.group(3)} fields, the header has {m.group(1)}", row
    m = re.search(r"EOF inside string starting at row (\d+)", text)
    if m:
        return 'a quoted field is never closed (a " is missing)', int(m.group(1))
    return f"cannot read the file as CSV ({text.splitlines()[-1] if text else err})", None


def _drop_blank_rows(
    df: pd.DataFrame, rows: np.ndarray[Any, np.dtype[np.int64]]
) -> tuple[pd.DataFrame, np.ndarray[Any, np.dtype[np.int64]]]:
    if df.empty or len(df.columns) == 0:
        return df, rows
    blank = np.ones(len(df), dtype=bool)
    for col in df.columns:
        series = df[col]
        blank &= (series.isna() | (series.astype(str).str.strip() == "")).to_numpy(dtype=bool)
    if blank.any():
        return df.loc[~blank].reset_index(drop=True), rows[~blank]
    return df, rows


# --------------------------------------------------------------------------- Excel, Parquet
def _read_excel(path: Path, name: str, sheet: str | int | None, skip_rows: int) -> pd.DataFrame:
    engine: Literal["xlrd", "openpyxl"] = "xlrd" if path.suffix.lower() == ".xls" else "openpyxl"
    try:
        with warnings.catch_warnings():
            # pandas 3 deprecates xlrd; it still reads legacy .xls files
            warnings.simplefilter("ignore", FutureWarning)
            warnings.simplefilter("ignore", DeprecationWarning)
            book = pd.ExcelFile(path, engine=engine)
    except ImportError:
        raise InputError(
            f"reading {path.suffix} files needs the package {engine}",
            source=name,
            hint=f"pip install {engine}, or save the sheet as .xlsx or .csv",
        ) from None
    except (ValueError, OSError, zipfile.BadZipFile, KeyError) as err:
        raise InputError(f"cannot read the file as Excel ({err})", source=name) from None
    except Exception as err:  # xlrd and openpyxl raise their own error types
        raise InputError(f"cannot read the file as Excel ({err})", source=name) from None
    sheets = [str(s) for s in book.sheet_names]
    if sheet is None:
        sheet = 0
    if isinstance(sheet, int) and not 0 <= sheet < len(sheets):
        raise InputError(
            f"there is no sheet number {sheet}", source=name, hint=f"the sheets are {sheets}"
        )
    if isinstance(sheet, str) and sheet not in sheets:
        raise InputError(
            f"there is no sheet {sheet!r}", source=name, hint=f"the sheets are {sheets}"
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FutureWarning)
            warnings.simplefilter("ignore", DeprecationWarning)
            df = book.parse(sheet_name=sheet, dtype=object, skiprows=skip_rows)
    except Exception as err:
        raise InputError(f"cannot read sheet {sheet!r} ({err})", source=name) from None
    df.columns = pd.Index([str(c).strip() for c in df.columns])
    return df


def _read_parquet(path: Path, name: str) -> pd.DataFrame:
    try:
        return pd.read_parquet(path)
    except ImportError:
        raise InputError(
            "reading Parquet files needs pyarrow", source=name, hint="pip install pyarrow"
        ) from None
    except Exception as err:
        raise InputError(f"cannot read the file as Parquet ({err})", source=name) from None
