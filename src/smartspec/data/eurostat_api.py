"""Eurostat's dissemination API: the filters, the request URLs and the requests.

This module builds exactly the URLs of Eurostat's documentation and sends them; it
does not read the answers (that is :mod:`smartspec.data.eurostat_formats`).

URL shapes, each checked by ``tests/data/clients/test_eurostat_urls.py`` against the
documentation's examples:

Statistics API (JSON-stat 2.0)
    ``{base}/statistics/1.0/data/{code}?format=JSON&lang=EN&{dim}={code}&…`` — Eurostat,
    *API - Detailed guidelines - API Statistics* (also *API - Getting started with
    statistics API*): ``{host_url}/{service}/{version}/{response_type}/{datasetCode}?
    {format}&{lang}&{filters}``, example ``…/nama_10_gdp?format=JSON&lang=EN&time=2019``;
    one ``DIMENSION_CODE=VALUE`` pair per value, joined by ``&``; ``time`` for periods,
    ``sinceTimePeriod``, ``untilTimePeriod``, ``lastTimePeriod`` (names as in Eurostat's
    OpenAPI description of the statistics API); ``geoLevel`` as Eurostat's special
    filter of regional datasets.
SDMX 2.1 (SDMX-CSV)
    ``{base}/sdmx/2.1/data/{code}/{key}?format=SDMX-CSV&startPeriod=…&endPeriod=…`` —
    Eurostat, *API SDMX 2.1 - data filtering* and *API - Detailed guidelines - SDMX2.1
    API - data query*: the key is the dimensions' values in the order of the data
    structure, joined by ``.``; an unfiltered dimension is left empty
    (``.CP_MEUR.B1GQ.LU``); several values are joined by ``+`` (``A.CP_MEUR.B1GQ.BE+LU``);
    the time filter is ``startPeriod``/``endPeriod`` (years as ``YYYY``); parameters in
    the documented order ``format``, ``startPeriod``, ``endPeriod``.
Bulk TSV
    ``{base}/sdmx/2.1/data/{code}?format=TSV&compressed=true`` — the same data query
    page: the key is optional, ``format=TSV`` gives Eurostat's tab-separated layout and
    ``compressed=true`` a gzip file.

The dataset's structure (for the SDMX key) is read from
``{base}/sdmx/2.1/datastructure/ESTAT/{CODE}``.

>>> sdmx_csv_url(
...     "NAMA_10_GDP",
...     ["freq", "unit", "na_item", "geo"],
...     normalise_filters({"freq": "A", "unit": "CP_MEUR", "na_item": "B1GQ",
...                        "geo": ["BE", "LU"], "time": [2012, 2013, 2014, 2015]}),
... )
'https://ec.europa.eu/eurostat/api/dissemination/sdmx/2.1/data/NAMA_10_GDP/A.CP_MEUR.B1GQ.BE+LU?format=SDMX-CSV&startPeriod=2012&endPeriod=2015'
"""

from __future__ import annotations

import gzip
import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from typing import Literal

import httpx

from smartspec.data.eurostat_async import AsyncOptions, resolve
from smartspec.data.http import HttpClient, HTTPStatusError, RequestTooLargeError, Response
from smartspec.errors import InputError, UnknownCodeError

__all__ = [
    "DEFAULT_BASE_URL",
    "FORMATS",
    "GEO_LEVELS",
    "SPECIAL_FILTERS",
    "EurostatFormat",
    "Filters",
    "check_code",
    "decompress",
    "dsd_url",
    "eurostat_urls",
    "fetch_structure",
    "get_data",
    "jsonstat_params",
    "jsonstat_url",
    "normalise_filters",
    "sdmx_csv_params",
    "sdmx_csv_url",
    "sdmx_key",
    "tsv_params",
    "tsv_url",
]

DEFAULT_BASE_URL = "https://ec.europa.eu/eurostat/api/dissemination"
"""Eurostat's dissemination API (statistics 1.0, SDMX 2.1 and async 1.0 live below it)."""

