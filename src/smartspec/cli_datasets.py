"""``smartspec datasets``: the bundled datasets on the command line.

A Typer sub-app, mounted by :mod:`smartspec.cli` as ``smartspec datasets``: ``list``
them, ``show`` a dataset's provenance card, ``export`` a dataset as a tidy CSV or
Parquet file (written atomically). :mod:`smartspec.datasets` and pandas are imported
inside the commands, so ``smartspec --help`` imports neither.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any

import typer

from smartspec.cli_common import ExportFormat
from smartspec.cli_common import console as _console
from smartspec.cli_common import escape as _escape
from smartspec.cli_common import format_from_suffix as _format_from_suffix
from smartspec.cli_common import write_table_atomic as _write_atomic
from smartspec.errors import InputError

datasets_app = typer.Typer(
    help="Bundled datasets: list them, show their provenance cards, export them.",
    no_args_is_help=True,
)


@datasets_app.command("list")
def datasets_list(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """List the bundled datasets."""
    from smartspec import datasets

    infos = datasets.list_datasets()
    if as_json:
        rows = [
            {
                "name": i.name,
                "title": i.title,
                "measure": i.measure,
                "unit": i.unit,
                "nuts_version": i.nuts_version,
                "periods": list(i.periods),
            }
            for i in infos
        ]
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2, default=str))
        return
    from rich.table import Table

    table = Table(box=None, header_style="bold", pad_edge=False)
    table.add_column("name", no_wrap=True, style="cyan")
    table.add_column("periods", no_wrap=True)
    table.add_column("NUTS", justify="right", no_wrap=True)
    table.add_column("unit", max_width=14)
    table.add_column("title")
    for i in infos:
        nuts = "" if i.nuts_version is None else str(i.nuts_version)
        cells = (i.name, _periods(list(i.periods)), nuts, i.unit, i.title)
        table.add_row(*(_escape(str(c)) for c in cells))
    _console().print(table)


def _periods(periods: Sequence[Any]) -> str:
    """``[2008, 2009, 2010]`` → ``"2008–2010"``; gaps are shown by the count.

    >>> _periods([2008, 2009, 2010]), _periods([2014]), _periods([2010, 2012, 2016])
    ('2008–2010', '2014', '2010–2016 (3)')
    """
    items = [str(p) for p in periods]
    if len(items) <= 1:
        return "".join(items)
    try:
        contiguous = [int(p) for p in items] == list(range(int(items[0]), int(items[-1]) + 1))
    except ValueError:
        contiguous = False
    return f"{items[0]}–{items[-1]}" + ("" if contiguous else f" ({len(items)})")


@datasets_app.command("show")
def datasets_show(
    name: Annotated[str, typer.Argument(help="Dataset name (see `smartspec datasets list`).")],
    markdown: Annotated[
        bool, typer.Option("--markdown", help="Print the card's Markdown source.")
    ] = False,
) -> None:
    """Show a dataset's provenance card: source, URL, licence, transformations."""
    from smartspec import datasets

    text = datasets.card(name).to_markdown()
    if markdown:
        typer.echo(text)
        return
    from rich.markdown import Markdown

    _console().print(Markdown(text))


@datasets_app.command("export")
def datasets_export(
    name: Annotated[str, typer.Argument(help="Dataset name (see `smartspec datasets list`).")],
    out: Annotated[
        Path,
        typer.Option("--out", "-o", help="File to write.", dir_okay=False, show_default=False),
    ],
    fmt: Annotated[
        ExportFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="File format (default: from the --out suffix).",
            case_sensitive=False,
            show_default=False,
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Export a dataset as a tidy table (CSV or Parquet).

    Columns: region, activity, period, value, flag (those the dataset has). The file is
    written to a temporary file next to it and renamed, so it is never half-written.
    """
    fmt = fmt or _format_from_suffix(out)
    if out.exists() and not force:
        raise InputError(
            f"{out} already exists", hint="use --force to overwrite it, or choose another --out"
        )
    from smartspec import datasets

    frame = datasets.load(name).to_pandas()
    _write_atomic(frame, out, fmt)
    _console(stderr=True).print(
        f"wrote {len(frame):,} rows of [cyan]{_escape(name)}[/] to {_escape(str(out))}"
    )
