"""Name folding."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smartspec.geo._text import ascii_fold, clean_space, fold


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Jönköpings län", "jonkopings lan"),
        ("JÖNKÖPINGS LÄN", "jonkopings lan"),
        ("  Jönköpings-län ", "jonkopings lan"),
        ("Łódzkie", "lodzkie"),
        ("Sør-Østlandet", "sor ostlandet"),
        ("Thüringen", "thuringen"),
        ("Straße", "strasse"),
        ("Argeş", "arges"),  # cedilla
        ("Argeș", "arges"),  # comma below
        ("Kensington & Chelsea", "kensington and chelsea"),
        ("Valle d'Aosta/Vallée d'Aoste", "valle d aosta vallee d aoste"),
        ("Κεντρική Μακεδονία", "kentriki makedonia"),
        ("Aνατολική Μακεδονία, Θράκη", "anatoliki makedonia thraki"),
        ("Ευρυτανία", "evrytania"),
        ("Λευκάδα", "lefkada"),
        ("Πελοπόννησος", "peloponnisos"),
        ("Северозападен", "severozapaden"),
        ("Южен централен", "yuzhen tsentralen"),
        ("Софийска", "sofiyska"),
    ],
)
def test_fold(text: str, folded: str) -> None:
    assert fold(text) == folded


@given(st.text())
def test_fold_is_idempotent_and_plain(text: str) -> None:
    out = fold(text)
    assert fold(out) == out
    assert re.fullmatch(r"([0-9a-z]+( [0-9a-z]+)*)?", out)


def test_ascii_fold_and_clean_space() -> None:
    assert ascii_fold("Örebro län") == "Orebro lan"
    assert ascii_fold("Västra Götalands län") == "Vastra Gotalands lan"
    assert clean_space("North\xa0and  West Norfolk ") == "North and West Norfolk"