EurostatFormat = Literal["jsonstat", "sdmx-csv", "tsv"]
FORMATS: tuple[str, ...] = ("jsonstat", "sdmx-csv", "tsv")

Filters = Mapping[str, str | int | Sequence[str | int]]
"""``{dimension: code or [codes]}`` plus the special filters, as callers give them."""

SPECIAL_FILTERS = ("sinceTimePeriod", "untilTimePeriod", "lastTimePeriod", "geoLevel")
GEO_LEVELS = {"country": 0, "nuts1": 1, "nuts2": 2, "nuts3": 3}
"""``geoLevel`` values Eurostat's statistics API takes for NUTS levels, and the level.

Eurostat spells level 0 ``country``; ``nuts0`` is accepted and sent as ``country``.
Its other values (``aggregate``, ``city``) select no NUTS regions and are refused.
"""
_GEO_LEVEL_ALIASES = {"nuts0": "country"}
_TIME_KEYS = ("time", "TIME_PERIOD", "time_period", "period")
_CODE = re.compile(r"^[A-Za-z0-9_$-]+$")


# --------------------------------------------------------------------------- filters
def check_code(code: str) -> str:
    """*code* without surrounding blanks, if it can be a Eurostat dataset code."""
    if not isinstance(code, str) or not _CODE.match(code.strip()):
        raise InputError(
            f"{code!r} is not a Eurostat dataset code",
            hint="a code looks like 'nama_10r_2gdp' or 'lfst_r_lfe2en2'",
        )
    return code.strip()


def normalise_filters(filters: Filters | None) -> dict[str, list[str]]:
    """``{name: [codes]}``: time aliases become ``time``, values texts, duplicates dropped.

    >>> normalise_filters({"geo": "SE11", "TIME_PERIOD": [2015, "2016"], "unit": ["THS"]})
    {'geo': ['SE11'], 'time': ['2015', '2016'], 'unit': ['THS']}
    """
    spec: dict[str, list[str]] = {}
    for key, raw in (filters or {}).items():
        name = "time" if key in _TIME_KEYS else str(key)
        values = [raw] if isinstance(raw, str | int) else list(raw)
        texts = [str(v).strip() for v in values]
        if not texts or any(not t for t in texts):
            raise InputError(
                f"the filter {key!r} is empty",
                hint=f"give a code or a list of codes, e.g. {{{key!r}: ['...']}}",
            )
        if name in ("time", "sinceTimePeriod", "untilTimePeriod"):
            bad = [t for t in texts if not re.fullmatch(r"\d{4}", t)]
            if bad:
                raise InputError(
                    f"the filter {key}={bad[0]!r} is not a year",
                    hint="only annual data are supported: use years such as 2015",
                )
        if name == "lastTimePeriod" and not (len(texts) == 1 and texts[0].isdigit()):
            raise InputError("lastTimePeriod takes one number, e.g. 5")
        if name == "geoLevel":
            texts = [_GEO_LEVEL_ALIASES.get(t.lower(), t.lower()) for t in texts]
            if any(t not in GEO_LEVELS for t in texts):
                raise InputError(
                    f"geoLevel={[str(v) for v in values]!r} is not supported",
                    hint="use 'country' (or 'nuts0'), 'nuts1', 'nuts2' or 'nuts3'",
                )
        spec.setdefault(name, [])
        spec[name] += [t for t in texts if t not in spec[name]]
    if "geo" in spec and "geoLevel" in spec:
        # Eurostat's statistics API rejects a request that sets both
        raise InputError(
            "the filters geo and geoLevel cannot be combined",
            hint="give either region codes (geo=[...]) or a level (geoLevel='nuts2'); "
            "to keep one country's regions at a level, list their codes in geo",
        )
    return spec


