"""What `smartspec data import` reads: a file (CSV, Excel, Parquet, Eurostat bulk TSV), a
Eurostat dataset or an SCB table, each as an ActivityTable checked before anything is
stored."""

from __future__ import annotations

import gzip
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from smartspec.config import DataDir
from smartspec.errors import InputError, SmartspecError

if TYPE_CHECKING:
    from smartspec.table import ActivityTable


from smartspec.cli_data._app import (
    _cli_text,
    _one_or_many,
    _refuse,
    _status,
)


class EurostatFormatChoice(StrEnum):
    """Formats of ``smartspec data import eurostat``."""

    jsonstat = "jsonstat"
    sdmx_csv = "sdmx-csv"
    tsv = "tsv"


def _read_file(
    path: Path,
    *,
    select: dict[str, list[str]],
    measure: str | None,
    unit: str | None,
    additive: bool | None,
    columns: dict[str, str | None],
    sheet: str | None,
    sep: str | None,
    decimal: str | None,
    encoding: str | None,
    skip_rows: int,
    table_options: dict[str, Any],
) -> ActivityTable:
    from smartspec.data.readers import read_eurostat_tsv, read_table

    if not path.exists():
        hint = "check the path"
        if not path.suffix and "/" not in str(path) and "\\" not in str(path):
            hint += (
                f"; to fetch a dataset write `smartspec data import eurostat {path}` or "
                f"`smartspec data import scb {path}`"
            )
        raise InputError("file not found", source=str(path), hint=hint)
    chosen = _one_or_many(select) if select else None
    if _is_eurostat_tsv(path):
        extra = {"skip_rows": skip_rows or None, "sheet": sheet, "sep": sep, "decimal": decimal}
        _refuse(
            {f"--{k.replace('_', '-')}": v for k, v in extra.items()}, "a Eurostat bulk TSV file"
        )
        with _status(f"reading {path.name}…"):
            return read_eurostat_tsv(
                path,
                select=chosen,
                measure=measure,
                unit=unit,
                additive=additive,
                region_dim=columns["region"] or "geo",
                activity_dim=columns["activity"] or "nace_r2",
                **table_options,
            )
    missing = [
        option
        for option, given in (
            ("--measure", measure),
            ("--unit", unit),
            ("--additive or --not-additive", additive),
        )
        if given is None
    ]
    if missing:
        raise InputError(
            "the file does not say what its values are",
            source=path.name,
            hint="pass " + " and ".join(missing) + ": --additive for counts and amounts, "
            "--not-additive for rates, shares and per-capita values",
        )
    assert measure is not None
    assert unit is not None
    assert additive is not None
    sheet_arg: str | int | None = sheet
    if sheet is not None and sheet.strip().isdigit():
        sheet_arg = int(sheet)
    names = {k: v for k, v in columns.items() if v is not None}
    with _status(f"reading {path.name}…"):
        return read_table(
            path,
            measure=measure,
            unit=unit,
            additive=additive,
            select=chosen,
            sheet=sheet_arg,
            sep=sep,
            decimal=decimal,
            encoding=encoding,
            skip_rows=skip_rows,
            **names,
            **table_options,
        )


def _fetch_eurostat(
    directory: DataDir,
    code: str,
    *,
    filters: dict[str, list[str]],
    fmt: str | None,
    measure: str | None,
    unit: str | None,
    additive: bool | None,
    region: str | None,
    activity: str | None,
    offline: bool,
    refresh: bool,
    base_url: str | None,
    table_options: dict[str, Any],
    wait: float = 600.0,
) -> ActivityTable:
    from smartspec.data import eurostat
    from smartspec.data.http import HttpClient

    formats = tuple(f.value for f in EurostatFormatChoice)
    chosen = (fmt or "jsonstat").lower()
    if chosen not in formats:
        raise typer.BadParameter(
            f"{fmt!r} is not a Eurostat format; choose {', '.join(formats)}",
            param_hint="--format",
        )
    client = HttpClient("eurostat", cache_dir=directory.cache)
    try:
        with _status(f"fetching {code} from Eurostat…") as say:

            def waiting(progress: eurostat.AsyncProgress) -> None:
                say(
                    f"Eurostat is preparing {code} (key {progress.key[:8]}…): "
                    f"{progress.status} after {progress.elapsed:.0f} s, next check in "
                    f"{progress.next_check:.0f} s"
                )

            return eurostat.fetch(
                code,
                filters=dict(filters),
                format=chosen,  # type: ignore[arg-type]
                measure=measure,
                unit=unit,
                additive=additive,
                region_dim=region or "geo",
                activity_dim=activity or "nace_r2",
                offline=True if offline else None,
                refresh=refresh,
                base_url=base_url or eurostat.DEFAULT_BASE_URL,
                client=client,
                async_options=eurostat.AsyncOptions(timeout=wait, on_progress=waiting),
                **table_options,
            )
    except eurostat.EurostatAsyncError as err:  # its advice in terms of this command
        raise SmartspecError(_cli_text(str(err))) from None
    finally:
        client.close()


def _query_scb(
    directory: DataDir,
    table: str,
    *,
    selection: dict[str, list[str]],
    api: str,
    fmt: str | None,
    lang: str,
    measure: str | None,
    unit: str | None,
    additive: bool | None,
    region: str | None,
    activity: str | None,
    scb_regions: bool,
    offline: bool,
    refresh: bool,
    base_url: str | None,
    table_options: dict[str, Any],
) -> ActivityTable:
    from smartspec.data import scb
    from smartspec.data.http import HttpClient

    chosen: dict[str, list[str] | str] = {
        k: "*" if v == ["*"] else list(v) for k, v in selection.items()
    }
    client = HttpClient("scb", cache_dir=directory.cache)
    try:
        with _status(f"querying {table} at Statistics Sweden (SCB)…"):
            return scb.query(
                table,
                chosen or None,
                api=api,  # type: ignore[arg-type]
                format=fmt,
                lang=lang,
                measure=measure,
                unit=unit,
                additive=additive,
                region_dim=region,
                activity_dim=activity,
                regions="scb" if scb_regions else "nuts",
                offline=True if offline else None,
                refresh=refresh,
                base_url=base_url,
                client=client,
                **table_options,
            )
    finally:
        client.close()


def _is_eurostat_tsv(path: Path) -> bool:
    """Whether a .tsv(.gz) file has a Eurostat bulk header (``unit,geo\\time``)."""
    names = [s.lower() for s in path.suffixes]
    if not names or names[-1] not in (".tsv", ".gz") or ".tsv" not in names:
        return False
    try:
        with path.open("rb") as handle:
            head = handle.read(4096)
        if head[:2] == b"\x1f\x8b":
            with gzip.open(path, "rb") as handle:
                head = handle.read(4096)
    except (OSError, EOFError):
        return False
    first = head.split(b"\n", 1)[0]
    return b"\t" in first and b"\\" in first.split(b"\t", 1)[0]
