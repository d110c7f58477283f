"""Priority labels: the normalised key that gives a priority its identity.

Two labels name the same priority when their keys are equal. The key ignores case,
whitespace and punctuation, so the wordings Tillväxtverket and a region publish for one
area ("Hälsa vård, omsorg" and "Hälsa, vård, omsorg") are one priority, while letters and
digits, including å, ä and ö, count: "Hälsa" and "Halsa" are different priorities.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["MAX_LABEL_LENGTH", "clean_label", "label_key"]

MAX_LABEL_LENGTH = 500
_SPACE = re.compile(r"\s+")


def label_key(label: str) -> str:
    """Normalise a label: Unicode NFKC, case-folded, punctuation and symbols dropped.

    Every character that is not a letter, a digit or a combining mark becomes a space;
    runs of spaces become one.

    >>> label_key("  Hälsa vård, omsorg ")
    'hälsa vård omsorg'
    >>> label_key("Biobaserade näringar; hållbar produktion") == label_key(
    ...     "Biobaserade näringar - hållbar produktion")
    True
    >>> label_key("Life Science") == label_key("life science")
    True
    """
    text = unicodedata.normalize("NFKC", label).casefold()
    kept = [ch if unicodedata.category(ch)[0] in "LNM" else " " for ch in text]
    return _SPACE.sub(" ", "".join(kept)).strip()


def clean_label(label: str) -> str:
    """Trim a label and collapse its inner whitespace; keep everything else as published.

    >>> clean_label("  Sport,  turism,\\n outdoor ")
    'Sport, turism, outdoor'
    """
    return _SPACE.sub(" ", unicodedata.normalize("NFC", label)).strip()
