"""The ``smartspec`` command line (Typer + Rich).

Every command is a thin call into the library; heavy modules (pandas, fastapi, uvicorn)
are imported inside the commands, so ``smartspec --help`` stays fast. Errors that
smartspec raises on purpose (:class:`~smartspec.errors.SmartspecError`) are printed as
one red line without a traceback and exit with status 1; usage errors exit with 2.

The reference, generated from ``--help``, is ``docs/cli.md``
(``python scripts/gen_cli_docs.py > docs/cli.md``).
"""

from __future__ import annotations

import json
import os
import re
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from smartspec._version import __version__
from smartspec.cli_common import DataDirOption, ErrorGroup, ExportFormat
from smartspec.cli_common import console as _console
from smartspec.cli_common import escape as _escape
from smartspec.cli_common import format_from_suffix as _format_from_suffix
from smartspec.cli_common import resolve_data_dir as _data_dir
from smartspec.cli_common import write_table_atomic as _write_atomic
from smartspec.cli_data import data_app
from smartspec.cli_registry import registry_app
from smartspec.config import ENV_DATA_DIR, DataDir
from smartspec.errors import InputError, UnknownCodeError

if TYPE_CHECKING:
    from smartspec.data.sources import ResolvedTable


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
datasets_app = typer.Typer(
    help="Bundled datasets: list them, show their provenance cards, export them.",
    no_args_is_help=True,
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


# -------------------------------------------------------------------------- datasets


@datasets_app.command("list")
def datasets_list(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """List the bundled datasets."""
    from smartspec import datasets

    infos = datasets.list_datasets()
    if as_json:
        rows = [
            {
                "name": i.name,
                "title": i.title,
                "measure": i.measure,
                "unit": i.unit,
                "nuts_version": i.nuts_version,
                "periods": list(i.periods),
            }
            for i in infos
        ]
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2, default=str))
        return
    from rich.table import Table

    table = Table(box=None, header_style="bold", pad_edge=False)
    table.add_column("name", no_wrap=True, style="cyan")
    table.add_column("periods", no_wrap=True)
    table.add_column("NUTS", justify="right", no_wrap=True)
    table.add_column("unit", max_width=14)
    table.add_column("title")
    for i in infos:
        nuts = "" if i.nuts_version is None else str(i.nuts_version)
        cells = (i.name, _periods(list(i.periods)), nuts, i.unit, i.title)
        table.add_row(*(_escape(str(c)) for c in cells))
    _console().print(table)


def _periods(periods: Sequence[Any]) -> str:
    """``[2008, 2009, 2010]`` → ``"2008–2010"``; gaps are shown by the count.

    >>> _periods([2008, 2009, 2010]), _periods([2014]), _periods([2010, 2012, 2016])
    ('2008–2010', '2014', '2010–2016 (3)')
    """
    items = [str(p) for p in periods]
    if len(items) <= 1:
        return "".join(items)
    try:
        contiguous = [int(p) for p in items] == list(range(int(items[0]), int(items[-1]) + 1))
    except ValueError:
        contiguous = False
    return f"{items[0]}–{items[-1]}" + ("" if contiguous else f" ({len(items)})")


@datasets_app.command("show")
def datasets_show(
    name: Annotated[str, typer.Argument(help="Dataset name (see `smartspec datasets list`).")],
    markdown: Annotated[
        bool, typer.Option("--markdown", help="Print the card's Markdown source.")
    ] = False,
) -> None:
    """Show a dataset's provenance card: source, URL, licence, transformations."""
    from smartspec import datasets

    text = datasets.card(name).to_markdown()
    if markdown:
        typer.echo(text)
        return
    from rich.markdown import Markdown

    _console().print(Markdown(text))


