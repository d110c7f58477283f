r"""Entry backtest: does relatedness density predict new specialisations in *your* data?

The *principle of relatedness* (Hidalgo et al. 2018) says that regions are more likely
to enter activities related to what they already do. Before relatedness density is
used to rank a region's opportunities, :func:`entry_backtest` checks the claim on the
user's own panel: over the risk set (cells with :math:`M_{cp,t} = 0`) it measures how
well density at *t* separates the cells that entered by *t + k* from those that did
not —

* **ROC AUC** of density (Mann–Whitney rank formula, ties counted one half; 0.5 is
  chance, 1 is perfect separation), with its Hanley–McNeil standard error and a test
  against 0.5;
* a **linear probability model** of entry on density (OLS, heteroskedasticity-robust
  HC1 standard errors), as in Neffke, Henning & Boschma (2011) and Balland et al.
  (2019);
* a **logit** fitted by iteratively reweighted least squares (Newton–Raphson), with
  model-based standard errors and McFadden's pseudo-:math:`R^2`;

optionally with controls (log region size, log activity size, ubiquity, diversity,
RCA at *t*), period effects and standard errors clustered by region. The estimators
(:func:`roc_auc` in :mod:`smartspec.metrics.roc`; :func:`fit_lpm`, :func:`fit_logit` in
:mod:`smartspec.metrics.regression`) are public, take plain arrays and can be imported
from here too. NumPy only (no statsmodels, no scipy).

>>> round(roc_auc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]), 3)
0.75
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import numpy.typing as npt

from smartspec.errors import InputError
from smartspec.metrics._panel import Missing, _load_panel
from smartspec.metrics.conventions import Convention, get_convention
from smartspec.metrics.entry_exit import _transitions_of
from smartspec.metrics.regression import RegressionFit, _p_two_sided, fit_logit, fit_lpm
from smartspec.metrics.relatedness import density, proximity
from smartspec.metrics.roc import _auc_stats, roc_auc

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

FloatArray = npt.NDArray[np.float64]
ProximityKind = Literal["min", "asymmetric"]

__all__ = [
    "CONTROLS",
    "BacktestResult",
    "DensityBin",
    "PairStats",
    "RegressionFit",
    "entry_backtest",
    "fit_logit",
    "fit_lpm",
    "roc_auc",
]

#: Controls :func:`entry_backtest` knows, and what they are.
CONTROLS: dict[str, str] = {
    "log_size": "log of the region's total at t",
    "log_activity_size": "log of the activity's total over all regions at t",
    "ubiquity": "number of regions specialised in the activity at t",
    "diversity": "number of activities the region is specialised in at t",
    "rca": "RCA of the cell at t (below the threshold within the risk set)",
}


# --------------------------------------------------------------------------------------
# the backtest


@dataclass(frozen=True)
class DensityBin:
    """Entry rate among risk-set cells whose density lies in ``[low, high]``."""

    low: float
    high: float
    n: int
    entries: int

    @property
    def rate(self) -> float:
        """entries / n."""
        return self.entries / self.n if self.n else float("nan")


@dataclass(frozen=True)
class PairStats:
    """Risk set, entries and AUC of one pair of periods (start → end)."""

    start: Any
    end: Any
    n: int
    entries: int
    auc: float


@dataclass(frozen=True)
class BacktestResult:
    """What :func:`entry_backtest` found; see :meth:`to_text` for a reading.

    ``auc_p`` tests AUC = 0.5 with the rank-sum null standard deviation
    ``auc_null_sd`` (ties corrected); ``auc_se`` is the Hanley–McNeil standard error
    of the estimate. ``lpm`` and ``logit`` are ``None`` when they could not be fitted
    (the reason is in ``notes``).
    """

    horizon: int
    threshold: float
    convention: str
    measure: str
    unit: str
    n_regions: int
    n_activities: int
    pairs: tuple[PairStats, ...]
    n: int
    n_entries: int
    auc: float
    auc_se: float
    auc_null_sd: float
    lpm: RegressionFit | None
    logit: RegressionFit | None
    bins: tuple[DensityBin, ...]
    controls: tuple[str, ...]
    stay: int = 0
    start_below: float | None = None
    notes: tuple[str, ...] = ()
    _obs: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def entry_rate(self) -> float:
        """Share of the risk set that entered."""
        return self.n_entries / self.n if self.n else float("nan")

    @property
    def auc_p(self) -> float:
        """Two-sided p-value of AUC = 0.5 (normal approximation of the rank-sum test)."""
        if not (math.isfinite(self.auc) and self.auc_null_sd > 0):
            return float("nan")
        return _p_two_sided((self.auc - 0.5) / self.auc_null_sd)

    def summary(self) -> pd.DataFrame:
        """The headline figures as a two-column table (``statistic``, ``value``)."""
        import pandas as pd

        rows: list[tuple[str, Any]] = [
            ("horizon", self.horizon),
            ("pairs of periods", len(self.pairs)),
            ("risk set (cells)", self.n),
            ("entries", self.n_entries),
            ("entry rate", self.entry_rate),
            ("ROC AUC of density", self.auc),
            ("AUC standard error (Hanley–McNeil)", self.auc_se),
            ("AUC p-value (vs 0.5)", self.auc_p),
        ]
        for fit in (self.lpm, self.logit):
            if fit is None:
                continue
            rows += [
                (f"{fit.model}: density coefficient", fit.coefficient("density")),
                (f"{fit.model}: density standard error", fit.std_error("density")),
                (f"{fit.model}: {'R²' if fit.model == 'lpm' else 'pseudo-R² (McFadden)'}", fit.r2),
            ]
        return pd.DataFrame(rows, columns=["statistic", "value"])

    def coefficients(self) -> pd.DataFrame:
        """Every coefficient of both models: ``model, term, coef, se, z, p``."""
        import pandas as pd

        parts = []
        for fit in (self.lpm, self.logit):
            if fit is None:
                continue
            parts.append(
                pd.DataFrame(
                    {
                        "model": fit.model,
                        "term": list(fit.names),
                        "coef": fit.coef,
                        "se": fit.se,
                        "z": fit.z,
                        "p": fit.p,
                    }
                )
            )
        if not parts:
            return pd.DataFrame(columns=["model", "term", "coef", "se", "z", "p"])
        return pd.concat(parts, ignore_index=True)

    def observations(self) -> pd.DataFrame:
        """The risk set: ``region, activity, period, period_end, density, entry`` and
        the controls, one row per cell at risk."""
        import pandas as pd

        o = self._obs
        if not o:
            return pd.DataFrame()
        data: dict[str, Any] = {
            "region": np.asarray(o["region_labels"], dtype=object)[o["region"]],
            "activity": np.asarray(o["activity_labels"], dtype=object)[o["activity"]],
            "period": np.asarray(o["start_labels"], dtype=object)[o["pair"]],
            "period_end": np.asarray(o["end_labels"], dtype=object)[o["pair"]],
            "density": o["density"],
            "entry": o["entry"].astype(np.int8),
        }
        for c in self.controls:
            data[c] = o[c]
        return pd.DataFrame(data)

    def to_text(self) -> str:
        """A plain-language report of the backtest."""
        lines = [
            "Entry backtest — does relatedness density at t predict new specialisations "
            f"by t+{self.horizon}?",
            f"Data: {self.measure}"
            + (f" [{self.unit}]" if self.unit else "")
            + f", {self.n_regions} regions × {self.n_activities} activities, "
            f"{len(self.pairs)} pair(s) of periods"
            + (
                f" ({self.pairs[0].start}→{self.pairs[0].end} … "
                f"{self.pairs[-1].start}→{self.pairs[-1].end})"
                if self.pairs
                else ""
            ),
            f"Entry: RCA below {self.threshold:g} at t, at or above it at t+{self.horizon}"
            + (f" and in the {self.stay} period(s) after" if self.stay else "")
            + f" (convention {self.convention})."
            + (
                f" Risk set limited to RCA < {self.start_below:g} at t."
                if self.start_below is not None
                else ""
            ),
            f"Risk set: {self.n:,} cells; entries: {self.n_entries:,} ({self.entry_rate:.1%}).",
            "",
        ]
        if math.isfinite(self.auc):
            p = self.auc_p
            ptxt = "p < 0.001" if p < 0.001 else f"p = {p:.3f}"
            lines.append(
                f"ROC AUC of density: {self.auc:.3f} (SE {self.auc_se:.3f}; {ptxt} against "
                "0.5, which is chance)."
            )
        else:
            lines.append("ROC AUC of density: not defined (no entries, or no non-entries).")
        if self.bins:
            lines.append("Entry rate by density group:")
            for b in self.bins:
                lines.append(
                    f"  density {b.low:.3f}–{b.high:.3f}: {b.rate:.1%} ({b.entries:,} of {b.n:,})"
                )
        for fit in (self.lpm, self.logit):
            if fit is None:
                continue
            title = (
                "Linear probability model"
                if fit.model == "lpm"
                else "Logit (IRLS" + ("" if fit.converged else ", NOT converged") + ")"
            )
            fit_stat = (
                f"R² {fit.r2:.4f}" if fit.model == "lpm" else f"pseudo-R² (McFadden) {fit.r2:.4f}"
            )
            lines += ["", f"{title}; n = {fit.n:,}; {fit_stat}; SE: {fit.se_kind}"]
            lines.append(f"  {'term':<22}{'coef':>12}{'se':>12}{'z':>9} {'p':>10}")
            for name, c, s, z, pv in zip(fit.names, fit.coef, fit.se, fit.z, fit.p, strict=True):
                lines.append(f"  {name:<22}{c:>12.5g}{s:>12.4g}{z:>9.2f} {pv:>10.3g}")
        lines += ["", "Reading: " + self._reading()]
        if self.notes:
            lines += ["", *("Note: " + n for n in self.notes)]
        return "\n".join(lines)

    def _reading(self) -> str:
        if not math.isfinite(self.auc):
            return "there is nothing to separate; the backtest says nothing."
        sig = math.isfinite(self.auc_p) and self.auc_p < 0.05
        if self.auc > 0.5 and sig:
            if self.auc >= 0.6:
                strength = "strongly" if self.auc >= 0.75 else "clearly"
                use = "density is a reasonable guide to a region's next specialisations"
            else:
                strength = "weakly"
                use = "density helps, but is a weak guide on its own"
            return (
                f"cells with higher relatedness density entered more often — density "
                f"{strength} predicts entry (AUC {self.auc:.2f}): the principle of "
                f"relatedness holds in these data; {use}."
            )
        if self.auc < 0.5 and sig:
            return (
                f"entries came more often where density was low (AUC {self.auc:.2f}): "
                "density is not a guide to entry in these data — check the data and the "
                "activity classification before using it."
            )
        return (
            f"no evidence that density predicts entry (AUC {self.auc:.2f}, not different "
            "from 0.5); with few entries or coarse activities this is not surprising."
        )


def _bins(d: FloatArray, y: FloatArray, k: int) -> tuple[DensityBin, ...]:
    if k < 1 or d.size == 0:
        return ()
    edges = np.unique(np.quantile(d, np.linspace(0.0, 1.0, k + 1)))
    if edges.size == 1:
        return (DensityBin(float(edges[0]), float(edges[0]), int(d.size), int(y.sum())),)
    idx = np.clip(np.searchsorted(edges, d, side="right") - 1, 0, edges.size - 2)
    out = []
    for b in range(edges.size - 1):
        m = idx == b
        out.append(DensityBin(float(edges[b]), float(edges[b + 1]), int(m.sum()), int(y[m].sum())))
    return tuple(out)


def entry_backtest(
    table: Any,
    *,
    horizon: int = 1,
    threshold: float | None = None,
    convention: str | Convention | None = None,
    controls: Sequence[str] = (),
    period_effects: bool = True,
    cluster: Literal["region"] | None = None,
    stay: int = 0,
    start_below: float | None = None,
    proximity_kind: ProximityKind = "min",
    bins: int = 5,
    missing: Missing = "error",
    columns: Mapping[str, str] | None = None,
) -> BacktestResult:
    r"""Does relatedness density at *t* predict entries at *t + horizon*?

    For every pair of periods (*t*, *t + k*): presence
    :math:`M_{cp,t} = [RCA_{cp,t} \ge` threshold], proximity :math:`\phi_t` from
    :math:`M_t` (minimum conditional probability, Hidalgo et al. 2007) and density
    :math:`\omega_{cp,t} = \sum_q M_{cq,t}\phi_{pq,t} / \sum_q \phi_{pq,t}`; the risk
    set is the cells with :math:`M_{cp,t} = 0` in regions with data at both periods,
    and the outcome is entry (:func:`smartspec.metrics.dynamics.entries`). Pairs are
    pooled; the models are

    .. math:: \Pr(\text{entry}_{cp,t} = 1) = F(\alpha + \beta\,\omega_{cp,t}
              + \gamma' z_{cp,t} + \delta_t)

    with *F* the identity (LPM) or the logistic function (logit), optional controls
    *z* and period effects :math:`\delta_t`. :math:`\beta > 0` and AUC > 0.5 are the
    principle of relatedness (Hidalgo et al. 2018).

    Parameters
    ----------
    table : ActivityTable or pandas.DataFrame
        A panel of an additive measure (at least two periods ``horizon`` apart).
    horizon : int
        *k* (years for integer periods, positions otherwise).
    threshold : float, optional
        RCA threshold of presence (default: the convention's, 1).
    convention : str or Convention, optional
        Threshold, comparison, proximity diagonal and density scale.
    controls : sequence of str
        Any of :data:`CONTROLS`: ``"log_size"``, ``"log_activity_size"``,
        ``"ubiquity"``, ``"diversity"``, ``"rca"``.
    period_effects : bool
        Add a dummy per start period (but the first) when there are several pairs.
    cluster : {"region"}, optional
        Cluster standard errors by region (pairs overlap and cells of a region are not
        independent); default: HC1 (LPM) and model-based (logit).
    stay, start_below :
        Robustness definitions of entry, as in
        :func:`smartspec.metrics.dynamics.compute_entry_exit`.
    proximity_kind : {"min", "asymmetric"}
        Proximity form.
    bins : int
        Number of density quantile groups in the entry-rate table.
    missing : {"error", "zero", "drop"}
        Missing values: raise, count as 0, or leave out the regions that have any.

    Returns
    -------
    BacktestResult

    References
    ----------
    Hidalgo, C. A., Klinger, B., Barabási, A.-L., & Hausmann, R. (2007). The product
    space conditions the development of nations. *Science*, 317(5837), 482–487.
    Neffke, F., Henning, M., & Boschma, R. (2011). How do regions diversify over time?
    *Economic Geography*, 87(3), 237–265. Hidalgo, C. A., et al. (2018). The principle
    of relatedness. *Unifying Themes in Complex Systems IX*, 451–457. Balland, P.-A.,
    Boschma, R., Crespo, J., & Rigby, D. L. (2019). Smart specialization policy in the
    European Union: relatedness, knowledge complexity and regional diversification.
    *Regional Studies*, 53(9), 1252–1268.

    Examples
    --------
    >>> import pandas as pd
    >>> from smartspec import datasets
    >>> res = entry_backtest(datasets.load("lfs_employment_nuts2"), missing="zero")
    >>> 0.0 <= res.auc <= 1.0, res.horizon, len(res.pairs)
    (True, 1, 7)
    """
    conv = get_convention(convention)
    thr = float(conv.threshold if threshold is None else threshold)
    unknown = [c for c in controls if c not in CONTROLS]
    if unknown:
        raise InputError(
            "unknown control(s) " + ", ".join(map(repr, unknown)),
            hint="use any of " + ", ".join(CONTROLS),
        )
    if len(set(controls)) != len(controls):
        raise InputError("a control is listed twice")
    if cluster not in (None, "region"):
        raise InputError(f"cluster must be None or 'region', not {cluster!r}")
    if proximity_kind not in ("min", "asymmetric"):
        raise InputError(f"proximity_kind must be 'min' or 'asymmetric', not {proximity_kind!r}")
    panel = _load_panel(table, missing=missing, columns=columns, require_additive="the backtest")
    trs = _transitions_of(
        panel, horizon=horizon, conv=conv, threshold=thr, stay=stay, start_below=start_below
    )
    notes: list[str] = []
    if panel.dropped_regions:
        notes.append(
            f"{len(panel.dropped_regions)} region(s) left out for missing values: "
            + ", ".join(panel.dropped_regions[:10])
            + (" …" if len(panel.dropped_regions) > 10 else "")
        )
    cols: dict[str, list[Any]] = {
        k: [] for k in ("pair", "region", "activity", "density", "entry", *controls)
    }
    pair_stats: list[PairStats] = []
    for n_pair, tr in enumerate(trs):
        X = panel.X[tr.start]
        M = np.where(tr.live[:, None], tr.M0, 0.0)
        phi = proximity(M, proximity_kind, diagonal=conv.proximity_diagonal)
        D = density(M, phi, scale=conv.density_scale)
        ok = np.isfinite(tr.entry) & np.isfinite(D)
        extra: dict[str, FloatArray] = {}
        with np.errstate(divide="ignore", invalid="ignore"):
            if "log_size" in controls:
                extra["log_size"] = np.broadcast_to(np.log(X.sum(axis=1))[:, None], X.shape)
            if "log_activity_size" in controls:
                extra["log_activity_size"] = np.broadcast_to(
                    np.log(X.sum(axis=0))[None, :], X.shape
                )
            if "ubiquity" in controls:
                extra["ubiquity"] = np.broadcast_to(M.sum(axis=0)[None, :], X.shape)
            if "diversity" in controls:
                extra["diversity"] = np.broadcast_to(M.sum(axis=1)[:, None], X.shape)
            if "rca" in controls:
                extra["rca"] = tr.rca0
        for v in extra.values():
            ok &= np.isfinite(v)
        r_idx, a_idx = np.nonzero(ok)
        y = tr.entry[ok]
        cols["pair"].append(np.full(r_idx.size, n_pair, dtype=np.intp))
        cols["region"].append(r_idx)
        cols["activity"].append(a_idx)
        cols["density"].append(D[ok])
        cols["entry"].append(y)
        for k, v in extra.items():
            cols[k].append(v[ok])
        s_pair, y_pair = D[ok], y
        pair_stats.append(
            PairStats(
                start=panel.periods[tr.start],
                end=panel.periods[tr.end],
                n=int(y.size),
                entries=int(y.sum()),
                auc=_auc_stats(s_pair, y_pair)[0],
            )
        )
    obs: dict[str, Any] = {k: np.concatenate(v) for k, v in cols.items()}
    d = obs["density"]
    y = obs["entry"]
    n = int(y.size)
    n_entries = int(y.sum())
    auc, auc_se, sd0 = _auc_stats(d, y)
    if n_entries == 0:
        notes.append("no entries in the risk set: AUC and models are undefined")
    elif n_entries == n:
        notes.append("every cell at risk entered: AUC and models are undefined")

    # ---- models
    names = ["density", *controls]
    Z = np.column_stack([obs[c] for c in names]) if n else np.empty((0, len(names)))
    if period_effects and len(trs) > 1:
        dummies = [
            (obs["pair"] == k).astype(np.float64)
            for k in range(1, len(trs))
            if (obs["pair"] == k).any()
        ]
        used = [k for k in range(1, len(trs)) if (obs["pair"] == k).any()]
        if dummies and (obs["pair"] == 0).any():
            Z = np.column_stack([Z, *dummies])
            names += [f"period[{panel.periods[trs[k].start]}]" for k in used]
    groups = obs["region"] if cluster == "region" else None
    lpm: RegressionFit | None = None
    logit: RegressionFit | None = None
    if 0 < n_entries < n:
        try:
            lpm = fit_lpm(y, Z, names=names, cluster=groups)
        except InputError as err:
            notes.append(f"linear probability model not fitted: {err}")
        try:
            logit = fit_logit(y, Z, names=names, cluster=groups)
            if not logit.converged:
                notes.append(
                    "the logit did not converge (separation: some regressor predicts entry "
                    "perfectly); its coefficients are not reliable"
                )
        except InputError as err:
            notes.append(f"logit not fitted: {err}")
    if horizon > 1 and len(trs) > 1 and cluster is None:
        notes.append(
            "pairs of periods overlap (horizon > 1): observations are not independent; "
            "consider cluster='region'"
        )
    obs.update(
        region_labels=panel.regions,
        activity_labels=panel.activities,
        start_labels=[panel.periods[tr.start] for tr in trs],
        end_labels=[panel.periods[tr.end] for tr in trs],
    )
    return BacktestResult(
        horizon=int(horizon),
        threshold=thr,
        convention=conv.name,
        measure=panel.measure,
        unit=panel.unit,
        n_regions=len(panel.regions),
        n_activities=len(panel.activities),
        pairs=tuple(pair_stats),
        n=n,
        n_entries=n_entries,
        auc=auc,
        auc_se=auc_se,
        auc_null_sd=sd0,
        lpm=lpm,
        logit=logit,
        bins=_bins(d, y, bins),
        controls=tuple(controls),
        stay=int(stay),
        start_below=start_below,
        notes=tuple(notes),
        _obs=obs,
    )
