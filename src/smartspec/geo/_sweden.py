"""Swedish län (counties, NUTS 3) with their SCB and ISO codes and name forms."""

from __future__ import annotations

import json
from functools import cache

from smartspec.errors import InputError, UnknownCodeError
from smartspec.geo._model import Lan
from smartspec.geo._store import read_data


@cache
def _lan() -> tuple[Lan, ...]:
    rows = json.loads(read_data("lan.json"))
    return tuple(
        Lan(
            code=row["code"],
            nuts2=row["nuts2"],
            name=row["name"],
            short_name=row["short_name"],
            scb_code=row["scb_code"],
            iso=row["iso"],
            forms=tuple(row["forms"]),
        )
        for row in rows
    )


def lan() -> list[Lan]:
    """The 21 Swedish län, in NUTS code order.

    Examples
    --------
    >>> counties = lan()
    >>> len(counties), counties[0].name, counties[-1].short_name
    (21, 'Stockholms län', 'Norrbotten')
    """
    return list(_lan())


@cache
def _by_scb() -> dict[str, Lan]:
    return {item.scb_code: item for item in _lan()}


def lan_by_scb_code(scb_code: str | int) -> Lan:
    """The län with a Statistics Sweden county code (``"06"``, ``"6"`` or ``6``).

    Examples
    --------
    >>> lan_by_scb_code("06").code, lan_by_scb_code(25).name
    ('SE211', 'Norrbottens län')
    """
    if isinstance(scb_code, bool) or not isinstance(scb_code, str | int):
        raise InputError(f"an SCB county code must be a string or an integer, not {scb_code!r}")
    text = str(scb_code).strip()
    key = text.zfill(2) if text.isdigit() and len(text) <= 2 else text
    found = _by_scb().get(key)
    if found is None:
        known = [f"{item.scb_code} ({item.name})" for item in _lan()]
        near = [k for k in known if k[:1] == key[:1]][:5] or known[:3]
        raise UnknownCodeError("SCB county code", text, near)
    return found


def lan_forms() -> dict[str, tuple[str, ...]]:
    """NUTS 3 code -> accepted name forms, for the name index."""
    return {item.code: item.forms for item in _lan()}
