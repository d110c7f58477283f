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
    ``geoLevel`` (``country`` or ``nuts0``, ``nuts1``…``nuts3``; not with ``geo``).
    Every dimension other than the region and the activity must end up with one value.

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

Asynchronous extractions
    For a large request Eurostat may answer with a key instead of the data and prepare
    them in the background; ``fetch`` then polls Eurostat's status endpoint with growing
    pauses and downloads the data when they are available
    (:mod:`smartspec.data.eurostat_async`; ``async_options=AsyncOptions(...)`` sets the
    timeout, the pauses and a progress callback).

Cache and offline use
    Answers are cached in the data directory (see :mod:`smartspec.data.http`), also
    those that came through an asynchronous extraction; ``offline=True`` or
    ``SMARTSPEC_OFFLINE=1`` works from the cache only.

Modules
    This module makes the table; :mod:`smartspec.data.eurostat_api` builds the URLs
    (as documented by Eurostat) and sends the requests,
    :mod:`smartspec.data.eurostat_async` waits for asynchronous extractions and
    :mod:`smartspec.data.eurostat_formats` reads the three formats.

Provenance
    ``table.meta.provenance`` holds the dataset code, filters, format, URL, retrieval time,
    Eurostat's update date (JSON-stat ``updated``, SDMX-CSV ``LAST UPDATE``, or the
    bulk file's ``Last-Modified`` header), the dataset label, the fixed dimensions and,
    for data that came through an asynchronous extraction, its key (``async_key``).

Examples
--------
>>> eurostat_urls("nama_10r_2gdp", {"geo": ["SE11", "SE12"], "unit": "MIO_EUR"})["jsonstat"]
'https://ec.europa.eu/eurostat/api/dissemination/statistics/1.0/data/nama_10r_2gdp?format=JSON&lang=EN&geo=SE11&geo=SE12&unit=MIO_EUR'
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from smartspec.data.eurostat_api import (
    DEFAULT_BASE_URL,
    FORMATS,
    GEO_LEVELS,
    EurostatFormat,
    Filters,
    check_code,
    eurostat_urls,
    normalise_filters,
)
from smartspec.data.eurostat_async import (
    AsyncExpiredError,
    AsyncFailedError,
    AsyncOptions,
    AsyncProgress,
    AsyncTimeoutError,
    EurostatAsyncError,
)
from smartspec.data.eurostat_formats import READERS, Request
from smartspec.data.http import HttpClient

# Unit rules and activity classifications are the bulk-TSV reader's, so that a table
# fetched from the API and one read from a downloaded file agree.
from smartspec.data.readers import EUROSTAT_CLASSIFICATIONS, additive_from_unit
from smartspec.errors import InputError
from smartspec.table import ActivityTable

__all__ = [
    "DEFAULT_BASE_URL",
    "FORMATS",
    "AsyncExpiredError",
    "AsyncFailedError",
    "AsyncOptions",
    "AsyncProgress",
    "AsyncTimeoutError",
    "EurostatAsyncError",
    "EurostatFormat",
    "eurostat_urls",
    "fetch",
    "fetch_frame",
]

LICENCE = (
    "Eurostat: re-use free of charge, commercial included, with acknowledgement "
    "(ec.europa.eu/eurostat/about/policies/copyright)"
)


# --------------------------------------------------------------------------- public API
def fetch(
    code: str,
    *,
    filters: Filters | None = None,
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
    async_options: AsyncOptions | None = None,
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
    async_options:
        How long and how often to wait when Eurostat prepares the data asynchronously
        (:class:`AsyncOptions`: ``timeout``, ``poll_interval``, ``on_progress``…;
        default: up to 10 minutes, pauses from 2 s growing to 30 s).
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
    AsyncTimeoutError, AsyncExpiredError, AsyncFailedError
        An asynchronous extraction not finished in time, expired or unknown to Eurostat,
        or failed (all are :class:`EurostatAsyncError`).
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
        async_options=async_options,
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
    filters: Filters | None = None,
    format: EurostatFormat = "jsonstat",
    offline: bool | None = None,
    refresh: bool = False,
    base_url: str = DEFAULT_BASE_URL,
    client: HttpClient | None = None,
    async_options: AsyncOptions | None = None,
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Fetch a slice as a long DataFrame, before it becomes a table (same parameters).

    Returns
    -------
    (frame, provenance)
        *frame* has one column per dimension (codes), ``period`` (int), ``value``
        (float, NaN when missing) and ``flag``; *provenance* is a dict (see
        :func:`fetch`) with ``dimensions`` listing the dimension names in order.
    """
    code = check_code(code)
    if format not in FORMATS:
        raise InputError(
            f"format={format!r} is not a Eurostat format",
            hint="use 'jsonstat', 'sdmx-csv' or 'tsv'",
        )
    spec = normalise_filters(filters)
    own = client is None
    http = client or HttpClient("eurostat")
    saved_offline = http.offline
    if offline is not None:
        http.offline = offline
    request = Request(http, base_url, code, spec, refresh, async_options)
    try:
        frame, dims, info = READERS[format](request)
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
            levels = {GEO_LEVELS[v.lower()] for v in values}
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
