"""What the API and the pages share: finding regions and building their maps.

Thin glue over :mod:`smartspec.geo` and :mod:`smartspec.reports.maps`; no HTTP here.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from smartspec.geo import Region

#: The URLs the home page's maps load their boundaries from (served by the API).
SWEDEN_BOUNDARIES_URL = "/api/v1/boundaries/3?country=SE"
EUROPE_BOUNDARIES_URL = "/api/v1/boundaries/2"

LEVEL_NAMES = {0: "country", 1: "NUTS 1", 2: "NUTS 2", 3: "NUTS 3"}


def region_dict(region: Region) -> dict[str, Any]:
    """The JSON fields of a region."""
    return {
        "code": region.code,
        "name": region.name,
        "level": region.level,
        "country": region.country,
        "parent": region.parent,
        "name_latn": region.name_latn,
        "version": region.version,
    }


def find_region(code: str, version: int | None = None) -> Region:
    """The region with ``code`` in ``version``, or in the newest version that has it.

    Raises :class:`~smartspec.errors.UnknownCodeError` (with suggestions) when no
    version has the code.
    """
    from smartspec import geo

    if version is not None:
        return geo.get_region(code, version)
    versions = geo.versions_of(code)
    return geo.get_region(code, versions[-1] if versions else geo.LATEST_VERSION)


def ancestors(region: Region) -> list[Region]:
    """The parent chain, country first, ``region`` excluded."""
    from smartspec import geo

    chain: list[Region] = []
    parent = region.parent
    while parent is not None:
        up = geo.get_region(parent, region.version)
        chain.append(up)
        parent = up.parent
    return chain[::-1]


@dataclass(frozen=True)
class RegionPage:
    """Everything the region page shows."""

    region: Region
    ancestors: list[Region]
    children: list[Region]
    siblings: list[Region]
    country_en: str
    country_national: str
    versions: tuple[int, ...]
    lan: Any | None
    map_spec: dict[str, Any] | None


def region_page(code: str, version: int | None = None) -> RegionPage:
    """Collect the region page's content (raises UnknownCodeError for unknown codes)."""
    from smartspec import geo

    region = find_region(code, version)
    kids = geo.children(region.code, region.version)
    siblings = (
        [r for r in geo.children(region.parent, region.version) if r.code != region.code]
        if region.parent
        else []
    )
    lan = next((item for item in geo.lan() if item.code == region.code), None)
    spec = region_map(region.code) if region.version == geo.LATEST_VERSION else None
    return RegionPage(
        region=region,
        ancestors=ancestors(region),
        children=kids,
        siblings=siblings,
        country_en=geo.country_name(region.country, "en"),
        country_national=geo.country_name(region.country, "national"),
        versions=geo.versions_of(region.code),
        lan=lan,
        map_spec=spec,
    )


@lru_cache(maxsize=512)
def _region_map(code: str) -> dict[str, Any] | None:
    from smartspec import geo
    from smartspec.reports.maps import region_map_spec

    region = geo.get_region(code)
    if region.level == 0:  # a country: its NUTS 1 regions
        fc = geo.boundaries(1, country=region.country)
    else:  # the region among its parent's siblings' regions of its level (e.g. a NUTS 1)
        fc = geo.boundaries(region.level, country=region.country)
        parent = geo.get_region(region.parent) if region.parent else None
        prefix = (parent.parent if parent is not None else None) or region.country
        fc["features"] = [f for f in fc["features"] if f["properties"]["code"].startswith(prefix)]
    if not any(f["properties"]["code"].startswith(code) for f in fc["features"]):
        return None
    return region_map_spec(fc, code, width=300, height=300)


def region_map(code: str) -> dict[str, Any] | None:
    """Spec of a small map: the region highlighted among its neighbours (NUTS 2024).

    The neighbours are the regions of the same level under the region's grandparent
    (a län among the län of its NUTS 1 region; a NUTS 2 region in its country).

    ``None`` when GISCO has no geometry for the code (Extra-Regio codes). The map of a
    country shows its NUTS 1 regions.
    """
    spec = _region_map(code)
    return None if spec is None else dict(spec)


@lru_cache(maxsize=1)
def sweden_map() -> dict[str, Any]:
    """The home page's map of Sweden's 21 län, coloured by riksområde (NUTS 2)."""
    from smartspec.reports.maps import SWEREF99_TM, choropleth_spec

    return choropleth_spec(
        SWEDEN_BOUNDARIES_URL,
        color_by="parent",
        projection=SWEREF99_TM,
        width=300,
        height=560,
    )


@lru_cache(maxsize=1)
def europe_map() -> dict[str, Any]:
    """The home page's map of the NUTS 2 regions (2024), coloured by country."""
    from smartspec.reports.maps import ETRS89_LAEA, EUROPE_EXTENT, choropleth_spec

    return choropleth_spec(
        EUROPE_BOUNDARIES_URL,
        color_by="country",
        projection=ETRS89_LAEA,
        extent=EUROPE_EXTENT,
        width=560,
        height=560,
    )
