"""NACE Rev. 2: the hierarchy, Eurostat's aggregates, and which codes nest.

The hierarchy (21 sections, 88 divisions, 272 groups, 615 classes, with Eurostat's
English and Swedish names, plus Statistics Sweden's 821 SNI 2007 detail groups) is
bundled in ``_data/nace_rev2_sni2007.csv`` and read on first use.

Codes are accepted in the usual spellings: ``"C"``, ``"10"``, ``"C10"``, ``"10.1"``,
``"101"``, ``"10.11"``, ``"1011"``, ``"C1011"``, SNI ``"10.111"``/``"10111"``, and
Eurostat's aggregates: section ranges (``"B-E"``, ``"G-I"``, ``"O-U"``), joins (``"M_N"``,
also written ``"M-N"``), division ranges (``"C10-C12"``) and ``"TOTAL"``.
"""

from __future__ import annotations

import csv
import difflib
import functools
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from typing import Literal

from smartspec.errors import InputError, UnknownCodeError

__all__ = [
    "A10",
    "NACE_REV2",
    "SECTIONS",
    "Classification",
    "is_nace_code",
    "nace_codes",
    "nace_level",
    "nace_name",
    "nace_parent",
    "nace_sections_of",
    "normalize_nace",
    "overlapping_activities",
]

SECTIONS: tuple[str, ...] = tuple("ABCDEFGHIJKLMNOPQRSTU")
"""The 21 NACE Rev. 2 sections, in order."""

A10: tuple[str, ...] = ("A", "B-E", "F", "G-I", "J", "K", "L", "M_N", "O-Q", "R-U")
"""Eurostat's A*10 grouping used in regional statistics (C is an "of which" of B-E)."""

TOTAL = "TOTAL"

_TOTAL_NAMES = {"en": "All NACE activities (total)", "sv": "Samtliga näringsgrenar (totalt)"}


@dataclass(frozen=True)
class Classification:
    """Identity of an activity (or product) classification.

    Examples
    --------
    >>> str(Classification(name="NACE", version="Rev. 2"))
    'NACE Rev. 2'
    >>> NACE_REV2 == Classification("NACE", "Rev. 2")
    True
    """

    name: str
    version: str | None = None

    def __str__(self) -> str:
        return f"{self.name} {self.version}" if self.version else self.name


NACE_REV2 = Classification(name="NACE", version="Rev. 2")


# --------------------------------------------------------------------------- the data
@dataclass(frozen=True)
class _Node:
    level: int
    code: str
    parent: str | None
    name_en: str
    name_sv: str


@dataclass(frozen=True)
class _Hierarchy:
    nodes: dict[str, _Node]
    children: dict[str, tuple[str, ...]]
    leaf_index: dict[str, int]  # leaf code -> bit position
    masks: dict[str, int]  # hierarchy code -> bitmask of the leaves it covers
    section_of: dict[str, str]


@functools.cache
def _hierarchy() -> _Hierarchy:
    text = (
        resources.files("smartspec.taxonomy")
        .joinpath("_data", "nace_rev2_sni2007.csv")
        .read_text(encoding="utf-8")
    )
    nodes: dict[str, _Node] = {}
    children: dict[str, list[str]] = {}
    for row in csv.DictReader(io.StringIO(text)):
        node = _Node(
            level=int(row["level"]),
            code=row["code"],
            parent=row["parent"] or None,
            name_en=row["name_en"],
            name_sv=row["name_sv"],
        )
        nodes[node.code] = node
        if node.parent is not None:
            children.setdefault(node.parent, []).append(node.code)
    leaves = [code for code in nodes if code not in children]
    leaf_index = {code: i for i, code in enumerate(leaves)}
    masks: dict[str, int] = {}

    def mask(code: str) -> int:
        if code not in masks:
            if code in leaf_index:
                masks[code] = 1 << leaf_index[code]
            else:
                value = 0
                for child in children[code]:
                    value |= mask(child)
                masks[code] = value
        return masks[code]

    section_of: dict[str, str] = {}
    for code, node in nodes.items():
        mask(code)
        top = node
        while top.parent is not None:
            top = nodes[top.parent]
        section_of[code] = top.code
    return _Hierarchy(
        nodes=nodes,
        children={k: tuple(v) for k, v in children.items()},
        leaf_index=leaf_index,
        masks=masks,
        section_of=section_of,
    )


# --------------------------------------------------------------------------- parsing
@dataclass(frozen=True)
class _Parsed:
    """A parsed code: its canonical spelling, level, and the hierarchy codes it unites."""

    canonical: str
    level: int
    parts: tuple[str, ...]  # hierarchy codes (for aggregates: several)
    aggregate: bool


_DIGITS = re.compile(r"^([A-U])?(\d{2})(?:\.?(\d{1,3}))?$")
_SECTION_RANGE = re.compile(r"^([A-U])-([A-U])$")
_DIVISION_RANGE = re.compile(r"^([A-U])?(\d{2})-([A-U])?(\d{2})$")


