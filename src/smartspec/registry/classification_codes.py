"""The codes a priority is classified with: NACE Rev. 2 divisions and themes.

:func:`normalize_code` turns what an editor types (``C10``, ``Livsmedel``) into the
stored form of a NACE division or theme id, or says clearly why it is neither and which
codes come closest; :func:`code_name` names a stored code.
"""

from __future__ import annotations

import difflib

from smartspec.errors import InputError, UnknownCodeError
from smartspec.registry.models import ClassificationScheme
from smartspec.taxonomy import classify

__all__ = ["code_name", "normalize_code"]


def _scheme(scheme: ClassificationScheme | str) -> ClassificationScheme:
    text = str(getattr(scheme, "value", scheme)).strip().lower()
    aliases = {"nace": "nace", "division": "nace", "theme": "theme", "themes": "theme"}
    if text not in aliases:
        raise InputError(f"unknown classification scheme {scheme!r}", hint="use nace or theme")
    return ClassificationScheme(aliases[text])


def normalize_code(scheme: ClassificationScheme | str, code: str) -> str:
    """The stored form of a NACE division or theme id; a clear error if it is neither.

    A NACE division may be given with its section letter (``C10`` is ``10``); a theme by
    its id in any case or by its English or Swedish name.

    Raises
    ------
    UnknownCodeError
        For a code that is not a NACE division or bundled theme, with the closest ones.
    InputError
        For a NACE code of another level (a section, group or class), with the
        division(s) to use instead.

    Examples
    --------
    >>> normalize_code("nace", "C10"), normalize_code("theme", "Livsmedel")
    ('10', 'food')
    >>> normalize_code("nace", "10.1")
    Traceback (most recent call last):
    ...
    smartspec.errors.InputError: NACE code '10.1' is a group, not a division (use its division 10)
    """
    kind = _scheme(scheme)
    text = code.strip() if isinstance(code, str) else ""
    if kind is ClassificationScheme.NACE:
        return _nace_division(text, code)
    return _theme_id(text, code)


def _nace_division(text: str, given: str) -> str:
    from smartspec.taxonomy import is_nace_code, nace_codes, nace_level, nace_name, normalize_nace

    divisions = nace_codes(2)
    if text and is_nace_code(text):
        canonical = normalize_nace(text)
        if canonical in divisions:
            return canonical
        level = nace_level(text)
        if level >= 3:
            division = canonical.split(".")[0]
            what = {3: "group", 4: "class", 5: "SNI detail group"}[level]
            raise InputError(
                f"NACE code {given!r} is a {what}, not a division",
                hint=f"use its division {division}",
            )
        if level == 1 and len(canonical) == 1:
            from smartspec.taxonomy import nace_parent

            inside = [d for d in divisions if nace_parent(d) == canonical]
            raise InputError(
                f"NACE code {given!r} is a section, not a division",
                hint="use one or more of its divisions: " + ", ".join(inside),
            )
        raise InputError(
            f"NACE code {given!r} is an aggregate, not a division",
            hint="give the divisions one by one",
        )
    close = difflib.get_close_matches(text, divisions, n=3, cutoff=0.5) if text else []
    if text and any(ch.isalpha() for ch in text):
        close = [*_classified(text, ClassificationScheme.NACE), *close]
    names = [f"{c} ({nace_name(c)})" for c in dict.fromkeys(close)][:3]
    raise UnknownCodeError("NACE division", given, names)


def _theme_id(text: str, given: str) -> str:
    from smartspec.taxonomy import themes

    bundled = themes()
    wanted = text.casefold()
    for theme in bundled:
        if wanted in {theme.id.casefold(), theme.name_en.casefold(), theme.name_sv.casefold()}:
            return theme.id
    names = {t.id: t.name_en for t in bundled}
    lookup = {t.id: t.id for t in bundled}
    lookup.update({t.name_en.casefold(): t.id for t in bundled})
    lookup.update({t.name_sv.casefold(): t.id for t in bundled})
    close = [lookup[m] for m in difflib.get_close_matches(wanted, list(lookup), n=3, cutoff=0.5)]
    if text:
        close = [*close, *_classified(text, ClassificationScheme.THEME)]
    suggestions = [f"{c} ({names[c]})" for c in dict.fromkeys(close) if c in names][:3]
    raise UnknownCodeError("theme", given, suggestions)


def _classified(text: str, scheme: ClassificationScheme) -> list[str]:
    """The codes the lexical classifier suggests for a word given instead of a code."""
    try:
        result = classify(text, top=3)
    except InputError:  # pragma: no cover - text is not empty here
        return []
    found = result.nace if scheme is ClassificationScheme.NACE else result.themes
    return [s.code for s in found]


def code_name(scheme: ClassificationScheme | str, code: str) -> str:
    """The English name of a NACE division or theme (the code itself if unknown).

    >>> code_name("nace", "10"), code_name("theme", "food")
    ('Manufacture of food products', 'Food')
    """
    from smartspec.taxonomy import is_nace_code, nace_name
    from smartspec.taxonomy.themes import themes

    if _scheme(scheme) is ClassificationScheme.NACE:
        return nace_name(code) if is_nace_code(code) else code
    return next((t.name_en for t in themes() if t.id == code), code)
