"""Cross-cutting S3 themes: a small, documented, extendable list.

Thirteen themes (digitalisation and ICT, life science and health, food, forest and
bioeconomy, energy and cleantech, advanced manufacturing and materials, visitor economy,
cultural and creative industries, logistics and transport, sustainable cities and
housing, test beds, blue economy, services and innovation capacity) are bundled in
``_data/themes_v1.toml``, each with English and Swedish names, a scope note and the NACE
Rev. 2 divisions that typically carry it (with link weights). The file is read on first
use. To add a theme, add a table to a copy of that file and pass the text to
:func:`parse_themes`; :func:`smartspec.taxonomy.lexicon.load_lexicon` accepts the result.

Core module: no I/O at import.

Examples
--------
>>> [t.id for t in themes()][:3]
['digital', 'life_science_health', 'food']
>>> theme_name("food", lang="sv")
'Livsmedel'
>>> theme("food").nace["10"]
1.0
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from typing import Literal

from smartspec.errors import InputError, UnknownCodeError

__all__ = ["Theme", "parse_themes", "theme", "theme_name", "themes"]


@dataclass(frozen=True)
class Theme:
    """One cross-cutting theme.

    Parameters
    ----------
    id:
        Stable identifier, e.g. ``"food"``.
    name_en, name_sv:
        Display names in English and Swedish.
    scope:
        One line saying what the theme covers.
    nace:
        NACE Rev. 2 divisions that typically carry the theme, with link weights in (0, 1].
    """

    id: str
    name_en: str
    name_sv: str
    scope: str = ""
    nace: Mapping[str, float] = field(default_factory=dict)

    def name(self, lang: Literal["en", "sv"] = "en") -> str:
        """The theme's name in English (``"en"``) or Swedish (``"sv"``)."""
        return self.name_sv if lang == "sv" else self.name_en


def parse_themes(text: str, *, source: str = "themes") -> tuple[Theme, ...]:
    """Parse a themes file (TOML, one table per theme; see ``_data/themes_v1.toml``).

    Raises
    ------
    InputError
        If the text is not valid TOML, a name is missing, or a link weight is not in (0, 1].

    Examples
    --------
    >>> t = parse_themes('[space]\\nname_en = "Space"\\nname_sv = "Rymd"\\nnace = {"30" = 0.8}')
    >>> t[0].id, t[0].name("sv"), dict(t[0].nace)
    ('space', 'Rymd', {'30': 0.8})
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"not valid TOML: {exc}", source=source) from exc
    out: list[Theme] = []
    for tid, body in data.items():
        if not isinstance(body, dict):
            raise InputError(f"theme {tid!r} must be a table", source=source)
        try:
            name_en = str(body["name_en"])
            name_sv = str(body["name_sv"])
        except KeyError as exc:
            raise InputError(
                f"theme {tid!r} lacks {exc.args[0]!r}",
                source=source,
                hint="give name_en and name_sv",
            ) from exc
        links: dict[str, float] = {}
        for code, weight in dict(body.get("nace", {})).items():
            w = float(weight)
            if not 0.0 < w <= 1.0:
                raise InputError(
                    f"theme {tid!r}: link weight of {code!r} is {w}",
                    source=source,
                    hint="use a number in (0, 1]",
                )
            links[str(code)] = w
        out.append(Theme(tid, name_en, name_sv, str(body.get("scope", "")), links))
    return tuple(out)


@functools.cache
def themes() -> tuple[Theme, ...]:
    """The bundled themes, in their documented order (read on first use, cached)."""
    text = (
        resources.files("smartspec.taxonomy")
        .joinpath("_data", "themes_v1.toml")
        .read_text(encoding="utf-8")
    )
    return parse_themes(text, source="themes_v1.toml")


def theme(theme_id: str) -> Theme:
    """The bundled theme with id *theme_id*.

    Raises
    ------
    UnknownCodeError
        If there is no such theme (the message lists close ids).
    """
    for t in themes():
        if t.id == theme_id:
            return t
    import difflib

    close = difflib.get_close_matches(theme_id, [t.id for t in themes()], n=3)
    raise UnknownCodeError("theme", theme_id, close)


def theme_name(theme_id: str, lang: Literal["en", "sv"] = "en") -> str:
    """The name of a bundled theme in English or Swedish."""
    return theme(theme_id).name(lang)