def _parse_single(code: str) -> _Parsed | None:
    h = _hierarchy()
    if code in SECTIONS:
        return _Parsed(code, 1, (code,), False)
    m = _DIGITS.match(code)
    if m is None:
        return None
    letter, division, rest = m.groups()
    canonical = division if rest is None else f"{division}.{rest}"
    node = h.nodes.get(canonical)
    if node is None:
        return None
    if letter is not None and h.section_of[canonical] != letter:
        return None
    return _Parsed(canonical, node.level, (canonical,), False)


@functools.cache
def _parse(code: str) -> _Parsed | None:
    text = code.strip().upper()
    if not text:
        return None
    if text == TOTAL:
        return _Parsed(TOTAL, 0, SECTIONS, True)
    single = _parse_single(text)
    if single is not None:
        return single
    m = _SECTION_RANGE.match(text)
    if m is not None:
        start, end = SECTIONS.index(m.group(1)), SECTIONS.index(m.group(2))
        if start >= end:
            return None
        secs = SECTIONS[start : end + 1]
        # Eurostat writes a pair of adjacent sections as a join: M-N is M_N
        canonical = "_".join(secs) if len(secs) == 2 else text
        return _Parsed(canonical, 1, secs, True)
    m = _DIVISION_RANGE.match(text)
    if m is not None:
        first = _parse_single((m.group(1) or "") + m.group(2))
        last = _parse_single((m.group(3) or "") + m.group(4))
        if first is None or last is None or first.level != 2 or last.level != 2:
            return None
        lo, hi = int(first.canonical), int(last.canonical)
        if lo >= hi:
            return None
        divisions = tuple(
            code
            for code, node in _hierarchy().nodes.items()
            if node.level == 2 and lo <= int(code) <= hi
        )
        return _Parsed(text, 2, divisions, True)
    if "_" in text:
        pieces = [_parse_single(p) for p in text.split("_")]
        if any(p is None for p in pieces) or len(pieces) < 2:
            return None
        parsed = [p for p in pieces if p is not None]
        levels = {p.level for p in parsed}
        return _Parsed(text, min(levels), tuple(p.canonical for p in parsed), True)
    return None


def _require(code: str) -> _Parsed:
    parsed = _parse(code) if isinstance(code, str) else None
    if parsed is None:
        raise UnknownCodeError(
            "NACE Rev. 2 code",
            str(code),
            _suggest(str(code)),
            context="(use a section such as 'C', a division such as '10', a group '10.1', "
            "a class '10.11', an aggregate such as 'B-E' or 'TOTAL')",
        )
    return parsed


def _suggest(code: str) -> list[str]:
    h = _hierarchy()
    text = code.strip().upper()
    pool = [*SECTIONS, *A10, "TOTAL", *(c for c, n in h.nodes.items() if n.level <= 4)]
    return difflib.get_close_matches(text, pool, n=3, cutoff=0.6)


def _runs(mask: int) -> list[tuple[int, int]]:
    """The runs of set bits of *mask* as (first, last) bit positions."""
    out: list[tuple[int, int]] = []
    pos = 0
    while mask:
        zeros = (mask & -mask).bit_length() - 1  # trailing zeros
        mask >>= zeros
        pos += zeros
        ones = (~mask & (mask + 1)).bit_length() - 1  # trailing ones
        out.append((pos, pos + ones - 1))
        mask >>= ones
        pos += ones
    return out


def _mask(parsed: _Parsed) -> int:
    masks = _hierarchy().masks
    value = 0
    for part in parsed.parts:
        value |= masks[part]
    return value


# --------------------------------------------------------------------------- public API
def is_nace_code(code: str) -> bool:
    """Whether *code* is a NACE Rev. 2 code or one of Eurostat's aggregates.

    Examples
    --------
    >>> is_nace_code("C10"), is_nace_code("B-E"), is_nace_code("NRP")
    (True, True, False)
    """
    return isinstance(code, str) and _parse(code) is not None


def normalize_nace(code: str) -> str:
    """The canonical spelling of a NACE code (dotted digits, ``M_N`` for joins).

    Raises
    ------
    UnknownCodeError
        If *code* is not a NACE Rev. 2 code or aggregate.

    Examples
    --------
    >>> normalize_nace("C1011"), normalize_nace("101"), normalize_nace("M-N")
    ('10.11', '10.1', 'M_N')
    """
    return _require(code).canonical


def nace_sections_of(code: str) -> frozenset[str]:
    """The NACE sections that *code* covers (wholly or in part).

    Examples
    --------
    >>> sorted(nace_sections_of("B-E"))
    ['B', 'C', 'D', 'E']
    >>> nace_sections_of("10") == {"C"}
    True
    >>> len(nace_sections_of("TOTAL"))
    21
    """
    parsed = _require(code)
    section_of = _hierarchy().section_of
    return frozenset(section_of[part] for part in parsed.parts)


