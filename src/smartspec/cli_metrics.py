"""``smartspec metrics``: specialisation, relatedness and complexity of a long table.

One command, registered on the root app by :mod:`smartspec.cli`. INPUT is resolved by
:func:`smartspec.data.sources.resolve_table` (a file, a bundled dataset or a table in
the evidence store) and the metrics come from :mod:`smartspec.metrics.frame`; both are
imported inside the command, so ``smartspec --help`` imports no pandas. The output
tables are written atomically, the diagnostics and provenance to a JSON sidecar.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from smartspec.cli_common import DataDirOption
from smartspec.cli_common import console as _console
from smartspec.cli_common import escape as _escape
from smartspec.cli_common import format_from_suffix as _format_from_suffix
from smartspec.cli_common import resolve_data_dir as _data_dir
from smartspec.cli_common import write_table_atomic as _write_atomic
from smartspec.errors import InputError

if TYPE_CHECKING:
    from smartspec.data.sources import ResolvedTable


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


# Registered as `smartspec metrics` by smartspec.cli (where the help order is decided).
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
