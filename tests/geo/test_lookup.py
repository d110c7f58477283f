"""Finding regions by code or name: search, lookup, names_of."""

from __future__ import annotations

import contextlib
from collections import defaultdict

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smartspec import geo
from smartspec.errors import AmbiguousError, InputError, SmartspecError, UnknownCodeError
from smartspec.geo._boundaries import boundaries
from smartspec.geo._store import raw_data
from smartspec.geo._text import fold


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("SE211", "SE211"),
        ("se211", "SE211"),
        ("jonkoping", "SE211"),
        ("Jönköping", "SE211"),
        ("Jönköpings län", "SE211"),
        ("Region Jönköpings län", "SE211"),
        ("JÖNKÖPING", "SE211"),
        ("Region Skåne", "SE224"),
        ("Skåne län", "SE224"),
        ("Skåne", "SE224"),
        ("skane", "SE224"),
        ("Västsverige", "SE23"),
        ("Region Gotland", "SE214"),
        ("Gotland", "SE214"),
        ("Västra Götalandsregionen", "SE232"),
        ("Region Örebro län", "SE124"),
        ("Orebro lan", "SE124"),
        ("Stockholms län", "SE110"),
        ("Sverige", "SE"),
        ("Sweden", "SE"),
        ("SE", "SE"),
    ],
)
def test_swedish_acceptance(query: str, code: str) -> None:
    assert geo.lookup(query).code == code
    assert geo.lookup(query, version=2024).code == code
    assert geo.lookup(query, country="SE").code == code


def test_stockholm_rule() -> None:
    """ "Stockholm" is the official name of SE11 and an alias of SE110: both rank high,
    lookup prefers the official name, level=3 gives the län."""
    top = geo.search("Stockholm", limit=2)
    assert [m.region.code for m in top] == ["SE11", "SE110"]
    assert all(m.score >= 99 for m in top)
    assert geo.lookup("Stockholm").code == "SE11"
    assert geo.lookup("Stockholm", level=3).code == "SE110"
    assert geo.lookup("Stockholm", level=2).code == "SE11"
    assert geo.lookup("Region Stockholm").code == "SE110"


def test_match_fields() -> None:
    m = geo.search("skane")[0]
    assert isinstance(m, geo.Match)
    assert m.region.code == "SE224"
    assert m.score == 99.0
    assert m.matched == "Skåne"
    code = geo.search("se224")[0]
    assert (code.region.code, code.score, code.matched) == ("SE224", 100.0, "SE224")


def _gisco_names() -> list[tuple[str, str]]:
    """(name, code) for GISCO's NUTS_NAME and NAME_LATN of every 2024 region with a
    boundary (levels 1-3), as bundled (white space normalised by the build)."""
    gisco_name = raw_data()["gisco_name_2024"]
    out = []
    for level in (1, 2, 3):
        for feature in boundaries(level)["features"]:
            p = feature["properties"]
            out.append((gisco_name.get(p["code"], p["name"]), p["code"]))
            out.append((p["name_latn"], p["code"]))
    return out


def test_every_unique_gisco_2024_name_resolves_to_its_code() -> None:
    names = _gisco_names()
    assert len(names) == 2 * (114 + 296 + 1345)
    # unique among all 2024 regions (levels 0-3), compared as lookup compares them
    codes_by_name: dict[str, set[str]] = defaultdict(set)
    for r in geo.regions(2024):
        for name in (r.name, r.name_latn):
            if name:
                codes_by_name[fold(name)].add(r.code)
    for name, code in names:
        codes_by_name[fold(name)].add(code)
    unique = [(n, c) for n, c in names if len(codes_by_name[fold(n)]) == 1]
    assert len(unique) > 1700
    wrong = []
    for name, code in unique:
        try:
            found = geo.lookup(name, version=2024).code
        except SmartspecError as exc:  # pragma: no cover - reported below
            found = f"error: {exc}"
        if found != code:
            wrong.append((name, code, found))
    assert wrong == []


def test_shared_names_resolve_to_the_largest_region() -> None:
    # same name at several levels = the same territory: the largest one
    assert geo.lookup("Berlin").code == "DE3"
    assert geo.lookup("Berlin", level=2).code == "DE30"
    assert geo.lookup("Berlin", level=3).code == "DE300"
    assert geo.lookup("Česko").code == "CZ"
    assert geo.lookup("Česko", level=1).code == "CZ0"


