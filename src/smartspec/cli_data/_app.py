"""The ``smartspec data`` Typer app, and what its commands share.

Helpers take and return plain values; the commands live in :mod:`.importing`
(``data import``), :mod:`.catalogue` (``data list|show|drop``) and
:mod:`.aggregating` (``data aggregate``).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated, Any

import typer

from smartspec.cli_common import ErrorGroup
from smartspec.cli_common import console as _console
from smartspec.cli_common import escape as _escape
from smartspec.config import DataDir
from smartspec.errors import InputError

if TYPE_CHECKING:
    from smartspec.data.store import EvidenceEntry, EvidenceStore
    from smartspec.table import ActivityTable


#: What ``smartspec data list`` says when the store holds nothing yet.
EMPTY_MESSAGE = (
    "the evidence store is empty; import a table with "
    "`smartspec data import FILE --name NAME` (or `eurostat CODE`, `scb TABLE`)"
)


data_app = typer.Typer(
    cls=ErrorGroup,
    help="The evidence store: import tables (files, Eurostat, SCB), list, show, drop them.",
    no_args_is_help=True,
)


# ---- options that describe the table, shared by `data import` and `data aggregate`
TABLE_PANEL = "What the values are"

NutsVersionOption = Annotated[
    int | None,
    typer.Option(
        help="NUTS version of the region codes (2010, 2013, 2016, 2021, 2024); detected "
        "when unambiguous.",
        show_default=False,
        rich_help_panel=TABLE_PANEL,
    ),
]
RegionLevelOption = Annotated[
    int | None,
    typer.Option(
        min=0,
        max=3,
        help="NUTS level of the table (default: the most detailed level present; "
        "coarser rows are dropped as aggregates).",
        show_default=False,
        rich_help_panel=TABLE_PANEL,
    ),
]
ClassificationOption = Annotated[
    str | None,
    typer.Option(
        help="Activity classification, e.g. NACE.",
        show_default=False,
        rich_help_panel=TABLE_PANEL,
    ),
]
ClassificationVersionOption = Annotated[
    str | None,
    typer.Option(
        help="Its version, e.g. 'Rev. 2'.", show_default=False, rich_help_panel=TABLE_PANEL
    ),
]


def _open(directory: DataDir) -> EvidenceStore:
    from smartspec.data.store import EvidenceStore

    return EvidenceStore(directory)


@contextmanager
def _status(text: str) -> Iterator[Callable[[str], None]]:
    """A spinner on stderr while something runs; yields a function that changes its text.

    When stderr is not a terminal there is no spinner, and a changed text is written
    to stderr as a line (a script's log then shows long waits).
    """
    console = _console(stderr=True)
    if not console.is_terminal:
        yield lambda line: typer.echo(line, err=True)
        return
    with console.status(_escape(text)) as spinner:
        yield lambda line: spinner.update(_escape(line))


def _store(store: EvidenceStore, table: ActivityTable, name: str, *, as_json: bool) -> None:
    """Put *table* into *store* as *name* and say what happened (text or JSON)."""
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
    (r"\bcall fetch again later\b", "run the import again later"),
    (r"\basync_options=AsyncOptions\(timeout=\.\.\.\)", "--wait SECONDS"),
    (
        r"\(filters such as geo, time, nace_r2 or geoLevel\)",
        "(--filter geo=…, time=…, nace_r2=… or geoLevel=…)",
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