# --------------------------------------------------------------------------- URLs
def jsonstat_url(code: str, spec: Mapping[str, list[str]], base_url: str = DEFAULT_BASE_URL) -> str:
    """The statistics API request: ``{base}/statistics/1.0/data/{code}?format=JSON…``."""
    url = f"{base_url.rstrip('/')}/statistics/1.0/data/{code}"
    return str(httpx.URL(url, params=jsonstat_params(spec)))


def jsonstat_params(spec: Mapping[str, list[str]]) -> list[tuple[str, str]]:
    """``format=JSON``, ``lang=EN``, then one ``name=value`` pair per filter value."""
    params = [("format", "JSON"), ("lang", "EN")]
    for key, values in spec.items():
        params.extend((key, v) for v in values)
    return params


def sdmx_key(dimensions: Sequence[str], spec: Mapping[str, list[str]]) -> str:
    """The SDMX key: per dimension (in key order) its values joined by ``+``, then ``.``.

    >>> sdmx_key(["freq", "unit", "na_item", "geo"], {"unit": ["CP_MEUR"], "geo": ["LU"]})
    '.CP_MEUR..LU'
    """
    return ".".join("+".join(spec.get(d, [])) for d in dimensions)


def sdmx_csv_url(
    code: str,
    dimensions: Sequence[str],
    spec: Mapping[str, list[str]],
    base_url: str = DEFAULT_BASE_URL,
) -> str:
    """The SDMX-CSV request: ``{base}/sdmx/2.1/data/{code}/{key}?format=SDMX-CSV…``."""
    url = f"{base_url.rstrip('/')}/sdmx/2.1/data/{code}/{sdmx_key(dimensions, spec) or 'all'}"
    return str(httpx.URL(url, params=sdmx_csv_params(spec)))


def sdmx_csv_params(spec: Mapping[str, list[str]]) -> list[tuple[str, str]]:
    """``format=SDMX-CSV`` and the time filter as ``startPeriod``/``endPeriod`` (years)."""
    params: list[tuple[str, str]] = [("format", "SDMX-CSV")]
    years = [int(t) for t in spec.get("time", [])]
    start = [*(str(min(years)) for _ in years[:1]), *spec.get("sinceTimePeriod", [])]
    end = [*(str(max(years)) for _ in years[:1]), *spec.get("untilTimePeriod", [])]
    if start:
        params.append(("startPeriod", max(start, key=int)))
    if end:
        params.append(("endPeriod", min(end, key=int)))
    return params


def tsv_url(code: str, base_url: str = DEFAULT_BASE_URL) -> str:
    """The bulk download: ``{base}/sdmx/2.1/data/{code}?format=TSV&compressed=true``."""
    url = f"{base_url.rstrip('/')}/sdmx/2.1/data/{code}"
    return str(httpx.URL(url, params=tsv_params()))


def tsv_params() -> list[tuple[str, str]]:
    """``format=TSV&compressed=true``: the whole dataset, gzip-compressed."""
    return [("format", "TSV"), ("compressed", "true")]


def dsd_url(code: str, base_url: str = DEFAULT_BASE_URL) -> str:
    """``{base}/sdmx/2.1/datastructure/ESTAT/{CODE}``: the dataset's data structure."""
    return f"{base_url.rstrip('/')}/sdmx/2.1/datastructure/ESTAT/{code.upper()}"


def eurostat_urls(
    code: str,
    filters: Filters | None = None,
    *,
    dimensions: Sequence[str] | None = None,
    base_url: str = DEFAULT_BASE_URL,
) -> dict[str, str]:
    """The URLs :func:`~smartspec.data.eurostat.fetch` asks for, by format.

    The SDMX-CSV URL needs the dataset's dimensions in key order (its data structure);
    it is listed when *dimensions* are given.

    >>> urls = eurostat_urls("nama_10_gdp", {"time": 2019})
    >>> urls["jsonstat"]
    'https://ec.europa.eu/eurostat/api/dissemination/statistics/1.0/data/nama_10_gdp?format=JSON&lang=EN&time=2019'
    >>> urls["tsv"]
    'https://ec.europa.eu/eurostat/api/dissemination/sdmx/2.1/data/nama_10_gdp?format=TSV&compressed=true'
    """
    spec = normalise_filters(filters)
    urls = {"jsonstat": jsonstat_url(code, spec, base_url), "tsv": tsv_url(code, base_url)}
    if dimensions is not None:
        urls["sdmx-csv"] = sdmx_csv_url(code, dimensions, spec, base_url)
    return urls


