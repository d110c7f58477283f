"""``smartspec registry followup``: a strategy's printable follow-up report.

One self-contained HTML page, written by
:func:`smartspec.reports.followup.write_followup_report` (imported inside the command).
The strategy is named by its code, or by a region (code or name) for the region's own.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from smartspec.cli_common import DataDirOption, ForceOption
from smartspec.cli_common import console as _console
from smartspec.cli_common import escape as _escape
from smartspec.cli_registry._app import (
    AtOption,
    _check_date,
    _open,
    _require_content,
    _resolve_region,
    registry_app,
)


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
