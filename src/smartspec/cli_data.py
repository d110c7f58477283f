"""``smartspec data``: the evidence store on the command line.

A Typer sub-app, mounted by :mod:`smartspec.cli` as ``smartspec data``. The commands are
thin calls into :class:`smartspec.data.store.EvidenceStore` and the readers and data
clients (all imported inside the commands, so ``smartspec --help`` imports neither
DuckDB nor pandas). The store lives in the data directory (``--data-dir``,
``SMARTSPEC_DATA_DIR`` or the platform's default): ``evidence.duckdb`` and Parquet files
under ``evidence/``. Errors that smartspec raises on purpose are printed as one red line
and exit with status 1; usage errors exit with 2.

``smartspec data import`` takes a file, or ``eurostat CODE``, or ``scb TABLE``::

    smartspec data import employment.csv --name emp --measure employment --unit persons --additive
    smartspec data import eurostat lfst_r_lfe2en2 --filter age=Y15-64 --filter unit=THS --name lfs
    smartspec data import scb TAB638 --select Region=01,03 --name pop
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from smartspec.cli_common import DataDirOption, ErrorGroup, JsonOption
from smartspec.cli_common import console as _console
from smartspec.cli_common import escape as _escape
from smartspec.cli_common import resolve_data_dir as _directory
from smartspec.config import DataDir
from smartspec.errors import InputError

if TYPE_CHECKING:
    from smartspec.data.store import EvidenceEntry, EvidenceStore
    from smartspec.table import ActivityTable

__all__ = ["EMPTY_MESSAGE", "data_app"]

#: What ``smartspec data list`` says when the store holds nothing yet.
EMPTY_MESSAGE = (
    "the evidence store is empty; import a table with "
    "`smartspec data import FILE --name NAME` (or `eurostat CODE`, `scb TABLE`)"
)

_FILE_PANEL = "File imports"
_API_PANEL = "Eurostat and SCB imports"
_TABLE_PANEL = "What the values are"


data_app = typer.Typer(
    cls=ErrorGroup,
    help="The evidence store: import tables (files, Eurostat, SCB), list, show, drop them.",
    no_args_is_help=True,
)


class EurostatFormatChoice(StrEnum):
    """Formats of ``smartspec data import eurostat``."""

    jsonstat = "jsonstat"
    sdmx_csv = "sdmx-csv"
    tsv = "tsv"


class ScbApi(StrEnum):
    """PxWeb API versions of ``smartspec data import scb``."""

    v2 = "v2"
    v1 = "v1"


# ---------------------------------------------------------------------------- plumbing


def _open(directory: DataDir) -> EvidenceStore:
    from smartspec.data.store import EvidenceStore

    return EvidenceStore(directory)


@contextmanager
def _status(text: str) -> Iterator[None]:
    """A spinner on stderr while something runs (nothing when stderr is not a terminal)."""
    console = _console(stderr=True)
    if not console.is_terminal:
        yield
        return
    with console.status(_escape(text)):
        yield


def _pairs(values: Sequence[str] | None, option: str) -> dict[str, list[str]]:
    """``["age=Y15-64", "geo=SE11,SE12"]`` → ``{"age": ["Y15-64"], "geo": ["SE11", "SE12"]}``."""
    out: dict[str, list[str]] = {}
    for raw in values or ():
        key, sep, rest = raw.partition("=")
        key = key.strip()
        items = [v.strip() for v in rest.split(",") if v.strip()]
        if not sep or not key or not items:
            raise typer.BadParameter(
                f"{raw!r} is not DIMENSION=VALUE; write e.g. {option} age=Y15-64 "
                f"(several values: {option} geo=SE11,SE12)",
                param_hint=option,
            )
        out.setdefault(key, []).extend(v for v in items if v not in out.get(key, []))
    return out


def _one_or_many(pairs: dict[str, list[str]]) -> dict[str, str | list[str]]:
    return {k: v[0] if len(v) == 1 else v for k, v in pairs.items()}


def _refuse(given: dict[str, Any], where: str, instead: str = "") -> None:
    """A usage error for options that do not apply to this kind of import."""
    used = [option for option, value in given.items() if value not in (None, False, [], ())]
    if used:
        raise typer.BadParameter(
            f"{', '.join(used)} {'does' if len(used) == 1 else 'do'} not apply to {where}"
            + (f"; {instead}" if instead else ""),
            param_hint=used[0],
        )


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


# ------------------------------------------------------------------------------ import


@data_app.command("import")
def import_cmd(
    ctx: typer.Context,
    source: Annotated[
        str,
        typer.Argument(
            help="A file (CSV, TSV, TXT, optionally .gz; Excel; Parquet; Eurostat bulk TSV), "
            "or `eurostat` or `scb`.",
            show_default=False,
            metavar="FILE|eurostat|scb",
        ),
    ],
    name: Annotated[
        str,
        typer.Option(
            "--name",
            "-n",
            help="Name in the store: lowercase letters, digits, _ and -.",
            show_default=False,
        ),
    ],
    ident: Annotated[
        str | None,
        typer.Argument(
            help="With `eurostat`: the dataset code (lfst_r_lfe2en2); with `scb`: the "
            "table id (TAB638; API v1: its path, BE/BE0101/BE0101A/BefolkningNy).",
            show_default=False,
            metavar="[CODE|TABLE]",
        ),
    ] = None,
    measure: Annotated[
        str | None,
        typer.Option(
            help="What the values are (files: required; Eurostat: the dataset code; SCB: "
            "the content label).",
            show_default=False,
            rich_help_panel=_TABLE_PANEL,
        ),
    ] = None,
    unit: Annotated[
        str | None,
        typer.Option(
            help="Unit of the values (files: required; Eurostat/SCB: from the data).",
            show_default=False,
            rich_help_panel=_TABLE_PANEL,
        ),
    ] = None,
    additive: Annotated[
        bool | None,
        typer.Option(
            "--additive/--not-additive",
            help="Counts and amounts may be summed (--additive); rates, shares and "
            "per-capita values may not (--not-additive). Files: required; Eurostat/SCB: "
            "from the unit.",
            show_default=False,
            rich_help_panel=_TABLE_PANEL,
        ),
    ] = None,
    nuts_version: Annotated[
        int | None,
        typer.Option(
            help="NUTS version of the region codes (2010, 2013, 2016, 2021, 2024); detected "
            "when unambiguous.",
            show_default=False,
            rich_help_panel=_TABLE_PANEL,
        ),
    ] = None,
    region_level: Annotated[
        int | None,
        typer.Option(
            min=0,
            max=3,
            help="NUTS level of the table (default: the most detailed level present; "
            "coarser rows are dropped as aggregates).",
            show_default=False,
            rich_help_panel=_TABLE_PANEL,
        ),
    ] = None,
    region_scheme: Annotated[
        str | None,
        typer.Option(
            help="Region codes of another scheme than NUTS (e.g. ISO3): not checked.",
            show_default=False,
            rich_help_panel=_TABLE_PANEL,
        ),
    ] = None,
    classification: Annotated[
        str | None,
        typer.Option(
            help="Activity classification, e.g. NACE.",
            show_default=False,
            rich_help_panel=_TABLE_PANEL,
        ),
    ] = None,
    classification_version: Annotated[
        str | None,
        typer.Option(
            help="Its version, e.g. 'Rev. 2'.", show_default=False, rich_help_panel=_TABLE_PANEL
        ),
    ] = None,
    drop_unknown_regions: Annotated[
        bool,
        typer.Option(
            "--drop-unknown-regions",
            help="Drop region codes that are not codes of the NUTS version (they are listed "
            "in the report) instead of refusing the table.",
            rich_help_panel=_TABLE_PANEL,
        ),
    ] = False,
    allow_negative: Annotated[
        bool,
        typer.Option(
            "--allow-negative",
            help="Accept negative values (growth rates, balances).",
            rich_help_panel=_TABLE_PANEL,
        ),
    ] = False,
    region: Annotated[
        str | None,
        typer.Option(
            help="The region column (files: default `region`) or dimension (Eurostat: `geo`; "
            "SCB: `Region`).",
            show_default=False,
            rich_help_panel=_TABLE_PANEL,
        ),
    ] = None,
    activity: Annotated[
        str | None,
        typer.Option(
            help="The activity column (files: default `activity`, if present) or dimension "
            "(Eurostat: `nace_r2`; SCB: the SNI 2007 variable).",
            show_default=False,
            rich_help_panel=_TABLE_PANEL,
        ),
    ] = None,
    select: Annotated[
        list[str] | None,
        typer.Option(
            "--select",
            "-s",
            help="Files: keep only rows with these values, then drop the column "
            "(DIM=VALUE[,VALUE…], repeatable). SCB: the selection sent to SCB "
            "(VARIABLE=CODE[,CODE…] or VARIABLE=*).",
            show_default=False,
        ),
    ] = None,
    filters: Annotated[
        list[str] | None,
        typer.Option(
            "--filter",
            "-f",
            help="Eurostat: a filter sent to Eurostat (DIMENSION=CODE[,CODE…], repeatable), "
            "e.g. --filter age=Y15-64 --filter time=2015,2016.",
            show_default=False,
            rich_help_panel=_API_PANEL,
        ),
    ] = None,
    period: Annotated[
        str | None,
        typer.Option(
            help="The period (year) column (default `period`, if present).",
            show_default=False,
            rich_help_panel=_FILE_PANEL,
        ),
    ] = None,
    value: Annotated[
        str | None,
        typer.Option(
            help="The value column (default `value`).",
            show_default=False,
            rich_help_panel=_FILE_PANEL,
        ),
    ] = None,
    flag: Annotated[
        str | None,
        typer.Option(
            help="A column of the publisher's flags (kept with the values).",
            show_default=False,
            rich_help_panel=_FILE_PANEL,
        ),
    ] = None,
    sheet: Annotated[
        str | None,
        typer.Option(
            help="Excel sheet: its name or 0-based number (default: the first).",
            show_default=False,
            rich_help_panel=_FILE_PANEL,
        ),
    ] = None,
    sep: Annotated[
        str | None,
        typer.Option(
            help="CSV separator (default: detected among , ; tab |).",
            show_default=False,
            rich_help_panel=_FILE_PANEL,
        ),
    ] = None,
    decimal: Annotated[
        str | None,
        typer.Option(
            help="Decimal mark, . or , (default: detected).",
            show_default=False,
            rich_help_panel=_FILE_PANEL,
        ),
    ] = None,
    encoding: Annotated[
        str | None,
        typer.Option(
            help="Text encoding (default: UTF-8, else Latin-1 with a note).",
            show_default=False,
            rich_help_panel=_FILE_PANEL,
        ),
    ] = None,
    skip_rows: Annotated[
        int,
        typer.Option(min=0, help="Lines above the header to skip.", rich_help_panel=_FILE_PANEL),
    ] = 0,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            help="Eurostat: jsonstat (default), sdmx-csv or tsv (bulk download). SCB: "
            "json-stat2 (v2), json-stat or json (v1).",
            show_default=False,
            rich_help_panel=_API_PANEL,
        ),
    ] = None,
    api: Annotated[
        ScbApi,
        typer.Option(help="SCB: PxWeb API version.", rich_help_panel=_API_PANEL),
    ] = ScbApi.v2,
    lang: Annotated[
        str,
        typer.Option(help="SCB: language of the labels, sv or en.", rich_help_panel=_API_PANEL),
    ] = "sv",
    scb_regions: Annotated[
        bool,
        typer.Option(
            "--scb-regions",
            help="SCB: keep SCB's region codes instead of mapping the län to NUTS 3.",
            rich_help_panel=_API_PANEL,
        ),
    ] = False,
    offline: Annotated[
        bool,
        typer.Option(
            "--offline",
            help="Eurostat/SCB: answer from the cache only (as SMARTSPEC_OFFLINE=1).",
            rich_help_panel=_API_PANEL,
        ),
    ] = False,
    refresh: Annotated[
        bool,
        typer.Option(
            "--refresh",
            help="Eurostat/SCB: fetch again even if the answer is cached.",
            rich_help_panel=_API_PANEL,
        ),
    ] = False,
    base_url: Annotated[
        str | None,
        typer.Option(
            help="Eurostat/SCB: the API's base URL (a mirror or a test server).",
            show_default=False,
            rich_help_panel=_API_PANEL,
        ),
    ] = None,
    as_json: JsonOption = False,
    data_dir_: DataDirOption = None,
) -> None:
    """Import a table into the evidence store, as a new version (or not at all if unchanged).

    A file: `smartspec data import employment.csv --name emp --measure employment
    --unit persons --additive`. Eurostat: `smartspec data import eurostat lfst_r_lfe2en2
    --filter age=Y15-64 --filter unit=THS --name lfs`. SCB: `smartspec data import scb
    TAB638 --select Region=01,03 --name pop`.

    The import is all or nothing: the table is read and checked first, then written; on
    any error the store is left as it was.
    """
    from smartspec.data.store import check_name

    check_name(name)
    kind = source.strip().lower()
    directory = _directory(ctx, data_dir_)
    file_options = {
        "--period": period,
        "--value": value,
        "--flag": flag,
        "--sheet": sheet,
        "--sep": sep,
        "--decimal": decimal,
        "--encoding": encoding,
        "--skip-rows": skip_rows or None,
    }
    api_options = {
        "--format": fmt,
        "--offline": offline,
        "--refresh": refresh,
        "--base-url": base_url,
    }
    scb_options: dict[str, Any] = {
        "--api": api if api is not ScbApi.v2 else None,
        "--scb-regions": scb_regions,
    }
    if lang != "sv":
        scb_options["--lang"] = lang
    table_options: dict[str, Any] = {}
    if nuts_version is not None:
        table_options["nuts_version"] = nuts_version
    if region_level is not None:
        table_options["region_level"] = region_level
    if region_scheme is not None:
        table_options["region_scheme"] = region_scheme
    if classification is not None:
        table_options["classification"] = classification
    if classification_version is not None:
        table_options["classification_version"] = classification_version
    if drop_unknown_regions:
        table_options["unknown_regions"] = "drop"
    if allow_negative:
        table_options["allow_negative"] = True

    is_api = kind in ("eurostat", "scb") and (ident is not None or not Path(source).exists())
    if is_api and ident is None:
        what = "dataset code" if kind == "eurostat" else "table id"
        example = "lfst_r_lfe2en2" if kind == "eurostat" else "TAB638"
        raise typer.BadParameter(
            f"give the {what}: smartspec data import {kind} {example} --name NAME",
            param_hint="CODE|TABLE",
        )
    store = _open(directory)  # fail fast if the store is in use
    try:
        if is_api and kind == "eurostat":
            assert ident is not None
            _refuse(file_options, "Eurostat imports")
            _refuse(scb_options, "Eurostat imports")
            _refuse({"--select": select}, "Eurostat imports", "use --filter DIMENSION=CODE")
            table = _fetch_eurostat(
                directory,
                ident,
                filters=_pairs(filters, "--filter"),
                fmt=fmt,
                measure=measure,
                unit=unit,
                additive=additive,
                region=region,
                activity=activity,
                offline=offline,
                refresh=refresh,
                base_url=base_url,
                table_options=table_options,
            )
        elif is_api:
            assert ident is not None
            _refuse(file_options, "SCB imports")
            _refuse({"--filter": filters}, "SCB imports", "use --select VARIABLE=CODE[,CODE…]")
            table = _query_scb(
                directory,
                ident,
                selection=_pairs(select, "--select"),
                api=api.value,
                fmt=fmt,
                lang=lang,
                measure=measure,
                unit=unit,
                additive=additive,
                region=region,
                activity=activity,
                scb_regions=scb_regions,
                offline=offline,
                refresh=refresh,
                base_url=base_url,
                table_options=table_options,
            )
        else:
            if ident is not None:
                raise typer.BadParameter(
                    f"a file import takes no second argument ({ident!r}); to fetch from an "
                    "API write `smartspec data import eurostat CODE` or `... scb TABLE`",
                    param_hint="CODE|TABLE",
                )
            _refuse(api_options, "file imports")
            _refuse(scb_options, "file imports")
            _refuse({"--filter": filters}, "file imports", "use --select COLUMN=VALUE")
            table = _read_file(
                Path(source),
                select=_pairs(select, "--select"),
                measure=measure,
                unit=unit,
                additive=additive,
                columns={
                    "region": region,
                    "activity": activity,
                    "period": period,
                    "value": value,
                    "flag": flag,
                },
                sheet=sheet,
                sep=sep,
                decimal=decimal,
                encoding=encoding,
                skip_rows=skip_rows,
                table_options=table_options,
            )
    except InputError as err:
        raise _for_the_command_line(err) from None
    with _status(f"storing {name}…"):
        result = store.put(table, name)
    shadowed = _shadowed_dataset(name)
    if shadowed is not None:
        typer.echo(shadowed, err=True)
    if as_json:
        _dump(
            {
                "status": result.status,
                "previous": result.previous,
                "entry": result.entry.to_dict(),
            }
        )
        return
    typer.echo(result.message)
    if result.changed:
        typer.echo(f"  {_describe(result.entry)}")
        typer.echo(f"  file: {result.entry.file}")
        for line in table.report.summary().splitlines():
            typer.echo(f"  {_cli_text(line)}")


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
        with _status(f"fetching {code} from Eurostat…"):
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
                **table_options,
            )
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


# -------------------------------------------------------------------------------- list


@data_app.command("list")
def list_cmd(
    ctx: typer.Context,
    as_json: JsonOption = False,
    data_dir_: DataDirOption = None,
) -> None:
    """List the stored tables (the latest version of each)."""
    entries = _open(_directory(ctx, data_dir_)).list()
    if as_json:
        _dump([e.to_dict() for e in entries])
        return
    if not entries:
        typer.echo(EMPTY_MESSAGE)
        return
    from rich.table import Table

    table = Table(box=None, header_style="bold", pad_edge=False)
    table.add_column("name", no_wrap=True, style="cyan")
    table.add_column("version", justify="right", no_wrap=True)
    table.add_column("measure")
    table.add_column("unit")
    table.add_column("NUTS", no_wrap=True)
    table.add_column("rows", justify="right", no_wrap=True)
    table.add_column("imported", no_wrap=True)
    for e in entries:
        version = f"v{e.version}" + (f" ({e.versions} kept)" if e.versions > 1 else "")
        cells = (
            e.name,
            version,
            e.measure,
            e.unit,
            _regions_text(e),
            f"{e.rows:,}",
            _when(e),
        )
        table.add_row(*(_escape(c) for c in cells))
    _console().print(table)


# -------------------------------------------------------------------------------- show


@data_app.command("show")
def show_cmd(
    ctx: typer.Context,
    name: Annotated[
        str,
        typer.Argument(help="The stored table's name (NAME@N: its version N).", show_default=False),
    ],
    version: Annotated[
        int | None,
        typer.Option(
            "--version", "-v", min=1, help="This version (default: the latest).", show_default=False
        ),
    ] = None,
    as_json: JsonOption = False,
    data_dir_: DataDirOption = None,
) -> None:
    """Show a stored table: its catalogue entry, provenance, validation report, versions."""
    name, version = _name_version(name, version)
    store = _open(_directory(ctx, data_dir_))
    history = store.history(name)
    entry = store.show(name, version)
    if as_json:
        _dump(
            {
                **entry.to_dict(),
                "history": [
                    {
                        "version": e.version,
                        "rows": e.rows,
                        "content_hash": e.content_hash,
                        "imported_at": e.to_dict()["imported_at"],
                    }
                    for e in history
                ],
            }
        )
        return
    latest = history[-1].version
    mark = " (latest)" if entry.version == latest else f" (the latest is v{latest})"
    typer.echo(_heading(f"{entry.label}{mark}"))
    rows = [
        ("measure", entry.measure),
        ("unit", entry.unit),
        ("additive", "yes (may be summed)" if entry.additive else "no (rates, shares…)"),
        ("regions", _regions_text(entry, long=True)),
        (
            "classification",
            " ".join(filter(None, (entry.classification, entry.classification_version))) or "–",
        ),
        ("shape", _shape(entry)),
        ("imported", _when(entry)),
        ("content hash", f"sha256:{entry.content_hash}"),
        ("file", str(entry.file)),
    ]
    for label, text in rows:
        typer.echo(f"  {label + ':':<16}{text}")
    typer.echo("")
    typer.echo(_heading("Provenance"))
    if not entry.provenance:
        typer.echo("  –")
    for key, val in entry.provenance.items():
        shown = val if isinstance(val, str) else json.dumps(val, ensure_ascii=False)
        typer.echo(f"  {key}: {shown}")
    typer.echo("")
    typer.echo(_heading("Validation report"))
    for line in entry.report.to_text().splitlines():
        typer.echo(f"  {_cli_text(line)}")
    typer.echo("")
    typer.echo(_heading(f"Versions ({len(history)})"))
    for e in history:
        here = "  ←" if e.version == entry.version else ""
        typer.echo(
            f"  v{e.version}  {_when(e)}  {e.rows:,} rows  sha256:{e.content_hash[:12]}{here}"
        )


# -------------------------------------------------------------------------------- drop


@data_app.command("drop")
def drop_cmd(
    ctx: typer.Context,
    name: Annotated[
        str,
        typer.Argument(
            help="The stored table's name (NAME@N: only its version N).", show_default=False
        ),
    ],
    version: Annotated[
        int | None,
        typer.Option(
            "--version",
            "-v",
            min=1,
            help="Drop only this version (default: every version).",
            show_default=False,
        ),
    ] = None,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
    data_dir_: DataDirOption = None,
) -> None:
    """Remove a stored table (every version), or one version of it."""
    name, version = _name_version(name, version)
    store = _open(_directory(ctx, data_dir_))
    history = store.history(name)
    if version is None:
        n = len(history)
        what = (
            f"{name} ({n} version{'s' if n != 1 else ''}: "
            + ", ".join(f"v{e.version}" for e in history)
            + ")"
        )
    else:
        what = store.show(name, version).label
    if not yes and not typer.confirm(f"drop {what}?", default=False):
        typer.echo("nothing dropped", err=True)
        raise typer.Exit(1)
    gone = store.drop(name, version)
    typer.echo("dropped " + ", ".join(e.label for e in gone))
    if version is not None:
        rest = [e for e in history if e.version != version]
        if rest:
            typer.echo(f"{name} now has v{rest[-1].version} as its latest version")


# ------------------------------------------------------------------------------- utils


def _name_version(text: str, version: int | None) -> tuple[str, int | None]:
    """``emp@2`` (or ``store:emp@2``, as analyses name it) → ``("emp", 2)``."""
    from smartspec.data.sources import parse_source

    spec = parse_source(text)
    if spec.kind not in (None, "store"):
        raise typer.BadParameter(
            f"{text!r} is not a stored table; write its name, e.g. emp or emp@2",
            param_hint="NAME",
        )
    if spec.version is not None and version is not None and spec.version != version:
        raise typer.BadParameter(
            f"{text!r} asks for version {spec.version} and --version for {version}; "
            "give one of them",
            param_hint="--version",
        )
    return spec.name, spec.version if spec.version is not None else version


def _shadowed_dataset(name: str) -> str | None:
    """A note if a stored table's name is also a bundled dataset's, else None."""
    from smartspec.datasets import list_datasets

    if name not in {d.name for d in list_datasets()}:
        return None
    return (
        f"note: {name} is also the name of a bundled dataset; analyses need "
        f"`store:{name}` for this table (and `dataset:{name}` for the dataset)"
    )


# The readers' hints name Python arguments; on the command line they are options.
_CLI_WORDS: tuple[tuple[str, str], ...] = (
    (r"\bunknown_regions='drop'", "--drop-unknown-regions"),
    (r"\ballow_negative=True", "--allow-negative"),
    (r"\badditive=True", "--additive"),
    (r"\badditive=False", "--not-additive"),
    (r"\bregions='scb'", "--scb-regions"),
    (r"\bread_eurostat_tsv\b", "a Eurostat bulk TSV file (.tsv or .tsv.gz, read by its header)"),
    (r"\bfilters=\{\.\.\., '([^']+)': '([^']+)'\}", r"--filter \1=\2"),
    (r"\bselect=\{'([^']+)': '([^']+)'\}", r"--select \1=\2"),
    (r"\bdecimal=','", "--decimal ,"),
    (r"\bdecimal='\.'", "--decimal ."),
    (r"\bsep='([^']+)'", r"--sep '\1'"),
    (r"\bencoding='([^']+)'", r"--encoding \1"),
    (r"\bregion_dim=", "--region "),
    (r"\bactivity_dim=", "--activity "),
    (r"\b(region|activity|period|value|flag|unit|measure|region_scheme)='([^']*)'", r"--\1 \2"),
    (
        r"\b(sep|decimal|encoding|nuts_version|region_level|region_scheme|unit|measure|"
        r"region|activity|period|value|flag)=(\.\.\.|\d+)",
        r"--\1 \2",
    ),
    (r"\bthe right nuts_version\b", "the right --nuts-version"),
    (r"\bpass nuts_version\b", "pass --nuts-version"),
)


def _cli_text(text: str) -> str:
    """Python argument names in a message as this command's options."""
    import re

    for pattern, repl in _CLI_WORDS:
        text = re.sub(pattern, repl, text)
    return re.sub(
        r"--(region_scheme|nuts_version|region_level)\b",
        lambda m: m.group(0).replace("_", "-"),
        text,
    )


