"""Fetch Eurostat datasets from its dissemination API as activity tables.

:func:`fetch` asks Eurostat for a dataset (or a filtered slice of it) in one of three
formats and returns an :class:`~smartspec.table.ActivityTable`:

``"jsonstat"`` (default)
    The statistics API, JSON-stat 2.0:
    ``{base}/statistics/1.0/data/{code}?format=JSON&lang=EN&geo=SE11&geo=SE12&…``.
    Filters are sent to Eurostat; only the slice travels.
``"sdmx-csv"``
    The SDMX 2.1 API, SDMX-CSV: ``{base}/sdmx/2.1/data/{code}/{key}?format=SDMX-CSV``.
    The key (``A.THS..Y15-64.SE11+SE12``) is built from the dataset's structure
    (``{base}/sdmx/2.1/datastructure/ESTAT/{CODE}``), fetched and cached once.
``"tsv"``
    The bulk download, ``{base}/sdmx/2.1/data/{code}?format=TSV&compressed=true``: the
    whole dataset, filtered here (parsed by :mod:`smartspec.data.eurostat_tsv`). Best
    when several slices of one dataset are needed: it is downloaded and cached once.

The three give the same table for the same slice: the same rows, values and flags.

Filters
    ``{dimension: code or [codes]}`` with Eurostat's lower-case dimension names
    (``geo``, ``nace_r2``, ``unit``, ``age``…) plus ``time`` (a year or list of years),
    ``sinceTimePeriod``/``untilTimePeriod`` (years), ``lastTimePeriod`` (a number) and
    ``geoLevel`` (``nuts0``…``nuts3``). Every dimension other than the region and the
    activity must end up with one value.

Flags
    Eurostat's observation flags are kept in the ``flag`` column: ``b`` break in series,
    ``c`` confidential, ``d`` definition differs, ``e`` estimated, ``f`` forecast,
    ``n`` not significant, ``p`` provisional, ``r`` revised, ``s`` Eurostat estimate,
    ``u`` low reliability, ``z`` not applicable. A missing value is NaN and its flag
    starts with ``:`` (``":"``, ``":u"``), as in Eurostat's TSV files.

Missing values
    A table holds every combination of the regions, activities and periods that have at
    least one observation in the answer; a combination that Eurostat does not give is
    missing (NaN, flag ``":"``), never 0.

Cache and offline use
    Answers are cached in the data directory (see :mod:`smartspec.data.http`);
    ``offline=True`` or ``SMARTSPEC_OFFLINE=1`` works from the cache only.

Provenance
    ``table.meta.provenance`` holds the dataset code, filters, format, URL, retrieval time,
    Eurostat's update date (JSON-stat ``updated``, SDMX-CSV ``LAST UPDATE``, or the
    bulk file's ``Last-Modified`` header), the dataset label and the fixed dimensions.

Examples
--------
>>> eurostat_urls("nama_10r_2gdp", {"geo": ["SE11", "SE12"], "unit": "MIO_EUR"})["jsonstat"]
'https://ec.europa.eu/eurostat/api/dissemination/statistics/1.0/data/nama_10r_2gdp?format=JSON&lang=EN&geo=SE11&geo=SE12&unit=MIO_EUR'
"""

from __future__ import annotations

import gzip
import io
import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, tzinfo
from typing import Any, Literal

import httpx
import numpy as np
import pandas as pd

from smartspec.data.eurostat_tsv import parse_eurostat_tsv
from smartspec.data.http import (
    HttpClient,
    HTTPStatusError,
    RequestTooLargeError,
    Response,
)
from smartspec.data.jsonstat import parse_jsonstat

# Unit rules and activity classifications are the bulk-TSV reader's, so that a table
# fetched from the API and one read from a downloaded file agree.
from smartspec.data.readers import EUROSTAT_CLASSIFICATIONS, additive_from_unit
from smartspec.errors import InputError, UnknownCodeError
from smartspec.table import ActivityTable

__all__ = [
    "DEFAULT_BASE_URL",
    "FORMATS",
    "EurostatFormat",
    "eurostat_urls",
    "fetch",
    "fetch_frame",
]

