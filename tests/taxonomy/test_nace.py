"""NACE Rev. 2 hierarchy, Eurostat aggregates and nesting."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smartspec.errors import InputError, UnknownCodeError
from smartspec.taxonomy import (
    A10,
    NACE_REV2,
    SECTIONS,
    Classification,
    is_nace_code,
    nace_codes,
    nace_level,
    nace_name,
    nace_parent,
    nace_sections_of,
    normalize_nace,
    overlapping_activities,
)


def test_counts_of_each_level() -> None:
    assert [len(nace_codes(level)) for level in (1, 2, 3, 4, 5)] == [21, 88, 272, 615, 821]
    assert nace_codes(1) == SECTIONS


@pytest.mark.parametrize(
    ("code", "sections"),
    [
        ("C", {"C"}),
        ("B-E", {"B", "C", "D", "E"}),
        ("10", {"C"}),
        ("C10", {"C"}),
        ("10.11", {"C"}),
        ("01.110", {"A"}),
        ("G-I", {"G", "H", "I"}),
        ("G-J", {"G", "H", "I", "J"}),
        ("K-N", {"K", "L", "M", "N"}),
        ("O-U", {"O", "P", "Q", "R", "S", "T", "U"}),
        ("M_N", {"M", "N"}),
        ("M-N", {"M", "N"}),
        ("R-U", {"R", "S", "T", "U"}),
        ("C10-C12", {"C"}),
        ("TOTAL", set(SECTIONS)),
        (" b-e ", {"B", "C", "D", "E"}),
    ],
)
def test_sections_of(code: str, sections: set[str]) -> None:
    assert nace_sections_of(code) == frozenset(sections)


def test_a10_covers_every_section_once() -> None:
    covered = [s for code in A10 for s in sorted(nace_sections_of(code))]
    assert sorted(covered) == sorted(SECTIONS)
    assert overlapping_activities(A10) == []


@pytest.mark.parametrize(
    ("code", "level", "parent"),
    [
        ("TOTAL", 0, None),
        ("C", 1, None),
        ("B-E", 1, None),
        ("10", 2, "C"),
        ("C10", 2, "C"),
        ("10.1", 3, "10"),
        ("101", 3, "10"),
        ("10.11", 4, "10.1"),
        ("1011", 4, "10.1"),
        ("C1011", 4, "10.1"),
        ("10.111", 5, "10.11"),
        ("C10-C12", 2, None),
    ],
)
def test_level_and_parent(code: str, level: int, parent: str | None) -> None:
    assert nace_level(code) == level
    assert nace_parent(code) == parent


def test_names_in_both_languages() -> None:
    assert nace_name("C") == "MANUFACTURING"
    assert nace_name("C", lang="sv") == "TILLVERKNING"
    assert nace_name("62") == "Computer programming, consultancy and related activities"
    assert nace_name("TOTAL", lang="sv").startswith("Samtliga")
    # SNI detail groups have Swedish names only
    assert nace_name("01.131", lang="en") == nace_name("01.131", lang="sv") == "Potatisodling"
    assert nace_name("B-E").startswith("MINING AND QUARRYING; MANUFACTURING; ")


def test_normalize() -> None:
    assert normalize_nace("c10") == "10"
    assert normalize_nace("M-N") == "M_N"
    assert normalize_nace("TOTAL") == "TOTAL"


@pytest.mark.parametrize("code", ["NRP", "Z", "00", "A10", "10.99", "C-B", "X-Y", "", "10-10"])
def test_unknown_codes(code: str) -> None:
    assert not is_nace_code(code)
    with pytest.raises(UnknownCodeError):
        nace_sections_of(code)


def test_unknown_code_suggests() -> None:
    with pytest.raises(UnknownCodeError) as err:
        nace_level("TOTALS")
    assert "did you mean TOTAL" in str(err.value)


def test_bad_language() -> None:
    with pytest.raises(InputError, match="lang='en'"):
        nace_name("C", lang="de")  # type: ignore[arg-type]


def test_bad_level() -> None:
    with pytest.raises(InputError):
        nace_codes(6)


def test_overlaps_named_in_the_brief() -> None:
    pairs = overlapping_activities(["C", "B-E", "G", "G-I", "10", "TOTAL"])
    assert ("C", "B-E") in pairs
    assert ("G", "G-I") in pairs
    assert ("10", "C") in pairs
    assert ("10", "B-E") in pairs
    assert all((code, "TOTAL") in pairs for code in ("C", "B-E", "G", "G-I", "10"))


def test_partial_overlap_and_unknown_codes() -> None:
    assert overlapping_activities(["G-I", "G-J"]) == [("G-I", "G-J")]
    assert overlapping_activities(["NRP", "A", "xyz"]) == []
    assert overlapping_activities(["10.1", "10.2", "10.11"]) == [("10.11", "10.1")]
    # the same code spelled twice overlaps with itself
    assert overlapping_activities(["10", "C10"]) == [("10", "C10")]


def test_siblings_do_not_overlap() -> None:
    assert overlapping_activities(nace_codes(2)) == []
    assert overlapping_activities(nace_codes(5)) == []


def test_classification_identity() -> None:
    assert Classification("NACE", "Rev. 2") == NACE_REV2
    assert str(NACE_REV2) == "NACE Rev. 2"
    assert str(Classification("SITC")) == "SITC"


ALL_CODES = [
    *nace_codes(1),
    *nace_codes(2),
    *nace_codes(3),
    *nace_codes(4),
    *nace_codes(5),
    *A10,
    "TOTAL",
    "G-J",
    "K-N",
    "O-U",
    "C10-C12",
    "NRP",
]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(ALL_CODES), max_size=40))
def test_overlaps_agree_with_a_pairwise_check(codes: list[str]) -> None:
    def leaves(code: str) -> set[str]:  # an independent, slow definition
        sni = nace_codes(5)
        if not is_nace_code(code):
            return set()
        if code == "C10-C12":
            return {c for c in sni if 10 <= int(c[:2]) <= 12}
        if nace_level(code) <= 1:
            sections = nace_sections_of(code)
            return {c for c in sni if nace_sections_of(c) <= sections}
        prefix = normalize_nace(code)
        return {c for c in sni if c.startswith(prefix)}

    unique = list(dict.fromkeys(codes))
    expected = set()
    for i, a in enumerate(unique):
        for b in unique[i + 1 :]:
            la, lb = leaves(a), leaves(b)
            if la & lb:
                if la < lb:
                    expected.add((a, b))
                elif lb < la:
                    expected.add((b, a))
                else:
                    expected.add((a, b))
    assert set(overlapping_activities(codes)) == expected
