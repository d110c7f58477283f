"""Plumbing shared by the CLI and its sub-apps (``registry``, ``data``).

One place for: the command group that turns a :class:`~smartspec.errors.SmartspecError`
into one red line and exit status 1, the Rich console, markup escaping, the common
options (``--data-dir``, ``--json``, ``--force``) and how a command finds its data
directory. Light at import (Typer only); Rich is imported when a console is needed.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperGroup

from smartspec.config import ENV_DATA_DIR, DataDir, data_dir
from smartspec.errors import SmartspecError

if TYPE_CHECKING:
    from rich.console import Console

__all__ = [
    "DataDirOption",
    "ErrorGroup",
    "ForceOption",
    "JsonOption",
    "console",
    "escape",
    "resolve_data_dir",
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
