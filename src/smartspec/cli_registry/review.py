"""``smartspec registry classify|review|accept|reject|set-codes``: classifying priorities.

``classify`` stores suggested NACE divisions and themes for a region's current
priorities, ``review`` lists them with their review status, and ``accept``, ``reject``
and ``set-codes`` record the editor's decisions. The work is done by
:mod:`smartspec.registry.classification` (imported inside the commands).
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from smartspec.cli_common import DataDirOption, JsonOption
from smartspec.cli_registry._app import (
    _columns,
    _dump,
    _heading,
    _open,
    _require_content,
    _resolve_region,
    registry_app,
)

if TYPE_CHECKING:
    from smartspec.registry import ClassificationView, Registry


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
