"""``smartspec data list|show|drop``: what the evidence store holds."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated

import typer

from smartspec.cli_common import DataDirOption, JsonOption
from smartspec.cli_common import console as _console
from smartspec.cli_common import escape as _escape
from smartspec.cli_common import resolve_data_dir as _directory

if TYPE_CHECKING:
    pass


from smartspec.cli_data._app import (
    EMPTY_MESSAGE,
    _cli_text,
    _dump,
    _heading,
    _name_version,
    _open,
    _regions_text,
    _shape,
    _when,
    data_app,
)


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
