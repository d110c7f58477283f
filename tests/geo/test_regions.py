"""Code lists, hierarchy and code-level helpers of smartspec.geo."""

from __future__ import annotations

import dataclasses

import pytest

from smartspec import geo
from smartspec.errors import InputError, SmartspecError, UnknownCodeError


def test_constants() -> None:
    assert geo.NUTS_VERSIONS == (2010, 2013, 2016, 2021, 2024)
    assert geo.LATEST_VERSION == 2024
    assert geo.ATTRIBUTION == "© EuroGeographics for the administrative boundaries"


def test_region_fields() -> None:
    r = geo.get_region("SE211")
    assert r == geo.Region(
        code="SE211",
        name="Jönköpings län",
        level=3,
        country="SE",
        version=2024,
        parent="SE21",
        name_latn="Jönköpings län",
        extra_regio=False,
    )
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.name = "x"  # type: ignore[misc]


def test_get_region_is_case_insensitive() -> None:
    assert geo.get_region("se211") == geo.get_region(" SE211 ")


@pytest.mark.parametrize("version", [2010, 2013, 2016, 2021, 2024])
def test_every_version_has_level_0_to_3(version: int) -> None:
    levels = {r.level for r in geo.regions(version)}
    assert levels == {0, 1, 2, 3}
    se = geo.get_region("SE", version)
    assert se.name == "Sverige"
    assert se.level == 0
    assert se.parent is None


@pytest.mark.parametrize(
    ("version", "countries", "minimum"),
    [
        (2010, 28, 1700),
        (2013, 28, 1800),
        (2016, 37, 2050),
        (2021, 37, 2050),
        (2024, 39, 2000),
    ],
)
def test_sizes(version: int, countries: int, minimum: int) -> None:
    assert len(geo.regions(version, level=0)) == countries
    assert len(geo.codes(version)) >= minimum


def test_parent_and_children() -> None:
    assert geo.get_region("SE211").parent == "SE21"
    assert geo.get_region("SE21").parent == "SE2"
    assert geo.get_region("SE2").parent == "SE"
    kids = [r.code for r in geo.children("SE2")]
    assert {"SE21", "SE22", "SE23"} <= set(kids)
    assert kids == sorted(kids)
    assert [r.code for r in geo.children("SE")] == ["SE1", "SE2", "SE3", "SEZ"]
    assert geo.children("SE211") == []


def test_every_parent_exists_in_its_version() -> None:
    for version in geo.NUTS_VERSIONS:
        codes = geo.codes(version)
        for r in geo.regions(version):
            assert r.level == len(r.code) - 2
            assert r.country == r.code[:2]
            if r.level == 0:
                assert r.parent is None
            else:
                assert r.parent in codes, (version, r.code)
                assert geo.get_region(r.parent, version).level == r.level - 1


def test_irregular_parent_northern_ireland() -> None:
    # UKN06-UKN16 (NUTS 2016, 2021) sit in UKN0 although "UKN1" does not exist
    assert geo.get_region("UKN10", 2016).parent == "UKN0"
    assert "UKN10" in {r.code for r in geo.children("UKN0", 2016)}


def test_level_0_names() -> None:
    assert geo.get_region("SE").name == "Sverige"
    assert geo.get_region("DE").name == "Deutschland"
    assert geo.get_region("EL").name == "Ελλάδα"
    assert geo.get_region("EL").name_latn == "Elláda"
    assert geo.get_region("UK", 2021).name == "United Kingdom"
    assert geo.get_region("SE", 2013).name_latn is None  # Latin names: 2024 only