DEFAULT_BASE_URL = "https://ec.europa.eu/eurostat/api/dissemination"
"""Eurostat's dissemination API (statistics 1.0 and SDMX 2.1 live below it)."""

EurostatFormat = Literal["jsonstat", "sdmx-csv", "tsv"]
FORMATS: tuple[str, ...] = ("jsonstat", "sdmx-csv", "tsv")

LICENCE = (
    "Eurostat: re-use free of charge, commercial included, with acknowledgement "
    "(ec.europa.eu/eurostat/about/policies/copyright)"
)

_TIME_KEYS = ("time", "TIME_PERIOD", "time_period", "period")
_SPECIAL = ("sinceTimePeriod", "untilTimePeriod", "lastTimePeriod", "geoLevel")
_SDMX_META = ("DATAFLOW", "LAST UPDATE", "TIME_PERIOD", "OBS_VALUE", "OBS_FLAG", "CONF_STATUS")
_GEO_LEVELS = {"nuts0": 0, "nuts1": 1, "nuts2": 2, "nuts3": 3}
_CODE = re.compile(r"^[A-Za-z0-9_$-]+$")


# --------------------------------------------------------------------------- public API
def fetch(
    code: str,
    *,
    filters: Mapping[str, str | int | Sequence[str | int]] | None = None,
    format: EurostatFormat = "jsonstat",
    measure: str | None = None,
    unit: str | None = None,
    additive: bool | None = None,
    region_dim: str = "geo",
    activity_dim: str | None = "nace_r2",
    offline: bool | None = None,
    refresh: bool = False,
    base_url: str = DEFAULT_BASE_URL,
    client: HttpClient | None = None,
    **table_options: Any,
) -> ActivityTable:
    """Fetch a Eurostat dataset (or a slice of it) as an activity table.

    Parameters
    ----------
    code:
        Dataset code, e.g. ``"nama_10r_2gdp"`` or ``"lfst_r_lfe2en2"``.
    filters:
        ``{dimension: code or [codes]}``; see the module documentation for ``time``,
        ``sinceTimePeriod``, ``untilTimePeriod``, ``lastTimePeriod`` and ``geoLevel``.
    format:
        ``"jsonstat"`` (default), ``"sdmx-csv"`` or ``"tsv"`` (bulk download).
    measure:
        What the values are; default the dataset code.
    unit:
        Default: the code of the ``unit`` dimension (e.g. ``"THS"``).
    additive:
        Default: from the unit code (``THS``, ``NR``, ``MIO_EUR``… may be summed;
        ``EUR_HAB``, ``PC``… may not); an unknown unit needs it given.
    region_dim, activity_dim:
        The dimensions used as region and activity (``activity_dim=None`` for regional
        indicators; it is also ``None`` when the dataset has no ``nace_r2``).
    offline:
        Serve only from the cache (default: ``SMARTSPEC_OFFLINE``).
    refresh:
        Fetch again even if the answer is cached.
    base_url:
        The API's base URL (``DEFAULT_BASE_URL``; a mirror or a test server).
    client:
        An :class:`~smartspec.data.http.HttpClient` to use (default: a new one with the
        cache in the data directory).
    **table_options:
        Passed to :meth:`ActivityTable.from_frame <smartspec.table.ActivityTable.from_frame>`:
        ``nuts_version``, ``region_level``, ``unknown_regions``, ``allow_negative``…

    Returns
    -------
    ActivityTable
        With Eurostat's flags in ``flag`` and the provenance in ``meta.provenance``.

    Raises
    ------
    UnknownCodeError
        Eurostat does not know the dataset (HTTP 404).
    RequestTooLargeError
        The slice is too large for one answer (HTTP 413); add filters.
    OfflineError
        Offline, and the answer is not in the cache.
    NetworkError
        Eurostat cannot be reached.
    InputError
        Bad filters, or a dimension other than region and activity with several values.
    """
    frame, info = fetch_frame(
        code,
        filters=filters,
        format=format,
        offline=offline,
        refresh=refresh,
        base_url=base_url,
        client=client,
    )
    return _to_table(
        frame,
        info,
        measure=measure,
        unit=unit,
        additive=additive,
        region_dim=region_dim,
        activity_dim=activity_dim,
        table_options=table_options,
    )