# --------------------------------------------------------------------------- requests
def get_data(
    http: HttpClient,
    url: str,
    *,
    code: str,
    spec: Mapping[str, list[str]],
    refresh: bool,
    base_url: str,
    async_options: AsyncOptions | None = None,
) -> Response:
    """GET a data URL (with its query); an asynchronous extraction is waited for.

    Eurostat's errors become ours, with advice: 404 → :class:`UnknownCodeError`, 413 →
    :class:`RequestTooLargeError` (add filters), 400 → check the filters.
    """
    what = f"Eurostat dataset {code!r}"
    try:
        response = http.request("GET", url, what=what, refresh=refresh)
        return resolve(
            http, response, base_url=base_url, dataset=code, what=what, options=async_options
        )
    except RequestTooLargeError as err:
        raise RequestTooLargeError(
            what,
            err.url,
            err.status,
            err.detail,
            err.body,
            hint="the slice is too large for one answer: add filters (e.g. "
            "geo=[...], time=[...], nace_r2=[...] or geoLevel='nuts2'), or use "
            "format='tsv' to download the whole dataset in bulk",
        ) from None
    except HTTPStatusError as err:
        if err.status == 404 and err.what == what:
            context = "(Eurostat answered 404 Not Found"
            if err.detail:
                context += f": {err.detail}"
            context += f"; {err.url})"
            if spec:
                context += "; check the dataset code, and the filter codes"
            raise UnknownCodeError("Eurostat dataset", code, context=context) from None
        if err.status == 400 and err.what == what:
            raise HTTPStatusError(
                what,
                err.url,
                err.status,
                err.detail,
                err.body,
                hint="check the filter names (Eurostat's lower-case dimension names such "
                "as geo, nace_r2, unit) and codes",
            ) from None
        raise


def fetch_structure(
    http: HttpClient, code: str, *, refresh: bool, base_url: str = DEFAULT_BASE_URL
) -> list[str]:
    """The dataset's dimensions in key order, from its SDMX data structure (cached)."""
    url = dsd_url(code, base_url)
    try:
        response = http.get(
            url, what=f"the structure of Eurostat dataset {code!r}", refresh=refresh
        )
    except HTTPStatusError as err:
        if err.status == 404:
            raise UnknownCodeError(
                "Eurostat dataset",
                code,
                context=f"(Eurostat has no data structure {code.upper()}; {err.url})",
            ) from None
        raise
    try:
        root = ET.fromstring(response.content)
    except ET.ParseError as err:
        raise InputError(
            f"cannot read the data structure of {code} ({err})", source=response.url
        ) from None
    found: list[tuple[int, str]] = []
    for el in root.iter():
        if el.tag.rsplit("}", 1)[-1] == "Dimension" and "id" in el.attrib:
            found.append((int(el.attrib.get("position", len(found) + 1)), el.attrib["id"]))
    if not found:
        raise InputError(f"the data structure of {code} lists no dimensions", source=response.url)
    return [dim for _, dim in sorted(found)]


def decompress(content: bytes) -> bytes:
    """*content*, gunzipped if it is gzip."""
    if content[:2] == b"\x1f\x8b":
        try:
            return gzip.decompress(content)
        except (OSError, EOFError) as err:
            raise InputError(f"Eurostat's gzip data is damaged ({err})") from None
    return content
