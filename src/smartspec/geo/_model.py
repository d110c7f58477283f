"""The value types of :mod:`smartspec.geo` and its constants."""

from __future__ import annotations

from dataclasses import dataclass

#: The NUTS versions smartspec knows, oldest first.
NUTS_VERSIONS: tuple[int, ...] = (2010, 2013, 2016, 2021, 2024)
#: The newest NUTS version; the default of every function that takes a version.
LATEST_VERSION: int = 2024
#: The attribution GISCO requires wherever its boundaries are shown.
ATTRIBUTION: str = "© EuroGeographics for the administrative boundaries"


@dataclass(frozen=True, slots=True)
class Region:
    """A NUTS region (or a country, level 0) in one NUTS version.

    Attributes
    ----------
    code:
        NUTS code, e.g. ``"SE211"``; level 0 codes are NUTS country codes (``"EL"`` for
        Greece, ``"UK"``).
    name:
        Name as published by Eurostat for that version (national language); for level 0
        the national-language country name, e.g. ``"Sverige"``.
    level:
        0 (country) to 3.
    country:
        Two-letter NUTS country code.
    version:
        NUTS version (one of :data:`NUTS_VERSIONS`).
    parent:
        Code of the region one level up, ``None`` for level 0.
    name_latn:
        GISCO's Latin-script name (NUTS 2024 regions only), else ``None``.
    extra_regio:
        True for the Extra-Regio codes (``SEZ``, ``SEZZ``, ``SEZZZ``), which hold values
        that cannot be assigned to a region.

    Examples
    --------
    >>> from smartspec.geo import get_region
    >>> r = get_region("SE211")
    >>> r.name, r.level, r.parent, r.label
    ('Jönköpings län', 3, 'SE21', 'SE211 (Jönköpings län)')
    """

    code: str
    name: str
    level: int
    country: str
    version: int
    parent: str | None
    name_latn: str | None = None
    extra_regio: bool = False

    @property
    def label(self) -> str:
        """``"CODE (Name)"``, the form used in messages."""
        return f"{self.code} ({self.name})"


@dataclass(frozen=True, slots=True)
class Match:
    """A search hit: the region, a score from 0 to 100 and the name that matched.

    Scores: 100 = exact match of the code or of an official name of the region in the
    version searched; 99 = exact match of an alias (e.g. ``"Skåne"`` for Skåne län);
    98 = exact match of a name the code had in another NUTS version (only when a version
    is given); below that, fuzzy matches (at most 97).
    """

    region: Region
    score: float
    matched: str


@dataclass(frozen=True, slots=True)
class Lan:
    """A Swedish län (county), NUTS level 3.

    Attributes
    ----------
    code:
        NUTS 3 code, e.g. ``"SE211"``.
    nuts2:
        NUTS 2 code of its riksområde, e.g. ``"SE21"``.
    name:
        ``"Jönköpings län"``.
    short_name:
        ``"Jönköping"``.
    scb_code:
        Statistics Sweden's two-digit county code, ``"06"``.
    iso:
        ISO 3166-2 code, ``"SE-F"``.
    forms:
        Every accepted name form: län name, short name, ``"Region X"``, the regional
        authority's name and the same without diacritics (``"Jonkopings lan"``).

    Examples
    --------
    >>> from smartspec.geo import lan_by_scb_code
    >>> lan_by_scb_code("6").name, lan_by_scb_code("06").iso
    ('Jönköpings län', 'SE-F')
    """

    code: str
    nuts2: str
    name: str
    short_name: str
    scb_code: str
    iso: str
    forms: tuple[str, ...]
