"""Eurostat's three answer formats, read into one long layout.

Each reader asks for its URL (:mod:`smartspec.data.eurostat_api`, which also waits for an
asynchronous extraction) and returns ``(frame, dimensions, provenance)``: *frame* has one
column per dimension (codes), ``period`` (int), ``value`` (float, NaN when missing) and
``flag``; the three give the same rows, values and flags for the same slice.

``"jsonstat"``
    JSON-stat 2.0 from the statistics API; flags are the cells' ``status``.
``"sdmx-csv"``
    SDMX-CSV from the SDMX 2.1 API; flags from ``OBS_FLAG`` (and ``CONF_STATUS``).
``"tsv"``
    The bulk TSV (gzip), parsed by :mod:`smartspec.data.eurostat_tsv` and cut here.

Flags follow Eurostat's TSV convention: the flag letters, and a missing value's flag
starts with ``:`` (``":"``, ``":u"``).

>>> iso_time("2024-03-21T23:00:00+0100")
'2024-03-21T22:00:00+00:00'
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from typing import Any

import numpy as np
import pandas as pd

from smartspec.data.eurostat_api import (
    SPECIAL_FILTERS,
    decompress,
    fetch_structure,
    get_data,
    jsonstat_url,
    sdmx_csv_url,
    tsv_url,
)
from smartspec.data.eurostat_async import ASYNC_KEY_HEADER, AsyncOptions
from smartspec.data.eurostat_tsv import parse_eurostat_tsv
from smartspec.data.http import HttpClient, Response
from smartspec.data.jsonstat import parse_jsonstat
from smartspec.errors import InputError

__all__ = [
    "READERS",
    "Parsed",
    "Request",
    "fetch_jsonstat",
    "fetch_sdmx_csv",
    "fetch_tsv",
    "flags",
    "iso_time",
    "provenance_of",
    "utc",
    "years",
]

Parsed = tuple[pd.DataFrame, list[str], dict[str, Any]]
"""``(frame, dimensions, provenance)`` as every reader returns it."""


@dataclass(frozen=True)
class Request:
    """One fetch: the client, where to ask, the dataset and its (normalised) filters."""

    http: HttpClient
    base_url: str
    code: str
    spec: Mapping[str, list[str]]
    refresh: bool = False
    async_options: AsyncOptions | None = None

    def get(self, url: str, *, spec: Mapping[str, list[str]] | None = None) -> Response:
        """GET a data URL for this dataset (see :func:`~smartspec.data.eurostat_api.get_data`)."""
        return get_data(
            self.http,
            url,
            code=self.code,
            spec=self.spec if spec is None else spec,
            refresh=self.refresh,
            base_url=self.base_url,
            async_options=self.async_options,
        )


# --------------------------------------------------------------------------- readers
def fetch_jsonstat(request: Request) -> Parsed:
    """The slice from the statistics API (JSON-stat 2.0); the filters travel."""
    code = request.code
    response = request.get(jsonstat_url(code, request.spec, request.base_url))
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
    long["flag"] = flags(missing, status)
    long["period"] = years(long.pop(time_dim), code, response.url)
    dims = [d for d in ds.ids if d != time_dim]
    info = provenance_of(response, "JSON-stat 2.0", iso_time(ds.updated))
    if ds.label:
        info["label"] = ds.label
    return long[[*dims, "period", "value", "flag"]], dims, info


def fetch_sdmx_csv(request: Request) -> Parsed:
    """The slice from the SDMX 2.1 API (SDMX-CSV); the key needs the data structure."""
    code, spec, base = request.code, request.spec, request.base_url
    dims = fetch_structure(request.http, code, refresh=request.refresh, base_url=base)
    unknown = [k for k in spec if k not in dims and k not in ("time", *SPECIAL_FILTERS)]
    if unknown:
        raise InputError(
            f"the dataset {code} has no dimension {', '.join(map(repr, unknown))}",
            hint=f"its dimensions are {', '.join(dims)} and time",
        )
    response = request.get(sdmx_csv_url(code, dims, spec, base))
    text = decompress(response.content).decode("utf-8-sig", errors="replace")
    if not text.lstrip().startswith("DATAFLOW") and "OBS_VALUE" not in text[:2000]:
        raise InputError(
            f"Eurostat did not answer with SDMX-CSV for {code} (the answer starts "
            f"{text.strip()[:80]!r})",
            source=response.url,
            hint="try again later, or use format='jsonstat' or 'tsv'",
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
    long["period"] = years(raw["TIME_PERIOD"], code, response.url)
    long["value"] = values
    long["flag"] = flags(missing, letters)
    updated = None
    if "LAST UPDATE" in raw.columns and len(raw):
        updated = iso_time(raw["LAST UPDATE"].iloc[0])
    return long, dims, provenance_of(response, "SDMX-CSV", updated)


def fetch_tsv(request: Request) -> Parsed:
    """The whole dataset from the bulk download (TSV), cut to the slice here."""
    code, spec = request.code, request.spec
    response = request.get(tsv_url(code, request.base_url), spec={})
    text = decompress(response.content).decode("utf-8-sig", errors="replace")
    parsed = parse_eurostat_tsv(text, source=f"Eurostat {code} (TSV)")
    selection: dict[str, list[str]] = {}
    for key, values in spec.items():
        if key == "time":
            selection[parsed.time_dim] = values
        elif key not in SPECIAL_FILTERS:
            selection[key] = values
    if selection:
        parsed = parsed.select(selection)
    long = parsed.to_long(allow_negative=True).drop(columns="row")
    dims = list(parsed.dims)
    updated = response.last_modified
    info = provenance_of(response, "TSV", utc(updated) if updated else None)
    return long[[*dims, "period", "value", "flag"]], dims, info


READERS = {"jsonstat": fetch_jsonstat, "sdmx-csv": fetch_sdmx_csv, "tsv": fetch_tsv}
"""The reader of each format."""


# --------------------------------------------------------------------------- helpers
def flags(missing: np.ndarray[Any, Any], letters: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """Eurostat's TSV convention: flag letters; a missing value's flag starts with ':'."""
    out = np.empty(len(missing), dtype=object)
    for i, (gone, text) in enumerate(zip(missing.tolist(), letters.tolist(), strict=True)):
        letters_i = text.strip().lstrip(":") if isinstance(text, str) else ""
        out[i] = (":" + letters_i) if gone else (letters_i or None)
    return out


def years(column: pd.Series[Any], code: str, source: str) -> np.ndarray[Any, Any]:
    """The periods as integer years; anything else (``2015Q1``…) is refused."""
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


def provenance_of(response: Response, fmt: str, updated: str | None) -> dict[str, Any]:
    """What the answer says about itself: format, URL, times, cache, asynchronous key."""
    info: dict[str, Any] = {
        "format": fmt,
        "url": response.url,
        "retrieved": response.retrieved.isoformat(),
        "updated": updated,
        "from_cache": response.from_cache,
    }
    key = response.headers.get(ASYNC_KEY_HEADER)
    if key:
        info["async_key"] = key
    return info


def iso_time(text: str | None) -> str | None:
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
        return utc(stamp)
    for fmt in ("%d/%m/%y %H:%M:%S", "%d/%m/%y", "%Y-%m-%d"):
        try:
            stamp = datetime.strptime(text, fmt)
        except ValueError:
            continue
        return utc(stamp.replace(tzinfo=_luxembourg()))
    return text


def utc(stamp: datetime) -> str:
    """*stamp* in ISO 8601, converted to UTC when it has a time zone."""
    if stamp.tzinfo is None:
        return stamp.isoformat()
    return stamp.astimezone(UTC).isoformat()


def _luxembourg() -> tzinfo | None:
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo("Europe/Luxembourg")
    except Exception:  # no time-zone database on this system: keep the time naive
        return None