def test_ambiguous_names() -> None:
    with pytest.raises(AmbiguousError) as info:
        geo.lookup("Nord-Est")  # ITH (Italy, NUTS 1) and RO21 (Romania, NUTS 2)
    assert {c.split()[0] for c in info.value.candidates} == {"ITH", "RO21"}
    assert geo.lookup("Nord-Est", country="RO").code == "RO21"
    assert geo.lookup("Nord-Est", level=1).code == "ITH"
    with pytest.raises(AmbiguousError):
        geo.lookup("Extra-Regio NUTS 2")


def test_country_suffix_restricts_the_country() -> None:
    assert geo.lookup("Limburg (NL)").code == "NL42"
    assert geo.lookup("Prov. Limburg (BE)").code == "BE22"
    assert geo.lookup("Limburg (BE)").code == "BE22"
    assert geo.lookup("Attiki (GR)", level=2).code == "EL30"
    assert geo.lookup("Centre (FR)", version=2013).code == "FR24"
    assert geo.lookup("Canarias (ES)", version=2013, level=2).code == "ES70"


@pytest.mark.parametrize(
    "query", ["Lisboa (NUTS 2010)", "Lisboa(NUTS 2010)", "Lisboa [NUTS 2010]", "Lisboa (nuts)"]
)
def test_nuts_suffix_is_ignored(query: str) -> None:
    assert geo.lookup(query).code == "PT17"
    assert geo.lookup(query, version=2013).code == "PT17"


def test_names_of_older_versions() -> None:
    # a 2010 name found via version=None, via version=2010 and via the code's history
    assert geo.lookup("Lisboa").code == "PT17"
    assert geo.lookup("Lisboa", version=2010).code == "PT17"
    m = geo.search("Lisboa", version=2013)[0]
    assert (m.region.code, m.region.version, m.score) == ("PT17", 2013, 98.0)
    assert geo.lookup("Soltau-Fallingbostel", version=2013).code == "DE938"
    # version=None gives the newest version of the code
    assert geo.lookup("Lisboa").version == 2021
    assert geo.lookup("Soltau-Fallingbostel").version == 2024


@pytest.mark.parametrize(
    ("query", "code"),
    [
        # Greek and Bulgarian names in Latin script (Eurostat's English-language labels)
        ("Anatoliki Makedonia, Thraki", "EL51"),
        ("Kentriki Makedonia", "EL52"),
        ("Attiki", "EL30"),
        ("Voreio Aigaio", "EL41"),
        ("Kriti", "EL43"),
        ("Severozapaden", "BG31"),
        ("Yuzhen tsentralen", "BG42"),
        # diacritics lost or replaced
        ("Lódzkie", "PL11"),
        ("Strední Cechy", "CZ02"),
        ("Bucuresti - Ilfov", "RO32"),
        ("Île de France", "FR10"),
        ("Castilla-la Mancha", "ES42"),
        ("Nord - Pas-de-Calais", "FR30"),
        ("Région de Bruxelles-Capitale / Brussels Hoofdstedelijk Gewest", "BE10"),
        ("Greater Manchester", "UKD3"),
        ("Northern Ireland (UK)", "UKN0"),
        ("Åland", "FI20"),
    ],
)
def test_eurostat_names_in_nuts_2013(query: str, code: str) -> None:
    assert geo.lookup(query, version=2013, level=2).code == code


def test_greek_2010_codes_by_latin_name() -> None:
    assert geo.lookup("Anatoliki Makedonia, Thraki", version=2010).code == "EL11"
    assert geo.lookup("Dytiki Ellada", version=2010, level=2).code == "EL23"


def test_country_names() -> None:
    assert geo.lookup("Greece").code == "EL"
    assert geo.lookup("Hellas").code == "EL"
    assert geo.lookup("Czech Republic").code == "CZ"
    assert geo.lookup("Germany (until 1990 former territory of the FRG)").code == "DE"
    assert geo.lookup("United Kingdom").code == "UK"
    assert geo.lookup("gr").code == "EL"


def test_fuzzy() -> None:
    assert geo.lookup("Jonkopng").code == "SE211"
    assert geo.lookup("Ostergotland").code == "SE123"
    assert geo.lookup("Vastra Gotaland").code == "SE232"
    ranked = geo.search("Vestsverige", country="SE")
    assert ranked[0].region.code == "SE23"
    assert ranked == sorted(ranked, key=lambda m: -m.score)
    assert all(m.score <= 97 for m in ranked)


def test_partial_matches_are_not_answers() -> None:
    with pytest.raises(UnknownCodeError):
        geo.lookup("Nord-Norge", version=2013)  # not "Nord" (FR301)
    with pytest.raises(UnknownCodeError):
        geo.lookup("Agder og Rogaland", version=2013)  # not "Åland"


