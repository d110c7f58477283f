"""Errors that smartspec raises, written for people.

Every error says *what* was wrong, *where* (file, row, column, code) and, when we
know it, *what would be right*. All of them derive from :class:`SmartspecError`, so a
caller can catch everything smartspec raises on purpose with one ``except``; the
interfaces (CLI, web) turn them into a clean message instead of a traceback.
"""

from __future__ import annotations

from collections.abc import Sequence


class SmartspecError(Exception):
    """Base class of every error smartspec raises on purpose."""


class InputError(SmartspecError, ValueError):
    """Bad input data: a value, row, column or file that cannot be used.

    Parameters
    ----------
    message:
        What is wrong, in one sentence.
    source:
        The file or object the input came from (e.g. ``"employment.csv"``).
    row:
        1-based row number in the source (data rows, after the header), if known.
    column:
        Column name, if known.
    hint:
        What would be right.

    Examples
    --------
    >>> str(InputError("value 'abc' is not a number", source="x.csv", row=3, column="value",
    ...                hint="use a decimal number such as 12.5"))
    "x.csv, row 3, column 'value': value 'abc' is not a number (use a decimal number such as 12.5)"
    """

    def __init__(
        self,
        message: str,
        *,
        source: str | None = None,
        row: int | None = None,
        column: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.message = message
        self.source = source
        self.row = row
        self.column = column
        self.hint = hint
        super().__init__(self._render())

    def _render(self) -> str:
        where = []
        if self.source:
            where.append(self.source)
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column!r}")
        text = f"{', '.join(where)}: {self.message}" if where else self.message
        if self.hint:
            text += f" ({self.hint})"
        return text


class UnknownCodeError(SmartspecError, LookupError):
    """A code (region, activity, dataset…) that is not known, with the closest known ones.

    Examples
    --------
    >>> err = UnknownCodeError("region", "SE999", ["SE211 (Jönköpings län)"])
    >>> str(err)
    "unknown region 'SE999'; did you mean SE211 (Jönköpings län)?"
    """

    def __init__(
        self,
        kind: str,
        code: str,
        suggestions: Sequence[str] = (),
        *,
        context: str | None = None,
    ) -> None:
        self.kind = kind
        self.code = code
        self.suggestions = list(suggestions)
        text = f"unknown {kind} {code!r}"
        if context:
            text += f" {context}"
        if self.suggestions:
            text += "; did you mean " + _or_list(self.suggestions) + "?"
        super().__init__(text)

    def __str__(self) -> str:  # LookupError would quote the whole message
        return str(self.args[0])


class AmbiguousError(SmartspecError, LookupError):
    """A name that matches several things equally well; lists them."""

    def __init__(self, kind: str, query: str, candidates: Sequence[str]) -> None:
        self.kind = kind
        self.query = query
        self.candidates = list(candidates)
        super().__init__(
            f"{kind} {query!r} is ambiguous: it matches {_or_list(self.candidates)}; "
            "give the code, or restrict the search (e.g. by country or NUTS version)"
        )

    def __str__(self) -> str:
        return str(self.args[0])


def _or_list(items: Sequence[str]) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " or " + items[-1]
