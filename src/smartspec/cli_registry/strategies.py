"""``smartspec registry import|export|show|history|diff``: strategies in, out and over time.

``import`` loads a YAML priorities file or restores a JSON export (all or nothing),
``export`` writes the registry as JSON, CSV or Excel, ``show`` prints a region's
priorities on a day, ``history`` its revisions, ``diff`` what changed between two.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from smartspec.cli_common import DataDirOption, ForceOption, JsonOption
from smartspec.cli_common import console as _console
from smartspec.cli_common import escape as _escape
from smartspec.cli_registry._app import (
    AtOption,
    _check_date,
    _columns,
    _dump,
    _heading,
    _open,
    _require_content,
    _resolve_region,
    registry_app,
)
from smartspec.errors import InputError

if TYPE_CHECKING:
    from smartspec.registry import RegionPriorities, RevisionInfo, SourceInfo


class RegistryFormat(StrEnum):
    """Export formats of ``smartspec registry export``."""

    json = "json"
    csv = "csv"
    xlsx = "xlsx"


def _source_text(source: SourceInfo | None) -> str:
    if source is None:
        return "no source"
    details = [d for d in (source.publisher, source.date) if d]
    if source.date_inferred:
        details.append("date inferred")
    return f"{source.title} ({', '.join(details)})" if details else source.title


# ------------------------------------------------------------------------------ import


@registry_app.command("import")
def import_cmd(
    ctx: typer.Context,
    file: Annotated[
        Path,
        typer.Argument(
            help="A priorities file (YAML, the format of the bundled Swedish map) or a JSON "
            "export of a registry (restored into an empty registry).",
            dir_okay=False,
            show_default=False,
        ),
    ],
    data_dir_: DataDirOption = None,
) -> None:
    """Import a YAML priorities file or a JSON export, all or nothing.

    The whole file is checked first and written in one transaction: on any error the
    registry is left as it was. Importing the same YAML file again changes nothing.
    """
    try:
        head = file.read_text(encoding="utf-8").lstrip()[:1]
    except FileNotFoundError:
        raise InputError(f"no such file: {str(file)!r}") from None
    except UnicodeDecodeError as err:
        raise InputError(f"not UTF-8 text ({err.reason})", source=str(file)) from None
    except IsADirectoryError:  # pragma: no cover - Typer refuses folders already
        raise InputError(f"{file} is a folder", hint="give a file") from None
    as_json = file.suffix.lower() == ".json" or head == "{"
    with _open(ctx, data_dir_) as registry:
        where = registry.engine.url.database or str(registry.engine.url)
        if as_json:
            count = registry.import_json(file)
            typer.echo(f"restored {count:,} rows from {file.name} into {where}")
            return
        report = registry.import_yaml(file)
    if not report.changed_anything:
        typer.echo(
            f"nothing to import: everything in {file.name} is already in the registry "
            f"({report.revisions_unchanged} revisions unchanged)"
        )
        return
    typer.echo(f"imported {file.name} into {where}")
    lines = [
        ("regions", f"{report.regions_added} added, {report.regions_updated} updated"),
        ("sources", f"{report.sources_added} added, {report.sources_updated} updated"),
        ("strategies", f"{report.strategies_added} added"),
        (
            "revisions",
            f"{report.revisions_added} added, {report.revisions_unchanged} unchanged",
        ),
    ]
    for label, text in lines:
        typer.echo(f"  {label + ':':<12}{text}")
    if report.revised:
        typer.echo("  new revisions: " + ", ".join(report.revised))


# ------------------------------------------------------------------------------ export


@registry_app.command("export")
def export_cmd(
    ctx: typer.Context,
    out: Annotated[
        Path,
        typer.Option("--out", "-o", help="File to write.", dir_okay=False, show_default=False),
    ],
    fmt: Annotated[
        RegistryFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="json: lossless backup (every table, audit log included); csv: one row per "
            "region × revision × priority; xlsx: sheets priorities, revisions, sources, "
            "audit. Default: from the --out suffix.",
            case_sensitive=False,
            show_default=False,
        ),
    ] = None,
    force: ForceOption = False,
    data_dir_: DataDirOption = None,
) -> None:
    """Export the registry (written to a temporary file and renamed: never half-written)."""
    from smartspec.registry.flat_export import check_target, export_registry

    check_target(out, force=force)  # before opening (and perhaps creating) the registry
    with _open(ctx, data_dir_) as registry:
        summary = export_registry(
            registry, out, fmt.value if fmt is not None else None, force=force
        )
    if summary.format.value == "json":
        total = sum(summary.rows.values())
        what = f"{total:,} rows of {len(summary.rows)} tables"
    elif summary.format.value == "csv":
        what = f"{summary.rows['priorities']:,} priority rows"
    else:
        what = "sheets " + ", ".join(f"{k} ({v:,} rows)" for k, v in summary.rows.items())
    _console(stderr=True).print(f"wrote {_escape(what)} to {_escape(str(out))}")


# -------------------------------------------------------------------------------- show


def _print_priorities(shown: RegionPriorities, *, ids: bool = False) -> None:
    from smartspec.registry import PriorityKind

    region = shown.region
    when = shown.at.isoformat() if shown.at else "today"
    typer.echo(_heading(f"{region.name} ({region.code}) — priorities in effect on {when}"))
    if not shown.strategies:
        typer.echo("no strategy of this region is in effect on that day")
        return
    for state in shown.strategies:
        marker = "joint strategy " if state.joint else ""
        typer.echo(
            f"  {marker}{state.code}: revision {state.revision} of {state.version}, "
            f"effective {state.effective}; source: {_source_text(state.source)}"
        )
    titles = {
        PriorityKind.STRENGTH_AREA: "Strength areas",
        PriorityKind.DEVELOPMENT_AREA: "Development areas",
        PriorityKind.CROSS_CUTTING: "Cross-cutting factors",
        PriorityKind.JOINT_AREA: "Joint areas",
    }
    for kind, title in titles.items():
        items = [p for p in shown.priorities if p.kind is kind]
        if not items:
            continue
        typer.echo("")
        typer.echo(_heading(f"{title} ({len(items)})"))
        for p in items:
            english = f" — {p.label_en}" if p.label_en and p.label_sv else ""
            joint = f"  [joint: {p.strategy}]" if p.joint else ""
            number = f"[{p.priority_id}] " if ids else ""
            typer.echo(f"  • {number}{p.label}{english}{joint}")


@registry_app.command("show")
def show_cmd(
    ctx: typer.Context,
    region: Annotated[
        str,
        typer.Argument(help="A region code (SE211) or name (Jönköping).", show_default=False),
    ],
    at: AtOption = None,
    ids: Annotated[
        bool,
        typer.Option(
            "--ids",
            help="Show each priority's id (what `registry accept`, `reject` and `set-codes` take).",
        ),
    ] = False,
    as_json: JsonOption = False,
    data_dir_: DataDirOption = None,
) -> None:
    """A region's priorities by kind, its joint strategies' areas included (marked joint).

    Example: `smartspec registry show SE211 --at 2019-06-01`.
    """
    day = _check_date(at)
    with _open(ctx, data_dir_) as registry:
        code = _resolve_region(region, _require_content(registry))
        shown = registry.show(code, at=day)
    if as_json:
        _dump(shown.to_dict())
        return
    _print_priorities(shown, ids=ids)


# ----------------------------------------------------------------------------- history


@registry_app.command("history")
def history_cmd(
    ctx: typer.Context,
    region: Annotated[
        str,
        typer.Argument(help="A region code (SE211) or name (Jönköping).", show_default=False),
    ],
    as_json: JsonOption = False,
    data_dir_: DataDirOption = None,
) -> None:
    """Every revision of a region's own and joint strategies, by effective date."""
    with _open(ctx, data_dir_) as registry:
        regions = _require_content(registry)
        code = _resolve_region(region, regions)
        infos = registry.history(code)
        code = code if code in regions else registry.show(code).region.code
    if as_json:
        _dump([i.to_dict() for i in infos])
        return
    _print_history(code, regions.get(code, code), infos)


