"""The conversion plan: how each region of one NUTS version maps to another (internal).

For one pair of versions and one level, :func:`conversion_plan` classifies every region
of the source version as unchanged, recoded, merged, split, shifted (boundary_shift)
or discontinued, lists the target regions it goes to with the share of it (by a JRC
weight) that lies in each, and names the target regions that are new. Consecutive
steps (2013 → 2016 → 2021 → 2024, and backwards) are chained as products of sparse
correspondence matrices: a share chains by multiplication, and "the whole of the
source lies in the target" (and its converse) only when it holds at every step.

The plan is what :func:`smartspec.geo.conversion.convert` follows and records; its
public names (:class:`ConversionPlan`, :class:`PlanEntry`, :func:`conversion_plan`,
:data:`CONVERSION_WEIGHTS`) are imported from :mod:`smartspec.geo.conversion` or
:mod:`smartspec.geo`. Sources: Eurostat's NUTS change tables and the JRC NUTS converter
matrices (read by :mod:`smartspec.geo._conversion_data`); numpy and scipy are imported
when a plan is first built, not at import.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal, cast

from smartspec.errors import InputError
from smartspec.geo._store import check_version, codes

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
    from numpy.typing import NDArray

    from smartspec.geo._conversion_data import Step

__all__ = [
    "CONVERSION_WEIGHTS",
    "ConversionPlan",
    "Kind",
    "PlanEntry",
    "conversion_plan",
]

#: The JRC weights a conversion can use (see :mod:`smartspec.geo.conversion`).
CONVERSION_WEIGHTS: tuple[str, ...] = (
    "areaKm",
    "pop11",
    "pop21",
    "artif_surf12",
    "artif_surf18",
    "bu_vol",
)
_WEIGHT_NAMES = {
    "areaKm": "area",
    "pop11": "population 2011",
    "pop21": "population 2021",
    "artif_surf12": "artificial surface 2012",
    "artif_surf18": "artificial surface 2018",
    "bu_vol": "built-up volume",
}
_ALIASES = {"area": "areaKm", "areakm2": "areaKm"}

Kind = Literal["unchanged", "recoded", "merged", "split", "boundary_shift", "discontinued"]
_KINDS: tuple[str, ...] = (
    "unchanged",
    "recoded",
    "merged",
    "split",
    "boundary_shift",
    "discontinued",
)


# --------------------------------------------------------------------------- the plan
@dataclass(frozen=True, slots=True)
class PlanEntry:
    """What happens to one region of the source version.

    Attributes
    ----------
    code:
        The region's code in the source version.
    kind:
        ``"unchanged"``, ``"recoded"``, ``"merged"``, ``"split"``, ``"boundary_shift"``
        or ``"discontinued"``.
    targets:
        ``(target code, share)`` pairs: the share of the region (by the plan's weight)
        that lies in each target region; NaN when it is unknown (a split or boundary
        shift without a weight, or without JRC data).
    """

    code: str
    kind: Kind
    targets: tuple[tuple[str, float], ...]

    @property
    def convertible(self) -> bool:
        """Whether the shares are known (a count of this region can be converted)."""
        return bool(self.targets) and all(math.isfinite(s) for _, s in self.targets)


@dataclass(frozen=True)
class ConversionPlan:
    """How every region of one NUTS version and level maps to another version.

    Build one with :func:`conversion_plan`. Iterate it (or index it by code) for the
    :class:`PlanEntry` of each source region.

    Attributes
    ----------
    from_version, to_version, level:
        The conversion.
    weight:
        The JRC weight the shares are computed with, or ``None``.
    steps:
        The consecutive steps, e.g. ``((2013, 2016), (2016, 2021))``.
    entries:
        Source code -> :class:`PlanEntry`, sorted by code.
    new:
        Codes of the target version that receive nothing from the source version.
    """

    from_version: int
    to_version: int
    level: int
    weight: str | None
    steps: tuple[tuple[int, int], ...]
    entries: Mapping[str, PlanEntry] = field(repr=False)
    new: tuple[str, ...] = field(repr=False)

    def __getitem__(self, code: str) -> PlanEntry:
        key = code.strip().upper()
        if key not in self.entries:
            raise InputError(
                f"{code!r} is not a NUTS {self.from_version} level-{self.level} code",
                hint="the plan lists the regions of the source version and level",
            )
        return self.entries[key]

    def __iter__(self) -> Iterator[PlanEntry]:
        return iter(self.entries.values())

    def __len__(self) -> int:
        return len(self.entries)

    def codes(self, kind: str) -> tuple[str, ...]:
        """The source codes of one kind of change, e.g. ``plan.codes("split")``."""
        return tuple(e.code for e in self.entries.values() if e.kind == kind)

    def summary(self) -> dict[str, int]:
        """Number of source regions of each kind, plus ``"new"`` target regions."""
        out = dict.fromkeys(_KINDS, 0)
        for entry in self.entries.values():
            out[entry.kind] += 1
        out["new"] = len(self.new)
        return out

    def to_frame(self) -> pd.DataFrame:
        """The plan as a long table: source, kind, target, share (one row per pair).

        Discontinued regions have one row with no target.
        """
        import pandas as pd

        rows: list[tuple[str, str, str | None, float]] = []
        for e in self.entries.values():
            if not e.targets:
                rows.append((e.code, e.kind, None, math.nan))
            rows += [(e.code, e.kind, t, s) for t, s in e.targets]
        return pd.DataFrame(rows, columns=["source", "kind", "target", "share"])


def conversion_plan(
    from_version: int,
    to_version: int,
    *,
    level: int,
    weight: str | None = None,
) -> ConversionPlan:
    """The correspondence of every region of one NUTS version and level with another.

    Parameters
    ----------
    from_version, to_version:
        NUTS versions (2010, 2013, 2016, 2021, 2024), in either order; distant versions
        are reached through the consecutive ones.
    level:
        NUTS level, 0 (countries) to 3.
    weight:
        A JRC weight (:data:`CONVERSION_WEIGHTS`: ``"areaKm"``, ``"pop11"``, ``"pop21"``,
        ``"artif_surf12"``, ``"artif_surf18"``, ``"bu_vol"``) to compute the shares of
        split and shifted regions; without one those shares are NaN.

    Returns
    -------
    ConversionPlan

    Examples
    --------
    >>> plan = conversion_plan(2013, 2016, level=2, weight="pop21")
    >>> plan["FR24"].kind, plan["FR24"].targets
    ('recoded', (('FRB0', 1.0),))
    >>> plan["LT00"].kind, [(t, round(s, 3)) for t, s in plan["LT00"].targets]
    ('split', [('LT01', 0.288), ('LT02', 0.712)])
    >>> conversion_plan(2013, 2016, level=2)["LT00"].convertible
    False
    """
    a, b = check_version(from_version), check_version(to_version)
    lv = _check_level(level)
    w = _check_weight(weight)
    return _plan(a, b, lv, w)


@cache
def _plan(a: int, b: int, level: int, weight: str | None) -> ConversionPlan:
    import numpy as np
    from scipy import sparse

    from smartspec.geo import _conversion_data as data

    steps = data.path(a, b)
    w_idx = None if weight is None else CONVERSION_WEIGHTS.index(weight)
    if not steps:
        same = {c: PlanEntry(c, "unchanged", ((c, 1.0),)) for c in sorted(codes(a, level))}
        return ConversionPlan(a, b, level, weight, (), MappingProxyType(same), ())
    share = exact = inside = support = None
    sources: tuple[str, ...] = ()
    targets: tuple[str, ...] = ()
    for i, (x, y) in enumerate(steps):
        st = data.step(x, y, (level,))
        shape = (len(st.sources), len(st.targets))

        def mk(values: NDArray[np.float64], st: Step = st, shape: tuple[int, int] = shape) -> Any:
            return sparse.csr_matrix((values, (st.src, st.tgt)), shape=shape)

        p = mk(st.additive_coef(w_idx))
        e = mk(np.where(st.whole_src, 1.0, np.nan))
        q = mk(np.where(st.whole_tgt, 1.0, np.nan))
        s = mk(np.ones(len(st.src)))
        if i == 0:
            share, exact, inside, support, sources = p, e, q, s, st.sources
        else:
            share, exact, inside, support = share @ p, exact @ e, inside @ q, support @ s
        targets = st.targets
    assert share is not None
    assert exact is not None
    assert inside is not None
    sup = cast(Any, support).tocoo()
    n_in = np.bincount(sup.col, minlength=len(targets))

    def lookup(m: Any) -> dict[tuple[int, int], float]:
        c = m.tocoo()
        return {(int(i), int(j)): float(v) for i, j, v in zip(c.row, c.col, c.data, strict=True)}

    sh, ex, ins = lookup(share), lookup(exact), lookup(inside)
    by_source: dict[int, list[int]] = {}
    for i, j in zip(sup.row, sup.col, strict=True):
        by_source.setdefault(int(i), []).append(int(j))
    entries: dict[str, PlanEntry] = {}
    for i, code in enumerate(sources):
        cols = sorted(by_source.get(i, []))
        pairs = tuple((targets[j], sh.get((i, j), 0.0)) for j in cols)
        entries[code] = PlanEntry(code, _kind(code, i, cols, targets, ex, ins, n_in), pairs)
    new = tuple(t for j, t in enumerate(targets) if n_in[j] == 0)
    return ConversionPlan(a, b, level, weight, tuple(steps), MappingProxyType(entries), new)


def _kind(
    code: str,
    i: int,
    cols: list[int],
    targets: tuple[str, ...],
    exact: dict[tuple[int, int], float],
    inside: dict[tuple[int, int], float],
    n_in: NDArray[np.intp],
) -> Kind:
    if not cols:
        return "discontinued"
    if len(cols) == 1:
        j = cols[0]
        if exact.get((i, j)) == 1.0:
            if n_in[j] > 1:
                return "merged"
            if inside.get((i, j)) == 1.0:
                return "unchanged" if targets[j] == code else "recoded"
        return "boundary_shift"
    if all(n_in[j] == 1 and inside.get((i, j)) == 1.0 for j in cols):
        return "split"
    return "boundary_shift"


# --------------------------------------------------------------------------- arguments
def _check_level(level: object) -> int:
    if isinstance(level, bool) or not isinstance(level, int) or not 0 <= level <= 3:
        raise InputError(f"unknown NUTS level {level!r}", hint="use 0 (country), 1, 2 or 3")
    return level


def _check_weight(weight: object) -> str | None:
    if weight is None:
        return None
    if isinstance(weight, str):
        text = weight.strip()
        for name in CONVERSION_WEIGHTS:
            if text.lower() == name.lower():
                return name
        if text.lower() in _ALIASES:
            return _ALIASES[text.lower()]
    listed = ", ".join(f"{w!r} ({_WEIGHT_NAMES[w]})" for w in CONVERSION_WEIGHTS)
    raise InputError(f"unknown conversion weight {weight!r}", hint=f"use one of {listed}")
