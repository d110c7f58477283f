"""Specialisation, relatedness and economic-complexity metrics.

The entry point is :func:`compute_metrics` (a long DataFrame in, a long DataFrame
out, with diagnostics in ``attrs["diagnostics"]``). The numerical functions underneath
take NumPy arrays and are public too:

* specialisation — :func:`rca` (location quotient), :func:`rpop`, :func:`binarise`,
  and the regional indices :func:`krugman`, :func:`hoover`, :func:`hachman`,
  :func:`herfindahl`, :func:`shannon_entropy`, :func:`gini`;
* diversification — :func:`related_variety`, :func:`unrelated_variety`;
* complexity — :func:`diversity`, :func:`ubiquity`, :func:`eci_pci` (eigenvector,
  symmetric form), :func:`reflections`, :func:`fitness_complexity`;
* relatedness — :func:`cooccurrence`, :func:`proximity`, :func:`density`,
  :func:`distance`, :func:`complexity_outlook_index`, :func:`complexity_outlook_gain`;
* everything for one matrix — :func:`matrix_metrics`;
* conventions — :class:`Convention`, :func:`get_convention`, presets ``"smartspec"``
  (default) and ``"growthlab"`` (py-ecomplexity 0.5.3).

Importing this package does not import pandas (the DataFrame layer imports it when
called).

>>> import numpy as np
>>> from smartspec.metrics import rca, binarise, eci_pci
>>> X = np.array([[5, 3, 0], [2, 4, 1], [0, 1, 4], [1, 0, 2]], dtype=float)
>>> binarise(rca(X)).astype(int).tolist()
[[1, 1, 0], [0, 1, 0], [0, 0, 1], [0, 0, 1]]
"""

from __future__ import annotations

from smartspec.metrics.complexity import (
    ComplexityResult,
    FitnessResult,
    diversity,
    eci_pci,
    fitness_complexity,
    reflections,
    ubiquity,
)
from smartspec.metrics.conventions import GROWTHLAB, PRESETS, SMARTSPEC, Convention, get_convention
from smartspec.metrics.engine import MatrixMetrics, matrix_metrics, spearman
from smartspec.metrics.frame import (
    Diagnostics,
    Dropped,
    PeriodDiagnostics,
    Provenance,
    compute_metrics,
    compute_proximity,
    diagnostics,
)
from smartspec.metrics.relatedness import (
    complexity_outlook_gain,
    complexity_outlook_index,
    cooccurrence,
    density,
    distance,
    proximity,
)
from smartspec.metrics.specialisation import (
    binarise,
    gini,
    hachman,
    herfindahl,
    hoover,
    krugman,
    location_quotient,
    rca,
    rpop,
    shannon_entropy,
)
from smartspec.metrics.variety import related_variety, unrelated_variety

__all__ = [
    "GROWTHLAB",
    "PRESETS",
    "SMARTSPEC",
    "ComplexityResult",
    "Convention",
    "Diagnostics",
    "Dropped",
    "FitnessResult",
    "MatrixMetrics",
    "PeriodDiagnostics",
    "Provenance",
    "binarise",
    "complexity_outlook_gain",
    "complexity_outlook_index",
    "compute_metrics",
    "compute_proximity",
    "cooccurrence",
    "density",
    "diagnostics",
    "distance",
    "diversity",
    "eci_pci",
    "fitness_complexity",
    "get_convention",
    "gini",
    "hachman",
    "herfindahl",
    "hoover",
    "krugman",
    "location_quotient",
    "matrix_metrics",
    "proximity",
    "rca",
    "reflections",
    "related_variety",
    "rpop",
    "shannon_entropy",
    "spearman",
    "ubiquity",
    "unrelated_variety",
]
