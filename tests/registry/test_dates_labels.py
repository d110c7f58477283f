"""Partial dates and label keys: pure functions, no database."""

from __future__ import annotations

import datetime as dt

import pytest

from smartspec.errors import InputError
from smartspec.registry.dates import DatePrecision, PartialDate, as_of_date
from smartspec.registry.labels import clean_label, label_key


@pytest.mark.parametrize(
    ("value", "start", "precision", "end", "text"),
    [
        (2015, dt.date(2015, 1, 1), DatePrecision.YEAR, dt.date(2015, 12, 31), "2015"),
        ("2015", dt.date(2015, 1, 1), DatePrecision.YEAR, dt.date(2015, 12, 31), "2015"),
        ("2019-10", dt.date(2019, 10, 1), DatePrecision.MONTH, dt.date(2019, 10, 31), "2019-10"),
        ("2024-02", dt.date(2024, 2, 1), DatePrecision.MONTH, dt.date(2024, 2, 29), "2024-02"),
        (
            dt.date(2019, 2, 13),
            dt.date(2019, 2, 13),
            DatePrecision.DAY,
            dt.date(2019, 2, 13),
            "2019-02-13",
        ),
        ("2019-02-13", dt.date(2019, 2, 13), DatePrecision.DAY, dt.date(2019, 2, 13), "2019-02-13"),
    ],
)
def test_partial_dates(
    value: object, start: dt.date, precision: DatePrecision, end: dt.date, text: str
) -> None:
    d = PartialDate.parse(value)
    assert (d.start, d.precision, d.end, str(d)) == (start, precision, end, text)


@pytest.mark.parametrize("bad", ["2019-13", "19", "2019/10", "soon", 3.5, True, None, "2019-02-30"])
def test_bad_dates_are_input_errors(bad: object) -> None:
    with pytest.raises(InputError, match="is not a date"):
        PartialDate.parse(bad, where="source 'x': date")


def test_as_of_a_partial_date_is_its_last_day() -> None:
    assert as_of_date("2019") == dt.date(2019, 12, 31)
    assert as_of_date("2019-06") == dt.date(2019, 6, 30)
    assert as_of_date(dt.date(2019, 6, 1)) == dt.date(2019, 6, 1)
    assert as_of_date(dt.datetime(2019, 6, 1, 12, 0)) == dt.date(2019, 6, 1)


def test_a_partial_date_must_start_its_period() -> None:
    with pytest.raises(ValueError, match="day 1"):
        PartialDate(dt.date(2019, 10, 5), DatePrecision.MONTH)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Hälsa vård, omsorg", "Hälsa, vård, omsorg"),
        ("Life science", "Life Science"),
        ("Biobaserade näringar; hållbar produktion", "Biobaserade näringar - hållbar produktion"),
        ("  Smarta,  säkra och uppkopplade ", "smarta säkra och uppkopplade"),
        ("Energi/miljö", "Energi miljö"),
    ],
)
def test_same_key(a: str, b: str) -> None:
    assert label_key(a) == label_key(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [("Hälsa", "Halsa"), ("Smart industri", "Smarta industrier"), ("IT", "ICT")],
)
def test_different_key(a: str, b: str) -> None:
    assert label_key(a) != label_key(b)


def test_clean_label_keeps_the_text_as_published() -> None:
    assert clean_label("  Hälsa & välfärd\n") == "Hälsa & välfärd"
