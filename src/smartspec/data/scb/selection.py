"""Selections: expanding expressions to value codes and splitting into chunks.

A selection is ``{variable: [codes] or "*"}``. :func:`expand_selection` turns
``"*"``, wildcards and ``top(n)``/``bottom(n)``/``from(x)``/``to(x)`` into explicit
codes from the table's metadata; :func:`split_selection` cuts an explicit selection
into chunks under SCB's cell limit, every cell in exactly one chunk.
"""

from __future__ import annotations

import fnmatch
import math
import re
from collections.abc import Mapping, Sequence

from smartspec.data.scb.metadata import TableMetadata
from smartspec.errors import InputError, UnknownCodeError

Selection = Mapping[str, Sequence[str] | str]

_EXPRESSION = re.compile(r"^(top|bottom|from|to)\((.+)\)$", re.IGNORECASE)


def _needs_metadata(selection: Selection) -> bool:
    for values in selection.values():
        items = [values] if isinstance(values, str) else list(values)
        for item in items:
            text = str(item)
            if "*" in text or "?" in text or _EXPRESSION.match(text):
                return True
    return False


def expand_selection(selection: Selection, metadata: TableMetadata | None) -> dict[str, list[str]]:
    """Explicit value codes for every variable of *selection*.

    ``"*"``, wildcards (``*`` any characters, ``?`` one) and ``top(n)``, ``bottom(n)``,
    ``from(x)``, ``to(x)`` are expanded with the table's values in table order; plain
    codes are kept in the order given; duplicates are dropped.

    Examples
    --------
    >>> from smartspec.data.scb import TableMetadata, Variable
    >>> meta = TableMetadata("T", "t", (Variable("Tid", "år", ("2019", "2020", "2021")),))
    >>> expand_selection({"Tid": "top(2)"}, meta)
    {'Tid': ['2020', '2021']}
    >>> expand_selection({"Tid": ["2019", "20?1"]}, meta)
    {'Tid': ['2019', '2021']}
    """
    out: dict[str, list[str]] = {}
    for name, raw in selection.items():
        items = [raw] if isinstance(raw, str) else [str(x) for x in raw]
        if not items:
            raise InputError(
                f"the selection of {name!r} is empty",
                hint="give codes, or '*' for all values, or leave the variable out to "
                "let SCB eliminate it",
            )
        variable = metadata.variable(name) if metadata is not None else None
        codes: list[str] = []
        for item in items:
            text = item.strip()
            expression = _EXPRESSION.match(text)
            if variable is None or not (expression or "*" in text or "?" in text):
                if variable is not None and text not in variable.values:
                    raise UnknownCodeError(
                        f"value of {variable.code}",
                        text,
                        _close(text, variable.values),
                        context=f"in SCB table {metadata.table if metadata else ''}".rstrip(),
                    )
                codes.append(text)
                continue
            values = list(variable.values)
            if expression:
                kind, arg = expression.group(1).lower(), expression.group(2).strip()
                if kind in ("top", "bottom"):
                    if not arg.isdigit() or int(arg) < 1:
                        raise InputError(f"{text!r}: the count must be a positive number")
                    n = int(arg)
                    picked = values[-n:] if kind == "top" else values[:n]
                elif kind == "from":
                    picked = values[values.index(arg) :] if arg in values else []
                else:
                    picked = values[: values.index(arg) + 1] if arg in values else []
                if not picked:
                    raise InputError(
                        f"{text!r} selects no value of {variable.code}",
                        hint=f"its values are {_preview(values)}",
                    )
            else:
                picked = [v for v in values if fnmatch.fnmatchcase(v, text)]
                if not picked:
                    raise InputError(
                        f"the pattern {text!r} matches no value of {variable.code}",
                        hint=f"its values are {_preview(values)}",
                    )
            codes.extend(picked)
        out[name] = list(dict.fromkeys(codes))  # drop repeats, keep the order
    return out


def count_cells(selection: Mapping[str, Sequence[str]]) -> int:
    """Number of cells a selection asks for (the product of the numbers of values).

    >>> count_cells({"Region": ["01", "03"], "Tid": ["2020", "2021", "2022"]})
    6
    """
    return math.prod(len(v) for v in selection.values())


def split_selection(
    selection: Mapping[str, Sequence[str]], max_cells: int
) -> list[dict[str, list[str]]]:
    """Split a selection into selections of at most *max_cells* cells each.

    Every cell of *selection* is in exactly one chunk; each chunk has the same variables,
    each with a non-empty run of the original values, in the original order. The
    variable with most values is cut first, into runs as long as the limit allows; if
    even one of its values times the rest is too many cells, the rest is split too.

    Raises
    ------
    InputError
        If *max_cells* is below 1 or a variable has no values.

    Examples
    --------
    >>> chunks = split_selection({"A": ["1", "2", "3"], "B": ["x", "y"]}, max_cells=2)
    >>> [count_cells(c) for c in chunks]
    [2, 2, 2]
    """
    if max_cells < 1:
        raise InputError(f"max_cells must be at least 1, not {max_cells}")
    sel = {k: list(v) for k, v in selection.items()}
    for name, values in sel.items():
        if not values:
            raise InputError(f"the selection of {name!r} is empty")
    return _split(sel, max_cells)


def _split(sel: dict[str, list[str]], max_cells: int) -> list[dict[str, list[str]]]:
    total = count_cells(sel)
    if total <= max_cells:
        return [sel]
    name = max(sel, key=lambda k: len(sel[k]))  # the first of the longest
    values = sel[name]
    rest = total // len(values)
    if rest <= max_cells:
        step = max_cells // rest
        return [{**sel, name: values[i : i + step]} for i in range(0, len(values), step)]
    out: list[dict[str, list[str]]] = []
    for value in values:
        out.extend(_split({**sel, name: [value]}, max_cells))
    return out


def _close(code: str, values: Sequence[str]) -> list[str]:
    import difflib

    return difflib.get_close_matches(code, list(values), n=3, cutoff=0.5)


def _preview(values: Sequence[str], limit: int = 12) -> str:
    shown = ", ".join(str(v) for v in values[:limit])
    return shown + (f" … ({len(values) - limit} more)" if len(values) > limit else "")
