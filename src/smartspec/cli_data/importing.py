"""``smartspec data import``: a file, ``eurostat CODE`` or ``scb TABLE`` into the store."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from smartspec.cli_common import DataDirOption, JsonOption
from smartspec.cli_common import resolve_data_dir as _directory
from smartspec.errors import InputError

if TYPE_CHECKING:
    pass


from smartspec.cli_data._app import (
    TABLE_PANEL,
    ClassificationOption,
    ClassificationVersionOption,
    NutsVersionOption,
    RegionLevelOption,
    _for_the_command_line,
    _open,
    _pairs,
    _refuse,
    _store,
    data_app,
)
from smartspec.cli_data._sources import _fetch_eurostat, _query_scb, _read_file

_FILE_PANEL = "File imports"
_API_PANEL = "Eurostat and SCB imports"
_TABLE_PANEL = TABLE_PANEL


class ScbApi(StrEnum):
    """PxWeb API versions of ``smartspec data import scb``."""

    v2 = "v2"
    v1 = "v1"


# ---------------------------------------------------------------------------- plumbing


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
    nuts_version: NutsVersionOption = None,
    region_level: RegionLevelOption = None,
    region_scheme: Annotated[
        str | None,
        typer.Option(
            help="Region codes of another scheme than NUTS (e.g. ISO3): not checked.",
            show_default=False,
            rich_help_panel=_TABLE_PANEL,
        ),
    ] = None,
    classification: ClassificationOption = None,
    classification_version: ClassificationVersionOption = None,
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
    wait: Annotated[
        float,
        typer.Option(
            min=1,
            help="Eurostat: the longest wait, in seconds, for a large request that Eurostat "
            "prepares asynchronously (it says so, and smartspec polls until it is ready).",
            rich_help_panel=_API_PANEL,
        ),
    ] = 600.0,
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
    eurostat_options = {"--wait": wait if wait != 600.0 else None}
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
                wait=wait,
                base_url=base_url,
                table_options=table_options,
            )
        elif is_api:
            assert ident is not None
            _refuse(file_options, "SCB imports")
            _refuse(eurostat_options, "SCB imports")
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
            _refuse(eurostat_options, "file imports")
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
    _store(store, table, name, as_json=as_json)


# -------------------------------------------------------------------------------- list
