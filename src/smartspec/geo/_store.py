"""The bundled NUTS code lists: loading, validation and the code-level functions."""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Iterable
from functools import cache
from importlib import resources
from typing import Any, cast

from rapidfuzz.distance import Levenshtein

from smartspec.errors import InputError, UnknownCodeError
from smartspec.geo._countries import to_nuts_country
from smartspec.geo._model import LATEST_VERSION, NUTS_VERSIONS, Region

_EXTRA_REGIO = re.compile(r"^[A-Z]{2}Z{1,3}$")
_AGGREGATE = re.compile(r"^(EU|EA|EEA|EFTA)\d{0,2}(_\d{4})?$")
_CODE_SHAPE = re.compile(r"^[A-Z]{2}[0-9A-Z]{0,3}$")


def read_data(name: str) -> bytes:
    """Bytes of a bundled data file (gunzipped if its name ends in ``.gz``)."""
    raw = resources.files("smartspec.geo").joinpath("_data", name).read_bytes()
    return gzip.decompress(raw) if name.endswith(".gz") else raw


@cache
def _raw() -> dict[str, Any]:
    return cast(dict[str, Any], json.loads(read_data("regions.json.gz")))


@cache
def _table(version: int) -> dict[str, Region]:
    raw = _raw()
    latin: dict[str, str] = raw["name_latn_2024"] if version == 2024 else {}
    irregular: dict[str, str] = raw["irregular_parents"]
    out: dict[str, Region] = {}
    for code, name in raw["versions"][str(version)]:
        level = len(code) - 2
        parent = None if level == 0 else irregular.get(code, code[:-1])
        out[code] = Region(
            code=code,
            name=name,
            level=level,
            country=code[:2],
            version=version,
            parent=parent,
            name_latn=latin.get(code),
            extra_regio=is_extra_regio(code),
        )
    return out


def check_version(version: object) -> int:
    """Validate a NUTS version; returns it as an int."""
    if isinstance(version, bool) or not isinstance(version, int | str):
        raise InputError(f"unknown NUTS version {version!r}", hint=_versions_hint())
    try:
        value = int(version)
    except ValueError:
        raise InputError(f"unknown NUTS version {version!r}", hint=_versions_hint()) from None
    if value not in NUTS_VERSIONS:
        raise InputError(f"unknown NUTS version {version!r}", hint=_versions_hint())
    return value


def _versions_hint() -> str:
    return "NUTS versions are " + ", ".join(str(v) for v in NUTS_VERSIONS)


def check_level(level: object) -> int | None:
    """Validate a NUTS level filter (None or 0-3)."""
    if level is None:
        return None
    if isinstance(level, bool) or not isinstance(level, int) or not 0 <= level <= 3:
        raise InputError(f"unknown NUTS level {level!r}", hint="use 0 (country), 1, 2 or 3")
    return level


def check_country(country: object) -> str | None:
    """Validate a country filter (None or a NUTS/ISO country code); returns the NUTS code."""
    if country is None:
        return None
    if not isinstance(country, str):
        raise InputError(f"country must be a 2-letter country code, not {country!r}")
    return to_nuts_country(country)


def _clean_code(code: object) -> str:
    if not isinstance(code, str) or not code.strip():
        raise InputError(f"a NUTS code must be a non-empty string, not {code!r}")
    return code.strip().upper()


def get_region(code: str, version: int = LATEST_VERSION) -> Region:
    """The region with a NUTS code in a NUTS version.

    Parameters
    ----------
    code:
        NUTS code, case-insensitive (``"se211"``); a country code for level 0.
    version:
        NUTS version, default 2024.

    Raises
    ------
    UnknownCodeError
        If the code is not in that version; the message names the closest codes with
        their names, and the versions that do have the code.

    Examples
    --------
    >>> get_region("se211").name
    'Jönköpings län'
    >>> get_region("SE").name
    'Sverige'
    >>> get_region("EL51", 2013).name
    'Aνατολική Μακεδονία, Θράκη'
    """
    v = check_version(version)
    key = _clean_code(code)
    table = _table(v)
    region = table.get(key)
    if region is not None:
        return region
    context = None
    if is_aggregate(key):
        context = "(an EU/euro-area aggregate, not a region)"
    else:
        elsewhere = versions_of(key)
        if elsewhere:
            context = f"in NUTS {v} (it exists in NUTS {', '.join(map(str, elsewhere))})"
        else:
            context = f"in NUTS {v}"
    raise UnknownCodeError(
        "region", code, [r.label for r in closest_codes(key, v)], context=context
    )


def closest_codes(code: str, version: int, n: int = 3) -> list[Region]:
    """The regions whose codes are closest to ``code``: longest common prefix, then edits."""
    table = _table(version)

    def key(candidate: str) -> tuple[int, int, int, int, str]:
        prefix = 0
        for a, b in zip(candidate, code, strict=False):
            if a != b:
                break
            prefix += 1
        # then fewest edits, then nearest characters (SE999 is nearer SE332 than SE110)
        near = sum(abs(ord(a) - ord(b)) for a, b in zip(candidate, code, strict=False))
        edits = Levenshtein.distance(candidate, code)
        return (-prefix, edits, abs(len(candidate) - len(code)), near, candidate)

    ranked = sorted((c for c in table if not is_extra_regio(c)), key=key)
    return [table[c] for c in ranked[:n]]


