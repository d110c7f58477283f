"""Region codes: NUTS version and level, aggregates, Extra-Regio and unknown codes.

:func:`_check_regions` classifies the distinct region codes of a table being built:
aggregates of countries (``EU28``), Extra-Regio codes and codes coarser than the
table's level are dropped (with a reason for the report); codes that are not codes of
the NUTS version (declared, or detected with :func:`smartspec.geo.detect_version`) are
refused with an :class:`UnknownRegionCodesError` that suggests close codes, or dropped
with ``unknown_regions="drop"``.

:mod:`smartspec.geo` is imported when a NUTS table is first checked, not with this
module. Core module: no I/O, no web, database or plotting imports.
"""

from __future__ import annotations

import difflib
import functools
import importlib
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, cast

import numpy as np
from numpy.typing import NDArray

from smartspec.errors import InputError
from smartspec.table.meta import NUTS_VERSIONS
from smartspec.table.validate import _MAX_LISTED, _first_row, _list

__all__ = ["UnknownRegionCodesError"]

_NUTS_SHAPE = re.compile(r"^[A-Z]{2}[0-9A-Z]{0,3}$")


class UnknownRegionCodesError(InputError):
    """Region codes that are not codes of the table's NUTS version.

    ``codes`` lists them; ``suggestions`` maps each to the closest known codes.
    """

    def __init__(
        self,
        message: str,
        *,
        codes: Sequence[str],
        suggestions: Mapping[str, Sequence[str]],
        source: str | None = None,
        row: int | None = None,
        column: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.codes = list(codes)
        self.suggestions = {k: list(v) for k, v in suggestions.items()}
        super().__init__(message, source=source, row=row, column=column, hint=hint)


def _geo() -> Any:
    return importlib.import_module("smartspec.geo")


def _nuts_level(code: str) -> int | None:
    return len(code) - 2 if _NUTS_SHAPE.match(code) else None


@functools.cache
def _known_codes(version: int, level: int) -> frozenset[str]:
    return frozenset(str(c) for c in _geo().codes(version, level))


def _versions_with_all(codes: Sequence[str]) -> tuple[int, ...]:
    """The NUTS versions in which every code exists (``geo.detect_version``)."""
    found = _geo().detect_version(list(codes))
    if found is None:
        return ()
    if isinstance(found, Iterable) and not isinstance(found, str | bytes):
        return tuple(int(v) for v in found)
    return (int(found),)


def _best_version(codes: Sequence[str]) -> int:
    """The version that knows most of the codes (the newest on a tie)."""
    best, best_n = NUTS_VERSIONS[-1], -1
    for v in NUTS_VERSIONS:
        by_level: dict[int, frozenset[str]] = {}
        n = 0
        for code in codes:
            lvl = cast(int, _nuts_level(code))
            if lvl not in by_level:
                by_level[lvl] = _known_codes(v, lvl)
            n += code in by_level[lvl]
        if n >= best_n:
            best, best_n = v, n
    return best


def _check_regions(
    uniques: list[str],
    version: int | None,
    level: int | None,
    unknown_policy: str,
    codes: NDArray[np.intp],
    rows: NDArray[np.int64],
    source: str | None,
    column: str,
    notes: list[str],
) -> tuple[int | None, int | None, dict[int, str]]:
    """Classify the distinct region codes; returns (version, level, {index: drop reason})."""
    geo = _geo()
    reasons: dict[int, str] = {}
    candidates: dict[int, int] = {}  # unique index -> NUTS level (-1: not shaped like NUTS)
    for i, code in enumerate(uniques):
        if geo.is_aggregate(code):
            reasons[i] = "aggregate of countries, not a region"
        elif geo.is_extra_regio(code):
            reasons[i] = "Extra-Regio, not a region"
        else:
            lvl = _nuts_level(code)
            candidates[i] = -1 if lvl is None else lvl
    shaped = [uniques[i] for i, lv in candidates.items() if lv >= 0]
    check_version = version
    if version is None and shaped:
        options = _versions_with_all(shaped)
        if len(options) == 1:
            version = check_version = options[0]
        elif options:
            check_version = options[-1]
            notes.append(
                "NUTS version not declared and the codes exist in several versions ("
                + ", ".join(str(v) for v in options)
                + "); pass nuts_version=... to record it"
            )
        else:
            check_version = _best_version(shaped)
            if unknown_policy == "drop":
                version = check_version
                notes.append(
                    f"NUTS version not declared; NUTS {version} knows most of the codes, "
                    "the others are dropped"
                )
    unknown: list[int] = []
    if check_version is not None:
        known_by_level: dict[int, frozenset[str]] = {}
        for i, lvl in candidates.items():
            if lvl < 0:
                unknown.append(i)
                continue
            if lvl not in known_by_level:
                known_by_level[lvl] = _known_codes(check_version, lvl)
            if uniques[i] not in known_by_level[lvl]:
                unknown.append(i)
    elif candidates:  # nothing shaped like a NUTS code at all
        unknown = list(candidates)
    if unknown:
        if unknown_policy == "drop":
            for i in unknown:
                reasons[i] = (
                    f"not a NUTS {check_version} code"
                    if check_version is not None
                    else "not a NUTS code"
                )
                del candidates[i]
        else:
            raise _unknown_regions_error(
                [uniques[i] for i in unknown],
                check_version,
                version is not None,
                codes,
                unknown,
                rows,
                source,
                column,
            )
    if candidates:
        finest = max(candidates.values())
        if level is None:
            level = finest
        elif finest > level:
            fine = sorted(uniques[i] for i, lv in candidates.items() if lv > level)
            raise InputError(
                f"the table is declared NUTS level {level}, but it has codes of level "
                f"{finest}: {_list(fine, 6)}",
                source=source,
                column=column,
                hint=f"pass region_level={finest}, or aggregate the level-{finest} rows first",
            )
        for i, lvl in candidates.items():
            if lvl < level:
                what = "country total" if lvl == 0 else f"NUTS {lvl} region"
                reasons[i] = f"aggregate: {what} in a NUTS {level} table"
    return version, level, reasons


def _unknown_regions_error(
    unknown_codes: list[str],
    version: int | None,
    declared: bool,
    codes: NDArray[np.intp],
    unknown_idx: list[int],
    rows: NDArray[np.int64],
    source: str | None,
    column: str,
) -> UnknownRegionCodesError:
    suggestions: dict[str, list[str]] = {}
    parts: list[str] = []
    for code in unknown_codes[:_MAX_LISTED]:
        lvl = _nuts_level(code.upper())
        other: list[int] = []
        close: list[str] = []
        if lvl is not None:
            for v in NUTS_VERSIONS:
                if v != version and code in _known_codes(v, lvl):
                    other.append(v)
        if version is not None:
            levels = [lvl] if lvl is not None else [0, 1, 2, 3]
            pool: set[str] = set()
            for lv in levels:
                pool |= _known_codes(version, lv)
            same_country = {c for c in pool if c[:2] == code[:2].upper()}
            if code.upper() in pool:
                close = [code.upper()]
            else:
                close = difflib.get_close_matches(
                    code.upper(), sorted(same_country or pool), n=3, cutoff=0.5
                )
        suggestions[code] = close
        text = repr(code)
        if other:
            text += f" (a NUTS {'/'.join(map(str, other))} code)"
        elif close:
            text += f" (did you mean {' or '.join(close)}?)"
        parts.append(text)
    more = len(unknown_codes) - len(parts)
    n = len(unknown_codes)
    listed = ", ".join(parts) + (f" and {more} more" if more > 0 else "")
    if version is None:
        message = f"{n} region code{'s are' if n != 1 else ' is'} not NUTS codes: {listed}"
        hint = "pass region_scheme='…' if the codes are of another scheme (e.g. 'ISO3')"
    elif declared:
        message = (
            f"{n} region code{'s are' if n != 1 else ' is'} not NUTS {version} codes: {listed}"
        )
        hint = (
            "correct the codes, declare the right nuts_version, or pass "
            "unknown_regions='drop' to drop them (they are listed in the report)"
        )
    else:
        message = (
            f"the region codes are not all of one NUTS version; NUTS {version} knows most "
            f"of them, but not {listed}"
        )
        hint = (
            "correct or convert the codes, declare nuts_version=..., or pass "
            "unknown_regions='drop' to drop the codes the version lacks (listed in the report)"
        )
    first = _first_row(np.isin(codes, unknown_idx), rows)
    return UnknownRegionCodesError(
        message,
        codes=unknown_codes,
        suggestions=suggestions,
        source=source,
        row=first,
        column=column,
        hint=hint,
    )