def test_filters() -> None:
    assert all(m.region.country == "SE" for m in geo.search("land", country="SE"))
    assert all(m.region.level == 2 for m in geo.search("Norte", level=2))
    assert all(m.region.version == 2013 for m in geo.search("Norte", version=2013))
    assert geo.search("Jönköping", country="DE") == [] or all(
        m.region.country == "DE" for m in geo.search("Jönköping", country="DE")
    )
    with pytest.raises(UnknownCodeError):
        geo.lookup("Jönköping", country="DE")


def test_version_none_returns_each_code_once_in_its_newest_version() -> None:
    hits = geo.search("Guadeloupe", limit=10)
    codes = [m.region.code for m in hits]
    assert len(codes) == len(set(codes))
    assert {"FRY1", "FRA1", "FR91"} <= set(codes)
    for m in hits:
        assert m.region.version == geo.versions_of(m.region.code)[-1]
    assert codes[0] == "FRY1"  # newest version first at equal score
    assert geo.lookup("Guadeloupe").code == "FRY1"
    assert geo.lookup("Guadeloupe", version=2013).code == "FRA1"


def test_limit() -> None:
    assert len(geo.search("Nord", limit=3)) == 3
    with pytest.raises(InputError):
        geo.search("Nord", limit=0)


def test_code_lookup_respects_version() -> None:
    assert geo.lookup("EL11").version == 2010
    with pytest.raises(UnknownCodeError, match="EL11"):
        geo.lookup("EL11", version=2013)


def test_unknown_code_query() -> None:
    with pytest.raises(UnknownCodeError) as info:
        geo.lookup("SE999")
    assert "did you mean" in str(info.value)
    assert all("(" in s and s.startswith("SE") for s in info.value.suggestions)
    close = geo.search("SE999")
    assert close
    assert all(m.region.code.startswith("SE") for m in close)


def test_unknown_name_has_suggestions() -> None:
    with pytest.raises(UnknownCodeError) as info:
        geo.lookup("Oslo og Akershus", version=2013)
    assert info.value.suggestions[0].startswith("NO01 (Oslo og Akershus, NUTS 2016")
    with pytest.raises(UnknownCodeError):
        geo.lookup("Xqzvw Kjhgf")


def test_aggregate_query() -> None:
    with pytest.raises(UnknownCodeError, match="aggregate"):
        geo.lookup("EU27_2020")
    assert geo.search("EU28") == [] or geo.search("EU28")[0].score < 99


@pytest.mark.parametrize("query", ["", "   ", "(NUTS 2010)", "-", "()"])
def test_empty_query(query: str) -> None:
    with pytest.raises(InputError, match="empty"):
        geo.lookup(query)
    with pytest.raises(InputError, match="empty"):
        geo.search(query)


def test_non_string_query() -> None:
    with pytest.raises(InputError):
        geo.lookup(None)  # type: ignore[arg-type]


def test_bad_filters() -> None:
    with pytest.raises(UnknownCodeError, match="unknown country 'XX'"):
        geo.lookup("Skåne", country="XX")
    with pytest.raises(InputError, match="2010, 2013, 2016, 2021, 2024"):
        geo.lookup("Skåne", version=2015)
    with pytest.raises(InputError, match="2010, 2013, 2016, 2021, 2024"):
        geo.search("Skåne", version=1999)
    with pytest.raises(InputError, match="level"):
        geo.search("Skåne", level=5)


def test_names_of() -> None:
    assert geo.names_of("SE224")[:4] == ("Skåne län", "Skåne", "Region Skåne", "Region Skåne län")
    assert "Skane lan" in geo.names_of("se224")
    assert geo.names_of("EL51")[:2] == ("Aνατολική Μακεδονία, Θράκη", "Anatoliki Makedonia, Thraki")
    assert "Lisboa" in geo.names_of("PT17")
    assert "Soltau-Fallingbostel" in geo.names_of("DE938")
    assert "Sweden" in geo.names_of("SE")
    with pytest.raises(UnknownCodeError):
        geo.names_of("XX999")


def test_every_name_of_a_code_finds_it() -> None:
    for code in ["SE211", "EL51", "PT17", "FRY1", "NL42", "ITH1"]:
        for name in geo.names_of(code):
            assert code in [m.region.code for m in geo.search(name, limit=20)], (code, name)


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=40))
def test_search_never_crashes(text: str) -> None:
    try:
        result = geo.search(text, limit=5)
    except InputError:  # blank after cleaning
        return
    assert len(result) <= 5
    assert all(0 <= m.score <= 100 for m in result)
    with contextlib.suppress(UnknownCodeError, AmbiguousError, InputError):
        geo.lookup(text)
