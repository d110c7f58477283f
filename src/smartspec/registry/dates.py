"""Dates with a precision: a year ("2015"), a month ("2019-10") or a day ("2019-02-13").

Published strategies are often dated only by year or month. smartspec keeps the date as
published together with its precision, and compares dates by the *first day* of the
period they name:

* an effective date ``2019-10`` is stored as 2019-10-01 with precision ``month``, so a
  revision dated ``2019-10`` is in effect on 2019-10-01 and every later day;
* an *as-of* query with a partial date means the *last* day of that period: "the map as of
  2019" is the map on 2019-12-31, "as of 2019-10" the map on 2019-10-31.

So the question "was this revision in effect at D?" is ``revision.start <= D``, where a
partial ``D`` is taken at its end. A revision dated ``2019`` is thus included in the map as
of 2019-06-01, and in the map as of ``2019``.
"""

from __future__ import annotations

import calendar
import datetime as dt
import enum
import re
from dataclasses import dataclass

from smartspec.errors import InputError

__all__ = ["DatePrecision", "PartialDate", "as_of_date"]

_PATTERN = re.compile(r"^\s*(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?\s*$")


class DatePrecision(enum.StrEnum):
    """How much of a date is known."""

    YEAR = "year"
    MONTH = "month"
    DAY = "day"


@dataclass(frozen=True, order=False)
class PartialDate:
    """A date known to the year, the month or the day.

    Parameters
    ----------
    start:
        The first day of the period the date names (1 January for a year).
    precision:
        How much of the date is known.

    Examples
    --------
    >>> d = PartialDate.parse("2019-10")
    >>> d.start, d.precision.value, d.end, str(d)
    (datetime.date(2019, 10, 1), 'month', datetime.date(2019, 10, 31), '2019-10')
    >>> str(PartialDate.parse(2015)), str(PartialDate.parse("2019-02-13"))
    ('2015', '2019-02-13')
    """

    start: dt.date
    precision: DatePrecision

    def __post_init__(self) -> None:
        if self.precision is not DatePrecision.DAY and self.start.day != 1:
            raise ValueError(f"a {self.precision.value} date must start on day 1: {self.start}")
        if self.precision is DatePrecision.YEAR and self.start.month != 1:
            raise ValueError(f"a year date must start in January: {self.start}")

    @classmethod
    def parse(cls, value: object, *, where: str | None = None) -> PartialDate:
        """Read ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (string, int, date or PartialDate).

        Raises
        ------
        InputError
            If the value is not such a date; ``where`` says which field it was.
        """
        if isinstance(value, PartialDate):
            return value
        if isinstance(value, dt.datetime):
            return cls(value.date(), DatePrecision.DAY)
        if isinstance(value, dt.date):
            return cls(value, DatePrecision.DAY)
        if isinstance(value, int) and not isinstance(value, bool):
            text = f"{value:04d}"
        elif isinstance(value, str):
            text = value
        else:
            raise _bad(value, where)
        match = _PATTERN.match(text)
        if not match:
            raise _bad(value, where)
        year, month, day = match.groups()
        try:
            if day is not None:
                return cls(dt.date(int(year), int(month), int(day)), DatePrecision.DAY)
            if month is not None:
                return cls(dt.date(int(year), int(month), 1), DatePrecision.MONTH)
            return cls(dt.date(int(year), 1, 1), DatePrecision.YEAR)
        except ValueError:
            raise _bad(value, where) from None

    @property
    def end(self) -> dt.date:
        """The last day of the period."""
        if self.precision is DatePrecision.DAY:
            return self.start
        if self.precision is DatePrecision.MONTH:
            last = calendar.monthrange(self.start.year, self.start.month)[1]
            return self.start.replace(day=last)
        return self.start.replace(month=12, day=31)

    def __str__(self) -> str:
        if self.precision is DatePrecision.YEAR:
            return f"{self.start.year:04d}"
        if self.precision is DatePrecision.MONTH:
            return f"{self.start.year:04d}-{self.start.month:02d}"
        return self.start.isoformat()


def as_of_date(at: dt.date | str | PartialDate | None) -> dt.date | None:
    """The day an *as-of* query means: a date itself, a partial date's last day.

    >>> as_of_date("2019"), as_of_date("2019-06-01"), as_of_date(None)
    (datetime.date(2019, 12, 31), datetime.date(2019, 6, 1), None)
    """
    if at is None:
        return None
    if isinstance(at, dt.datetime):
        return at.date()
    if isinstance(at, dt.date):
        return at
    return PartialDate.parse(at, where="as-of date").end


def _bad(value: object, where: str | None) -> InputError:
    text = f"{where}: " if where else ""
    return InputError(
        f"{text}{value!r} is not a date",
        hint="write a year (2015), a month (2019-10) or a day (2019-02-13)",
    )