@datasets_app.command("export")
def datasets_export(
    name: Annotated[str, typer.Argument(help="Dataset name (see `smartspec datasets list`).")],
    out: Annotated[
        Path,
        typer.Option("--out", "-o", help="File to write.", dir_okay=False, show_default=False),
    ],
    fmt: Annotated[
        ExportFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="File format (default: from the --out suffix).",
            case_sensitive=False,
            show_default=False,
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Export a dataset as a tidy table (CSV or Parquet).

    Columns: region, activity, period, value, flag (those the dataset has). The file is
    written to a temporary file next to it and renamed, so it is never half-written.
    """
    fmt = fmt or _format_from_suffix(out)
    if out.exists() and not force:
        raise InputError(
            f"{out} already exists", hint="use --force to overwrite it, or choose another --out"
        )
    from smartspec import datasets

    frame = datasets.load(name).to_pandas()
    _write_atomic(frame, out, fmt)
    _console(stderr=True).print(
        f"wrote {len(frame):,} rows of [cyan]{_escape(name)}[/] to {_escape(str(out))}"
    )


# --------------------------------------------------------------------------- metrics


class MetricsConvention(StrEnum):
    smartspec = "smartspec"
    growthlab = "growthlab"
    economiccomplexity = "economiccomplexity"
    econgeo = "econgeo"


class MetricsMethod(StrEnum):
    eigenvector = "eigenvector"
    reflections = "reflections"
    fitness = "fitness"


class MissingPolicy(StrEnum):
    raise_ = "raise"
    zero = "zero"
    drop = "drop"


#: Show a progress bar from this many input rows on (and only on a terminal).
_PROGRESS_ROWS = 200_000


@app.command("metrics")
def metrics_cmd(
    ctx: typer.Context,
    source: Annotated[
        str,
        typer.Argument(
            metavar="INPUT",
            help="A long table: a file (CSV, TSV, Excel, Parquet) with columns region, "
            "activity, value and optionally period; the name of a bundled dataset, e.g. "
            "`lfs_employment_nuts2` (see `smartspec datasets list`); or the name of a table "
            "in the evidence store, e.g. `emp`, `emp@2` for its version 2 (see `smartspec "
            "data list`). A name that more than one of these has must be chosen with "
            "`file:`, `dataset:` or `store:`.",
            show_default=False,
        ),
    ],
    out: Annotated[
        Path,
        typer.Option(
            "--out",
            "-o",
            help="Output table (.csv or .parquet): one row per region × activity (× period) "
            "with value, rca, mcp, diversity, ubiquity, eci, pci, density, coi, cog. "
            "Diagnostics and provenance go to the sidecar OUT.json.",
            dir_okay=False,
            show_default=False,
        ),
    ],
    convention: Annotated[
        MetricsConvention,
        typer.Option(
            "--convention",
            "-c",
            help="Preset: smartspec (default), growthlab (py-ecomplexity), "
            "economiccomplexity (R), econgeo (R EconGeo).",
            case_sensitive=False,
        ),
    ] = MetricsConvention.smartspec,
    method: Annotated[
        MetricsMethod,
        typer.Option("--method", "-m", help="How ECI/PCI are computed.", case_sensitive=False),
    ] = MetricsMethod.eigenvector,
    rca_threshold: Annotated[
        float | None,
        typer.Option(
            "--rca-threshold",
            help="Presence threshold on RCA, > 0 (default: the convention's, 1).",
            show_default=False,
        ),
    ] = None,
    proximity_out: Annotated[
        Path | None,
        typer.Option(
            "--proximity",
            help="Also write the proximity matrix (activity_1, activity_2, [period], "
            "proximity) as CSV/Parquet.",
            dir_okay=False,
            show_default=False,
        ),
    ] = None,
    regions_out: Annotated[
        Path | None,
        typer.Option(
            "--region-indices",
            help="Also write one row per region (and period): diversity, eci, coi, hachman, "
            "krugman, herfindahl, entropy, and related/unrelated variety when the "
            "activities are NACE codes with a parent (divisions → sections).",
            dir_okay=False,
            show_default=False,
        ),
    ] = None,
    missing: Annotated[
        MissingPolicy,
        typer.Option(
            "--missing",
            help="Missing values: raise (list them), zero (treat as 0) or drop (treat as absent).",
            case_sensitive=False,
        ),
    ] = MissingPolicy.raise_,
    force: Annotated[bool, typer.Option("--force", help="Overwrite existing files.")] = False,
    data_dir_: DataDirOption = None,
) -> None:
    """Specialisation, relatedness and complexity metrics of a long table.

    Example: `smartspec metrics sbs_employment_nuts2_2014 --out m.csv --missing drop
    --region-indices regions.csv`; a stored table: `smartspec metrics emp@2 --out m.csv`.
    The output files are written atomically; the sidecar OUT.json names the input
    (for a stored table: name, version, content hash).
    """
    if rca_threshold is not None and not rca_threshold > 0:
        raise InputError(f"--rca-threshold must be positive, not {rca_threshold:g}")
    outputs = [out, out.with_name(out.name + ".json")]
    outputs += [p for p in (proximity_out, regions_out) if p is not None]
    try:
        fmts = [_format_from_suffix(p) for p in (out, proximity_out, regions_out) if p]
    except InputError as err:
        raise InputError(err.message, hint="name the files *.csv or *.parquet") from None
    existing = [str(p) for p in outputs if p.exists()]
    if existing and not force:
        raise InputError(
            "would overwrite " + ", ".join(existing),
            hint="use --force to overwrite, or choose another --out",
        )
    from smartspec.metrics import frame as mframe

    found = _table_input(ctx, source, data_dir_)
    data, label = found.table, found.label
    n_rows = len(data)
    console = _console(stderr=True)
    from rich.progress import Progress

    with Progress(
        console=console, transient=True, disable=n_rows < _PROGRESS_ROWS or not console.is_terminal
    ) as bar:
        task = bar.add_task("computing metrics", total=None)

        def tick(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        try:
            result = mframe.compute_metrics(
                data,
                convention.value,
                method=method.value,
                threshold=rca_threshold,
                missing=missing.value,
                progress=tick,
            )
        except InputError as err:
            if "missing value" in err.message:
                raise InputError(
                    err.message,
                    source=label,
                    column=err.column,
                    hint="fill them, or pass --missing zero (treat as 0) or "
                    "--missing drop (treat as absent)",
                ) from None
            raise InputError(err.message, source=label, column=err.column, hint=err.hint) from None
    diag = mframe.diagnostics(result)
    result.attrs = {}  # the diagnostics go to the sidecar (Parquet would try to embed them)
    _write_atomic(result, out, fmts[0])
    k = 1
    if proximity_out is not None:
        prox = mframe.compute_proximity(
            data,
            convention.value,
            threshold=rca_threshold,
            missing=missing.value,
        )
        _write_atomic(prox, proximity_out, fmts[k])
        k += 1
    if regions_out is not None:
        groups = _activity_groups(list(result["activity"].cat.categories))
        result.attrs["diagnostics"] = diag
        regions = mframe.region_indices(result, groups)
        regions.attrs = {}
        _write_atomic(regions, regions_out, fmts[k])
    _write_text_atomic(
        out.with_name(out.name + ".json"), _diagnostics_json(diag, label, found.provenance())
    )
    console.print(
        f"wrote {len(result):,} rows ({len(diag.periods)} period(s), convention "
        f"{_escape(diag.convention.name)}) of {_escape(label)} to {_escape(str(out))}"
    )


def _table_input(ctx: typer.Context, source: str, data_dir_: Path | None) -> ResolvedTable:
    """The region × activity table that INPUT names (a file, a dataset, a stored table)."""
    from smartspec.data.sources import resolve_table

    return resolve_table(source, data_dir=_data_dir(ctx, data_dir_), require_activity=True)


def _activity_groups(codes: Sequence[Any]) -> dict[Any, str] | None:
    """NACE code → parent (division → section) if every code has one, else None."""
    from smartspec.taxonomy import is_nace_code, nace_parent

    groups: dict[Any, str] = {}
    for code in codes:
        parent = nace_parent(str(code)) if is_nace_code(str(code)) else None
        if parent is None:
            return None
        groups[code] = parent
    if len(set(groups.values())) in (0, len(groups)):
        return None  # no group holds two activities: nothing is related
    return groups


def _diagnostics_json(diag: Any, source: str, origin: dict[str, Any] | None = None) -> str:
    import dataclasses

    def plain(obj: Any) -> Any:
        if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
            return {f.name: plain(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
        if isinstance(obj, dict):
            return {str(k): plain(v) for k, v in obj.items()}
        if isinstance(obj, (list, tuple)):
            return [plain(v) for v in obj]
        if hasattr(obj, "item"):  # numpy scalars
            return obj.item()
        if obj is None or isinstance(obj, (str, int, float, bool)):
            return obj
        return str(obj)

    periods = []
    for p in diag.periods:
        row = {
            f.name: plain(getattr(p, f.name))
            for f in dataclasses.fields(p)
            if f.name not in ("rank_stability", "dropped")
        }
        row["stability"] = {f"{t:g}": list(v) for t, v in p.stability.items()}
        row["dropped"] = [plain(d) for d in p.dropped]
        periods.append(row)
    provenance = plain(diag.provenance)
    if origin is not None:
        provenance["input"] = plain(origin)
    doc = {
        "source": source,
        "provenance": provenance,
        "method": diag.method,
        "missing_cells": diag.missing_cells,
        "missing_policy": diag.missing_policy,
        "notes": list(diag.notes),
        "periods": periods,
    }
    return json.dumps(doc, ensure_ascii=False, indent=2, allow_nan=True) + "\n"


def _write_text_atomic(out: Path, text: str) -> None:
    folder = out.parent if str(out.parent) else Path(".")
    fd, tmp_name = tempfile.mkstemp(dir=folder, prefix=f".{out.name}.", suffix=".tmp")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, out)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


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
