"""NUTS 2024 boundaries."""

from __future__ import annotations

import json
from typing import Any

import pytest

from smartspec import geo
from smartspec.errors import InputError, UnknownCodeError

COUNTS = {0: 37, 1: 114, 2: 296, 3: 1345}


def _coords(geometry: dict[str, Any]) -> list[list[float]]:
    if geometry["type"] == "Polygon":
        return [pt for ring in geometry["coordinates"] for pt in ring]
    assert geometry["type"] == "MultiPolygon"
    return [pt for poly in geometry["coordinates"] for ring in poly for pt in ring]


@pytest.mark.parametrize("level", [0, 1, 2, 3])
def test_feature_collection(level: int) -> None:
    fc = geo.boundaries(level)
    assert fc["type"] == "FeatureCollection"
    assert fc["attribution"] == geo.ATTRIBUTION
    features = fc["features"]
    assert len(features) == COUNTS[level]
    codes = [f["properties"]["code"] for f in features]
    assert codes == sorted(codes)
    for f in features:
        p = f["properties"]
        assert set(p) == {"code", "name", "name_latn", "level", "country"}
        assert f["type"] == "Feature"
        assert f["id"] == p["code"]
        region = geo.get_region(p["code"], 2024)
        assert (p["name"], p["name_latn"], p["level"], p["country"]) == (
            region.name,
            region.name_latn,
            level,
            region.country,
        )
        for lon, lat in _coords(f["geometry"]):
            assert -64 <= lon <= 56
            assert -22 <= lat <= 82
            assert round(lon, 4) == lon
            assert round(lat, 4) == lat
    json.dumps(fc)  # plain JSON


def test_country_filter() -> None:
    se = geo.boundaries(3, country="SE")["features"]
    assert [f["id"] for f in se] == [item.code for item in geo.lan()]
    assert [f["id"] for f in geo.boundaries(0, country="gr")["features"]] == ["EL"]
    assert geo.boundaries(2, country="UA")["features"] == []  # no GISCO geometry
    with pytest.raises(UnknownCodeError):
        geo.boundaries(2, country="XX")


def test_level_0_names() -> None:
    props = {f["id"]: f["properties"] for f in geo.boundaries(0)["features"]}
    assert props["SE"]["name"] == "Sverige"
    assert props["EL"]["name_latn"] == "Elláda"


def test_fresh_copy_each_call() -> None:
    first = geo.boundaries(1)
    first["features"].clear()
    assert len(geo.boundaries(1)["features"]) == COUNTS[1]


@pytest.mark.parametrize("level", [None, 4, -1, "1"])
def test_bad_level(level: object) -> None:
    with pytest.raises(InputError):
        geo.boundaries(level)  # type: ignore[arg-type]


def test_geometries_are_valid() -> None:
    shapely = pytest.importorskip("shapely.geometry")
    for level in (0, 1, 2, 3):
        for f in geo.boundaries(level)["features"]:
            shape = shapely.shape(f["geometry"])
            assert not shape.is_empty
            assert shape.area > 0, f["id"]


def test_level_0_is_the_union_of_level_1() -> None:
    shapely = pytest.importorskip("shapely.geometry")
    ops = pytest.importorskip("shapely.ops")
    countries = {f["id"]: shapely.shape(f["geometry"]) for f in geo.boundaries(0)["features"]}
    for code in ("SE", "DE", "EL", "FR"):
        parts = [
            shapely.shape(f["geometry"]).buffer(0)
            for f in geo.boundaries(1, country=code)["features"]
        ]
        union = ops.unary_union(parts)
        assert abs(union.area - countries[code].area) / union.area < 1e-3