def test_nuts2010_derived_from_the_changes() -> None:
    # Greek NUTS 2010 codes that were recoded in 2013
    assert geo.get_region("EL11", 2010).name == "Aνατολική Μακεδονία, Θράκη"
    assert geo.versions_of("EL11") == (2010,)
    assert geo.versions_of("EL51") == (2013, 2016, 2021, 2024)
    # discontinued: the 2010 label of the workbook
    assert geo.get_region("DE801", 2010).name == "Greifswald, Kreisfreie Stadt"
    # renamed in 2013: the NUTS 2010 name, not the 2013 one
    assert geo.get_region("PT17", 2010).name == "Lisboa"
    assert geo.get_region("PT17", 2013).name == "Área Metropolitana de Lisboa"
    assert geo.get_region("DE938", 2010).name == "Soltau-Fallingbostel"
    # unchanged: same name as in 2013
    assert geo.get_region("SE211", 2010).name == "Jönköpings län"
    assert "RO317" in geo.codes(2010)
    assert geo.get_region("RO317", 2010).name == "Teleorman"


def test_nuts2016_includes_non_eu_countries() -> None:
    assert geo.get_region("NO01", 2016).name == "Oslo og Akershus"
    assert geo.get_region("NO02", 2016).name == "Hedmark og Oppland"  # renamed in 2021
    assert geo.get_region("NO02", 2021).name == "Innlandet"
    assert geo.get_region("CH040", 2016).name == "Zürich"
    assert "TR100" in geo.codes(2016)


def test_sweden_is_stable_2013_to_2024() -> None:
    se = {v: {c for c in geo.codes(v) if c.startswith("SE")} for v in geo.NUTS_VERSIONS}
    assert se[2013] == se[2016] == se[2021] == se[2024]
    assert len([c for c in se[2024] if len(c) == 5 and not c.endswith("Z")]) == 21


def test_regions_filters_and_sorting() -> None:
    se2 = geo.regions(2024, level=2, country="SE")
    assert [r.code for r in se2] == [
        "SE11",
        "SE12",
        "SE21",
        "SE22",
        "SE23",
        "SE31",
        "SE32",
        "SE33",
        "SEZZ",
    ]
    assert [r.code for r in geo.regions(2024, level=1, country="gr")][:2] == ["EL3", "EL4"]
    everything = [r.code for r in geo.regions()]
    assert everything == sorted(everything)


def test_codes() -> None:
    assert isinstance(geo.codes(2024), frozenset)
    assert geo.codes(2024, level=0) >= {"SE", "DE", "EL", "XK"}
    assert "UK" not in geo.codes(2024)
    assert "UK" in geo.codes(2021)
    assert all(len(c) == 5 for c in geo.codes(2013, 3))


def test_versions_of() -> None:
    assert geo.versions_of("se211") == geo.NUTS_VERSIONS
    assert geo.versions_of("UKC1") == (2010, 2013, 2016, 2021)
    assert geo.versions_of("XX999") == ()


def test_detect_version() -> None:
    assert geo.detect_version(["SE211", "SE110"]) == geo.NUTS_VERSIONS
    assert geo.detect_version(["EL11"]) == (2010,)
    assert geo.detect_version(["EL51", "FRA1", "UKC1"]) == (2013,)
    assert geo.detect_version(["FRY1", "UKC1"]) == (2016, 2021)
    assert geo.detect_version(["FRY1", "UKN0A", "EU28", "EA19", ""]) == (2021,)
    assert geo.detect_version(["EL11", "EL51"]) == ()
    assert geo.detect_version([]) == geo.NUTS_VERSIONS
    assert geo.detect_version(c.lower() for c in ["se211"]) == geo.NUTS_VERSIONS
    with pytest.raises(InputError):
        geo.detect_version("SE211")


@pytest.mark.parametrize("code", ["SEZ", "SEZZ", "SEZZZ", "sezzz", "CZZ", "CZZZZ", "UKZZZ"])
def test_is_extra_regio(code: str) -> None:
    assert geo.is_extra_regio(code)


@pytest.mark.parametrize("code", ["SE", "CZ", "SE211", "CZ0", "SE1Z", "EU28"])
def test_is_not_extra_regio(code: str) -> None:
    assert not geo.is_extra_regio(code)


def test_extra_regio_flag_matches_helper() -> None:
    for r in geo.regions(2024):
        assert r.extra_regio == geo.is_extra_regio(r.code)
    assert geo.get_region("SEZZZ").extra_regio


