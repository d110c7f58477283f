"""The bundled NUTS conversion data and the per-step correspondence matrices.

Imported lazily by :mod:`smartspec.geo.conversion` (it needs numpy); reads
``_data/conversion_pairs.csv.gz`` on first use. See ``_data/CONVERSION_CARD.md``.
"""

from __future__ import annotations

import csv
import io
import itertools
from dataclasses import dataclass
from functools import cache

import numpy as np
from numpy.typing import NDArray

from smartspec.geo._model import NUTS_VERSIONS
from smartspec.geo._store import codes, read_data

#: The JRC weights, in the order of the bundled columns.
WEIGHTS: tuple[str, ...] = ("areaKm", "pop11", "pop21", "artif_surf12", "artif_surf18", "bu_vol")
#: Older version of each step that has JRC matrices (2013→2016, 2016→2021, 2021→2024).
JRC_STEPS: frozenset[int] = frozenset({2013, 2016, 2021})
_FILE = "conversion_pairs.csv.gz"

_Row = tuple[str, str, bool, bool, tuple[float, ...]]


@cache
def _rows() -> dict[tuple[int, int], list[_Row]]:
    """(older version, level) -> rows (source, target, whole_source, whole_target, weights)."""
    text = read_data(_FILE).decode("utf-8")
    out: dict[tuple[int, int], list[_Row]] = {}
    nan = float("nan")
    for rec in csv.DictReader(io.StringIO(text)):
        weights = tuple(float(rec[w]) if rec[w] else nan for w in WEIGHTS)
        out.setdefault((int(rec["step"]), int(rec["level"])), []).append(
            (
                rec["source"],
                rec["target"],
                rec["whole_source"] == "1",
                rec["whole_target"] == "1",
                weights,
            )
        )
    return out


@dataclass(frozen=True, eq=False)
class Step:
    """One step between consecutive versions, as pairs (source index, target index).

    ``sources`` are all codes of the source version at the step's levels (sorted),
    ``targets`` those of the target version; a source without a pair has no successor.
    """

    from_version: int
    to_version: int
    sources: tuple[str, ...]
    targets: tuple[str, ...]
    src: NDArray[np.intp]
    tgt: NDArray[np.intp]
    whole_src: NDArray[np.bool_]
    whole_tgt: NDArray[np.bool_]
    weights: NDArray[np.float64]

    @property
    def has_weights(self) -> bool:
        """Whether the JRC matrices cover this step."""
        return min(self.from_version, self.to_version) in JRC_STEPS

    @property
    def label(self) -> str:
        """``"NUTS 2013 → 2016"``."""
        return f"NUTS {self.from_version} → {self.to_version}"

    def reverse(self) -> Step:
        """The same correspondence read from the other side."""
        return Step(
            self.to_version,
            self.from_version,
            self.targets,
            self.sources,
            self.tgt,
            self.src,
            self.whole_tgt,
            self.whole_src,
            self.weights,
        )

    def additive_coef(self, weight: int | None) -> NDArray[np.float64]:
        """Per pair: the share of the source that goes to the target (NaN: unknown)."""
        coef = np.where(self.whole_src, 1.0, np.nan)
        if weight is None or not self.has_weights or len(coef) == 0:
            return coef
        w = self.weights[:, weight]
        n = len(self.sources)
        bad = np.bincount(self.src, weights=np.isnan(w).astype(np.float64), minlength=n) > 0
        total = np.bincount(self.src, weights=np.nan_to_num(w), minlength=n)
        ok = ~self.whole_src & ~bad[self.src] & (total[self.src] > 0)
        coef[ok] = w[ok] / total[self.src[ok]]
        return coef

    def rate_coef(self, weight: int | None) -> NDArray[np.float64]:
        """Per pair: the weight of the source in the target's mean (NaN: unknown)."""
        n_in = np.bincount(self.tgt, minlength=len(self.targets))[self.tgt]
        single = n_in == 1
        coef = np.where(self.whole_src & self.whole_tgt & single, 1.0, np.nan)
        if weight is None or len(coef) == 0:
            return coef
        # a target inside one source region takes that region's rate
        coef[self.whole_tgt & single] = 1.0
        if self.has_weights:
            w = self.weights[:, weight]
            n = len(self.targets)
            bad = np.bincount(self.tgt, weights=np.isnan(w).astype(np.float64), minlength=n) > 0
            total = np.bincount(self.tgt, weights=np.nan_to_num(w), minlength=n)
            ok = np.isnan(coef) & ~bad[self.tgt] & (total[self.tgt] > 0)
            coef[ok] = w[ok] / total[self.tgt[ok]]
        return coef


