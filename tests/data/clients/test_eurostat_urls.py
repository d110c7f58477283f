"""The URLs the Eurostat client builds, against the examples of Eurostat's documentation.

Every expected URL below names the page it comes from. The pages give the URL structure
and example values (``nama_10_gdp``, ``time=2019``, the key ``A.CP_MEUR.B1GQ.LU``…); the
expected URLs are those examples written out in full. The last tests check that
``fetch`` requests exactly what the builder produces, over real HTTP.

Pages (Eurostat user guide, "Data access via API"; the same pages are on
wikis.ec.europa.eu, space EUROSTATHELP):

* STATISTICS — "API - Detailed guidelines - API Statistics" (and "API - Getting started
  with statistics API"): ``{host_url}/{service}/{version}/{response_type}/{datasetCode}
  ?{format}&{lang}&{filters}`` with the examples ``https://ec.europa.eu/eurostat/api/
  dissemination/``, ``statistics/``, ``1.0/``, ``data/``, ``nama_10_gdp``,
  ``?format=JSON``, ``&lang=EN``, ``&time=2019``; filters ``DIMENSION_CODE=VALUE`` such
  as ``time=2019``, ``geo=FR``, joined by ``&``; ``time`` and ``time_period`` both
  accepted; a "Filtering on geoLevel" section.
* STATISTICS-OPENAPI — Eurostat's OpenAPI description of the statistics data query
  (read in the public copy api-evangelist/eurostat): the query parameters
  ``sinceTimePeriod``, ``untilTimePeriod``, ``lastTimePeriod``, ``lang``, ``format``.
* SDMX-FILTERING — "API SDMX 2.1 - data filtering": ``https://<api_base_uri>/sdmx/2.1/
  <resource>/<flowRef>/<key>?startPeriod=value&endPeriod=value``; for NAMA_10_GDP
  (FREQ, UNIT, NA_ITEM, GEO) the keys ``A.CP_MEUR.B1GQ.LU``, ``.CP_MEUR.B1GQ.LU`` (FREQ
  not filtered) and ``A.CP_MEUR.B1GQ.BE+LU``; "annual observations from 2012 to 2015";
  annual periods as ``YYYY``.
* SDMX-QUERY — "API - Detailed guidelines - SDMX2.1 API - data query":
  ``…/data/{resourceID}/{key}?{format}&{startPeriod}&{endPeriod}&…&{compressed}``;
  ``format=SDMX-CSV``, ``format=TSV``, ``compressed=true``; the key may be left out.
* ASYNC-OPENAPI — Eurostat's OpenAPI description "Eurostat SDMX RESTful Async API"
  (same public copy): ``/1.0/async/status/{uuid}``, ``/1.0/async/data/{uuid}`` below
  ``https://ec.europa.eu/eurostat/api/dissemination``, example key
  ``0f164c29-0e96-4757-9b81-e9fcff8b9899``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest

from smartspec.data import eurostat
from smartspec.data.eurostat_api import dsd_url, eurostat_urls
from smartspec.data.eurostat_async import async_data_url, async_status_url

API = "https://ec.europa.eu/eurostat/api/dissemination"
NAMA_DIMS = ("freq", "unit", "na_item", "geo")  # SDMX-FILTERING: positions 1–4 of NAMA_10_GDP
GDP_KEY = {"freq": "A", "unit": "CP_MEUR", "na_item": "B1GQ"}
FIXTURE_DIMS = {  # the key order of the fixtures' data structures (fixtures/eurostat/*.dsd.xml)
    "lfst_r_lfe2en2": ("freq", "unit", "nace_r2", "age", "geo"),
    "nama_10r_2gdp": ("freq", "unit", "geo"),
}


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        # STATISTICS: the structure table's examples put together
        ({"time": 2019}, f"{API}/statistics/1.0/data/nama_10_gdp?format=JSON&lang=EN&time=2019"),
        # STATISTICS: "time" and "time_period" are both accepted; we send "time"
        (
            {"time_period": "2019"},
            f"{API}/statistics/1.0/data/nama_10_gdp?format=JSON&lang=EN&time=2019",
        ),
        # STATISTICS: filter example geo=FR, several filters joined by "&"
        (
            {"geo": "FR", "time": 2019},
            f"{API}/statistics/1.0/data/nama_10_gdp?format=JSON&lang=EN&geo=FR&time=2019",
        ),
        # STATISTICS: several values of one dimension are several filters of that name
        (
            {"geo": ["BE", "LU"], "unit": "CP_MEUR"},
            f"{API}/statistics/1.0/data/nama_10_gdp?format=JSON&lang=EN&geo=BE&geo=LU&unit=CP_MEUR",
        ),
        # STATISTICS-OPENAPI: the time-range parameters' names
        (
            {"sinceTimePeriod": 2012, "untilTimePeriod": 2015},
            f"{API}/statistics/1.0/data/nama_10_gdp"
            "?format=JSON&lang=EN&sinceTimePeriod=2012&untilTimePeriod=2015",
        ),
        (
            {"lastTimePeriod": 5},
            f"{API}/statistics/1.0/data/nama_10_gdp?format=JSON&lang=EN&lastTimePeriod=5",
        ),
        # STATISTICS: the geoLevel special filter (value spelling: see docs/guide/eurostat.md)
        (
            {"geoLevel": "nuts2"},
            f"{API}/statistics/1.0/data/nama_10_gdp?format=JSON&lang=EN&geoLevel=nuts2",
        ),
        # level 0 is spelled "country" by Eurostat; our alias nuts0 is sent that way
        (
            {"geoLevel": "nuts0"},
            f"{API}/statistics/1.0/data/nama_10_gdp?format=JSON&lang=EN&geoLevel=country",
        ),
    ],
)
def test_statistics_api_urls_have_the_documented_shape(
    filters: dict[str, Any], expected: str
) -> None:
    assert eurostat_urls("nama_10_gdp", filters)["jsonstat"] == expected


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        # SDMX-FILTERING: the full key, one value per dimension
        (
            {**GDP_KEY, "geo": "LU"},
            f"{API}/sdmx/2.1/data/NAMA_10_GDP/A.CP_MEUR.B1GQ.LU?format=SDMX-CSV",
        ),
        # SDMX-FILTERING: FREQ not filtered is left empty
        (
            {"unit": "CP_MEUR", "na_item": "B1GQ", "geo": "LU"},
            f"{API}/sdmx/2.1/data/NAMA_10_GDP/.CP_MEUR.B1GQ.LU?format=SDMX-CSV",
        ),
        # SDMX-FILTERING: several values joined by "+" (a literal plus, not %2B)
        (
            {**GDP_KEY, "geo": ["BE", "LU"]},
            f"{API}/sdmx/2.1/data/NAMA_10_GDP/A.CP_MEUR.B1GQ.BE+LU?format=SDMX-CSV",
        ),
        # SDMX-FILTERING: annual observations from 2012 to 2015; SDMX-QUERY: the order
        # format, startPeriod, endPeriod
        (
            {**GDP_KEY, "geo": ["BE", "LU"], "time": [2012, 2013, 2014, 2015]},
            f"{API}/sdmx/2.1/data/NAMA_10_GDP/A.CP_MEUR.B1GQ.BE+LU"
            "?format=SDMX-CSV&startPeriod=2012&endPeriod=2015",
        ),
        (
            {**GDP_KEY, "geo": "LU", "sinceTimePeriod": 2012, "untilTimePeriod": 2015},
            f"{API}/sdmx/2.1/data/NAMA_10_GDP/A.CP_MEUR.B1GQ.LU"
            "?format=SDMX-CSV&startPeriod=2012&endPeriod=2015",
        ),
        # SDMX-FILTERING: an unfiltered dimension is empty, so no filter at all is "..."
        ({}, f"{API}/sdmx/2.1/data/NAMA_10_GDP/...?format=SDMX-CSV"),
    ],
)
def test_sdmx_csv_urls_have_the_documented_shape(filters: dict[str, Any], expected: str) -> None:
    urls = eurostat_urls("NAMA_10_GDP", filters, dimensions=NAMA_DIMS)
    assert urls["sdmx-csv"] == expected


def test_the_sdmx_csv_url_needs_the_dimensions() -> None:
    assert "sdmx-csv" not in eurostat_urls("NAMA_10_GDP", {"geo": "LU"})


def test_the_bulk_download_url_has_the_documented_shape() -> None:
    # SDMX-QUERY: no key, format=TSV, compressed=true; filters are applied locally
    expected = f"{API}/sdmx/2.1/data/nama_10_gdp?format=TSV&compressed=true"
    assert eurostat_urls("nama_10_gdp")["tsv"] == expected
    assert eurostat_urls("nama_10_gdp", {"geo": "LU", "time": 2019})["tsv"] == expected


def test_the_asynchronous_endpoints_have_the_documented_shape() -> None:
    key = "0f164c29-0e96-4757-9b81-e9fcff8b9899"  # ASYNC-OPENAPI's example key
    assert async_status_url(API, key) == f"{API}/1.0/async/status/{key}"
    assert async_data_url(API, key) == f"{API}/1.0/async/data/{key}"
    assert async_status_url(API + "/", key) == f"{API}/1.0/async/status/{key}"


def test_the_structure_url() -> None:
    # not from the pages above: the data structure of a dataset, as the client reads it
    assert dsd_url("nama_10_gdp") == f"{API}/sdmx/2.1/datastructure/ESTAT/NAMA_10_GDP"


def test_a_mirror_base_url_keeps_the_layout() -> None:
    urls = eurostat_urls("nama_10_gdp", {"time": 2019}, base_url="http://mirror.test/api/")
    assert urls["jsonstat"] == (
        "http://mirror.test/api/statistics/1.0/data/nama_10_gdp?format=JSON&lang=EN&time=2019"
    )


# --------------------------------------------------------------------------- over HTTP
@pytest.mark.parametrize("fmt", ["jsonstat", "sdmx-csv", "tsv"])
@pytest.mark.parametrize("code", ["lfst_r_lfe2en2", "nama_10r_2gdp"])
def test_fetch_requests_exactly_the_built_url(
    fmt: str, code: str, eurostat_server: Any, eurostat_meta: dict[str, Any], data_dir: Path
) -> None:
    filters = eurostat_meta["queries"][code]
    table = eurostat.fetch(code, filters=filters, format=fmt, base_url=eurostat_server.url)
    dims = FIXTURE_DIMS[code]
    built = eurostat_urls(code, filters, dimensions=dims, base_url=eurostat_server.url)[fmt]
    assert table.meta.provenance["url"] == built
    # and the server received that path and query, the "+" of the key unencoded
    sent = urlsplit(built)
    received = next(r for r in eurostat_server.requests if "/datastructure/" not in r.path)
    assert received.path == sent.path
    assert "%" not in received.path
    assert received.query == parse_qsl(sent.query, keep_blank_values=True)