def _print_history(code: str, name: str, infos: Sequence[RevisionInfo]) -> None:
    count = f"{len(infos)} revision" + ("" if len(infos) == 1 else "s")
    typer.echo(_heading(f"{name} ({code}) — {count}"))
    if not infos:
        return
    rows = [("strategy", "rev", "effective", "source", "author", "recorded at")]
    for i in infos:
        rows.append(
            (
                i.strategy + (" (joint)" if i.joint else ""),
                str(i.number),
                i.effective,
                i.source.key if i.source else "–",
                i.author,
                i.recorded_at.strftime("%Y-%m-%d %H:%M UTC"),
            )
        )
    lines = _columns(rows)
    typer.echo(_heading(lines[0]))
    for line in lines[1:]:
        typer.echo(line)
    sources = {i.source.key: i.source for i in infos if i.source is not None}
    if sources:
        typer.echo("")
        typer.echo(_heading("Sources"))
        for key, source in sources.items():
            typer.echo(f"  {key}: {_source_text(source)}")
            if source.url:
                typer.echo(f"    {source.url}")


# -------------------------------------------------------------------------------- diff


@registry_app.command("diff")
def diff_cmd(
    ctx: typer.Context,
    region: Annotated[
        str,
        typer.Argument(help="A region code (SE211) or name (Jönköping).", show_default=False),
    ],
    rev_a: Annotated[int, typer.Argument(help="The earlier revision number.", min=1)],
    rev_b: Annotated[int, typer.Argument(help="The later revision number.", min=1)],
    strategy: Annotated[
        str | None,
        typer.Option(
            "--strategy",
            help="Compare revisions of this joint strategy of the region "
            "(default: the region's own strategy).",
            show_default=False,
        ),
    ] = None,
    as_json: JsonOption = False,
    data_dir_: DataDirOption = None,
) -> None:
    """What changed between two revisions: added, removed, renamed, reworded, changed.

    Example: `smartspec registry diff SE211 2 3`.
    """
    with _open(ctx, data_dir_) as registry:
        code = _resolve_region(region, _require_content(registry))
        diff = registry.diff(code, rev_a, rev_b, strategy=strategy)
    if as_json:
        _dump(diff.to_dict())
        return
    a, b = diff.a, diff.b

    def side(info: RevisionInfo) -> str:
        key = info.source.key if info.source else "no source"
        return f"revision {info.number} ({info.effective}, {key})"

    typer.echo(_heading(f"{diff.strategy}: {side(a)} → {side(b)}"))
    if diff.is_empty:
        typer.echo("no differences")
        return
    sections: list[tuple[str, list[str]]] = [
        ("added", [f"  + {p.label} ({p.kind.value})" for p in diff.added]),
        ("removed", [f"  - {p.label} ({p.kind.value})" for p in diff.removed]),
        ("renamed", [f"  ~ {c.before.label} → {c.after.label}" for c in diff.renamed]),
        (
            "reworded",
            [
                f"  ~ {c.before.label} → {c.after.label} ({', '.join(c.fields)})"
                for c in diff.reworded
            ],
        ),
        (
            "changed",
            [
                f"  * {c.after.label}: "
                + "; ".join(
                    f"{f} {_plain(getattr(c.before, f))} → {_plain(getattr(c.after, f))}"
                    for f in c.fields
                )
                for c in diff.changed
            ],
        ),
    ]
    for title, lines in sections:
        typer.echo(f"{title} ({len(lines)})" + (":" if lines else ""))
        for line in lines:
            typer.echo(line)


def _plain(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, tuple | list):
        return "[" + ", ".join(str(v) for v in value) + "]"
    return str(getattr(value, "value", value))