@pytest.mark.parametrize(
    "code", ["EU28", "EU27_2020", "EU27_2007", "EA19", "EA", "EU", "EU15", "ea20", "EFTA", "EEA"]
)
def test_is_aggregate(code: str) -> None:
    assert geo.is_aggregate(code)


@pytest.mark.parametrize("code", ["SE", "EL", "ES", "EE", "SE211", "EU2X"])
def test_is_not_aggregate(code: str) -> None:
    assert not geo.is_aggregate(code)


def test_country_name() -> None:
    assert geo.country_name("SE") == "Sweden"
    assert geo.country_name("SE", form="national") == "Sverige"
    assert geo.country_name("EL") == "Greece"
    assert geo.country_name("GR") == "Greece"
    assert geo.country_name("EL", "national") == "Ελλάδα"
    assert geo.country_name("UK") == "United Kingdom"
    assert geo.country_name("de", "national") == "Deutschland"
    assert geo.country_name("XK") == "Kosovo"
    assert geo.country_name("CZ") == "Czechia"


def test_every_country_has_both_names() -> None:
    for version in geo.NUTS_VERSIONS:
        for r in geo.regions(version, level=0):
            assert geo.country_name(r.code)
            assert geo.country_name(r.code, "national") == r.name


# --- unhappy paths -----------------------------------------------------------------


def test_unknown_code_names_closest_codes_with_names() -> None:
    with pytest.raises(UnknownCodeError) as info:
        geo.get_region("SE999")
    message = str(info.value)
    assert "SE999" in message
    assert "did you mean" in message
    assert "län)" in message  # suggestions carry names: "SE332 (Norrbottens län)"
    assert all(s.startswith("SE") for s in info.value.suggestions)


def test_unknown_code_typo_suggests_the_neighbour() -> None:
    with pytest.raises(UnknownCodeError) as info:
        geo.get_region("SE21X")
    assert info.value.suggestions[0] in {
        f"SE21{i} ({geo.get_region(f'SE21{i}').name})" for i in range(1, 5)
    }


def test_code_of_another_version_says_where_it_is() -> None:
    with pytest.raises(UnknownCodeError, match=r"exists in NUTS 2010"):
        geo.get_region("EL11")


def test_aggregate_is_not_a_region() -> None:
    with pytest.raises(UnknownCodeError, match="aggregate"):
        geo.get_region("EU28")


@pytest.mark.parametrize("version", [2011, 2020, 0, "latest", 2024.5, True, None])
def test_unknown_version_lists_the_versions(version: object) -> None:
    with pytest.raises(InputError, match="2010, 2013, 2016, 2021, 2024"):
        geo.get_region("SE", version)  # type: ignore[arg-type]
    with pytest.raises(InputError, match="2010, 2013, 2016, 2021, 2024"):
        geo.regions(version)  # type: ignore[arg-type]


def test_version_as_string_is_accepted() -> None:
    assert geo.get_region("SE211", "2013").version == 2013  # type: ignore[arg-type]


@pytest.mark.parametrize("level", [-1, 4, "2", True])
def test_unknown_level(level: object) -> None:
    with pytest.raises(InputError, match="level"):
        geo.regions(2024, level=level)  # type: ignore[arg-type]


def test_unknown_country_filter() -> None:
    with pytest.raises(UnknownCodeError, match=r"unknown country 'XX'") as info:
        geo.regions(2024, country="XX")
    assert isinstance(info.value, SmartspecError)
    with pytest.raises(UnknownCodeError, match="country"):
        geo.country_name("QQ")


@pytest.mark.parametrize("code", ["", "   ", None, 12])
def test_bad_code_input(code: object) -> None:
    with pytest.raises(InputError):
        geo.get_region(code)  # type: ignore[arg-type]


def test_unknown_name_form() -> None:
    with pytest.raises(InputError, match="national"):
        geo.country_name("SE", "sv")  # type: ignore[arg-type]