def fetch_frame(
    code: str,
    *,
    filters: Mapping[str, str | int | Sequence[str | int]] | None = None,
    format: EurostatFormat = "jsonstat",
    offline: bool | None = None,
    refresh: bool = False,
    base_url: str = DEFAULT_BASE_URL,
    client: HttpClient | None = None,
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Fetch a slice as a long DataFrame, before it becomes a table.

    Returns
    -------
    (frame, provenance)
        *frame* has one column per dimension (codes), ``period`` (int), ``value``
        (float, NaN when missing) and ``flag``; *provenance* is a dict (see
        :func:`fetch`) with ``dimensions`` listing the dimension names in order.
    """
    code = _check_code(code)
    if format not in FORMATS:
        raise InputError(
            f"format={format!r} is not a Eurostat format",
            hint="use 'jsonstat', 'sdmx-csv' or 'tsv'",
        )
    spec = _normalise_filters(filters)
    own = client is None
    http = client or HttpClient("eurostat")
    saved_offline = http.offline
    if offline is not None:
        http.offline = offline
    try:
        if format == "jsonstat":
            frame, dims, info = _fetch_jsonstat(http, base_url, code, spec, refresh)
        elif format == "sdmx-csv":
            frame, dims, info = _fetch_sdmx_csv(http, base_url, code, spec, refresh)
        else:
            frame, dims, info = _fetch_tsv(http, base_url, code, spec, refresh)
    finally:
        http.offline = saved_offline
        if own:
            http.close()
    frame = _apply_local_filters(frame, dims, spec, code)
    info.update(
        {
            "publisher": "Eurostat",
            "dataset": code,
            "filters": {k: list(v) for k, v in spec.items()},
            "licence": LICENCE,
            "dimensions": list(dims),
        }
    )
    return frame, info


def eurostat_urls(
    code: str,
    filters: Mapping[str, str | int | Sequence[str | int]] | None = None,
    *,
    base_url: str = DEFAULT_BASE_URL,
) -> dict[str, str]:
    """The URLs :func:`fetch` asks for the JSON-stat and TSV formats (for documentation).

    The SDMX-CSV URL needs the dataset's structure and is not listed.
    """
    spec = _normalise_filters(filters)
    return {
        "jsonstat": str(httpx.URL(_jsonstat_url(base_url, code), params=_jsonstat_params(spec))),
        "tsv": str(httpx.URL(_tsv_url(base_url, code), params=_tsv_params())),
    }


# --------------------------------------------------------------------------- URLs
def _jsonstat_url(base: str, code: str) -> str:
    return f"{base.rstrip('/')}/statistics/1.0/data/{code}"


def _jsonstat_params(spec: Mapping[str, list[str]]) -> list[tuple[str, str]]:
    params = [("format", "JSON"), ("lang", "EN")]
    for key, values in spec.items():
        params.extend((key, v) for v in values)
    return params


def _tsv_url(base: str, code: str) -> str:
    return f"{base.rstrip('/')}/sdmx/2.1/data/{code}"


def _tsv_params() -> list[tuple[str, str]]:
    return [("format", "TSV"), ("compressed", "true")]


def _dsd_url(base: str, code: str) -> str:
    return f"{base.rstrip('/')}/sdmx/2.1/datastructure/ESTAT/{code.upper()}"


# --------------------------------------------------------------------------- formats
def _fetch_jsonstat(
    http: HttpClient, base: str, code: str, spec: Mapping[str, list[str]], refresh: bool
) -> tuple[pd.DataFrame, list[str], dict[str, Any]]:
    url = _jsonstat_url(base, code)
    response = _get(http, url, _jsonstat_params(spec), code, spec, refresh)
    try:
        ds = parse_jsonstat(response.content, source=f"Eurostat {code} (JSON-stat)")
    except InputError as err:
        raise InputError(
            f"Eurostat's answer for {code} is not a JSON-stat dataset: {err.message}",
            source=response.url,
        ) from None
    time_role = ds.role("time")
    time_dim = "time" if "time" in ds.ids else (time_role.id if time_role else None)
    if time_dim is None:
        raise InputError(f"the dataset {code} has no time dimension", source=response.url)
    long = ds.to_frame()
    status = long.pop("status").to_numpy(dtype=object)
    missing = np.isnan(long["value"].to_numpy(dtype=np.float64))
    long["flag"] = _flags(missing, status)
    long["period"] = _years(long.pop(time_dim), code, response.url)
    dims = [d for d in ds.ids if d != time_dim]
    info = _info(response, "JSON-stat 2.0", _iso_time(ds.updated))
    if ds.label:
        info["label"] = ds.label
    return long[[*dims, "period", "value", "flag"]], dims, info


def _fetch_sdmx_csv(
    http: HttpClient, base: str, code: str, spec: Mapping[str, list[str]], refresh: bool
) -> tuple[pd.DataFrame, list[str], dict[str, Any]]:
    dims = _structure(http, base, code, refresh)
    unknown = [k for k in spec if k not in dims and k not in ("time", *_SPECIAL)]
    if unknown:
        raise InputError(
            f"the dataset {code} has no dimension {', '.join(map(repr, unknown))}",
            hint=f"its dimensions are {', '.join(dims)} and time",
        )
    key = ".".join("+".join(spec.get(d, [])) for d in dims)
    params: list[tuple[str, str]] = [("format", "SDMX-CSV")]
    years = [int(t) for t in spec.get("time", [])]
    start = [*(str(min(years)) for _ in years[:1]), *spec.get("sinceTimePeriod", [])]
    end = [*(str(max(years)) for _ in years[:1]), *spec.get("untilTimePeriod", [])]
    if start:
        params.append(("startPeriod", max(start, key=int)))
    if end:
        params.append(("endPeriod", min(end, key=int)))
    url = f"{_tsv_url(base, code)}/{key or 'all'}"
    response = _get(http, url, params, code, spec, refresh)
    text = _decompress(response.content).decode("utf-8-sig", errors="replace")
    if not text.lstrip().startswith("DATAFLOW") and "OBS_VALUE" not in text[:2000]:
        raise InputError(
            f"Eurostat did not answer with SDMX-CSV for {code} (the answer starts "
            f"{text.strip()[:80]!r}); a large extraction may be prepared asynchronously",
            source=response.url,
            hint="add filters to ask for less, or use format='jsonstat' or 'tsv'",
        )
    try:
        raw = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, na_filter=False)
    except (pd.errors.ParserError, ValueError) as err:
        raise InputError(f"cannot read Eurostat's SDMX-CSV ({err})", source=response.url) from None
    for col in ("TIME_PERIOD", "OBS_VALUE"):
        if col not in raw.columns:
            raise InputError(
                f"Eurostat's SDMX-CSV has no {col} column",
                source=response.url,
                hint=f"its columns are {', '.join(map(str, raw.columns))}",
            )
    present = [d for d in dims if d in raw.columns]
    if len(present) != len(dims):
        missing_dims = [d for d in dims if d not in raw.columns]
        raise InputError(
            f"Eurostat's SDMX-CSV lacks the dimensions {', '.join(missing_dims)}",
            source=response.url,
        )
    number = raw["OBS_VALUE"].str.strip()
    missing = number.isin(["", ":", "NaN"]).to_numpy()
    values = pd.to_numeric(number.where(~missing), errors="coerce").to_numpy(dtype=np.float64)
    bad = np.isnan(values) & ~missing
    if bad.any():
        i = int(np.argmax(bad))
        raise InputError(
            f"OBS_VALUE {number.iloc[i]!r} is not a number",
            source=response.url,
            row=i + 1,
            column="OBS_VALUE",
        )
    letters = (
        raw["OBS_FLAG"].str.strip().to_numpy(dtype=object)
        if "OBS_FLAG" in raw.columns
        else np.full(len(raw), "", dtype=object)
    )
    if "CONF_STATUS" in raw.columns:
        conf = raw["CONF_STATUS"].str.strip().str.lower().to_numpy(dtype=object)
        letters = np.asarray(
            [f if (not c or c in f) else f + c for f, c in zip(letters, conf, strict=True)],
            dtype=object,
        )
    long = raw[dims].copy()
    long["period"] = _years(raw["TIME_PERIOD"], code, response.url)
    long["value"] = values
    long["flag"] = _flags(missing, letters)
    updated = None
    if "LAST UPDATE" in raw.columns and len(raw):
        updated = _iso_time(raw["LAST UPDATE"].iloc[0])
    return long, dims, _info(response, "SDMX-CSV", updated)


def _fetch_tsv(
    http: HttpClient, base: str, code: str, spec: Mapping[str, list[str]], refresh: bool
) -> tuple[pd.DataFrame, list[str], dict[str, Any]]:
    url = _tsv_url(base, code)
    response = _get(http, url, _tsv_params(), code, {}, refresh)
    text = _decompress(response.content).decode("utf-8-sig", errors="replace")
    parsed = parse_eurostat_tsv(text, source=f"Eurostat {code} (TSV)")
    selection: dict[str, list[str]] = {}
    for key, values in spec.items():
        if key == "time":
            selection[parsed.time_dim] = values
        elif key not in _SPECIAL:
            selection[key] = values
    if selection:
        parsed = parsed.select(selection)
    long = parsed.to_long(allow_negative=True).drop(columns="row")
    dims = list(parsed.dims)
    updated = response.last_modified
    info = _info(response, "TSV", _utc(updated) if updated else None)
    return long[[*dims, "period", "value", "flag"]], dims, info


# --------------------------------------------------------------------------- helpers
def _get(
    http: HttpClient,
    url: str,
    params: Sequence[tuple[str, str]],
    code: str,
    spec: Mapping[str, list[str]],
    refresh: bool,
) -> Response:
    what = f"Eurostat dataset {code!r}"
    try:
        return http.request("GET", url, params=_pairs(params), what=what, refresh=refresh)
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
        if err.status == 404:
            context = "(Eurostat answered 404 Not Found"
            if err.detail:
                context += f": {err.detail}"
            context += f"; {err.url})"
            if spec:
                context += "; check the dataset code, and the filter codes"
            raise UnknownCodeError("Eurostat dataset", code, context=context) from None
        if err.status == 400:
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


def _pairs(params: Sequence[tuple[str, str]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for key, value in params:
        out.setdefault(key, []).append(value)
    return out


def _structure(http: HttpClient, base: str, code: str, refresh: bool) -> list[str]:
    """The dataset's dimensions in key order, from its SDMX data structure."""
    url = _dsd_url(base, code)
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


def _decompress(content: bytes) -> bytes:
    if content[:2] == b"\x1f\x8b":
        try:
            return gzip.decompress(content)
        except (OSError, EOFError) as err:
            raise InputError(f"Eurostat's gzip data is damaged ({err})") from None
    return content


def _flags(missing: np.ndarray[Any, Any], letters: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """Eurostat's TSV convention: flag letters; a missing value's flag starts with ':'."""
    out = np.empty(len(missing), dtype=object)
    for i, (gone, text) in enumerate(zip(missing.tolist(), letters.tolist(), strict=True)):
        letters_i = text.strip().lstrip(":") if isinstance(text, str) else ""
        out[i] = (":" + letters_i) if gone else (letters_i or None)
    return out


def _years(column: pd.Series[Any], code: str, source: str) -> np.ndarray[Any, Any]:
    text = column.astype(str).str.strip()
    ok = text.str.fullmatch(r"\d{4}")
    if not ok.all():
        bad = text[~ok].iloc[0]
        raise InputError(
            f"the period {bad!r} of {code} is not a year",
            source=source,
            hint="only annual data are supported; filter the frequency to annual (freq='A')",
        )
    return text.astype(int).to_numpy(dtype=np.int64)


def _info(response: Response, fmt: str, updated: str | None) -> dict[str, Any]:
    return {
        "format": fmt,
        "url": response.url,
        "retrieved": response.retrieved.isoformat(),
        "updated": updated,
        "from_cache": response.from_cache,
    }


def _iso_time(text: str | None) -> str | None:
    """Eurostat's update stamps in ISO 8601, in UTC when the zone is known.

    JSON-stat gives ``2024-03-21T23:00:00+0100``; SDMX-CSV gives ``21/03/24 23:00:00``
    in Luxembourg time; an HTTP date is UTC.
    """
    if not text:
        return None
    text = str(text).strip()
    for fmt in ("%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%dT%H:%M:%S"):
        try:
            stamp = datetime.strptime(text, fmt)
        except ValueError:
            continue
        if fmt.endswith("Z"):
            stamp = stamp.replace(tzinfo=UTC)
        return _utc(stamp)
    for fmt in ("%d/%m/%y %H:%M:%S", "%d/%m/%y", "%Y-%m-%d"):
        try:
            stamp = datetime.strptime(text, fmt)
        except ValueError:
            continue
        return _utc(stamp.replace(tzinfo=_luxembourg()))
    return text


def _utc(stamp: datetime) -> str:
    if stamp.tzinfo is None:
        return stamp.isoformat()
    return stamp.astimezone(UTC).isoformat()


def _luxembourg() -> tzinfo | None:
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo("Europe/Luxembourg")
    except Exception:  # no time-zone database on this system: keep the time naive
        return None


def _check_code(code: str) -> str:
    if not isinstance(code, str) or not _CODE.match(code.strip()):
        raise InputError(
            f"{code!r} is not a Eurostat dataset code",
            hint="a code looks like 'nama_10r_2gdp' or 'lfst_r_lfe2en2'",
        )
    return code.strip()


def _normalise_filters(
    filters: Mapping[str, str | int | Sequence[str | int]] | None,
) -> dict[str, list[str]]:
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
        if name == "geoLevel" and any(t.lower() not in _GEO_LEVELS for t in texts):
            raise InputError(
                f"geoLevel={texts!r} is not supported",
                hint="use 'nuts0', 'nuts1', 'nuts2' or 'nuts3'",
            )
        spec.setdefault(name, [])
        spec[name] += [t for t in texts if t not in spec[name]]
    return spec


def _apply_local_filters(
    long: pd.DataFrame, dims: Sequence[str], spec: Mapping[str, list[str]], code: str
) -> pd.DataFrame:
    """The filters again, here: every format then gives exactly the same slice."""
    keep = np.ones(len(long), dtype=bool)
    for key, values in spec.items():
        if key == "time":
            keep &= long["period"].isin([int(v) for v in values]).to_numpy()
        elif key == "sinceTimePeriod":
            keep &= (long["period"] >= int(values[0])).to_numpy()
        elif key == "untilTimePeriod":
            keep &= (long["period"] <= int(values[0])).to_numpy()
        elif key == "geoLevel":
            levels = {_GEO_LEVELS[v.lower()] for v in values}
            geo = long["geo"].astype(str) if "geo" in long.columns else None
            if geo is not None:
                keep &= (geo.str.len() - 2).isin(levels).to_numpy()
        elif key == "lastTimePeriod":
            continue
        else:
            if key not in dims:
                raise InputError(
                    f"the dataset {code} has no dimension {key!r}",
                    hint=f"its dimensions are {', '.join(dims)} and time",
                )
            have = set(long[key].astype(str).unique())
            absent = [v for v in values if v not in have]
            if absent and len(absent) == len(values):
                raise InputError(
                    f"the filter {key}={values!r} matches nothing in {code}",
                    hint=f"the codes of {key!r} are {_preview(sorted(have))}",
                )
            keep &= long[key].astype(str).isin(values).to_numpy()
    out = long.loc[keep]
    if "lastTimePeriod" in spec:
        n = int(spec["lastTimePeriod"][0])
        last = sorted(out["period"].unique())[-n:]
        out = out.loc[out["period"].isin(last)]
    return out.reset_index(drop=True)


def _to_table(
    long: pd.DataFrame,
    info: dict[str, Any],
    *,
    measure: str | None,
    unit: str | None,
    additive: bool | None,
    region_dim: str,
    activity_dim: str | None,
    table_options: Mapping[str, Any],
) -> ActivityTable:
    code = str(info["dataset"])
    dims: list[str] = list(info["dimensions"])
    source = f"Eurostat {code}"
    if region_dim not in dims:
        raise InputError(
            f"the dataset {code} has no region dimension {region_dim!r}",
            source=source,
            hint=f"its dimensions are {', '.join(dims)}; pass region_dim=...",
        )
    if activity_dim is not None and activity_dim not in dims:
        if activity_dim != "nace_r2":
            raise InputError(
                f"the dataset {code} has no activity dimension {activity_dim!r}",
                source=source,
                hint=f"its dimensions are {', '.join(dims)}; pass activity_dim=...",
            )
        activity_dim = None
    if long.empty:
        raise InputError(f"Eurostat's answer for {code} has no observations", source=source)
    fixed: dict[str, str] = {}
    for dim in dims:
        if dim in (region_dim, activity_dim):
            continue
        values = sorted(long[dim].astype(str).unique())
        if len(values) > 1:
            raise InputError(
                f"the dimension {dim!r} has {len(values)} values ({_preview(values)}): "
                "a table holds one",
                source=source,
                column=dim,
                hint=f"add it to the filters, e.g. filters={{..., {dim!r}: {values[0]!r}}}",
            )
        fixed[dim] = values[0]
    if unit is None:
        if "unit" not in fixed:
            raise InputError(
                f"the dataset {code} has no unit dimension", source=source, hint="pass unit=..."
            )
        unit = fixed["unit"]
    if additive is None:
        additive = additive_from_unit(fixed.get("unit", unit), source)
    keys = [region_dim] + ([activity_dim] if activity_dim else [])
    frame = _observed(long, keys)
    frame = frame.sort_values([*keys, "period"], kind="stable").reset_index(drop=True)
    frame = frame[[*keys, "period", "value", "flag"]]
    provenance = {**info, "dimensions": fixed, "source": source}
    options = dict(table_options)
    classification = options.pop("classification", None)
    version = options.pop("classification_version", None)
    if classification is None and activity_dim in EUROSTAT_CLASSIFICATIONS:
        classification, version = EUROSTAT_CLASSIFICATIONS[activity_dim]
    extra_provenance = options.pop("provenance", None) or {}
    provenance.update(extra_provenance)
    options.setdefault("allow_negative", not additive)
    return ActivityTable.from_frame(
        frame,
        measure=measure or code,
        unit=unit,
        additive=additive,
        region=region_dim,
        activity=activity_dim,
        period="period",
        value="value",
        flag="flag",
        classification=classification,
        classification_version=version,
        provenance=provenance,
        source=source,
        **options,
    )


def _observed(long: pd.DataFrame, keys: Sequence[str]) -> pd.DataFrame:
    """Every combination of the keys and periods that have an observation; others NaN.

    An observation is a value or a flag other than a bare ':'. The three formats leave
    out different unobserved cells (JSON-stat lists them all, SDMX-CSV none), so this
    rule makes their tables equal.
    """
    observed = long["value"].notna().to_numpy() | (
        long["flag"].notna().to_numpy() & (long["flag"].astype(str) != ":").to_numpy()
    )
    seen = long.loc[observed]
    if seen.empty:
        return seen
    levels = [pd.unique(seen[k].astype(str)) for k in keys] + [pd.unique(seen["period"])]
    index = pd.MultiIndex.from_product(levels, names=[*keys, "period"])
    data = long.assign(**{k: long[k].astype(str) for k in keys})
    full = data.set_index([*keys, "period"])[["value", "flag"]].reindex(index).reset_index()
    gone = full["value"].isna() & full["flag"].isna()
    full.loc[gone, "flag"] = ":"
    return full


def _preview(values: Sequence[str], limit: int = 12) -> str:
    shown = ", ".join(values[:limit])
    return shown + (f" … ({len(values) - limit} more)" if len(values) > limit else "")
