"""Finding regions by code or name: :func:`search`, :func:`lookup`, :func:`names_of`.

How names are matched
---------------------
Every region of every NUTS version is indexed under its *official* names (Eurostat's
name in that version; for 2024 also GISCO's name and Latin-script name) and under
*aliases*: the name without a country suffix (``"Limburg"`` for ``"Limburg (NL)"``), each
part of a bilingual name (``"Bozen"``), the Swedish län forms (``"Skåne"``, ``"Region
Skåne"``), and English names of countries. Names are compared folded (see
:func:`smartspec.geo._text.fold`): case, diacritics, punctuation and script (Greek,
Cyrillic) do not matter.

Scores: 100 exact code or official name; 99 exact alias; 98 exact name the code had in
another NUTS version (when a version is given); fuzzy matches score at most 97.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import pairwise

from rapidfuzz import fuzz, process

from smartspec.errors import AmbiguousError, InputError, UnknownCodeError
from smartspec.geo._countries import LATIN_NAMES, NATIONAL_NAMES, english_aliases
from smartspec.geo._model import NUTS_VERSIONS, Match, Region
from smartspec.geo._store import (
    all_codes,
    check_country,
    check_level,
    check_version,
    closest_codes,
    is_aggregate,
    looks_like_code,
    newest,
    raw_data,
    table,
)
from smartspec.geo._sweden import lan_forms
from smartspec.geo._text import clean_space, fold

#: Lowest score :func:`lookup` accepts (a fuzzy match must be at least this good).
LOOKUP_MIN_SCORE = 85.0
#: Lowest score :func:`search` returns.
SEARCH_MIN_SCORE = 60.0

_OFFICIAL, _ALIAS, _HISTORY = 100.0, 99.0, 98.0
_FUZZY_PENALTY = 3.0  # a fuzzy score is raw * (base - 3) / 100: at most 97
_STRICT_MIN_RATIO = 75.0  # lookup: fuzzy matches must also be this similar as a whole
_NUTS_SUFFIX = re.compile(
    r"\s*[\(\[]\s*NUTS(?:[\s-]*\d{4}(?:\s*[-–/]\s*\d{4})?)?\s*[\)\]]\s*$", re.IGNORECASE
)
_COUNTRY_SUFFIX = re.compile(r"\s*\(\s*([A-Za-z]{2})\s*\)\s*$")
_ANY_SUFFIX = re.compile(r"\s*\([^()]*\)\s*$")
_ISO_COUNTRY_CODES = {"GR": "EL", "GB": "UK"}


@dataclass(frozen=True, slots=True)
class _Row:
    folded: str
    code: str
    version: int
    name: str
    official: bool


def _split_names(name: str) -> list[str]:
    """Aliases derived from one official name: without a country suffix, bilingual parts."""
    out: list[str] = []
    m = _COUNTRY_SUFFIX.search(name)
    if m and m.group(1).upper() in NATIONAL_NAMES:
        out.append(name[: m.start()].strip())
    if "/" in name:
        out.extend(part.strip() for part in name.split("/"))
    return [a for a in out if len(fold(a)) >= 3 and a != name]


@cache
def _rows() -> tuple[_Row, ...]:
    raw = raw_data()
    gisco_names: dict[str, str] = raw["gisco_name_2024"]
    sweden = lan_forms()
    folded: dict[str, str] = {}

    def f(text: str) -> str:
        out = folded.get(text)
        if out is None:
            out = folded[text] = fold(text)
        return out

    rows: list[_Row] = []
    for version in NUTS_VERSIONS:
        for code, region in table(version).items():
            official = [region.name]
            if version == 2024:
                official += [n for n in (gisco_names.get(code), region.name_latn) if n]
            aliases: list[str] = []
            for name in official:
                aliases += _split_names(name)
            if region.level == 0:
                aliases += [*english_aliases(code), LATIN_NAMES.get(code, "")]
            aliases += sweden.get(code, ())
            seen: set[str] = set()
            for names, is_official in ((official, True), (aliases, False)):
                for name in names:
                    key = f(name)
                    if name and key and name not in seen:
                        seen.add(name)
                        rows.append(_Row(key, code, version, name, is_official))
    return tuple(rows)


@dataclass(frozen=True, slots=True)
class _Cand:
    code: str
    base: float
    version: int
    name: str


@dataclass(frozen=True, slots=True)
class _View:
    exact: dict[str, tuple[_Cand, ...]]
    choices: list[str]
    cands: list[tuple[_Cand, ...]]


@lru_cache(maxsize=256)
def _view(version: int | None, country: str | None, level: int | None) -> _View:
    """The name index restricted to a version, country and level (cached per filter)."""
    in_version = table(version) if version is not None else None
    best: dict[str, dict[str, _Cand]] = {}
    for row in _rows():
        code = row.code
        if country is not None and code[:2] != country:
            continue
        if level is not None and len(code) - 2 != level:
            continue
        if version is not None and in_version is not None:
            if code not in in_version:
                continue
            same = row.version == version
            base = (_OFFICIAL if row.official else _ALIAS) if same else _HISTORY
            cand = _Cand(code, base, version, row.name)
        else:
            cand = _Cand(code, _OFFICIAL if row.official else _ALIAS, row.version, row.name)
        per_code = best.setdefault(row.folded, {})
        old = per_code.get(code)
        if old is None or (cand.base, cand.version) > (old.base, old.version):
            per_code[code] = cand
    exact = {key: tuple(per_code.values()) for key, per_code in best.items()}
    return _View(exact=exact, choices=list(exact), cands=list(exact.values()))


@dataclass(frozen=True, slots=True)
class _Query:
    text: str  # as given, cleaned of white space and a NUTS suffix
    probes: tuple[tuple[str, float], ...]  # (folded text, penalty)
    country: str | None  # country hint from a "(XX)" suffix


def _prepare(query: object) -> _Query:
    if not isinstance(query, str):
        raise InputError(f"a region query must be a string, not {type(query).__name__}")
    text = clean_space(query)
    text = _NUTS_SUFFIX.sub("", text).strip()
    if not fold(text):
        raise InputError(f"empty region query {query!r}", hint="give a NUTS code or a region name")
    probes: list[tuple[str, float]] = [(fold(text), 0.0)]
    hint = None
    m = _COUNTRY_SUFFIX.search(text)
    suffix = _ISO_COUNTRY_CODES.get(m.group(1).upper(), m.group(1).upper()) if m else None
    if m and suffix in NATIONAL_NAMES:
        hint = suffix
        probes.append((fold(text[: m.start()]), 0.0))
    elif _ANY_SUFFIX.search(text):
        stripped = fold(_ANY_SUFFIX.sub("", text))
        if stripped:
            probes.append((stripped, 3.0))
    return _Query(text, tuple(dict.fromkeys(probes)), hint)


def _region(code: str, version: int | None) -> Region:
    return table(version)[code] if version is not None else newest(code)


def _code_hit(
    text: str, version: int | None, country: str | None, level: int | None
) -> Region | None:
    key = text.replace(" ", "").upper()
    key = _ISO_COUNTRY_CODES.get(key, key)
    if not looks_like_code(key):
        return None
    if version is not None:
        found = table(version).get(key)
    else:
        found = newest(key) if key in all_codes() else None
    if found is None:
        return None
    if (country is not None and found.country != country) or (
        level is not None and found.level != level
    ):
        return None
    return found


_Hit = tuple[float, int, str, str]  # score, version of the match, code, matched name


def _collect(
    q: _Query,
    version: int | None,
    country: str | None,
    level: int | None,
    *,
    fuzzy: bool,
    limit: int,
    strict: bool = False,
) -> list[_Hit]:
    hits: dict[str, _Hit] = {}

    def add(score: float, cand: _Cand) -> None:
        hit = (round(score, 1), cand.version, cand.code, cand.name)
        old = hits.get(cand.code)
        if old is None or hit[:2] > old[:2]:
            hits[cand.code] = hit

    if q.country is not None and country is None:
        country = q.country  # a "(XX)" suffix restricts the search to that country
    view = _view(version, country, level)
    for probe, penalty in q.probes:
        for cand in view.exact.get(probe, ()):
            add(cand.base - penalty, cand)
    if fuzzy or not hits:
        probe, penalty = q.probes[-1]
        for index, (raw, choice) in _fuzzy(probe, view, max(4 * limit, 20)).items():
            if strict and not _whole_match(probe, choice):
                continue  # a partial match ("nord" for "nord norge") is no answer
            for cand in view.cands[index]:
                score = raw * (cand.base - _FUZZY_PENALTY - penalty) / 100.0
                if score >= SEARCH_MIN_SCORE:
                    add(score, cand)
    return sorted(hits.values(), key=lambda h: (-h[0], -h[1], len(h[2]), h[2]))


def _whole_match(probe: str, choice: str) -> bool:
    """Whether a fuzzy match may answer a lookup: similar as a whole, or every word of the
    query is in the name (``"limburg"`` ~ ``"prov limburg"``, not ``"nord norge"`` ~
    ``"nord"``)."""
    if fuzz.token_sort_ratio(probe, choice) >= _STRICT_MIN_RATIO:
        return True
    return set(probe.split()) <= set(choice.split())


def _fuzzy(probe: str, view: _View, n: int) -> dict[int, tuple[float, str]]:
    """Fuzzy scores of the view's names: whole-name similarity (word order ignored), or
    90% of the similarity of the words in common (``"antwerpen"`` ~ ``"prov antwerpen"``).
    """
    out: dict[int, tuple[float, str]] = {}
    for scorer, weight in ((fuzz.token_sort_ratio, 1.0), (fuzz.token_set_ratio, 0.9)):
        found = process.extract(
            probe,
            view.choices,
            scorer=scorer,
            processor=None,
            limit=n,
            score_cutoff=SEARCH_MIN_SCORE / weight,
        )
        for choice, raw, index in found:
            score = raw * weight
            if index not in out or score > out[index][0]:
                out[index] = (score, choice)
    return out


def _filters(
    version: int | None, country: str | None, level: int | None
) -> tuple[int | None, str | None, int | None]:
    v = None if version is None else check_version(version)
    return v, check_country(country), check_level(level)


def search(
    query: str,
    *,
    country: str | None = None,
    version: int | None = None,
    level: int | None = None,
    limit: int = 10,
) -> list[Match]:
    """Regions matching a code or a name, best first.

    Parameters
    ----------
    query:
        A NUTS code (any case) or a region name in any case, with or without
        diacritics, in national or Latin script. A trailing ``"(NUTS 2010)"`` is
        ignored; a trailing country code in brackets (``"Centre (FR)"``) restricts the
        search to that country.
    country:
        Only regions of this country (NUTS or ISO code).
    version:
        Only regions of this NUTS version; names the code had in other versions still
        match (score 98). ``None``: all versions, each code once, in its newest version.
    level:
        Only regions of this NUTS level (0-3).
    limit:
        At most this many matches.

    Returns
    -------
    list[Match]
        Ranked by score, then newer version, then larger region (lower level), then
        code. Matches below 50 are left out.

    Examples
    --------
    >>> [(m.region.code, m.score) for m in search("Stockholm", limit=2)]
    [('SE11', 100.0), ('SE110', 99.0)]
    >>> search("jonkoping")[0].region.code
    'SE211'
    """
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise InputError(f"limit must be a positive integer, not {limit!r}")
    q = _prepare(query)
    v, cc, lv = _filters(version, country, level)
    out: list[Match] = []
    code = _code_hit(q.text, v, cc, lv)
    if code is not None:
        out.append(Match(code, 100.0, code.code))
    elif looks_like_code(q.text.upper()) and any(ch.isdigit() for ch in q.text):
        return [
            Match(r, round(fuzz.ratio(q.text.upper(), r.code) * 0.9, 1), r.code)
            for r in _closest(q.text.upper(), v, cc, lv, limit)
        ]
    for score, _, hit_code, name in _collect(q, v, cc, lv, fuzzy=True, limit=limit):
        if len(out) >= limit:
            break
        if code is not None and hit_code == code.code:
            continue
        out.append(Match(_region(hit_code, v), score, name))
    return out[:limit]


def _closest(
    code: str, version: int | None, country: str | None, level: int | None, n: int
) -> list[Region]:
    found = closest_codes(code, version if version is not None else NUTS_VERSIONS[-1], n * 4)
    found = [
        r
        for r in found
        if (country is None or r.country == country) and (level is None or r.level == level)
    ]
    return found[:n]


def lookup(
    query: str,
    *,
    country: str | None = None,
    version: int | None = None,
    level: int | None = None,
) -> Region:
    """The one region a code or name denotes.

    Same matching as :func:`search`. Rules when several regions match:

    1. the higher score wins: an exact official name (100) beats an exact alias (99),
       which beats a name from another NUTS version (98), which beats any fuzzy match;
    2. with ``version=None``, at equal score the match in the newer NUTS version wins;
    3. if the best regions are the same territory at several levels under one name
       (``"Berlin"``: DE3, DE30, DE300) the largest (lowest level) is returned;
    4. otherwise :class:`~smartspec.errors.AmbiguousError` lists them.

    So ``lookup("Stockholm")`` is the NUTS 2 region SE11 (official name "Stockholm");
    the län SE110 ("Stockholms län", alias "Stockholm") needs ``level=3`` or its full
    name.

    A fuzzy match must score at least 85 (:data:`LOOKUP_MIN_SCORE`) and be similar as
    a whole or contain every word of the query (``"Limburg"`` finds ``"Prov. Limburg"``,
    but ``"Nord-Norge"`` does not give ``"Nord"``).

    Raises
    ------
    UnknownCodeError
        When nothing matches well enough; the message suggests the closest regions.
    AmbiguousError
        When several unrelated regions match equally well.

    Examples
    --------
    >>> lookup("Region Skåne").code, lookup("Västsverige").code
    ('SE224', 'SE23')
    >>> lookup("Stockholm").code, lookup("Stockholm", level=3).code
    ('SE11', 'SE110')
    """
    q = _prepare(query)
    v, cc, lv = _filters(version, country, level)
    code = _code_hit(q.text, v, cc, lv)
    if code is not None:
        return code
    upper = q.text.replace(" ", "").upper()
    if is_aggregate(upper):
        raise UnknownCodeError("region", query, context="(an EU/euro-area aggregate, not a region)")
    if looks_like_code(upper) and any(ch.isdigit() for ch in upper):
        raise UnknownCodeError(
            "region",
            query,
            [r.label for r in _closest(upper, v, cc, lv, 3)],
            context=_where(v, cc, lv),
        )
    hits = _collect(q, v, cc, lv, fuzzy=False, limit=5, strict=True)
    if not hits or hits[0][0] < LOOKUP_MIN_SCORE:
        if not hits:
            hits = _collect(q, v, cc, lv, fuzzy=True, limit=3)
        suggestions = [_region(h[2], v).label for h in hits[:3]]
        if v is not None:  # the name may be that of a region of another version
            elsewhere = [h for h in _collect(q, None, cc, lv, fuzzy=False, limit=3) if h[0] >= 98]
            codes_ = {h[2] for h in elsewhere}
            suggestions = [f"{h[2]} ({h[3]}, NUTS {h[1]})" for h in elsewhere[:3]] + [
                s for h, s in zip(hits, suggestions, strict=False) if h[2] not in codes_
            ]
        raise UnknownCodeError("region", query, suggestions, context=_where(v, cc, lv))
    top = hits[0]
    tied = [h for h in hits if h[:2] == top[:2]]
    if len(tied) == 1:
        return _region(top[2], v)
    regions_ = sorted((_region(h[2], v) for h in tied), key=lambda r: r.level)
    if _one_chain(regions_):
        return regions_[0]
    raise AmbiguousError("region", query, [r.label for r in regions_])


def _where(version: int | None, country: str | None, level: int | None) -> str | None:
    parts = []
    if version is not None:
        parts.append(f"NUTS {version}")
    if country is not None:
        parts.append(f"country {country}")
    if level is not None:
        parts.append(f"level {level}")
    return "in " + ", ".join(parts) if parts else None


def _one_chain(regions_: list[Region]) -> bool:
    """Whether each region (sorted by level) contains the next one."""
    for upper, lower in pairwise(regions_):
        if upper.level == lower.level or not _descends(lower, upper):
            return False
    return True


def _descends(region: Region, ancestor: Region) -> bool:
    current: Region | None = region
    tbl = table(region.version)
    while current is not None and current.level > ancestor.level:
        current = tbl.get(current.parent) if current.parent else None
    return current is not None and current.code == ancestor.code


def names_of(code: str) -> tuple[str, ...]:
    """All known names and aliases of a code over all NUTS versions, newest first.

    Examples
    --------
    >>> names_of("SE224")[:4]
    ('Skåne län', 'Skåne', 'Region Skåne', 'Region Skåne län')
    >>> "Lisboa" in names_of("PT17")
    True
    """
    key = code.strip().upper() if isinstance(code, str) else ""
    if key not in all_codes():
        raise UnknownCodeError(
            "region", code, [r.label for r in closest_codes(key or "??", NUTS_VERSIONS[-1])]
        )
    rows = [r for r in _rows() if r.code == key]
    rows.sort(key=lambda r: (-r.version, not r.official))
    return tuple(dict.fromkeys(r.name for r in rows))
