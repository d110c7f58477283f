"""The web app through FastAPI's TestClient: JSON API, pages, errors, the Vega bundle."""

from __future__ import annotations

import json
import re
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

with warnings.catch_warnings():
    # Starlette >= 1.x announces a move of its test client to httpx2; httpx still works
    warnings.filterwarnings("ignore", message=".*httpx2.*")
    from fastapi.testclient import TestClient

from smartspec.geo import ATTRIBUTION
from smartspec.web import create_app

LAN_CODES = {
    "SE110", "SE121", "SE122", "SE123", "SE124", "SE125", "SE211", "SE212", "SE213",
    "SE214", "SE221", "SE224", "SE231", "SE232", "SE311", "SE312", "SE313", "SE321",
    "SE322", "SE331", "SE332",
}  # fmt: skip


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    data = tmp_path_factory.mktemp("web-data")
    with TestClient(create_app(data)) as c:  # runs the lifespan: builds the bundle
        yield c


def _spec(html: str, element_id: str) -> dict:
    match = re.search(
        rf'<script type="application/json" id="{element_id}-spec">(.*?)</script>', html, re.S
    )
    assert match, f"no spec for #{element_id}"
    return json.loads(match.group(1))


# ---------------------------------------------------------------------------- JSON API


def test_api_region(client: TestClient) -> None:
    r = client.get("/api/v1/regions/SE211")
    assert r.status_code == 200
    assert r.json() == {
        "code": "SE211",
        "name": "Jönköpings län",
        "level": 3,
        "country": "SE",
        "parent": "SE21",
        "children": [],
        "name_latn": "Jönköpings län",
        "version": 2024,
    }


def test_api_region_children_and_case(client: TestClient) -> None:
    body = client.get("/api/v1/regions/se21").json()
    assert body["code"] == "SE21"
    assert body["children"] == ["SE211", "SE212", "SE213", "SE214"]
    assert body["parent"] == "SE2"


def test_api_region_older_version(client: TestClient) -> None:
    # EL11 exists only in NUTS 2010: the newest version that has the code is used
    body = client.get("/api/v1/regions/EL11").json()
    assert body["version"] == 2010
    assert client.get("/api/v1/regions/EL11?version=2024").status_code == 404


def test_api_unknown_region_is_404_with_suggestions(client: TestClient) -> None:
    r = client.get("/api/v1/regions/SE999")
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("application/json")
    detail = r.json()["detail"]
    assert "SE999" in detail
    assert "did you mean" in detail


def test_api_bad_version_is_422(client: TestClient) -> None:
    r = client.get("/api/v1/regions/SE211?version=1999")
    assert r.status_code == 422
    assert "NUTS version" in r.json()["detail"]


def test_api_list_filters(client: TestClient) -> None:
    rows = client.get("/api/v1/regions", params={"country": "SE", "level": 3}).json()
    codes = {row["code"] for row in rows if not row["code"].startswith("SEZ")}
    assert codes == LAN_CODES
    assert all(row["version"] == 2024 for row in rows)
    older = client.get("/api/v1/regions", params={"country": "SE", "level": 2, "version": 2010})
    assert {row["version"] for row in older.json()} == {2010}


def test_api_search(client: TestClient) -> None:
    rows = client.get("/api/v1/regions", params={"q": "jonkoping", "limit": 3}).json()
    assert rows[0]["code"] == "SE211"
    assert rows[0]["score"] >= 99
    assert len(rows) <= 3


def test_api_bad_level_is_422(client: TestClient) -> None:
    assert client.get("/api/v1/regions", params={"level": 9}).status_code == 422


def test_api_boundaries(client: TestClient) -> None:
    r = client.get("/api/v1/boundaries/3", params={"country": "SE"})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/geo+json")
    fc = r.json()
    assert fc["type"] == "FeatureCollection"
    assert fc["attribution"] == ATTRIBUTION
    assert {f["properties"]["code"] for f in fc["features"]} == LAN_CODES


def test_api_boundaries_unknown_country(client: TestClient) -> None:
    r = client.get("/api/v1/boundaries/2", params={"country": "XX"})
    assert r.status_code == 404
    assert "XX" in r.json()["detail"]


def test_api_unknown_route_is_json_404(client: TestClient) -> None:
    r = client.get("/api/v1/nothing")
    assert r.status_code == 404
    assert r.json() == {"detail": "Not Found"}


