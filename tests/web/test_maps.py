"""Vega-Lite map specs (smartspec.reports.maps), rendered on the server with vl-convert."""

from __future__ import annotations

import re
from typing import Any

import pytest

from smartspec import geo
from smartspec.reports.maps import (
    ACCENT,
    ETRS89_LAEA,
    EUROPE_EXTENT,
    MUTED,
    SWEREF99_TM,
    choropleth_spec,
    region_map_spec,
)

vl_convert = pytest.importorskip("vl_convert")


@pytest.fixture(scope="module")
def sweden() -> dict[str, Any]:
    return geo.boundaries(3, country="SE")


def _paths(svg: str) -> dict[str, str]:
    """aria-label -> fill of every geoshape path in an SVG."""
    out = {}
    for tag in re.findall(r"<path [^>]*aria-roledescription=\"geoshape\"[^>]*>", svg):
        label = re.search(r'aria-label="([^"]+)"', tag)
        fill = re.search(r'fill="([^"]+)"', tag)
        assert label is not None
        assert fill is not None
        out[label.group(1)] = fill.group(1)
    return out


def test_every_region_is_a_labelled_linked_mark(sweden: dict[str, Any]) -> None:
    spec = choropleth_spec(sweden, color_by="parent", projection=SWEREF99_TM)
    svg = vl_convert.vegalite_to_svg(spec)
    paths = _paths(svg)
    assert len(paths) == 21
    assert "SE211 Jönköpings län" in paths
    # vl-convert resolves relative links against its own base URL; browsers use the page's
    assert len(re.findall(r'<a [^>]*href="[^"]*/regions/SE\d{3}"', svg)) == 21
    # coloured by riksområde: the four län of SE21 share a colour, SE110 has another
    se21 = {paths[k] for k in paths if k.startswith("SE21")}
    assert len(se21) == 1
    assert paths["SE110 Stockholms län"] not in se21


def test_choropleth_values_and_missing(sweden: dict[str, Any]) -> None:
    values = {"SE211": 1.0, "SE212": 3.0, "SE110": None}
    spec = choropleth_spec(sweden, values, value_title="LQ", projection=SWEREF99_TM)
    paths = _paths(vl_convert.vegalite_to_svg(spec))
    assert len(paths) == 21  # regions without a value stay on the map
    assert paths["SE211 Jönköpings län"] != paths["SE212 Kronobergs län"]
    assert paths["SE110 Stockholms län"] == MUTED
    assert paths["SE332 Norrbottens län"] == MUTED
    assert spec["encoding"]["color"]["title"] == "LQ"
    assert [t["title"] for t in spec["encoding"]["tooltip"]] == ["Code", "Name", "LQ"]


def test_no_links(sweden: dict[str, Any]) -> None:
    spec = choropleth_spec(sweden, href=None)
    assert "href" not in spec["encoding"]
    assert "<a " not in vl_convert.vegalite_to_svg(spec)


def test_custom_link_template(sweden: dict[str, Any]) -> None:
    spec = choropleth_spec(sweden, href="https://example.org/profile/{code}?tab=it's")
    svg = vl_convert.vegalite_to_svg(spec)
    assert 'href="https://example.org/profile/SE211?tab=it&apos;s"' in svg.replace("'", "&apos;")


def test_region_map_highlights_the_region(sweden: dict[str, Any]) -> None:
    fc = dict(sweden, features=[f for f in sweden["features"] if f["id"].startswith("SE2")])
    spec = region_map_spec(fc, "SE211")
    paths = _paths(vl_convert.vegalite_to_svg(spec))
    assert paths.pop("SE211 Jönköpings län") == ACCENT
    assert set(paths.values()) == {MUTED}
    assert 10 < -spec["projection"]["rotate"][0] < 20  # centred on southern Sweden


def test_region_map_of_a_country_highlights_all_its_parts() -> None:
    fc = geo.boundaries(1, country="SE")
    paths = _paths(vl_convert.vegalite_to_svg(region_map_spec(fc, "SE")))
    assert set(paths.values()) == {ACCENT}


def test_url_data_and_europe_extent() -> None:
    spec = choropleth_spec(
        "/api/v1/boundaries/2", color_by="country", projection=ETRS89_LAEA, extent=EUROPE_EXTENT
    )
    assert spec["data"] == {
        "url": "/api/v1/boundaries/2",
        "format": {"type": "json", "property": "features"},
    }
    assert spec["mark"]["clip"] is True
    assert spec["projection"]["fit"]["geometry"]["type"] == "MultiPoint"
    assert "datasets" not in spec or "regions" not in spec["datasets"]
    vega = vl_convert.vegalite_to_vega(spec)  # compiles
    assert vega["projections"][0]["type"] == "azimuthalEqualArea"


def test_europe_map_renders_the_nuts2_regions() -> None:
    fc = geo.boundaries(2)
    spec = choropleth_spec(fc, color_by="country", projection=ETRS89_LAEA, extent=EUROPE_EXTENT)
    paths = _paths(vl_convert.vegalite_to_svg(spec))
    assert len(paths) == len(fc["features"])
    assert "SE11 Stockholm" in paths
