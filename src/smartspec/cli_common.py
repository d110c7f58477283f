"""Plumbing shared by the CLI and its sub-apps (``registry``, ``data``).

One place for: the command group that turns a :class:`~smartspec.errors.SmartspecError`
into one red line and exit status 1, the Rich console, markup escaping, the common
options (``--data-dir``, ``--json``, ``--force``) and how a command finds its data
directory. Light at import (Typer only); Rich is imported when a console is needed.
"""

from __future__ import annotations

import os
import tempfile
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperGroup

from smartspec.config import ENV_DATA_DIR, DataDir, data_dir
from smartspec.errors import InputError, SmartspecError

if TYPE_CHECKING:
    from rich.console import Console

__all__ = [
    "DataDirOption",
    "ErrorGroup",
    "ExportFormat",
    "ForceOption",
    "JsonOption",
    "console",
    "escape",
    "format_from_suffix",
    "resolve_data_dir",
    "write_table_atomic",
]


class ErrorGroup(TyperGroup):
    """A command group that prints SmartspecError as ``error: …`` and exits with 1."""

    def invoke(self, ctx: Any) -> Any:  # a click Context (Typer may vendor click)
        try:
            return super().invoke(ctx)
        except SmartspecError as err:
            console(stderr=True).print(f"[bold red]error:[/] {escape(str(err))}")
            raise typer.Exit(1) from None


DataDirOption = Annotated[
    Path | None,
    typer.Option(
        "--data-dir",
        envvar=ENV_DATA_DIR,
        help="Data directory (default: the platform's user data directory).",
        show_default=False,
        file_okay=False,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")]
ForceOption = Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")]


def resolve_data_dir(ctx: typer.Context, override: Path | None) -> DataDir:
    """The data directory: the command's ``--data-dir``, the global one, the env, the default.

    The command's option also reads ``SMARTSPEC_DATA_DIR``; a value from there does not
    override a global ``--data-dir`` given on the command line.
    """
    root = ctx.find_root().obj
    given = getattr(root, "data_dir", None)
    source = ctx.get_parameter_source("data_dir_")
    from_env = source is not None and source.name == "ENVIRONMENT"
    explicit = override if override is not None and not (from_env and given) else given
    return data_dir(explicit)


def console(stderr: bool = False) -> Console:
    """A Rich console; on stderr not wrapped, so a long error stays one greppable line."""
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=stderr)


def escape(text: str) -> str:
    """Escape Rich markup in user text."""
    from rich.markup import escape as rich_escape

    return rich_escape(text)


class ExportFormat(StrEnum):
    """File formats a command writes tables in."""

    csv = "csv"
    parquet = "parquet"


def format_from_suffix(out: Path) -> ExportFormat:
    """The format a file name asks for (``.csv``; ``.parquet``/``.pq``), else an error."""
    suffix = out.suffix.lower().lstrip(".")
    if suffix in ("parquet", "pq"):
        return ExportFormat.parquet
    if suffix == "csv":
        return ExportFormat.csv
    raise InputError(
        f"cannot tell the format of {out.name!r} from its suffix",
        hint="give --format csv or --format parquet",
    )


def write_table_atomic(frame: Any, out: Path, fmt: ExportFormat) -> None:
    """Write a DataFrame to ``out`` via a temporary file in the same folder + rename."""
    folder = out.parent if str(out.parent) else Path(".")
    if not folder.is_dir():
        raise InputError(f"folder {folder} does not exist", hint="create it first")
    fd, tmp_name = tempfile.mkstemp(dir=folder, prefix=f".{out.name}.", suffix=".tmp")
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        if fmt is ExportFormat.csv:
            frame.to_csv(tmp, index=False)
        else:
            frame.to_parquet(tmp, index=False)
        os.chmod(tmp, 0o644)
        os.replace(tmp, out)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
