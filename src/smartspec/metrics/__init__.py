"""Specialisation, relatedness and economic-complexity metrics.

The entry point is :func:`compute_metrics` (a long DataFrame in, a long DataFrame
out, with diagnostics in ``attrs["diagnostics"]``). The numerical functions underneath
take NumPy arrays and are public too:

* specialisation — :func:`rca` (location quotient), :func:`rpop`, :func:`binarise`,
  and the regional indices :func:`krugman`, :func:`hoover`, :func:`hachman`,
  :func:`herfindahl`, :func:`shannon_entropy`, :func:`gini` (a region's
  specialisation Gini), :func:`locational_gini` (an activity's concentration across
  regions), :func:`gini_coefficient` (plain Gini);
* diversification — :func:`related_variety`, :func:`unrelated_variety`;
* complexity — :func:`diversity`, :func:`ubiquity`, :func:`eci_pci` (eigenvector,
  symmetric form), :func:`reflections`, :func:`fitness_complexity`;
* relatedness — :func:`cooccurrence`, :func:`proximity`, :func:`relatedness`
  (EconGeo's normalisations), :func:`density`, :func:`relatedness_density_internal`,
  :func:`relatedness_density_external`, :func:`distance`,
  :func:`complexity_outlook_index`, :func:`complexity_outlook_gain`;
* dynamics — :func:`entries`, :func:`exits`, :func:`growth`, :func:`cagr`,
  :func:`shift_share` (Dunn; Esteban-Marquillas) and their table forms
  :func:`compute_entry_exit`, :func:`compute_growth`, :func:`compute_shift_share`;
* critical mass — :func:`assess_critical_mass` with :class:`CriticalMassThresholds`;
* the entry backtest — :func:`entry_backtest`, :func:`roc_auc`, :func:`fit_lpm`,
  :func:`fit_logit`;
* everything for one matrix — :func:`matrix_metrics`;
* regional summaries of a result — :func:`region_indices`;
* rank stability — :func:`rank_stability`;
* conventions — :class:`Convention`, :func:`get_convention`, presets ``"smartspec"``
  (default), ``"growthlab"`` (py-ecomplexity 0.5.3), ``"economiccomplexity"`` (R
  economiccomplexity 2.0.0) and ``"econgeo"`` (R EconGeo 2.1).

Importing this package does not import pandas (the DataFrame layer imports it when
called).

>>> import numpy as np
>>> from smartspec.metrics import rca, binarise, eci_pci
>>> X = np.array([[5, 3, 0], [2, 4, 1], [0, 1, 4], [1, 0, 2]], dtype=float)
>>> binarise(rca(X)).astype(int).tolist()
[[1, 1, 0], [0, 1, 0], [0, 0, 1], [0, 0, 1]]
"""

from __future__ import annotations

from smartspec.metrics.backtest import (
    CONTROLS,
    BacktestResult,
    DensityBin,
    PairStats,
    entry_backtest,
)
from smartspec.metrics.complexity import (
    ComplexityResult,
    FitnessResult,
    diversity,
    eci_pci,
    fitness_complexity,
    reflections,
    ubiquity,
)
from smartspec.metrics.conventions import (
    ECONGEO,
    ECONOMICCOMPLEXITY,
    GROWTHLAB,
    PRESETS,
    SMARTSPEC,
    Convention,
    get_convention,
)
from smartspec.metrics.critical_mass import VERDICTS, CriticalMassThresholds, assess_critical_mass
from smartspec.metrics.engine import MatrixMetrics, matrix_metrics, rank_stability, spearman
from smartspec.metrics.entry_exit import compute_entry_exit, entries, exits
from smartspec.metrics.frame import compute_metrics, compute_proximity, region_indices
from smartspec.metrics.frame_diagnostics import (
    Diagnostics,
    Dropped,
    PeriodDiagnostics,
    Provenance,
    diagnostics,
)
from smartspec.metrics.growth import Growth, cagr, compute_growth, growth
from smartspec.metrics.regression import RegressionFit, fit_logit, fit_lpm
from smartspec.metrics.relatedness import (
    complexity_outlook_gain,
    complexity_outlook_index,
    cooccurrence,
    density,
    distance,
    proximity,
    relatedness,
    relatedness_density_external,
    relatedness_density_internal,
)
from smartspec.metrics.roc import roc_auc
from smartspec.metrics.shift_share import ShiftShare, compute_shift_share, shift_share
from smartspec.metrics.specialisation import (
    binarise,
    gini,
    gini_coefficient,
    hachman,
    herfindahl,
    hoover,
    krugman,
    location_quotient,
    locational_gini,
    rca,
    rpop,
    shannon_entropy,
)
from smartspec.metrics.variety import related_variety, unrelated_variety

__all__ = [
    "CONTROLS",
    "ECONGEO",
    "ECONOMICCOMPLEXITY",
    "GROWTHLAB",
    "PRESETS",
    "SMARTSPEC",
    "VERDICTS",
    "BacktestResult",
    "ComplexityResult",
    "Convention",
    "CriticalMassThresholds",
    "DensityBin",
    "Diagnostics",
    "Dropped",
    "FitnessResult",
    "Growth",
    "MatrixMetrics",
    "PairStats",
    "PeriodDiagnostics",
    "Provenance",
    "RegressionFit",
    "ShiftShare",
    "assess_critical_mass",
    "binarise",
    "cagr",
    "complexity_outlook_gain",
    "complexity_outlook_index",
    "compute_entry_exit",
    "compute_growth",
    "compute_metrics",
    "compute_proximity",
    "compute_shift_share",
    "cooccurrence",
    "density",
    "diagnostics",
    "distance",
    "diversity",
    "eci_pci",
    "entries",
    "entry_backtest",
    "exits",
    "fit_logit",
    "fit_lpm",
    "fitness_complexity",
    "get_convention",
    "gini",
    "gini_coefficient",
    "growth",
    "hachman",
    "herfindahl",
    "hoover",
    "krugman",
    "location_quotient",
    "locational_gini",
    "matrix_metrics",
    "proximity",
    "rank_stability",
    "rca",
    "reflections",
    "region_indices",
    "related_variety",
    "relatedness",
    "relatedness_density_external",
    "relatedness_density_internal",
    "roc_auc",
    "rpop",
    "shannon_entropy",
    "shift_share",
    "spearman",
    "ubiquity",
    "unrelated_variety",
]
