"""The ``smartspec registry`` Typer app, and what its commands share.

Opening the registry of the data directory, resolving a region given by code or name,
checking a date option, and printing (aligned columns, headings, JSON). The commands
live in :mod:`.strategies`, :mod:`.followup` and :mod:`.review`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from smartspec.cli_common import ErrorGroup
from smartspec.cli_common import resolve_data_dir as _directory
from smartspec.errors import AmbiguousError, InputError, UnknownCodeError

if TYPE_CHECKING:
    from smartspec.registry import Registry

#: What the reading commands say when the registry holds nothing yet.
EMPTY_MESSAGE = "the registry is empty; run `smartspec setup` or `smartspec registry import FILE`"

_DATE_FORMS = "accepted forms: YYYY, YYYY-MM or YYYY-MM-DD, e.g. 2019, 2019-06 or 2019-06-01"


registry_app = typer.Typer(
    cls=ErrorGroup,
    help="The strategy registry: import, export, show, history, diff, follow-up reports, "
    "classification of priorities.",
    no_args_is_help=True,
)

AtOption = Annotated[
    str | None,
    typer.Option(
        "--at",
        help="The day: YYYY, YYYY-MM or YYYY-MM-DD (a year or month means its last day). "
        "Default: today.",
        show_default=False,
    ),
]


# ---------------------------------------------------------------------------- plumbing


def _open(ctx: typer.Context, override: Path | None) -> Registry:
    """The registry of the data directory (created and migrated on first use)."""
    from smartspec.registry import open_registry

    directory = _directory(ctx, override).ensure()
    return open_registry(directory.registry_url)


def _require_content(registry: Registry) -> dict[str, str]:
    """The registry's regions (code -> name); a clear error if it is empty."""
    regions = {r.code: r.name for r in registry.regions()}
    if not regions:
        raise InputError(EMPTY_MESSAGE)
    return regions


def _resolve_region(query: str, regions: dict[str, str]) -> str:
    """A region code of the registry for a code or a name (via :func:`smartspec.geo.lookup`).

    A code in the registry is taken as it is. A name is looked up with smartspec's
    region search (any case, with or without diacritics); a NUTS region that holds
    exactly one region of the registry (``Stockholm`` = SE11 → SE110) gives that one.
    Anything else is passed on to the registry, which matches parts of names and
    suggests the closest regions when nothing matches.
    """
    text = query.strip()
    if text.upper() in regions:
        return text.upper()
    from smartspec import geo

    try:
        found = geo.lookup(text)
    except (UnknownCodeError, AmbiguousError):
        return text
    if found.code in regions:
        return found.code
    related = sorted(c for c in regions if c.startswith(found.code) or found.code.startswith(c))
    if len(related) == 1:
        return related[0]
    if related:
        raise AmbiguousError("region", query, [f"{c} ({regions[c]})" for c in related[:6]])
    return text


def _check_date(value: str | None, option: str = "--at") -> str | None:
    """The date option as given, or an error naming the accepted forms."""
    if value is None:
        return None
    from smartspec.registry.dates import PartialDate

    try:
        PartialDate.parse(value)
    except InputError:
        raise InputError(f"{option} {value!r} is not a date", hint=_DATE_FORMS) from None
    return value


def _columns(rows: Sequence[Sequence[str]]) -> list[str]:
    """Rows of cells as lines with aligned columns (the last column is not padded)."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        "  ".join(cell.ljust(widths[i]) if i < len(row) - 1 else cell for i, cell in enumerate(row))
        for row in rows
    ]


def _heading(text: str) -> str:
    return typer.style(text, bold=True)


def _dump(value: Any) -> None:
    typer.echo(json.dumps(value, ensure_ascii=False, indent=2))
