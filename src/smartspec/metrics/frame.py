"""The DataFrame layer: long tables in, long tables out, with diagnostics.

:func:`compute_metrics` factorises the region, activity and period labels once
(``pandas.factorize``, or cheaper exact fast paths for the usual layouts of long
tables, see :func:`smartspec.metrics._factorise._factorize`), scatters the values into
a dense period × region × activity array, runs
:func:`smartspec.metrics.engine.matrix_metrics` on each period and writes the results
straight into preallocated output columns — no string joins, no ``pivot_table``. pandas
is imported when a function is called, not when the module is imported.

The result is a :class:`pandas.DataFrame` whose ``attrs["diagnostics"]`` holds a
:class:`Diagnostics` (see :func:`diagnostics`). Reading the input into the dense panel
is :mod:`smartspec.metrics._factorise`; the diagnostics and provenance are
:mod:`smartspec.metrics.frame_diagnostics` (their names are importable from here too).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from smartspec.errors import InputError
from smartspec.metrics._factorise import (
    Missing,
    _factorise,
    _frame_of,
    _population_vector,
    _proximity_array,
)
from smartspec.metrics._factorise import _factorize as _factorize  # re-export (tests)
from smartspec.metrics.conventions import Convention, get_convention
from smartspec.metrics.engine import Kind, Method, Presence, matrix_metrics
from smartspec.metrics.frame_diagnostics import (
    Diagnostics,
    Dropped,
    PeriodDiagnostics,
    Provenance,
    _input_hash,
    _LazyStability,
    diagnostics,
)

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

FloatArray = npt.NDArray[np.float64]

__all__ = [
    "Diagnostics",
    "Dropped",
    "PeriodDiagnostics",
    "Provenance",
    "compute_metrics",
    "compute_proximity",
    "diagnostics",
    "region_indices",
]


def _code_dtype(n: int) -> type[np.signedinteger[Any]]:
    """The smallest signed integer type that holds codes 0..n-1 (for Categorical)."""
    if n <= np.iinfo(np.int8).max:
        return np.int8
    if n <= np.iinfo(np.int16).max:
        return np.int16
    return np.int32


# --------------------------------------------------------------------------------------


def compute_metrics(
    data: Any,
    convention: str | Convention | None = None,
    *,
    method: Method = "eigenvector",
    threshold: float | None = None,
    presence: Presence = "rca",
    population: Any = None,
    proximity: Kind = "min",
    proximity_matrix: Any = None,
    missing: Missing = "raise",
    steps: int | None = None,
    iterations: int | None = None,
    stability_thresholds: Sequence[float] | None = None,
    columns: Mapping[str, str] | None = None,
    progress: Any = None,
) -> pd.DataFrame:
    """Specialisation, complexity and relatedness metrics of a long activity table.

    Parameters
    ----------
    data : pandas.DataFrame or object with a ``.frame`` DataFrame
        Columns ``region``, ``activity``, ``value`` and optionally ``period`` (rename
        with ``columns``). One row per (region, activity, period); absent rows count as
        0. Values must be non-negative. Any usual dtype will do (text as ``object``,
        ``str``, pandas or Arrow strings including ``string_view``, categoricals or Arrow
        dictionaries; NumPy, nullable or Arrow numbers): the output is the same, with
        labels in the dtype pandas infers for text and whole-number periods as int64
        (see :mod:`smartspec.table.dtypes`).
    convention : str or Convention, optional
        ``None`` (smartspec's default), ``"growthlab"`` (py-ecomplexity 0.5.3),
        ``"economiccomplexity"`` (R economiccomplexity 2.0.0), ``"econgeo"`` (R EconGeo
        2.1) or a :class:`~smartspec.metrics.conventions.Convention`.
    method : {"eigenvector", "reflections", "fitness"}
        ECI/PCI by the eigenvector (Hidalgo & Hausmann 2009), the method of reflections
        (``steps`` steps) or fitness–complexity (Tacchella et al. 2012; the output then
        has ``fitness`` and ``product_complexity`` instead of ``eci`` and ``pci``).
    threshold : float, optional
        Presence threshold on RCA (RPOP); default the convention's (1).
    presence : {"rca", "rpop"}
        Presence test; ``"rpop"`` needs ``population``.
    population : DataFrame, Series or mapping, optional
        Region population: a DataFrame with ``region``, ``population`` (and optionally
        ``period``), or a Series / mapping region → population.
    proximity : {"min", "asymmetric", "continuous"}
        Proximity form (Hidalgo et al. 2007 minimum conditional probability; the
        asymmetric conditional probability; the correlation of RCA).
    proximity_matrix : DataFrame or array, optional
        A proximity computed elsewhere (e.g. by :func:`compute_proximity` on other
        regions): long (``activity_1, activity_2, proximity``) or square. Used for
        density, COI and COG instead of the data's own.
    missing : {"raise", "zero", "drop"}
        NaN values: an :class:`~smartspec.errors.InputError` listing them (default),
        0 (py-ecomplexity's behaviour), or dropped rows (absent).
    steps, iterations : int, optional
        For ``method="reflections"`` / ``"fitness"`` (default: the convention's
        ``reflection_steps`` / ``fitness_iterations``).
    stability_thresholds : sequence of float, optional
        Thresholds for the rank-stability diagnostic (default 0.8× and 1.25× the
        threshold; ``()`` skips it).
    columns : mapping, optional
        Your column names, e.g. ``{"region": "geo", "activity": "nace", "period":
        "year", "value": "emp"}``.
    progress : callable, optional
        Called as ``progress(done, total)`` after each period (e.g. a progress bar).

    Returns
    -------
    pandas.DataFrame
        One row per region × activity of each period (every region and activity that
        has a row in that period), sorted by period, region, activity, with columns
        ``region, activity, [period], value, rca, [rpop], mcp, diversity, ubiquity,
        eci, pci, density, coi, cog`` (``fitness, product_complexity`` for
        ``method="fitness"``); output columns keep your column names. ``attrs
        ["diagnostics"]`` holds a :class:`Diagnostics`.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({
    ...     "region": ["a", "a", "b", "b", "c"],
    ...     "activity": ["x", "y", "x", "z", "z"],
    ...     "value": [5.0, 1.0, 2.0, 2.0, 3.0]})
    >>> out = compute_metrics(df, stability_thresholds=())
    >>> out[["region", "activity", "mcp"]].head(3).values.tolist()
    [['a', 'x', 1], ['a', 'y', 1], ['a', 'z', 0]]
    >>> diagnostics(out).convention.name
    'smartspec'
    """
    import pandas as pd

    from smartspec._version import __version__

    conv = get_convention(convention)
    thr = float(conv.threshold if threshold is None else threshold)
    cols = {"region": "region", "activity": "activity", "period": "period", "value": "value"}
    if columns:
        unknown = set(columns) - set(cols)
        if unknown:
            raise InputError(f"columns: unknown key(s) {sorted(unknown)}; use {sorted(cols)}")
        cols.update(columns)
    frame = _frame_of(data)
    source = type(data).__name__ if not isinstance(data, pd.DataFrame) else "DataFrame"
    panel = _factorise(frame, cols, missing, source)
    if presence == "rpop" and population is None:
        raise InputError("presence='rpop' needs population=")

    n_t, n_r, n_a = panel.X.shape
    nr_t = panel.region_present.sum(axis=1)
    na_t = panel.activity_present.sum(axis=1)
    sizes = nr_t * na_t
    n_out = int(sizes.sum())
    offsets = np.concatenate([[0], np.cumsum(sizes)])

    mat_names = ["value", "rca", "density", "cog"] + (["rpop"] if presence == "rpop" else [])
    vec_r = ["eci", "coi"]
    vec_a = ["pci"]
    out: dict[str, FloatArray] = {k: np.empty(n_out) for k in [*mat_names, *vec_r, *vec_a]}
    mcp_out = np.empty(n_out, dtype=np.int8)
    div_out = np.empty(n_out, dtype=np.int32)
    ubi_out = np.empty(n_out, dtype=np.int32)
    rcode = np.empty(n_out, dtype=_code_dtype(n_r))
    acode = np.empty(n_out, dtype=_code_dtype(n_a))
    # numeric periods are written as values (below), other labels as codes
    numeric_periods = panel.periods is not None and panel.periods.dtype.kind in "iuf"
    pcode = None if numeric_periods else np.empty(n_out, dtype=_code_dtype(n_t))

    from smartspec.metrics.engine import default_stability_thresholds

    alts = (
        default_stability_thresholds(thr) if stability_thresholds is None else stability_thresholds
    )
    lazy = _LazyStability(panel, conv, presence, alts)
    period_diags: list[PeriodDiagnostics] = []
    for t in range(n_t):
        rows = np.flatnonzero(panel.region_present[t])
        cidx = np.flatnonzero(panel.activity_present[t])
        full = rows.size == n_r and cidx.size == n_a
        Xt = panel.X[t] if full else panel.X[t][np.ix_(rows, cidx)]
        pop = None
        if presence == "rpop":
            pop = _population_vector(population, panel, t, rows, cols)
        prox = None
        if proximity_matrix is not None:
            prox = _proximity_array(proximity_matrix, panel, cidx)
        m = matrix_metrics(
            Xt,
            conv,
            threshold=thr,
            presence=presence,
            population=pop,
            proximity_kind=proximity,
            proximity_matrix=prox,
            method=method,
            steps=steps,
            iterations=iterations,
            stability_thresholds=(),
        )
        sl = slice(int(offsets[t]), int(offsets[t + 1]))
        k_r, k_a = rows.size, cidx.size
        out["value"][sl] = Xt.ravel()
        out["rca"][sl] = m.rca.ravel()
        # M is 0/1: a comparison written as bool into the int8 column (no float cast)
        np.not_equal(m.mcp.ravel(), 0.0, out=mcp_out[sl].view(np.bool_))
        out["density"][sl] = m.density.ravel()
        out["cog"][sl] = m.cog.ravel()
        if m.rpop is not None:
            out["rpop"][sl] = m.rpop.ravel()
        # broadcast per-region / per-activity vectors, cast first (a casting broadcast
        # is several times slower than a plain one)
        for arr, vec in (
            (div_out, m.diversity),
            (out["eci"], m.eci),
            (out["coi"], m.coi),
            (rcode, rows),
        ):
            arr[sl].reshape(k_r, k_a)[:] = vec.astype(arr.dtype, copy=False)[:, None]
        for arr, vec in ((ubi_out, m.ubiquity), (out["pci"], m.pci), (acode, cidx)):
            arr[sl].reshape(k_r, k_a)[:] = vec.astype(arr.dtype, copy=False)[None, :]
        if pcode is not None:
            pcode[sl] = t

        plabel = None if panel.periods is None else panel.periods[t]
        dropped = tuple(
            Dropped("region", panel.regions[rows[i]], plabel, why) for i, why in m.dropped_regions
        ) + tuple(
            Dropped("activity", panel.activities[cidx[j]], plabel, why)
            for j, why in m.dropped_activities
        )
        c = m.complexity
        lazy.add(plabel, t, pop, c)
        period_diags.append(
            PeriodDiagnostics(
                period=plabel,
                n_regions=int(k_r),
                n_activities=int(k_a),
                sign=c.sign,
                sign_source=c.sign_source,
                sign_correlation=c.sign_correlation,
                eigenvalues=c.eigenvalues,
                eigen_gap=c.eigen_gap,
                dropped=dropped,
                fitness_converged=None if m.fitness is None else m.fitness.converged,
                degenerate=len(c.eigenvalues) >= 2 and c.eigenvalues[1] >= 1.0 - 1e-9,
                rank_stability=lazy,
            )
        )
        if progress is not None:
            progress(t + 1, n_t)

    names = {k: cols.get(k, k) for k in ("region", "activity", "period", "value")}
    data_out: dict[str, Any] = {
        # the codes are in range by construction: skip pandas' validation pass
        names["region"]: pd.Categorical.from_codes(rcode, categories=panel.regions, validate=False),
        names["activity"]: pd.Categorical.from_codes(
            acode, categories=panel.activities, validate=False
        ),
    }
    if panel.periods is not None:
        if pcode is None:
            pvals = panel.periods.to_numpy()
            pout = np.empty(n_out, dtype=pvals.dtype)
            for t in range(n_t):
                pout[int(offsets[t]) : int(offsets[t + 1])] = pvals[t]
            data_out[names["period"]] = pout
        else:
            data_out[names["period"]] = panel.periods.take(pcode).array
    data_out[names["value"]] = out["value"]
    data_out["rca"] = out["rca"]
    if presence == "rpop":
        data_out["rpop"] = out["rpop"]
    data_out["mcp"] = mcp_out
    data_out["diversity"] = div_out
    data_out["ubiquity"] = ubi_out
    if method == "fitness":
        data_out["fitness"] = out["eci"]
        data_out["product_complexity"] = out["pci"]
    else:
        data_out["eci"] = out["eci"]
        data_out["pci"] = out["pci"]
    data_out["density"] = out["density"]
    data_out["coi"] = out["coi"]
    data_out["cog"] = out["cog"]
    result = pd.DataFrame(data_out, copy=False)

    params: dict[str, Any] = {
        "method": method,
        "threshold": thr,
        "presence": presence,
        "proximity": proximity,
        "proximity_matrix": proximity_matrix is not None,
        "population": population is not None,
        "missing": missing,
        "steps": steps,
        "iterations": iterations,
        "stability_thresholds": None
        if stability_thresholds is None
        else [float(x) for x in stability_thresholds],
        "columns": dict(cols),
    }
    notes: list[str] = []
    if conv.sign_rule == "diversity" and any(p.sign_source == "undefined" for p in period_diags):
        notes.append("the sign rule was undefined in some period: ECI/PCI are NaN there")
    degenerate = [str(p.period) for p in period_diags if p.degenerate]
    if degenerate:
        notes.append(
            "the region–activity network is disconnected (second eigenvalue = 1) in period(s) "
            + ", ".join(degenerate)
            + ": ECI/PCI are not unique there"
        )
    diag = Diagnostics(
        convention=conv,
        method=method,
        periods=tuple(period_diags),
        provenance=Provenance(
            smartspec_version=__version__,
            convention=conv.as_dict(),
            parameters=params,
            input_hash=_input_hash(panel),
        ),
        missing_cells=panel.missing_cells,
        missing_policy=missing,
        notes=tuple(notes),
    )
    result.attrs["diagnostics"] = diag
    return result


def compute_proximity(
    data: Any,
    convention: str | Convention | None = None,
    *,
    threshold: float | None = None,
    proximity: Kind = "min",
    presence: Presence = "rca",
    population: Any = None,
    missing: Missing = "raise",
    columns: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Proximity between activities of each period, as a long table.

    Returns columns ``[period], activity_1, activity_2, proximity`` (every ordered pair,
    including the diagonal) — the input of ``compute_metrics(...,
    proximity_matrix=...)``, so that proximity from one set of regions can be applied
    to another. Formulas: :func:`smartspec.metrics.relatedness.proximity`.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"region": ["a", "a", "b"], "activity": ["x", "y", "y"],
    ...                    "value": [1.0, 1.0, 3.0]})
    >>> compute_proximity(df)["proximity"].tolist()
    [1.0, 0.0, 0.0, 1.0]
    """
    import pandas as pd

    conv = get_convention(convention)
    thr = float(conv.threshold if threshold is None else threshold)
    cols = {"region": "region", "activity": "activity", "period": "period", "value": "value"}
    if columns:
        cols.update(columns)
    frame = _frame_of(data)
    panel = _factorise(frame, cols, missing, "DataFrame")
    parts = []
    for t in range(panel.X.shape[0]):
        rows = np.flatnonzero(panel.region_present[t])
        cidx = np.flatnonzero(panel.activity_present[t])
        Xt = panel.X[t][np.ix_(rows, cidx)]
        pop = _population_vector(population, panel, t, rows, cols) if presence == "rpop" else None
        m = matrix_metrics(
            Xt,
            conv,
            threshold=thr,
            presence=presence,
            population=pop,
            proximity_kind=proximity,
            stability_thresholds=(),
        )
        k = cidx.size
        part: dict[str, Any] = {}
        if panel.periods is not None:
            part[cols["period"]] = panel.periods.take(np.full(k * k, t)).array
        part["activity_1"] = panel.activities.take(np.repeat(cidx, k)).array
        part["activity_2"] = panel.activities.take(np.tile(cidx, k)).array
        part["proximity"] = m.proximity.ravel()
        parts.append(pd.DataFrame(part))
    return pd.concat(parts, ignore_index=True)


def region_indices(
    result: pd.DataFrame,
    groups: Mapping[Any, Any] | None = None,
) -> pd.DataFrame:
    r"""One row per region (and period) of a :func:`compute_metrics` result.

    Columns: ``region, [period], diversity, eci`` (``fitness`` for
    ``method="fitness"``), ``coi`` from the result, and the specialisation indices of
    the region's values — :func:`~smartspec.metrics.specialisation.hachman`,
    :func:`~smartspec.metrics.specialisation.krugman`,
    :func:`~smartspec.metrics.specialisation.herfindahl` and
    :func:`~smartspec.metrics.specialisation.shannon_entropy` (bits); with ``groups``
    (activity → coarser group, e.g. NACE division → section) also
    :func:`~smartspec.metrics.variety.related_variety` and
    :func:`~smartspec.metrics.variety.unrelated_variety` (Frenken et al. 2007).

    Hachman, F. (1994); Krugman, P. (1991). *Geography and Trade*; Herfindahl, O. C.
    (1950); Shannon, C. E. (1948); Frenken, K., Van Oort, F., & Verburg, T. (2007).
    Related variety, unrelated variety and regional economic growth. *Regional
    Studies*, 41(5), 685–697.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"region": ["a", "a", "b", "b"], "activity": ["x", "y"] * 2,
    ...                    "value": [3.0, 1.0, 1.0, 3.0]})
    >>> out = region_indices(compute_metrics(df, stability_thresholds=()))
    >>> out[["region", "krugman", "herfindahl"]].values.tolist()
    [['a', 0.5, 0.625], ['b', 0.5, 0.625]]
    """
    import pandas as pd

    from smartspec.metrics.specialisation import hachman, herfindahl, krugman, shannon_entropy
    from smartspec.metrics.variety import related_variety, unrelated_variety

    diag = diagnostics(result)
    cols = diag.provenance.parameters.get("columns", {})
    rname = cols.get("region", "region")
    aname = cols.get("activity", "activity")
    pname = cols.get("period", "period")
    vname = cols.get("value", "value")
    cx = "fitness" if "fitness" in result.columns else "eci"
    has_period = pname in result.columns
    values = result[vname].to_numpy(dtype=np.float64)
    parts: list[pd.DataFrame] = []
    start = 0
    for p in diag.periods:
        k_r, k_a = p.n_regions, p.n_activities
        stop = start + k_r * k_a
        block = result.iloc[start:stop:k_a]  # first row of each region
        X = values[start:stop].reshape(k_r, k_a)
        part: dict[str, Any] = {rname: block[rname].to_numpy()}
        if has_period:
            part[pname] = block[pname].to_numpy()
        part["diversity"] = block["diversity"].to_numpy()
        part[cx] = block[cx].to_numpy()
        part["coi"] = block["coi"].to_numpy()
        with np.errstate(divide="ignore", invalid="ignore"):
            part["hachman"] = hachman(X)
            part["krugman"] = krugman(X)
            part["herfindahl"] = herfindahl(X)
            part["entropy"] = shannon_entropy(X)
            if groups is not None:
                acts = result[aname].iloc[start : start + k_a].to_numpy()
                labels = np.array([str(groups.get(a, a)) for a in acts], dtype=object)
                part["related_variety"] = related_variety(X, labels)
                part["unrelated_variety"] = unrelated_variety(X, labels)
        parts.append(pd.DataFrame(part))
        start = stop
    out = pd.concat(parts, ignore_index=True)
    if isinstance(result[rname].dtype, pd.CategoricalDtype):
        out[rname] = pd.Categorical(out[rname], categories=result[rname].cat.categories)
    return out
