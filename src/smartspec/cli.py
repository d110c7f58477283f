"""The ``smartspec`` command line (Typer + Rich).

Every command is a thin call into the library; heavy modules (pandas, fastapi, uvicorn)
are imported inside the commands, so ``smartspec --help`` stays fast. Errors that
smartspec raises on purpose (:class:`~smartspec.errors.SmartspecError`) are printed as
one red line without a traceback and exit with status 1; usage errors exit with 2.

This module is the root app and its small commands (``regions``, ``classify``,
``setup``, ``serve``). It registers ``metrics`` (:mod:`smartspec.cli_metrics`) and
mounts the sub-apps ``datasets`` (:mod:`smartspec.cli_datasets`), ``registry``
(:mod:`smartspec.cli_registry`) and ``data`` (:mod:`smartspec.cli_data`); the order of
registration is the order of ``smartspec --help``.

The reference, generated from ``--help``, is ``docs/cli.md``
(``python scripts/gen_cli_docs.py > docs/cli.md``).
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import typer

from smartspec._version import __version__
from smartspec.cli_common import DataDirOption, ErrorGroup
from smartspec.cli_common import ExportFormat as ExportFormat
from smartspec.cli_common import console as _console
from smartspec.cli_common import escape as _escape
from smartspec.cli_common import resolve_data_dir as _data_dir
from smartspec.cli_common import write_table_atomic as _write_atomic  # noqa: F401 (re-export)
from smartspec.cli_data import data_app
from smartspec.cli_datasets import datasets_app
from smartspec.cli_metrics import metrics_cmd
from smartspec.cli_registry import registry_app
from smartspec.config import ENV_DATA_DIR, DataDir
from smartspec.errors import UnknownCodeError

app = typer.Typer(
    cls=ErrorGroup,
    name="smartspec",
    help="smartspec — the Smart Specialisation (S3) workbench: regions, datasets, web app.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="markdown",
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(datasets_app, name="datasets")
app.add_typer(registry_app, name="registry")
app.add_typer(data_app, name="data")


@dataclass
class _State:
    data_dir: Path | None = None


def _version_callback(value: bool) -> None:
    if value:
        typer.echo(f"smartspec {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    ctx: typer.Context,
    data_dir_: DataDirOption = None,
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            "-V",
            help="Print the version and exit.",
            callback=_version_callback,
            is_eager=True,
        ),
    ] = False,
) -> None:
    """smartspec — the Smart Specialisation (S3) workbench: regions, datasets, web app."""
    ctx.obj = _State(data_dir=data_dir_)


# --------------------------------------------------------------------------- regions

_CODE_LIKE = re.compile(r"^[A-Za-z]{2}[0-9A-Za-z]{0,3}$")


@app.command("regions")
def regions_cmd(
    query: Annotated[
        str | None,
        typer.Argument(
            help="A region name (any case, with or without diacritics) or a NUTS code. "
            "Without it, lists the regions (filter with --country and --level).",
            show_default=False,
        ),
    ] = None,
    country: Annotated[
        str | None, typer.Option("--country", "-c", help="Only this country (e.g. SE).")
    ] = None,
    version: Annotated[
        int | None,
        typer.Option(
            "--version",
            help="NUTS version: 2010, 2013, 2016, 2021 or 2024. "
            "Search default: every version; listing default: 2024.",
            show_default=False,
        ),
    ] = None,
    level: Annotated[
        int | None,
        typer.Option("--level", "-l", min=0, max=3, help="Only this NUTS level (0 = country)."),
    ] = None,
    limit: Annotated[
        int | None,
        typer.Option("--limit", "-n", min=1, help="At most this many regions (search: 10)."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """Find regions by name or NUTS code, e.g. `smartspec regions jonkoping`."""
    from smartspec import geo

    rows: list[dict[str, Any]]
    if query is None:
        found = geo.regions(version if version is not None else 2024, level=level, country=country)
        rows = [_region_row(r) for r in found[:limit]]
    else:
        matches = geo.search(
            query, country=country, version=version, level=level, limit=limit or 10
        )
        exact = [m for m in matches if m.score >= 100]
        if not matches:
            raise UnknownCodeError(
                "region",
                query,
                context="(no code or name matches it; check the spelling, "
                "or leave out --country/--level/--version)",
            )
        if _looks_like_code(query) and not exact:
            raise UnknownCodeError("region", query, [m.region.label for m in matches[:5]])
        rows = [_region_row(m.region, m.score) for m in matches]

    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    from rich.table import Table

    table = Table(box=None, header_style="bold", pad_edge=False)
    for name, justify in (("code", "left"), ("name", "left"), ("level", "right")):
        table.add_column(name, justify=justify, no_wrap=name == "code")  # type: ignore[arg-type]
    table.add_column("country")
    table.add_column("version", justify="right")
    if query is not None:
        table.add_column("score", justify="right")
    for row in rows:
        cells = [row["code"], row["name"], str(row["level"]), row["country"], str(row["version"])]
        if query is not None:
            cells.append(f"{row['score']:.0f}")
        table.add_row(*(_escape(c) for c in cells))
    _console().print(table)


@app.command("classify")
def classify_cmd(
    text: Annotated[
        str,
        typer.Argument(
            help='A priority text in Swedish or English, e.g. "Livsmedel och livsmedelsförädling".',
            show_default=False,
        ),
    ],
    top: Annotated[
        int, typer.Option("--top", "-n", min=1, max=20, help="At most this many per list.")
    ] = 5,
    method: Annotated[
        str,
        typer.Option(
            "--method",
            "-m",
            help="lexical (default), names (NACE names only), semantic or hybrid "
            "(these two need `pip install smartspec[semantic]`).",
        ),
    ] = "lexical",
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")] = False,
) -> None:
    """Suggest NACE Rev. 2 divisions and cross-cutting themes for a priority text."""
    from smartspec.taxonomy import classify

    methods = ("lexical", "names", "semantic", "hybrid")
    if method not in methods:
        raise typer.BadParameter(
            f"{method!r}; choose one of {', '.join(methods)}", param_hint="--method"
        )
    result = classify(text, top=top, method=method)  # type: ignore[arg-type]
    lists = {"nace": result.nace, "themes": result.themes}
    if as_json:
        payload = {
            "text": result.text,
            "method": result.method,
            "lang": result.lang,
            **{
                key: [
                    {
                        "code": s.code,
                        "name": s.name,
                        "score": round(s.score, 4),
                        "evidence": list(s.evidence),
                    }
                    for s in items
                ]
                for key, items in lists.items()
            },
        }
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    from rich.table import Table

    console = _console()
    for key, title in (("nace", "NACE Rev. 2 divisions"), ("themes", "Themes")):
        table = Table(title=title, title_justify="left", box=None, header_style="bold")
        table.add_column("code", no_wrap=True)
        table.add_column("name")
        table.add_column("score", justify="right")
        table.add_column("why")
        for s in lists[key]:
            table.add_row(
                _escape(s.code), _escape(s.name), f"{s.score:.2f}", _escape("; ".join(s.evidence))
            )
        if not lists[key]:
            table.add_row("—", "no suggestion above the minimum score", "", "")
        console.print(table)


def _looks_like_code(text: str) -> bool:
    text = text.strip()
    return bool(_CODE_LIKE.match(text)) and any(ch.isdigit() for ch in text)


def _region_row(region: Any, score: float | None = None) -> dict[str, Any]:
    row = {
        "code": region.code,
        "name": region.name,
        "level": region.level,
        "country": region.country,
        "version": region.version,
    }
    if score is not None:
        row["score"] = round(float(score), 1)
    return row


# --------------------------------------------------------------------------- metrics

# Registered here, between `classify` and `setup`: the order of `smartspec --help`.
app.command("metrics")(metrics_cmd)


# ----------------------------------------------------------------------- setup, serve

#: The steps of ``smartspec setup``, in order: (what it prepares, function of the data
#: directory returning a one-line report). Later steps (loading the strategy registry,
#: the evidence store) append themselves here.
SetupStep = tuple[str, Callable[[DataDir], str]]


def _step_directory(directory: DataDir) -> str:
    directory.ensure()
    directory.cache.mkdir(exist_ok=True)
    return str(directory.path)


def _step_vega_bundle(directory: DataDir) -> str:
    from smartspec.web.bundle import bundle_path, vega_bundle

    size = len(vega_bundle(directory.cache))
    return f"{bundle_path(directory.cache).name} ({size / 1e6:.1f} MB)"


def _step_registry(directory: DataDir) -> str:
    from smartspec.registry import load_bundled, open_registry

    registry = open_registry(directory.registry_url)
    report = load_bundled(registry)
    regions = len(registry.regions())
    url = registry.engine.url
    where = (
        Path(url.database or "").name
        if url.drivername.startswith("sqlite")
        else (url.render_as_string(hide_password=True))
    )
    if report.changed_anything:
        return (
            f"{where}: loaded the Swedish S3 map "
            f"({report.revisions_added} revisions, {regions} regions)"
        )
    return f"{where}: up to date ({regions} regions)"


SETUP_STEPS: list[SetupStep] = [
    ("data directory", _step_directory),
    ("strategy registry", _step_registry),
    ("web map bundle (Vega)", _step_vega_bundle),
]


@app.command("setup")
def setup_cmd(ctx: typer.Context, data_dir_: DataDirOption = None) -> None:
    """Create the data directory and prepare what the web app needs."""
    directory = _data_dir(ctx, data_dir_)
    console = _console()
    for label, step in SETUP_STEPS:
        with console.status(f"{label}…"):
            report = step(directory)
        console.print(f"[green]✓[/] {label}: {_escape(report)}")
    console.print(f"smartspec is set up in [bold]{_escape(str(directory.path))}[/]")


@app.command("serve")
def serve_cmd(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="TCP port.")] = 8000,
    data_dir_: DataDirOption = None,
    reload: Annotated[bool, typer.Option(help="Restart on code changes (development).")] = False,
) -> None:
    """Serve the web app (maps, region pages, JSON API) with uvicorn."""
    import uvicorn

    directory = _data_dir(ctx, data_dir_).ensure()
    _console(stderr=True).print(
        f"smartspec {__version__} on [bold]http://{host}:{port}/[/] "
        f"(data: {_escape(str(directory.path))}; Ctrl+C stops)"
    )
    if reload:
        os.environ[ENV_DATA_DIR] = str(directory.path)
        uvicorn.run("smartspec.web:create_app", factory=True, host=host, port=port, reload=True)
        return
    from smartspec.web import create_app

    uvicorn.run(create_app(directory.path), host=host, port=port)


# ------------------------------------------------------------------------------ utils


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point of the ``smartspec`` script and of ``python -m smartspec``."""
    app(args=list(argv) if argv is not None else None, prog_name="smartspec")


if __name__ == "__main__":  # pragma: no cover
    main(sys.argv[1:])