def regions(
    version: int = LATEST_VERSION, *, level: int | None = None, country: str | None = None
) -> list[Region]:
    """All regions of a NUTS version, sorted by code, optionally of one level or country.

    Extra-Regio codes are included (``Region.extra_regio`` tells them apart).

    Examples
    --------
    >>> [r.code for r in regions(2024, level=2, country="SE")]
    ['SE11', 'SE12', 'SE21', 'SE22', 'SE23', 'SE31', 'SE32', 'SE33', 'SEZZ']
    >>> len(regions(2024, level=0))
    39
    """
    v = check_version(version)
    lv = check_level(level)
    cc = check_country(country)
    return [
        r
        for r in _table(v).values()
        if (lv is None or r.level == lv) and (cc is None or r.country == cc)
    ]


def children(code: str, version: int = LATEST_VERSION) -> list[Region]:
    """The regions one level below ``code`` in a NUTS version, sorted by code.

    Examples
    --------
    >>> [r.code for r in children("SE2")]
    ['SE21', 'SE22', 'SE23']
    >>> [r.code for r in children("SE")]
    ['SE1', 'SE2', 'SE3', 'SEZ']
    """
    region = get_region(code, version)
    return [r for r in _table(region.version).values() if r.parent == region.code]


@cache
def codes(version: int = LATEST_VERSION, level: int | None = None) -> frozenset[str]:
    """The set of codes of a NUTS version, optionally of one level.

    Examples
    --------
    >>> "SE211" in codes(2024), "EL11" in codes(2010), "EL11" in codes(2013)
    (True, True, False)
    >>> len(codes(2024, level=2))
    365
    """
    v = check_version(version)
    lv = check_level(level)
    return frozenset(c for c, r in _table(v).items() if lv is None or r.level == lv)


def versions_of(code: str) -> tuple[int, ...]:
    """The NUTS versions that contain ``code`` (case-insensitive), oldest first.

    Examples
    --------
    >>> versions_of("SE211")
    (2010, 2013, 2016, 2021, 2024)
    >>> versions_of("EL11"), versions_of("XX9")
    ((2010,), ())
    """
    return all_codes().get(_clean_code(code), ())


def detect_version(codes_: Iterable[str]) -> tuple[int, ...]:
    """The NUTS versions in which every given code exists.

    EU/euro-area aggregates (``EU28``, ``EA19``…) are ignored; blank strings too. With no
    codes left, every version qualifies.

    Examples
    --------
    >>> detect_version(["SE211", "EL51", "FRY1"])
    (2016, 2021, 2024)
    >>> detect_version(["EL11", "EU28"])
    (2010,)
    """
    if isinstance(codes_, str):
        raise InputError("detect_version takes a collection of codes, not one string")
    keys = {c.strip().upper() for c in codes_ if c.strip()}
    keys = {k for k in keys if not is_aggregate(k)}
    return tuple(v for v in NUTS_VERSIONS if keys <= _table(v).keys())


def is_extra_regio(code: str) -> bool:
    """Whether ``code`` is an Extra-Regio code (``SEZ``, ``SEZZ``, ``SEZZZ``).

    Examples
    --------
    >>> is_extra_regio("SEZZZ"), is_extra_regio("sezz"), is_extra_regio("SE211")
    (True, True, False)
    """
    return bool(_EXTRA_REGIO.match(code.strip().upper()))


def is_aggregate(code: str) -> bool:
    """Whether ``code`` is an EU/euro-area aggregate such as ``EU28``, ``EU27_2020``, ``EA19``.

    Examples
    --------
    >>> is_aggregate("EU27_2020"), is_aggregate("ea19"), is_aggregate("SE")
    (True, True, False)
    """
    return bool(_AGGREGATE.match(code.strip().upper()))


def looks_like_code(text: str) -> bool:
    """Whether ``text`` has the shape of a NUTS code (two letters, up to 3 more characters)."""
    return bool(_CODE_SHAPE.match(text))


@cache
def all_codes() -> dict[str, tuple[int, ...]]:
    """Every code of every version -> the versions that have it."""
    out: dict[str, list[int]] = {}
    for v in NUTS_VERSIONS:
        for code in _table(v):
            out.setdefault(code, []).append(v)
    return {c: tuple(vs) for c, vs in out.items()}


def newest(code: str) -> Region:
    """The region of ``code`` in the newest version that has it."""
    return _table(all_codes()[code][-1])[code]


def table(version: int) -> dict[str, Region]:
    """code -> Region of a (validated) version."""
    return _table(version)


def raw_data() -> dict[str, Any]:
    """The parsed ``regions.json.gz``."""
    return _raw()
