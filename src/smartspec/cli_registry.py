"""``smartspec registry``: the strategy registry on the command line.

A Typer sub-app, mounted by :mod:`smartspec.cli` as ``smartspec registry``. Every command
is a thin call into :mod:`smartspec.registry` (imported inside the commands, so
``smartspec --help`` does not import SQLAlchemy). The registry is ``registry.sqlite`` in
the data directory (``--data-dir``, ``SMARTSPEC_DATA_DIR`` or the platform's default),
created and migrated on first use. Errors that smartspec raises on purpose are printed
as one red line and exit with status 1; usage errors exit with 2.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from smartspec.cli_common import DataDirOption, ErrorGroup, ForceOption, JsonOption
from smartspec.cli_common import console as _console
from smartspec.cli_common import escape as _escape
from smartspec.cli_common import resolve_data_dir as _directory
from smartspec.errors import AmbiguousError, InputError, UnknownCodeError

if TYPE_CHECKING:
    from smartspec.registry import (
        ClassificationView,
        RegionPriorities,
        Registry,
        RevisionInfo,
        SourceInfo,
    )

__all__ = ["EMPTY_MESSAGE", "registry_app"]

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


class RegistryFormat(StrEnum):
    """Export formats of ``smartspec registry export``."""

    json = "json"
    csv = "csv"
    xlsx = "xlsx"


class ClassifyMethod(StrEnum):
    """Classification methods of ``smartspec registry classify``."""

    lexical = "lexical"
    names = "names"
    semantic = "semantic"
    hybrid = "hybrid"


class Scheme(StrEnum):
    """What a classification code is: a NACE Rev. 2 division or a theme id."""

    nace = "nace"
    theme = "theme"


PriorityIdArgument = Annotated[
    int,
    typer.Argument(
        help="The priority's id (shown by `registry review REGION` and `registry show "
        "REGION --ids`).",
        min=1,
        show_default=False,
    ),
]
SchemeArgument = Annotated[
    Scheme,
    typer.Argument(
        help="nace (a NACE Rev. 2 division such as 10) or theme (a theme id such as food).",
        case_sensitive=False,
        show_default=False,
    ),
]
ReviewerOption = Annotated[
    str | None,
    typer.Option(
        "--reviewer",
        help="Who reviews (default: $SMARTSPEC_USER, else the operating-system user name).",
        show_default=False,
    ),
]
ReasonOption = Annotated[
    str | None,
    typer.Option("--reason", help="Why, for the audit log.", show_default=False),
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


def _source_text(source: SourceInfo | None) -> str:
    if source is None:
        return "no source"
    details = [d for d in (source.publisher, source.date) if d]
    if source.date_inferred:
        details.append("date inferred")
    return f"{source.title} ({', '.join(details)})" if details else source.title


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


# ---------------------------------------------------------------------------- followup


@registry_app.command("followup")
def followup_cmd(
    ctx: typer.Context,
    strategy: Annotated[
        str,
        typer.Argument(
            help="A strategy code (e.g. of a joint strategy), or a region code or name "
            "(the region's own strategy).",
            show_default=False,
        ),
    ],
    out: Annotated[
        Path,
        typer.Option("--out", "-o", help="HTML file to write.", dir_okay=False, show_default=False),
    ],
    at: AtOption = None,
    tolerance: Annotated[
        float,
        typer.Option(
            "--tolerance",
            min=0.0,
            help="How far behind the planned path an indicator may be and still be on "
            "track, as a share of the planned change.",
        ),
    ] = 0.10,
    force: ForceOption = False,
    data_dir_: DataDirOption = None,
) -> None:
    """Write a strategy's printable follow-up report (one self-contained HTML page).

    Metadata, current priorities with their sources, revision history, indicator status,
    the latest follow-up and evaluation notes and the self-assessment wheel.
    """
    from smartspec.registry.flat_export import check_target
    from smartspec.registry.monitoring import MonitoringRule, strategy_codes
    from smartspec.reports.followup import write_followup_report

    day = _check_date(at)
    rule = MonitoringRule(tolerance)
    check_target(out, force=force)
    with _open(ctx, data_dir_) as registry:
        regions = _require_content(registry)
        code = strategy.strip()
        if code not in strategy_codes(registry):
            code = _resolve_region(code, regions)
        path = write_followup_report(registry, code, out, at=day, rule=rule, force=force)
    _console(stderr=True).print(
        f"wrote the follow-up report of {_escape(code)} to {_escape(str(path))}"
    )


# ---------------------------------------------------------------------- classification


def _region_heading(registry: Registry, code: str, regions: dict[str, str]) -> str:
    if code in regions:
        return f"{regions[code]} ({code})"
    region = registry.show(code).region
    return f"{region.name} ({region.code})"


def _score(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def _status(view: ClassificationView) -> str:
    if view.reviewed_by is None or view.reviewed_at is None:
        return view.status.value
    when = view.reviewed_at.strftime("%Y-%m-%d")
    return f"{view.status.value} ({view.reviewed_by}, {when})"


def _print_classifications(
    views: Sequence[ClassificationView],
    order: Sequence[tuple[int, str, str]],
    *,
    evidence: bool,
) -> None:
    """Per priority (``order``: id, label, joint strategy or ""), its classifications."""
    by_priority: dict[int, list[ClassificationView]] = {}
    for view in views:
        by_priority.setdefault(view.priority_id, []).append(view)
    for priority_id, label, joint in order:
        mine = by_priority.get(priority_id, [])
        pending = sum(not v.reviewed for v in mine)
        if not mine:
            state = "no classification"
        elif pending:
            state = f"{pending} to review"
        else:
            state = "reviewed"
        marker = f"  [joint: {joint}]" if joint else ""
        typer.echo("")
        typer.echo(_heading(f"[{priority_id}] {label}") + f"{marker} — {state}")
        if not mine:
            continue
        rows = [(v.scheme.value, v.code, _score(v.score), _status(v), v.name) for v in mine]
        lines = _columns(rows)
        for view, line in zip(mine, lines, strict=True):
            typer.echo(f"  {line}")
            if evidence:
                for why in view.evidence:
                    typer.echo(f"      {why}")


def _order(views: Sequence[ClassificationView]) -> list[tuple[int, str, str]]:
    seen: dict[int, tuple[int, str, str]] = {}
    for v in views:
        seen.setdefault(v.priority_id, (v.priority_id, v.label, v.strategy if v.joint else ""))
    return list(seen.values())


@registry_app.command("classify")
def classify_cmd(
    ctx: typer.Context,
    region: Annotated[
        str,
        typer.Argument(help="A region code (SE211) or name (Jönköping).", show_default=False),
    ],
    method: Annotated[
        ClassifyMethod,
        typer.Option(
            "--method",
            help="lexical: curated lexicon + NACE names (no extra packages); names: NACE "
            "names only; semantic, hybrid: need `pip install smartspec[semantic]`.",
            case_sensitive=False,
        ),
    ] = ClassifyMethod.lexical,
    top: Annotated[
        int,
        typer.Option("--top", min=1, help="NACE divisions and themes to keep per priority."),
    ] = 3,
    keep_unreviewed: Annotated[
        bool,
        typer.Option(
            "--keep-unreviewed",
            help="Only add new suggestions; leave the stored unreviewed ones as they are "
            "(default: bring them up to date).",
        ),
    ] = False,
    as_json: JsonOption = False,
    data_dir_: DataDirOption = None,
) -> None:
    """Suggest NACE divisions and themes for a region's current priorities and store them.

    Each priority's Swedish (and English) label is classified; the suggestions are stored
    with their scores and evidence, to be reviewed (`registry review`). Reviewed
    classifications are never changed; running it again with the same labels changes
    nothing. Example: `smartspec registry classify SE211 --top 3`.
    """
    from smartspec.registry.classification import suggest_classifications

    with _open(ctx, data_dir_) as registry:
        regions = _require_content(registry)
        code = _resolve_region(region, regions)
        report = suggest_classifications(
            registry,
            region=code,
            method=method.value,
            top=top,
            overwrite_unreviewed=not keep_unreviewed,
        )
        heading = _region_heading(registry, code, regions)
        shown = registry.show(code)
    if as_json:
        _dump(report.to_dict())
        return
    typer.echo(_heading(f"{heading} — classification of {report.priorities} priorities"))
    typer.echo(f"  method: {report.method}, top {report.top}")
    typer.echo(
        f"  suggestions: {report.added} added, {report.updated} updated, "
        f"{report.removed} removed, {report.unchanged} unchanged; "
        f"{report.reviewed_kept} reviewed kept as they are"
    )
    order = [(p.priority_id, p.label, p.strategy if p.joint else "") for p in shown.priorities]
    listed = {pid for pid, _l, _j in order}
    order += [o for o in _order(report.classifications) if o[0] not in listed]
    _print_classifications(report.classifications, order, evidence=True)
    typer.echo("")
    typer.echo(
        "review with `smartspec registry accept|reject PRIORITY_ID SCHEME CODE` or "
        "`smartspec registry set-codes PRIORITY_ID SCHEME CODE...`"
    )


@registry_app.command("review")
def review_cmd(
    ctx: typer.Context,
    region: Annotated[
        str,
        typer.Argument(help="A region code (SE211) or name (Jönköping).", show_default=False),
    ],
    pending: Annotated[
        bool, typer.Option("--pending", help="Only the suggestions still to be reviewed.")
    ] = False,
    evidence: Annotated[
        bool, typer.Option("--evidence", help="Show why each code was suggested.")
    ] = False,
    as_json: JsonOption = False,
    data_dir_: DataDirOption = None,
) -> None:
    """The classifications of a region's current priorities, with their review status.

    Per priority (with its id): NACE divisions and themes, score, and status — suggested,
    accepted, rejected or added (by whom, when).
    """
    from smartspec.registry.classification import classifications

    with _open(ctx, data_dir_) as registry:
        regions = _require_content(registry)
        code = _resolve_region(region, regions)
        views = classifications(registry, code)
        heading = _region_heading(registry, code, regions)
        shown = registry.show(code)
    if pending:
        views = [v for v in views if not v.reviewed]
    if as_json:
        _dump([v.to_dict() for v in views])
        return
    order = [(p.priority_id, p.label, p.strategy if p.joint else "") for p in shown.priorities]
    listed = {pid for pid, _l, _j in order}
    order += [o for o in _order(views) if o[0] not in listed]
    with_rows = {v.priority_id for v in views}
    to_review = {v.priority_id for v in views if not v.reviewed}
    what = "suggestions to review" if pending else "classifications"
    typer.echo(
        _heading(f"{heading} — {what}: {len(to_review)} of {len(order)} priorities to review")
    )
    if not views:
        typer.echo(
            "nothing to review"
            if pending
            else f"no classifications yet; run `smartspec registry classify {region}`"
        )
        return
    if pending:
        order = [o for o in order if o[0] in with_rows]
    _print_classifications(views, order, evidence=evidence)


def _print_one(view: ClassificationView) -> None:
    typer.echo(
        f"[{view.priority_id}] {view.label}: {view.scheme.value} {view.code} ({view.name}) "
        f"— {_status(view)}"
    )


@registry_app.command("accept")
def accept_cmd(
    ctx: typer.Context,
    priority_id: PriorityIdArgument,
    scheme: SchemeArgument,
    code: Annotated[str, typer.Argument(help="The suggested code.", show_default=False)],
    reviewer: ReviewerOption = None,
    reason: ReasonOption = None,
    data_dir_: DataDirOption = None,
) -> None:
    """Accept a suggested classification of a priority (marks it reviewed).

    Example: `smartspec registry accept 88 nace 10`.
    """
    from smartspec.registry.classification import review

    with _open(ctx, data_dir_) as registry:
        _require_content(registry)
        view = review(
            registry, priority_id, scheme.value, code, accept=True, reviewer=reviewer, reason=reason
        )
    _print_one(view)


@registry_app.command("reject")
def reject_cmd(
    ctx: typer.Context,
    priority_id: PriorityIdArgument,
    scheme: SchemeArgument,
    code: Annotated[str, typer.Argument(help="The suggested code.", show_default=False)],
    reviewer: ReviewerOption = None,
    reason: ReasonOption = None,
    data_dir_: DataDirOption = None,
) -> None:
    """Reject a suggested classification of a priority (marks it reviewed).

    Example: `smartspec registry reject 88 theme forest_bioeconomy`.
    """
    from smartspec.registry.classification import review

    with _open(ctx, data_dir_) as registry:
        _require_content(registry)
        view = review(
            registry,
            priority_id,
            scheme.value,
            code,
            accept=False,
            reviewer=reviewer,
            reason=reason,
        )
    _print_one(view)


@registry_app.command("set-codes")
def set_codes_cmd(
    ctx: typer.Context,
    priority_id: PriorityIdArgument,
    scheme: SchemeArgument,
    codes: Annotated[
        list[str],
        typer.Argument(
            help="The codes the priority has: NACE divisions (10, C10) or theme ids (food).",
            show_default=False,
        ),
    ],
    reviewer: ReviewerOption = None,
    reason: ReasonOption = None,
    data_dir_: DataDirOption = None,
) -> None:
    """Set a priority's NACE divisions or themes: the editor's correction.

    Listed suggestions become accepted, listed codes that were not suggested are added,
    every other code of the scheme is rejected; all are then reviewed. Unknown codes are
    refused (with the closest ones) and nothing is written.
    Example: `smartspec registry set-codes 88 nace 10 11`.
    """
    from smartspec.registry.classification import correct

    with _open(ctx, data_dir_) as registry:
        _require_content(registry)
        views = correct(
            registry, priority_id, scheme.value, codes=codes, reviewer=reviewer, reason=reason
        )
    if views:
        typer.echo(_heading(f"[{views[0].priority_id}] {views[0].label} — {scheme.value}"))
    rows = [(v.code, _score(v.score), _status(v), v.name) for v in views]
    for line in _columns(rows) if rows else []:
        typer.echo(f"  {line}")


# ------------------------------------------------------------------------------- utils