def nace_level(code: str) -> int:
    """Level of *code*: 1 section, 2 division, 3 group, 4 class, 5 SNI detail group.

    Aggregates take the level of the codes they join (``"B-E"`` and ``"M_N"`` are 1,
    ``"C10-C12"`` is 2); ``"TOTAL"`` is 0.

    Examples
    --------
    >>> [nace_level(c) for c in ("TOTAL", "C", "B-E", "10", "10.1", "10.11", "10.111")]
    [0, 1, 1, 2, 3, 4, 5]
    """
    return _require(code).level


def nace_parent(code: str) -> str | None:
    """The code one level up (a division's section, a class's group…), or ``None``.

    Sections, aggregates and ``"TOTAL"`` have no parent.

    Examples
    --------
    >>> nace_parent("10.11"), nace_parent("10"), nace_parent("C")
    ('10.1', 'C', None)
    """
    parsed = _require(code)
    if parsed.aggregate:
        return None
    return _hierarchy().nodes[parsed.canonical].parent


def nace_name(code: str, lang: Literal["en", "sv"] = "en") -> str:
    """Name of *code* in English (``"en"``) or Swedish (``"sv"``).

    Names are Eurostat's as published (section names are in upper case). SNI 2007 detail
    groups (level 5) have Swedish names only; in English their Swedish name is returned.
    An aggregate is named by its parts, joined by ``"; "``.

    Examples
    --------
    >>> nace_name("10")
    'Manufacture of food products'
    >>> nace_name("C", lang="sv")
    'TILLVERKNING'
    >>> for part in nace_name("M_N").split("; "):
    ...     print(part)
    PROFESSIONAL, SCIENTIFIC AND TECHNICAL ACTIVITIES
    ADMINISTRATIVE AND SUPPORT SERVICE ACTIVITIES
    """
    if lang not in ("en", "sv"):
        raise InputError(f"unknown language {lang!r}", hint="use lang='en' or lang='sv'")
    parsed = _require(code)
    if parsed.canonical == TOTAL:
        return _TOTAL_NAMES[lang]
    nodes = _hierarchy().nodes

    def one(c: str) -> str:
        node = nodes[c]
        return (node.name_en or node.name_sv) if lang == "en" else node.name_sv

    return "; ".join(one(part) for part in parsed.parts)


def nace_codes(level: int) -> tuple[str, ...]:
    """All codes of one level (1 sections … 4 classes, 5 SNI detail groups), in order.

    Examples
    --------
    >>> len(nace_codes(1)), len(nace_codes(2)), len(nace_codes(3)), len(nace_codes(4))
    (21, 88, 272, 615)
    """
    if level not in (1, 2, 3, 4, 5):
        raise InputError(f"NACE level must be 1 to 5, not {level!r}")
    return tuple(c for c, node in _hierarchy().nodes.items() if node.level == level)


def overlapping_activities(codes: Iterable[str]) -> list[tuple[str, str]]:
    """Pairs of *codes* that cover some of the same activities.

    A table cannot hold both codes of such a pair: their values would be counted twice.
    When one code nests inside the other the pair is ``(inner, outer)`` (``("C", "B-E")``,
    ``("10", "C")``, anything with ``"TOTAL"``); codes that only partly overlap
    (``"G-I"`` and ``"G-J"``) come in the order given. Codes that are not NACE codes are
    ignored. Codes are returned as given.

    Examples
    --------
    >>> overlapping_activities(["A", "B-E", "C", "F", "TOTAL"])
    [('A', 'TOTAL'), ('B-E', 'TOTAL'), ('C', 'B-E'), ('C', 'TOTAL'), ('F', 'TOTAL')]
    >>> overlapping_activities(["10", "11", "G-I", "J"])
    []
    """
    known: list[tuple[str, int]] = []
    seen: set[str] = set()
    for code in codes:
        if code in seen:
            continue
        seen.add(code)
        parsed = _parse(code) if isinstance(code, str) else None
        if parsed is not None:
            known.append((code, _mask(parsed)))
    # Sweep over the runs of leaves each code covers (leaves are in hierarchical order, so
    # a code covers one run, an aggregate a few): only codes whose runs meet can overlap.
    events = sorted((lo, hi, i) for i, (_, mask) in enumerate(known) for lo, hi in _runs(mask))
    active: list[tuple[int, int]] = []  # (last leaf, code index)
    candidates: set[tuple[int, int]] = set()
    for lo, hi, i in events:
        active = [(end, j) for end, j in active if end >= lo]
        for _, j in active:
            if j != i:
                candidates.add((min(i, j), max(i, j)))
        active.append((hi, i))
    pairs: list[tuple[str, str]] = []
    for i, j in candidates:
        (a, ma), (b, mb) = known[i], known[j]
        both = ma & mb
        if not both:  # pragma: no cover - runs that meet share a leaf
            continue
        if both == ma and both != mb:
            pairs.append((a, b))
        elif both == mb and both != ma:
            pairs.append((b, a))
        else:
            pairs.append((a, b))
    return sorted(pairs)