def test_openapi_is_served_but_no_cdn_docs(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    assert "/api/v1/regions/{code}" in schema["paths"]
    assert "/api/v1/boundaries/{level}" in schema["paths"]
    assert "/" not in schema["paths"]  # pages are not part of the API
    assert client.get("/docs").status_code == 404
    assert client.get("/redoc").status_code == 404


# ------------------------------------------------------------------------------- pages


def test_home_page(client: TestClient) -> None:
    r = client.get("/")
    assert r.status_code == 200
    html = r.text
    assert "Smart Specialisation" in html
    assert 'id="map-sweden"' in html
    assert 'id="map-europe"' in html
    assert html.count(ATTRIBUTION) == 2  # under each map
    for code in LAN_CODES:
        assert f'href="/regions/{code}"' in html
    sweden = _spec(html, "map-sweden")
    assert sweden["data"]["url"] == "/api/v1/boundaries/3?country=SE"
    assert sweden["encoding"]["description"]["field"] == "label"
    assert sweden["encoding"]["href"]["field"] == "url"
    europe = _spec(html, "map-europe")
    assert europe["data"]["url"] == "/api/v1/boundaries/2"


def test_pages_reference_only_local_resources(client: TestClient) -> None:
    for path in ("/", "/regions/SE211", "/regions?q=skane", "/regions/SE999"):
        html = client.get(path).text
        for attr in re.findall(r'(?:src|href)="([^"]+)"', html):
            assert attr.startswith(("/", "#")), f"{path}: {attr}"
        assert "cdn" not in html.lower()


def test_security_headers(client: TestClient) -> None:
    r = client.get("/")
    csp = r.headers["content-security-policy"]
    assert "default-src 'self'" in csp
    assert "connect-src 'self'" in csp


def test_region_page(client: TestClient) -> None:
    r = client.get("/regions/SE211")
    assert r.status_code == 200
    html = r.text
    assert "<h1>" in html
    assert "Jönköpings län" in html
    assert "Sweden (Sverige)" in html
    assert "NUTS 3" in html
    for ancestor in ("SE", "SE2", "SE21"):
        assert f'href="/regions/{ancestor}"' in html
    assert 'href="/regions/SE212"' in html  # a sibling
    assert ATTRIBUTION in html
    spec = _spec(html, "map-region")
    features = spec["datasets"]["regions"]
    assert "SE211" in {f["properties"]["code"] for f in features}
    assert spec["encoding"]["color"]["condition"]["test"]["oneOf"] == ["SE211"]
    assert "06" in html  # SCB county code
    assert "SE-F" in html  # ISO 3166-2


def test_region_page_of_a_nuts2_lists_children(client: TestClient) -> None:
    html = client.get("/regions/SE21").text
    for child in ("SE211", "SE212", "SE213", "SE214"):
        assert f'href="/regions/{child}"' in html


def test_region_page_of_a_country(client: TestClient) -> None:
    html = client.get("/regions/SE").text
    assert "Sverige" in html
    assert 'href="/regions/SE1"' in html
    assert 'id="map-region"' in html


def test_region_page_without_boundary(client: TestClient) -> None:
    r = client.get("/regions/SEZZZ")
    assert r.status_code == 200
    assert "No map" in r.text
    assert 'id="map-region"' not in r.text
    old = client.get("/regions/EL11")
    assert old.status_code == 200
    assert "NUTS 2010" in old.text or "2010" in old.text


def test_region_page_canonical_code(client: TestClient) -> None:
    r = client.get("/regions/se211", follow_redirects=False)
    assert r.status_code == 308
    assert r.headers["location"] == "/regions/SE211"


def test_region_page_unknown_is_404_with_suggestions(client: TestClient) -> None:
    r = client.get("/regions/SE999")
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("text/html")
    assert "unknown region" in r.text
    assert "Did you mean" in r.text
    assert re.search(r'href="/regions/SE\d{3}"', r.text)


def test_unknown_page_is_html_404(client: TestClient) -> None:
    r = client.get("/no/such/page")
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("text/html")
    assert "There is no page at /no/such/page" in r.text


def test_search_page(client: TestClient) -> None:
    r = client.get("/regions", params={"q": "Skåne"})
    assert r.status_code == 200
    assert 'href="/regions/SE224"' in r.text
    empty = client.get("/regions", params={"q": "qqqxxyyzz"})
    assert "No region matches" in empty.text


# ------------------------------------------------------------------------ static files


def test_vega_bundle_is_served_and_cached(client: TestClient, tmp_path: Path) -> None:
    r = client.get("/static/vega-bundle.js")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/javascript")
    assert len(r.content) > 300_000
    assert b"window.vegaEmbed" in r.content
    assert "immutable" in r.headers["cache-control"]
    again = client.get("/static/vega-bundle.js", headers={"If-None-Match": r.headers["etag"]})
    assert again.status_code == 304
    gz = client.get("/static/vega-bundle.js", headers={"Accept-Encoding": "gzip"})
    assert gz.headers.get("content-encoding") == "gzip"
    data_dir = client.app.state.data_dir  # type: ignore[attr-defined]
    assert list(data_dir.cache.glob("vega-bundle-*.js"))


def test_static_files(client: TestClient) -> None:
    for path in ("/static/style.css", "/static/maps.js", "/static/favicon.svg"):
        assert client.get(path).status_code == 200, path
    home = client.get("/").text
    assert '<script type="module" src="/static/vega-bundle.js?v=' in home
