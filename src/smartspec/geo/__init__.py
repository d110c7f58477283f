"""NUTS regions of the versions 2010, 2013, 2016, 2021 and 2024, with Swedish län extras.

Every region of every version (levels 1-3 as published by Eurostat, Extra-Regio codes
included, plus level 0 = the countries), its name and parent; lookup by code or by name
(case-, diacritics- and script-insensitive, with aliases and fuzzy suggestions); the
21 Swedish län with their SCB and ISO codes; NUTS 2024 boundaries as GeoJSON.

Data are bundled with the package and read lazily on first use; nothing is read at
import. Boundaries are © EuroGeographics (see :data:`ATTRIBUTION`).

Examples
--------
>>> from smartspec import geo
>>> geo.lookup("Jönköping").code
'SE211'
>>> geo.get_region("SE211").parent
'SE21'
>>> geo.country_name("SE"), geo.get_region("SE").name
('Sweden', 'Sverige')
"""

from __future__ import annotations

from smartspec.geo._boundaries import boundaries
from smartspec.geo._countries import country_name
from smartspec.geo._model import (
    ATTRIBUTION,
    LATEST_VERSION,
    NUTS_VERSIONS,
    Lan,
    Match,
    Region,
)
from smartspec.geo._search import LOOKUP_MIN_SCORE, lookup, names_of, search
from smartspec.geo._store import (
    children,
    codes,
    detect_version,
    get_region,
    is_aggregate,
    is_extra_regio,
    regions,
    versions_of,
)
from smartspec.geo._sweden import lan, lan_by_scb_code
from smartspec.geo.conversion import (
    CONVERSION_WEIGHTS,
    ConversionPlan,
    PlanEntry,
    conversion_plan,
    convert,
)

__all__ = [
    "ATTRIBUTION",
    "CONVERSION_WEIGHTS",
    "LATEST_VERSION",
    "LOOKUP_MIN_SCORE",
    "NUTS_VERSIONS",
    "ConversionPlan",
    "Lan",
    "Match",
    "PlanEntry",
    "Region",
    "boundaries",
    "children",
    "codes",
    "conversion_plan",
    "convert",
    "country_name",
    "detect_version",
    "get_region",
    "is_aggregate",
    "is_extra_regio",
    "lan",
    "lan_by_scb_code",
    "lookup",
    "names_of",
    "regions",
    "search",
    "versions_of",
]
