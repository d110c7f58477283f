"""SCB's codes to the codes of an activity table: län → NUTS 3, SNI 2007 → NACE Rev. 2.

SCB's county codes ``01``…``25`` become the län's NUTS 3 codes and ``00`` (Riket)
``SE``; SNI 2007 levels 1–4 are NACE Rev. 2, five-digit detail groups map to their
four-digit class.
"""

from __future__ import annotations

import re

from smartspec.errors import InputError

_TOTAL_CODES = frozenset({"TOT", "TOTAL", "TOTALT", "SAMTLIGA"})
_SECTIONS = "ABCDEFGHIJKLMNOPQRSTU"


def sni_to_nace(code: str) -> str | None:
    """The NACE Rev. 2 code of an SNI 2007 code, or ``None`` if it is not one.

    SNI 2007 levels 1–4 are NACE Rev. 2 (section, division, group, class); a five-digit
    detail group maps to its four-digit class. Joins of adjacent sections (``"M+N"``)
    become NACE aggregates (``"M_N"``); ``TOT``/``TOTAL`` becomes ``"TOTAL"``.

    Examples
    --------
    >>> [sni_to_nace(c) for c in ("A", "01", "011", "0111", "01110", "10.11", "M+N")]
    ['A', '01', '01.1', '01.11', '01.11', '10.11', 'M_N']
    """
    from smartspec.taxonomy import nace_level, nace_parent, normalize_nace

    text = str(code).strip().upper().replace(" ", "")
    if not text:
        return None
    if text in _TOTAL_CODES:
        return "TOTAL"
    if "+" in text:
        parts = text.split("+")
        if all(len(p) == 1 and p in _SECTIONS for p in parts):
            idx = [_SECTIONS.index(p) for p in parts]
            if idx == list(range(idx[0], idx[0] + len(idx))):
                text = f"{parts[0]}-{parts[-1]}"
    try:
        canonical = normalize_nace(text)
    except (LookupError, ValueError):
        return None
    if nace_level(canonical) == 5:
        return nace_parent(canonical)
    return canonical


def scb_region_to_nuts(code: str) -> str:
    """The NUTS code of an SCB region code: a län (``"06"`` → ``"SE211"``) or Riket.

    Raises
    ------
    InputError
        For municipalities (four digits) and other SCB regions, which are not NUTS
        regions.
    UnknownCodeError
        For a two-digit code that is not a county code.
    """
    from smartspec.geo import lan_by_scb_code

    text = str(code).strip()
    if text in ("00", "0", "SE", "Riket"):
        return "SE"
    if re.fullmatch(r"\d{1,2}", text):
        return str(lan_by_scb_code(text).code)
    what = "a municipality code" if re.fullmatch(r"\d{4}", text) else "not a county code"
    raise InputError(
        f"the SCB region {text!r} is {what}; only the 21 län (01–25) and Riket (00) have "
        "NUTS codes",
        hint="select län codes, or pass regions='scb' to keep SCB's region codes",
    )