@cache
def _forward(old: int, level: int) -> Step:
    new = NUTS_VERSIONS[NUTS_VERSIONS.index(old) + 1]
    sources = tuple(sorted(codes(old, level)))
    targets = tuple(sorted(codes(new, level)))
    s_index = {c: i for i, c in enumerate(sources)}
    t_index = {c: i for i, c in enumerate(targets)}
    rows = _rows().get((old, level), [])
    listed = {r[0] for r in rows} | {r[1] for r in rows}
    src: list[int] = []
    tgt: list[int] = []
    whole_s: list[bool] = []
    whole_t: list[bool] = []
    weights: list[tuple[float, ...]] = []
    nan = (float("nan"),) * len(WEIGHTS)
    for code in sources:
        if code in t_index and code not in listed:
            src.append(s_index[code])
            tgt.append(t_index[code])
            whole_s.append(True)
            whole_t.append(True)
            weights.append(nan)
    for source, target, ws, wt, w in rows:
        if target and source in s_index and target in t_index:
            src.append(s_index[source])
            tgt.append(t_index[target])
            whole_s.append(ws)
            whole_t.append(wt)
            weights.append(w)
    order = np.lexsort((np.asarray(tgt), np.asarray(src)))
    return Step(
        old,
        new,
        sources,
        targets,
        np.asarray(src, dtype=np.intp)[order],
        np.asarray(tgt, dtype=np.intp)[order],
        np.asarray(whole_s, dtype=bool)[order],
        np.asarray(whole_t, dtype=bool)[order],
        np.asarray(weights, dtype=np.float64).reshape(-1, len(WEIGHTS))[order],
    )


@cache
def step(from_version: int, to_version: int, levels: tuple[int, ...]) -> Step:
    """The step between two consecutive versions for the given levels (all codes)."""
    old, new = sorted((from_version, to_version))
    parts = [_forward(old, level) for level in levels]
    if len(parts) == 1:
        forward = parts[0]
    else:
        s_off = np.cumsum([0] + [len(p.sources) for p in parts])
        t_off = np.cumsum([0] + [len(p.targets) for p in parts])
        forward = Step(
            old,
            new,
            tuple(c for p in parts for c in p.sources),
            tuple(c for p in parts for c in p.targets),
            np.concatenate([p.src + s_off[i] for i, p in enumerate(parts)]).astype(np.intp),
            np.concatenate([p.tgt + t_off[i] for i, p in enumerate(parts)]).astype(np.intp),
            np.concatenate([p.whole_src for p in parts]),
            np.concatenate([p.whole_tgt for p in parts]),
            np.concatenate([p.weights for p in parts]),
        )
    return forward if from_version == old else forward.reverse()


def path(from_version: int, to_version: int) -> list[tuple[int, int]]:
    """The consecutive steps from one version to another (empty if they are equal)."""
    i, j = NUTS_VERSIONS.index(from_version), NUTS_VERSIONS.index(to_version)
    seq = NUTS_VERSIONS[i : j + 1] if i <= j else NUTS_VERSIONS[j : i + 1][::-1]
    return list(itertools.pairwise(seq))
