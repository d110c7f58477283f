"""Querying an SCB table: :func:`query` (an activity table) and :func:`query_frame`.

:func:`query_frame` reads the limits, expands and splits the selection, posts one
query per chunk within the rate limit and concatenates the parsed answers;
:func:`query` then builds the :class:`~smartspec.table.ActivityTable`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal

import pandas as pd

from smartspec.data.http import HttpClient
from smartspec.data.scb.api import Api, _base, _check_format, _post_data
from smartspec.data.scb.build import _to_table
from smartspec.data.scb.limits import ScbLimits, _limiter, get_limits
from smartspec.data.scb.metadata import get_metadata
from smartspec.data.scb.parse import _parse_data
from smartspec.data.scb.selection import (
    Selection,
    _needs_metadata,
    expand_selection,
    split_selection,
)
from smartspec.errors import InputError
from smartspec.table import ActivityTable

LICENCE = "SCB open data: CC0 1.0 (free re-use; cite Statistics Sweden as the source)"


def query(
    table: str,
    selection: Selection | None = None,
    *,
    api: Api = "v2",
    format: str | None = None,
    lang: str = "sv",
    measure: str | None = None,
    unit: str | None = None,
    additive: bool | None = None,
    region_dim: str | None = None,
    activity_dim: str | None = None,
    regions: Literal["nuts", "scb"] = "nuts",
    select: Mapping[str, str | Sequence[str]] | None = None,
    offline: bool | None = None,
    refresh: bool = False,
    base_url: str | None = None,
    client: HttpClient | None = None,
    limits: ScbLimits | None = None,
    **table_options: Any,
) -> ActivityTable:
    """Query an SCB table and return an activity table.

    Parameters
    ----------
    table:
        v2: the table id (``"TAB638"``); v1: the table's path below ``ssd/``
        (``"BE/BE0101/BE0101A/BefolkningNy"``).
    selection:
        ``{variable: [codes] or "*"}`` (see :mod:`smartspec.data.scb`); ``None`` asks
        for the table's default selection (v2 only).
    api:
        ``"v2"`` (default) or ``"v1"``.
    format:
        v1: ``"json-stat"`` (default) or ``"json"``; v2: ``"json-stat2"``.
    lang:
        ``"sv"`` (default) or ``"en"``: the language of labels.
    measure, unit:
        Default: the label and unit of the table content (``ContentsCode``).
    additive:
        Default: from the unit (``antal``, ``personer``, ``kronor``… may be summed;
        ``procent``, ``per``… may not); otherwise it must be given.
    region_dim, activity_dim:
        Variables used as region and activity; default ``Region`` and the variable
        whose code starts with ``SNI2007`` (or whose label names SNI 2007), if any.
    regions:
        ``"nuts"`` (default) maps county codes to NUTS 3; ``"scb"`` keeps SCB's codes
        (``region_scheme="SCB"``).
    select:
        Keep only these values of variables after fetching, e.g. ``{"Kon": "1"}``.
    offline, refresh, base_url, client:
        Cache and connection (see :func:`smartspec.data.eurostat.fetch`).
    limits:
        Override the limits (default: read from the API, else documented).
    **table_options:
        Passed to :meth:`ActivityTable.from_frame <smartspec.table.ActivityTable.from_frame>`.

    Raises
    ------
    UnknownCodeError
        SCB does not know the table (HTTP 404), or a value code.
    InputError
        A variable other than region and activity with several values, a region that is
        not a län, a period that is not a year, or a unit whose additivity is unknown.
    OfflineError, NetworkError, HTTPStatusError
        See :mod:`smartspec.data.http`.
    """
    frame, info = query_frame(
        table,
        selection,
        api=api,
        format=format,
        lang=lang,
        offline=offline,
        refresh=refresh,
        base_url=base_url,
        client=client,
        limits=limits,
    )
    return _to_table(
        frame,
        info,
        measure=measure,
        unit=unit,
        additive=additive,
        region_dim=region_dim,
        activity_dim=activity_dim,
        regions=regions,
        select=select,
        table_options=table_options,
    )


def query_frame(
    table: str,
    selection: Selection | None = None,
    *,
    api: Api = "v2",
    format: str | None = None,
    lang: str = "sv",
    offline: bool | None = None,
    refresh: bool = False,
    base_url: str | None = None,
    client: HttpClient | None = None,
    limits: ScbLimits | None = None,
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Query a table; return its cells as a long DataFrame and the provenance.

    The frame has one column per variable (SCB's codes), ``value`` (NaN when missing)
    and ``flag`` (SCB's status symbol). The provenance dict also carries ``variables``
    (code → label, in table order), ``time_variable``, ``contents`` (code → label and
    unit), ``data_source`` (the source the answer names, e.g. ``SCB``) and ``chunks``
    (how many queries were sent).
    """
    if api not in ("v1", "v2"):
        raise InputError(f"api={api!r} is not a PxWeb API version", hint="use 'v2' or 'v1'")
    fmt = _check_format(api, format)
    if not isinstance(table, str) or not table.strip():
        raise InputError(f"{table!r} is not an SCB table", hint="e.g. 'TAB638'")
    table = table.strip().strip("/")
    base = _base(api, base_url)
    own = client is None
    http = client or HttpClient("scb")
    saved_offline = http.offline
    if offline is not None:
        http.offline = offline
    try:
        lim = limits or get_limits(api, base_url=base, lang=lang, client=http, refresh=refresh)
        limiter = _limiter(base, lim, http)
        limiter.configure(lim.max_calls, lim.time_window)
        metadata = None
        if selection is not None and _needs_metadata(selection):
            metadata = get_metadata(
                table, api=api, base_url=base, lang=lang, client=http, refresh=refresh
            )
        if selection is None:
            if api == "v1":
                raise InputError("API v1 needs a selection", hint="give {variable: [codes] or '*'}")
            chunks: list[dict[str, list[str]] | None] = [None]
        else:
            explicit = expand_selection(selection, metadata)
            chunks = list(split_selection(explicit, lim.max_cells))
        frames: list[pd.DataFrame] = []
        infos: list[dict[str, Any]] = []
        for chunk in chunks:
            response = _post_data(http, api, base, table, lang, fmt, chunk, refresh)
            frame, info = _parse_data(response, fmt, table)
            frames.append(frame)
            infos.append(info)
    finally:
        http.offline = saved_offline
        if own:
            http.close()
    frame = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    info = dict(infos[0])
    stamps = [i["updated"] for i in infos if i.get("updated")]
    info.update(
        {
            "publisher": "Statistics Sweden (SCB)",
            "table": table,
            "api": api,
            "format": fmt,
            "selection": None if selection is None else expand_selection(selection, metadata),
            "chunks": len(chunks),
            "urls": sorted({i["url"] for i in infos}),
            "updated": max(stamps) if stamps else None,
            "retrieved": max(i["retrieved"] for i in infos),
            "from_cache": all(i["from_cache"] for i in infos),
            "limits": {
                "max_cells": lim.max_cells,
                "max_calls": lim.max_calls,
                "time_window": lim.time_window,
                "source": lim.source,
            },
            "licence": LICENCE,
        }
    )
    return frame, info