def _for_the_command_line(err: InputError) -> InputError:
    """The same error, its advice in terms of this command's options."""
    return InputError(
        _cli_text(err.message),
        source=err.source,
        row=err.row,
        column=err.column,
        hint=_cli_text(err.hint) if err.hint is not None else None,
    )


def _regions_text(entry: EvidenceEntry, long: bool = False) -> str:
    if entry.region_scheme.upper() != "NUTS":
        return entry.region_scheme
    version = str(entry.nuts_version) if entry.nuts_version is not None else "?"
    if entry.region_level is None:
        return f"NUTS {version}" if long else version
    if long:
        return f"NUTS {version}, level {entry.region_level}"
    return f"{version} L{entry.region_level}"


def _shape(entry: EvidenceEntry) -> str:
    parts = [f"{entry.regions} region{'s' if entry.regions != 1 else ''}"]
    if "activity" in entry.columns:
        parts.append(f"{entry.activities} activit{'ies' if entry.activities != 1 else 'y'}")
    if entry.periods is not None:
        a, b = entry.periods
        parts.append(f"periods {a}–{b}" if a != b else f"period {a}")
    flags = ", flags" if "flag" in entry.columns else ""
    return f"{entry.rows:,} rows: " + " × ".join(parts) + flags


def _describe(entry: EvidenceEntry) -> str:
    add = "additive" if entry.additive else "not additive"
    return (
        f"{entry.measure} [{entry.unit}], {add}; {_regions_text(entry, long=True)}; {_shape(entry)}"
    )


def _when(entry: EvidenceEntry) -> str:
    return entry.imported_at.strftime("%Y-%m-%d %H:%M UTC")


def _heading(text: str) -> str:
    return typer.style(text, bold=True)


def _dump(value: Any) -> None:
    typer.echo(json.dumps(value, ensure_ascii=False, indent=2))
