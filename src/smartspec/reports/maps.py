"""Vega-Lite map specs (built with Altair) for the web pages and the reports.

Every map is a Vega-Lite ``geoshape`` layer over a GeoJSON ``FeatureCollection`` whose
features carry the properties that :func:`smartspec.geo.boundaries` writes (``code``,
``name``, ``name_latn``, ``level``, ``country``). The functions return plain ``dict``
specs: the web pages embed them as JSON and render them in the browser with the Vega
bundle that ``vl-convert-python`` ships; reports render the same dict to SVG/PNG/PDF with
``vl_convert`` on the server. One spec, every medium.

Each region's mark carries

* a ``description`` (``"SE211 Jönköpings län"``), which Vega's SVG renderer writes as the
  path's ``aria-label`` — screen readers announce it, and tests find regions by it;
* a tooltip with the code and the name (and the value, on a choropleth);
* an ``href`` to the region's page (``/regions/SE211``) unless disabled, so a click on a
  region opens its page.

The GISCO attribution (:data:`smartspec.geo.ATTRIBUTION`) is *not* drawn into the spec:
the page or report shows it as text under every map, where it can be read and copied.

>>> spec = choropleth_spec("/api/v1/boundaries/3?country=SE", projection=SWEREF99_TM)
>>> spec["mark"]["type"], spec["data"]["url"]
('geoshape', '/api/v1/boundaries/3?country=SE')
>>> spec["encoding"]["description"]["field"]
'label'
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any, Literal

#: Transverse Mercator on 15° E — the projection of SWEREF 99 TM, Sweden's national grid.
SWEREF99_TM: dict[str, Any] = {"type": "transverseMercator", "rotate": [-15, 0]}
#: Lambert azimuthal equal-area centred on 10° E 52° N — ETRS89-LAEA (EPSG:3035), the
#: projection the EU uses for pan-European statistical maps.
ETRS89_LAEA: dict[str, Any] = {"type": "azimuthalEqualArea", "rotate": [-10, -52]}
#: Longitude/latitude corners that frame continental Europe with Iceland and Cyprus;
#: the outermost regions (Canarias, the French overseas departments…) fall outside the
#: frame and are clipped, as on Eurostat's own maps.
EUROPE_EXTENT: tuple[tuple[float, float], ...] = (
    (-24.5, 63.0),
    (-10.5, 35.0),
    (34.8, 34.5),
    (34.8, 71.2),
    (-10.5, 71.2),
)

#: Fill of regions without a value, or not highlighted.
MUTED = "#d9dde3"
#: Fill of highlighted regions.
ACCENT = "#1f5f99"
#: Sequential scheme of choropleths (colour-blind safe, prints in grey).
SCHEME = "blues"

ColorBy = Literal["parent", "country", "none"]


def choropleth_spec(
    geojson: Mapping[str, Any] | str,
    values: Mapping[str, float | None] | None = None,
    *,
    value_title: str = "value",
    color_by: ColorBy = "none",
    highlight: Collection[str] = (),
    href: str | None = "/regions/{code}",
    title: str | None = None,
    width: int = 320,
    height: int = 420,
    projection: Mapping[str, Any] | None = None,
    extent: Sequence[tuple[float, float]] | None = None,
) -> dict[str, Any]:
    """A Vega-Lite map of regions, optionally coloured by a value per region.

    Parameters
    ----------
    geojson:
        A GeoJSON ``FeatureCollection`` (inlined into the spec as a named dataset) or the
        URL of one (e.g. ``"/api/v1/boundaries/3?country=SE"``), which the browser loads.
        Features need the properties ``code`` and ``name``.
    values:
        Region code → number. Regions with a value are filled on the sequential scale
        :data:`SCHEME`; regions without one (or with ``None``) in :data:`MUTED`.
    value_title:
        Legend and tooltip title of the values.
    color_by:
        Without ``values``: ``"parent"`` fills regions by their parent code (e.g. the län
        by riksområde), ``"country"`` by country, ``"none"`` in one colour.
    highlight:
        Codes drawn in :data:`ACCENT` with the others muted (overrides ``color_by``).
    href:
        Link of each region, ``{code}`` replaced by its code; ``None`` for no links.
        Relative links suit pages; for SVG/PNG rendered on the server give an absolute
        URL (vl-convert resolves relative ones against its own base URL) or ``None``.
    title:
        Title drawn above the map.
    width, height:
        Size of the map in pixels.
    projection:
        A Vega-Lite projection, default Mercator (use :data:`SWEREF99_TM` for Sweden,
        :data:`ETRS89_LAEA` for Europe).
    extent:
        Longitude/latitude points the projection is fitted to; marks outside are clipped.
        Default: fit all features.

    Returns
    -------
    dict
        The Vega-Lite spec.

    Examples
    --------
    >>> fc = {"type": "FeatureCollection", "features": []}
    >>> spec = choropleth_spec(fc, {"SE211": 1.4}, value_title="LQ")
    >>> spec["datasets"]["regions"], spec["data"]["name"]
    ([], 'regions')
    >>> spec["encoding"]["color"]["field"]
    'value'
    """
    import altair as alt  # lazy: altair is heavy and only needed when drawing

    if isinstance(geojson, str):
        data: Any = alt.UrlData(url=geojson, format={"type": "json", "property": "features"})
    else:
        # named and injected after validation: schema-validating hundreds of polygons is slow
        data = alt.NamedData(name="regions")

    calculate: dict[str, str] = {
        "code": "datum.properties.code",
        "name": "datum.properties.name",
        "label": "datum.properties.code + ' ' + datum.properties.name",
    }
    if href is not None:
        prefix, _, suffix = href.partition("{code}")
        calculate["url"] = f"{_js_string(prefix)} + datum.properties.code + {_js_string(suffix)}"
    if color_by == "parent":
        calculate["group"] = "slice(datum.properties.code, 0, -1)"
    elif color_by == "country":
        calculate["group"] = "datum.properties.country"

    hover = alt.selection_point(
        name="hover", on="pointerover", clear="pointerout", fields=["code"], empty=False
    )
    tooltip = [alt.Tooltip("code:N", title="Code"), alt.Tooltip("name:N", title="Name")]
    encoding: dict[str, Any] = {
        "description": alt.Description("label:N"),
        "strokeWidth": alt.condition(hover, alt.value(2.0), alt.value(0.6)),
        "stroke": alt.condition(hover, alt.value("#111111"), alt.value("#ffffff")),
        "order": alt.condition(hover, alt.value(1), alt.value(0)),
    }
    if href is not None:
        encoding["href"] = alt.Href("url:N")

    # invalid="show": keep regions without a value on the map (drawn MUTED)
    mark = alt.Chart(data).mark_geoshape(clip=extent is not None, invalid="show")
    chart = mark.transform_calculate(**calculate)
    if values is not None:
        table = [{"code": code, "value": value} for code, value in sorted(values.items())]
        chart = chart.transform_lookup(
            lookup="code",
            from_=alt.LookupData(data=alt.InlineData(values=table), key="code", fields=["value"]),
        )
        # regions without a value: MUTED through config.scale.invalid (set below)
        encoding["color"] = alt.Color("value:Q", title=value_title, scale={"scheme": SCHEME})
        tooltip.append(alt.Tooltip("value:Q", title=value_title, format=",.3~f"))
    elif highlight:
        codes = sorted(set(highlight))
        encoding["color"] = alt.condition(
            alt.FieldOneOfPredicate(field="code", oneOf=codes), alt.value(ACCENT), alt.value(MUTED)
        )
    elif color_by != "none":
        encoding["color"] = alt.Color(
            "group:N",
            title="NUTS parent" if color_by == "parent" else "Country",
            legend=None,
            scale={"scheme": "tableau20"},
        )
    else:
        encoding["color"] = alt.value("#7a9cc6")
    encoding["tooltip"] = tooltip

    proj = dict(projection or {"type": "mercator"})
    if extent is not None:
        proj["fit"] = {
            "type": "Feature",
            "properties": {},
            "geometry": {"type": "MultiPoint", "coordinates": [list(p) for p in extent]},
        }

    chart = (
        chart.encode(**encoding)
        .add_params(hover)
        .project(**proj)
        .properties(width=width, height=height)
    )
    if title:
        chart = chart.properties(title=title)
    chart = chart.configure_view(stroke=None).configure_scale(invalid={"color": {"value": MUTED}})

    spec: dict[str, Any] = chart.to_dict()
    if not isinstance(geojson, str):
        spec.setdefault("datasets", {})["regions"] = list(geojson.get("features", []))
    return spec


def region_map_spec(
    geojson: Mapping[str, Any],
    code: str,
    *,
    width: int = 320,
    height: int = 320,
    href: str | None = "/regions/{code}",
) -> dict[str, Any]:
    """A small map of one region in its neighbourhood, the region highlighted.

    ``geojson`` holds the region and the regions drawn around it (e.g. its siblings);
    every feature whose code starts with ``code`` is highlighted, so a country's map
    can be drawn from its NUTS 1 regions. The projection is a transverse Mercator
    centred on the features' mean longitude, so any European region keeps its shape.

    >>> fc = {"type": "FeatureCollection", "features": [
    ...     {"type": "Feature", "properties": {"code": "SE211", "name": "Jönköpings län"},
    ...      "geometry": {"type": "Point", "coordinates": [14.2, 57.6]}}]}
    >>> spec = region_map_spec(fc, "SE211")
    >>> spec["projection"]["rotate"]
    [-14.2, 0]
    """
    lon = _mean_longitude(geojson)
    projection = {"type": "transverseMercator", "rotate": [round(-lon, 2), 0]}
    codes = [
        str(f["properties"]["code"])
        for f in geojson.get("features", [])
        if str(f.get("properties", {}).get("code", "")).startswith(code)
    ]
    return choropleth_spec(
        geojson,
        highlight=codes or [code],
        href=href,
        width=width,
        height=height,
        projection=projection,
    )


def _js_string(text: str) -> str:
    """A single-quoted Vega expression string literal."""
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _mean_longitude(geojson: Mapping[str, Any]) -> float:
    """Mean longitude of the features' bounding boxes (0 for an empty collection)."""
    centres: list[float] = []
    for feature in geojson.get("features", []):
        xs = [pt[0] for pt in _points(feature.get("geometry") or {})]
        if xs:
            centres.append((min(xs) + max(xs)) / 2)
    return sum(centres) / len(centres) if centres else 0.0


def _points(geometry: Mapping[str, Any]) -> list[Sequence[float]]:
    coords: Any = geometry.get("coordinates", [])
    kind = geometry.get("type")
    if kind == "Point":
        return [coords]
    if kind in ("MultiPoint", "LineString"):
        return list(coords)
    if kind in ("Polygon", "MultiLineString"):
        return [pt for ring in coords for pt in ring]
    if kind == "MultiPolygon":
        return [pt for poly in coords for ring in poly for pt in ring]
    if kind == "GeometryCollection":
        return [pt for g in geometry.get("geometries", []) for pt in _points(g)]
    return []
