"""NUTS 2024 boundaries (GISCO, 1:60 million, WGS 84) as GeoJSON dictionaries."""

from __future__ import annotations

import json
from functools import cache
from typing import Any, cast

from smartspec.errors import InputError
from smartspec.geo._model import ATTRIBUTION
from smartspec.geo._store import check_country, check_level, read_data


@cache
def _text(level: int) -> str:
    return read_data(f"boundaries_{level}.geojson.gz").decode("utf-8")


def boundaries(level: int, *, country: str | None = None) -> dict[str, Any]:
    """NUTS 2024 boundaries of one level as a GeoJSON FeatureCollection.

    GISCO's 1:60 million generalisation in WGS 84 longitude/latitude (EPSG:4326),
    coordinates rounded to 4 decimals; level 0 (countries) is the union of the level-1
    regions. Maps drawn from these must show :data:`ATTRIBUTION`
    (``"© EuroGeographics for the administrative boundaries"``), which the collection
    also carries as a foreign member ``"attribution"``.

    Parameters
    ----------
    level:
        NUTS level, 0 (countries) to 3.
    country:
        Only this country's regions (NUTS or ISO code).

    Returns
    -------
    dict
        ``{"type": "FeatureCollection", "attribution": ..., "features": [...]}``; each
        feature has ``id`` = NUTS code and properties ``code``, ``name``, ``name_latn``,
        ``level``, ``country``. A fresh object on every call: change it freely.
        Extra-Regio codes and the regions without GISCO geometry (Bosnia and
        Herzegovina, Ukraine) have no feature.

    Examples
    --------
    >>> fc = boundaries(3, country="SE")
    >>> len(fc["features"]), fc["features"][0]["properties"]["name"]
    (21, 'Stockholms län')
    """
    lv = check_level(level)
    if lv is None:
        raise InputError("boundaries need a NUTS level", hint="use 0 (country), 1, 2 or 3")
    cc = check_country(country)
    data = cast(dict[str, Any], json.loads(_text(lv)))
    features = data["features"]
    if cc is not None:
        features = [f for f in features if f["properties"]["country"] == cc]
    return {"type": "FeatureCollection", "attribution": ATTRIBUTION, "features": features}
