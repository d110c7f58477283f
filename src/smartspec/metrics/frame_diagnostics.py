"""The diagnostics of a :func:`~smartspec.metrics.frame.compute_metrics` result.

Every result carries a :class:`Diagnostics` in ``attrs["diagnostics"]`` (read it with
:func:`diagnostics`): for each period (:class:`PeriodDiagnostics`) the sign given to the
eigenvector and the rule that fixed it, the top eigenvalues and the eigen-gap, what was
left out and why (:class:`Dropped`) and the rank stability of ECI/PCI at other presence
thresholds, computed the first time it is read; and the :class:`Provenance` of the
result — smartspec version, convention, parameters and a SHA-256 hash of the factorised
input.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from smartspec.errors import InputError
from smartspec.metrics.conventions import Convention

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from smartspec.metrics._factorise import _Panel

__all__ = [
    "Diagnostics",
    "Dropped",
    "PeriodDiagnostics",
    "Provenance",
    "diagnostics",
]


@dataclass(frozen=True)
class Dropped:
    """A region or activity left out of (some) metrics in one period, and why."""

    kind: str  # "region" or "activity"
    code: Any
    period: Any
    reason: str


@dataclass(frozen=True)
class PeriodDiagnostics:
    """What happened in one period.

    ``sign`` is the factor applied to the eigenvector and ``sign_source`` which rule
    fixed it (``"diversity"``: correlation with diversity; ``"ubiquity"``/``"default"``:
    fallbacks of the ``diversity_safe`` rule; ``"undefined"``: NaN results).
    ``eigenvalues`` are the top eigenvalues of the region (activity) transition matrix,
    ``eigen_gap`` is :math:`(\\lambda_2-\\lambda_3)/\\lambda_2`. ``stability`` maps each
    alternative presence threshold to the Spearman correlations (ECI, PCI) with the
    ranking at the chosen threshold; it is computed the first time it is read (it
    needs two more eigensolves per period, which :func:`compute_metrics` does not
    pay for unless asked). ``degenerate`` is True when the second
    eigenvalue equals the first (to 1e-9): the region–activity network is disconnected,
    the eigenvector is not unique and ECI/PCI separate the components rather than rank
    complexity (py-ecomplexity then returns an arbitrary vector of the eigenspace).
    """

    period: Any
    n_regions: int
    n_activities: int
    sign: float
    sign_source: str
    sign_correlation: float
    eigenvalues: tuple[float, ...]
    eigen_gap: float
    dropped: tuple[Dropped, ...]
    fitness_converged: bool | None = None
    degenerate: bool = False
    rank_stability: _LazyStability | dict[float, tuple[float, float]] = field(
        default_factory=dict, repr=False, compare=False
    )

    @property
    def stability(self) -> dict[float, tuple[float, float]]:
        """Spearman (ECI, PCI) correlation with the ranking at each other threshold."""
        if isinstance(self.rank_stability, dict):
            return self.rank_stability
        return self.rank_stability.get(self.period)

    def __deepcopy__(self, memo: dict[int, Any]) -> PeriodDiagnostics:
        return self  # immutable; pandas deep-copies attrs on every operation


class _LazyStability:
    """The rank-stability diagnostic of every period, computed on first use.

    Holds the value panel, the per-period presence inputs and complexity results;
    ``get(period)`` computes (once) the Spearman correlations at the other thresholds
    with :func:`smartspec.metrics.engine.rank_stability`. Deep copies return the same
    object (pandas deep-copies ``attrs`` on every operation).
    """

    def __init__(
        self,
        panel: _Panel,
        conv: Convention,
        presence: str,
        thresholds: Sequence[float],
    ) -> None:
        self._panel = panel
        self._conv = conv
        self._presence = presence
        self._thresholds = tuple(float(t) for t in thresholds)
        self._inputs: dict[Any, tuple[int, Any, Any]] = {}
        self._done: dict[Any, dict[float, tuple[float, float]]] = {}

    def add(self, period: Any, t: int, population: Any, reference: Any) -> None:
        self._inputs[period] = (t, population, reference)

    def get(self, period: Any) -> dict[float, tuple[float, float]]:
        if period in self._done:
            return self._done[period]
        from smartspec.metrics.engine import rank_stability
        from smartspec.metrics.specialisation import rca, rpop

        out: dict[float, tuple[float, float]] = {}
        if self._thresholds and period in self._inputs:
            t, pop, ref = self._inputs[period]
            panel = self._panel
            rows = np.flatnonzero(panel.region_present[t])
            cidx = np.flatnonzero(panel.activity_present[t])
            Xt = panel.X[t][np.ix_(rows, cidx)]
            if self._presence == "rpop":
                live = Xt.sum(axis=1) > 0
                basis = np.full(Xt.shape, np.nan)
                basis[live] = rpop(Xt[live], pop[live])
            else:
                basis = rca(Xt)
            out = rank_stability(basis, ref, self._conv, self._thresholds)
        self._done[period] = out
        return out

    def __deepcopy__(self, memo: dict[int, Any]) -> _LazyStability:
        return self


@dataclass(frozen=True)
class Provenance:
    """Where a result came from: version, convention, parameters and an input hash."""

    smartspec_version: str
    convention: dict[str, Any]
    parameters: dict[str, Any]
    input_hash: str


@dataclass(frozen=True)
class Diagnostics:
    """Diagnostics returned with every :func:`compute_metrics` result."""

    convention: Convention
    method: str
    periods: tuple[PeriodDiagnostics, ...]
    provenance: Provenance
    missing_cells: int = 0
    missing_policy: str = "raise"
    notes: tuple[str, ...] = field(default=())

    def __deepcopy__(self, memo: dict[int, Any]) -> Diagnostics:
        return self  # immutable; pandas deep-copies attrs on every DataFrame operation

    @property
    def dropped(self) -> tuple[Dropped, ...]:
        """Everything dropped, over all periods."""
        return tuple(d for p in self.periods for d in p.dropped)

    def summary(self) -> str:
        """A few human-readable lines."""
        lines = [
            f"convention {self.convention.name}, method {self.method}, "
            f"{len(self.periods)} period(s), input {self.provenance.input_hash[:12]}"
        ]
        for p in self.periods:
            stab = ", ".join(
                f"t={t:g}: ρ(ECI)={a:.3f} ρ(PCI)={b:.3f}" for t, (a, b) in p.stability.items()
            )
            lines.append(
                f"  {p.period}: {p.n_regions}×{p.n_activities}, sign {p.sign:+g} "
                f"({p.sign_source}), eigen-gap {p.eigen_gap:.3g}, dropped {len(p.dropped)}"
                + (f"; {stab}" if stab else "")
            )
        if self.missing_cells:
            lines.append(
                f"  {self.missing_cells} missing cell(s) handled as {self.missing_policy!r}"
            )
        lines.extend(f"  note: {n}" for n in self.notes)
        return "\n".join(lines)


def diagnostics(result: pd.DataFrame) -> Diagnostics:
    """The :class:`Diagnostics` of a :func:`compute_metrics` result.

    Raises :class:`~smartspec.errors.InputError` if the frame carries none (e.g. after
    an operation that dropped ``attrs``).
    """
    diag = result.attrs.get("diagnostics")
    if not isinstance(diag, Diagnostics):
        raise InputError(
            "this DataFrame carries no smartspec diagnostics",
            hint="use the DataFrame returned by compute_metrics (attrs['diagnostics'])",
        )
    return diag


def _input_hash(panel: _Panel) -> str:
    h = hashlib.sha256()
    for labels in (panel.regions, panel.activities, panel.periods):
        if labels is None:
            h.update(b"\x00none")
        else:
            h.update("\x1f".join(map(str, labels)).encode("utf-8"))
        h.update(b"\x1e")
    h.update(np.ascontiguousarray(panel.X).data)
    h.update(np.packbits(panel.region_present).tobytes())
    h.update(np.packbits(panel.activity_present).tobytes())
    return h.hexdigest()
