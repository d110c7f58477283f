"""Query Statistics Sweden (SCB) tables through the PxWeb API, versions 1 and 2.

:func:`query` asks for a table with a selection of values per variable and returns an
:class:`~smartspec.table.ActivityTable`:

* the **region** (variable ``Region``): SCB's county codes ``01``…``25`` become the län's
  NUTS 3 codes (``06`` → ``SE211``), ``00`` (Riket) becomes ``SE`` (a country total,
  dropped from a län table as an aggregate); other codes (municipalities such as
  ``0680``, riksområden) are refused, unless ``regions="scb"`` keeps SCB's codes;
* the **activity** (a variable ``SNI2007…``): SNI 2007 levels 1–4 are NACE Rev. 2, so
  sections, divisions, groups and classes keep their code (``"0111"`` → ``"01.11"``);
  five-digit detail groups are summed into their four-digit class (``"01110"`` →
  ``"01.11"``); codes that are not SNI (``"US"``, unknown activity) are dropped and
  listed in the report's notes;
* the **period** (``Tid``) is the year;
* every other variable (``Kon``, ``Alder``, ``ContentsCode``…) must end up with one value.

:func:`query_frame` gives the raw long table (SCB's codes, every variable) instead.

Formats
    API v2 (``api="v2"``, default): ``POST {base}/tables/{table}/data?lang=sv&
    outputFormat=json-stat2`` with ``{"selection": [{"variableCode": …, "valueCodes":
    […]}]}``, JSON-stat 2.0. API v1 (``api="v1"``): ``POST {base}/{lang}/ssd/{table
    path}`` with ``{"query": [...], "response": {"format": "json-stat"}}`` (JSON-stat
    1.x) or ``"json"`` (PxWeb's own format).

Selections
    ``{variable: [codes]}``, or ``"*"`` for every value; v2 expressions ``top(n)``,
    ``bottom(n)``, ``from(x)``, ``to(x)`` and wildcards (``"01*"``) are expanded here
    from the table's metadata, so that the query can be split. Variables left out are
    eliminated by SCB (summed or left out, where the table allows it).

Limits
    SCB limits the cells per query and the calls per time window. The client reads both
    from the API's configuration (v2 ``/config``: ``maxDataCells``,
    ``maxCallsPerTimeWindow``, ``timeWindow``; v1 ``?config``: ``maxValues``,
    ``maxCalls``, ``timeWindow``) and otherwise uses SCB's documented values (150,000
    cells, 30 calls per 10 seconds). A query with more cells is split into chunks
    (:func:`split_selection`) that are fetched one by one, and a :class:`RateLimiter`
    keeps the calls within the window.

Flags
    SCB's status symbols (``..`` not available, ``.`` not applicable, ``-`` …) are kept in
    the ``flag`` column; the value is then NaN (never 0).

>>> split_selection({"Region": ["01", "03", "04"], "Tid": ["2020", "2021"]}, max_cells=4)
[{'Region': ['01', '03'], 'Tid': ['2020', '2021']}, {'Region': ['04'], 'Tid': ['2020', '2021']}]
>>> sni_to_nace("01110"), sni_to_nace("0111"), sni_to_nace("C"), sni_to_nace("US")
('01.11', '01.11', 'C', None)
>>> scb_region_to_nuts("06")
'SE211'
"""

from __future__ import annotations

import fnmatch
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from smartspec.data.http import (
    HttpClient,
    HTTPStatusError,
    NetworkError,
    OfflineError,
    RateLimiter,
    RequestTooLargeError,
    Response,
)
from smartspec.data.jsonstat import parse_jsonstat
from smartspec.errors import InputError, UnknownCodeError
from smartspec.table import ActivityTable

__all__ = [
    "DEFAULT_V1_URL",
    "DEFAULT_V2_URL",
    "DOCUMENTED_LIMITS",
    "ScbLimits",
    "Selection",
    "TableMetadata",
    "Variable",
    "count_cells",
    "expand_selection",
    "get_limits",
    "get_metadata",
    "parse_pxweb_json",
    "query",
    "query_frame",
    "scb_region_to_nuts",
    "sni_to_nace",
    "split_selection",
]

DEFAULT_V2_URL = "https://statistikdatabasen.scb.se/api/v2"
"""SCB's PxWeb API v2."""
DEFAULT_V1_URL = "https://api.scb.se/OV0104/v1/doris"
"""SCB's PxWeb API v1 (tables below ``{lang}/ssd/``)."""

Api = Literal["v1", "v2"]
Selection = Mapping[str, Sequence[str] | str]

LICENCE = "SCB open data: CC0 1.0 (free re-use; cite Statistics Sweden as the source)"


# --------------------------------------------------------------------------- limits
@dataclass(frozen=True)
class ScbLimits:
    """Limits of an API: cells per query and calls per time window.

    Attributes
    ----------
    max_cells:
        Most cells (values) one query may ask for.
    max_calls, time_window:
        At most ``max_calls`` calls in any ``time_window`` seconds.
    source:
        ``"config"`` (read from the API) or ``"documented"`` (SCB's published values).
    """

    max_cells: int
    max_calls: int
    time_window: float
    source: str = "documented"


# SCB's documented limits, used when the configuration endpoint does not answer:
# - PxWeb API v2: GET https://statistikdatabasen.scb.se/api/v2/config answers
#   {"maxDataCells": 150000, "maxCallsPerTimeWindow": 30, "timeWindow": 10, ...};
# - PxWeb API v1 (SCB, "API för Statistikdatabasen"): at most 150,000 values per query
#   and 30 calls per 10 seconds per IP address (GET .../doris/sv/?config gives maxValues,
#   maxCalls and timeWindow).
DOCUMENTED_LIMITS = ScbLimits(max_cells=150_000, max_calls=30, time_window=10.0)

_LIMITERS: dict[str, RateLimiter] = {}


def get_limits(
    api: Api = "v2",
    *,
    base_url: str | None = None,
    lang: str = "sv",
    client: HttpClient | None = None,
    refresh: bool = False,
) -> ScbLimits:
    """The API's limits from its configuration endpoint, else SCB's documented ones.

    A configuration value that is missing or 0 (PxWeb reports 0 where a limit is not
    configured there — that does not mean "unlimited") is replaced by the documented one.
    """
    base = _base(api, base_url)
    own = client is None
    http = client or HttpClient("scb")
    try:
        if api == "v2":
            url = f"{base}/config"
            keys = ("maxDataCells", "maxCallsPerTimeWindow", "timeWindow")
        else:
            url = f"{base}/{lang}/?config"
            keys = ("maxValues", "maxCalls", "timeWindow")
        try:
            config = http.get(url, what="SCB's API configuration", refresh=refresh).json()
        except (HTTPStatusError, NetworkError, OfflineError, ValueError):
            return DOCUMENTED_LIMITS
    finally:
        if own:
            http.close()
    if not isinstance(config, Mapping):
        return DOCUMENTED_LIMITS
    cells = _positive(config.get(keys[0]))
    calls = _positive(config.get(keys[1]))
    window = _positive(config.get(keys[2]))
    if cells is None and calls is None:
        return DOCUMENTED_LIMITS
    return ScbLimits(
        max_cells=int(cells or DOCUMENTED_LIMITS.max_cells),
        max_calls=int(calls or DOCUMENTED_LIMITS.max_calls),
        time_window=float(window or DOCUMENTED_LIMITS.time_window),
        source="config",
    )


def _positive(raw: Any) -> float | None:
    try:
        value = float(raw)
    except (TypeError, ValueError):
        return None
    return value if value > 0 else None


# --------------------------------------------------------------------------- metadata
@dataclass(frozen=True)
class Variable:
    """A variable of an SCB table: its code, label and values."""

    code: str
    label: str
    values: tuple[str, ...]
    value_texts: tuple[str, ...] = ()
    elimination: bool = False
    time: bool = False


@dataclass(frozen=True)
class TableMetadata:
    """What a table has: its title and variables."""

    table: str
    title: str
    variables: tuple[Variable, ...]

    def variable(self, code: str) -> Variable:
        """The variable with this code (case-insensitive)."""
        for v in self.variables:
            if v.code.lower() == code.lower():
                return v
        raise InputError(
            f"the table {self.table} has no variable {code!r}",
            hint=f"its variables are {', '.join(v.code for v in self.variables)}",
        )


def get_metadata(
    table: str,
    *,
    api: Api = "v2",
    base_url: str | None = None,
    lang: str = "sv",
    client: HttpClient | None = None,
    refresh: bool = False,
) -> TableMetadata:
    """The variables and values of a table (v2 ``/metadata``, v1 GET on the table)."""
    base = _base(api, base_url)
    own = client is None
    http = client or HttpClient("scb")
    try:
        url = _metadata_url(api, base, table, lang)
        params = {"lang": lang} if api == "v2" else None
        try:
            response = http.get(url, params=params, what=f"SCB table {table}", refresh=refresh)
        except HTTPStatusError as err:
            raise _table_error(err, table, api) from None
    finally:
        if own:
            http.close()
    return _parse_metadata(response, table, api)


def _parse_metadata(response: Response, table: str, api: Api) -> TableMetadata:
    try:
        doc = response.json()
    except ValueError:
        raise InputError("SCB's table description is not JSON", source=response.url) from None
    if api == "v2":
        ds = parse_jsonstat(doc, source=response.url, metadata_only=True)
        variables = tuple(
            Variable(
                code=d.id,
                label=d.label,
                values=d.codes,
                value_texts=tuple(d.label_of(c) for c in d.codes),
                elimination=bool(d.extension.get("elimination", False)),
                time=d.role == "time",
            )
            for d in ds.dimensions
        )
        return TableMetadata(table, ds.label or table, variables)
    raw_vars = doc.get("variables") if isinstance(doc, Mapping) else None
    if not isinstance(raw_vars, list):
        raise InputError("SCB's table description has no variables", source=response.url)
    variables = tuple(
        Variable(
            code=str(v["code"]),
            label=str(v.get("text", v["code"])),
            values=tuple(str(x) for x in v.get("values", [])),
            value_texts=tuple(str(x) for x in v.get("valueTexts", [])),
            elimination=bool(v.get("elimination", False)),
            time=bool(v.get("time", False)),
        )
        for v in raw_vars
    )
    return TableMetadata(table, str(doc.get("title", table)), variables)


# --------------------------------------------------------------------------- selections
_EXPRESSION = re.compile(r"^(top|bottom|from|to)\((.+)\)$", re.IGNORECASE)


def _needs_metadata(selection: Selection) -> bool:
    for values in selection.values():
        items = [values] if isinstance(values, str) else list(values)
        for item in items:
            text = str(item)
            if "*" in text or "?" in text or _EXPRESSION.match(text):
                return True
    return False


def expand_selection(selection: Selection, metadata: TableMetadata | None) -> dict[str, list[str]]:
    """Explicit value codes for every variable of *selection*.

    ``"*"``, wildcards (``*`` any characters, ``?`` one) and ``top(n)``, ``bottom(n)``,
    ``from(x)``, ``to(x)`` are expanded with the table's values in table order; plain
    codes are kept in the order given; duplicates are dropped.

    Examples
    --------
    >>> meta = TableMetadata("T", "t", (Variable("Tid", "år", ("2019", "2020", "2021")),))
    >>> expand_selection({"Tid": "top(2)"}, meta)
    {'Tid': ['2020', '2021']}
    >>> expand_selection({"Tid": ["2019", "20?1"]}, meta)
    {'Tid': ['2019', '2021']}
    """
    out: dict[str, list[str]] = {}
    for name, raw in selection.items():
        items = [raw] if isinstance(raw, str) else [str(x) for x in raw]
        if not items:
            raise InputError(
                f"the selection of {name!r} is empty",
                hint="give codes, or '*' for all values, or leave the variable out to "
                "let SCB eliminate it",
            )
        variable = metadata.variable(name) if metadata is not None else None
        codes: list[str] = []
        for item in items:
            text = item.strip()
            expression = _EXPRESSION.match(text)
            if variable is None or not (expression or "*" in text or "?" in text):
                if variable is not None and text not in variable.values:
                    raise UnknownCodeError(
                        f"value of {variable.code}",
                        text,
                        _close(text, variable.values),
                        context=f"in SCB table {metadata.table if metadata else ''}".rstrip(),
                    )
                codes.append(text)
                continue
            values = list(variable.values)
            if expression:
                kind, arg = expression.group(1).lower(), expression.group(2).strip()
                if kind in ("top", "bottom"):
                    if not arg.isdigit() or int(arg) < 1:
                        raise InputError(f"{text!r}: the count must be a positive number")
                    n = int(arg)
                    picked = values[-n:] if kind == "top" else values[:n]
                elif kind == "from":
                    picked = values[values.index(arg) :] if arg in values else []
                else:
                    picked = values[: values.index(arg) + 1] if arg in values else []
                if not picked:
                    raise InputError(
                        f"{text!r} selects no value of {variable.code}",
                        hint=f"its values are {_preview(values)}",
                    )
            else:
                picked = [v for v in values if fnmatch.fnmatchcase(v, text)]
                if not picked:
                    raise InputError(
                        f"the pattern {text!r} matches no value of {variable.code}",
                        hint=f"its values are {_preview(values)}",
                    )
            codes.extend(picked)
        out[name] = list(dict.fromkeys(codes))  # drop repeats, keep the order
    return out


def count_cells(selection: Mapping[str, Sequence[str]]) -> int:
    """Number of cells a selection asks for (the product of the numbers of values).

    >>> count_cells({"Region": ["01", "03"], "Tid": ["2020", "2021", "2022"]})
    6
    """
    return math.prod(len(v) for v in selection.values())


def split_selection(
    selection: Mapping[str, Sequence[str]], max_cells: int
) -> list[dict[str, list[str]]]:
    """Split a selection into selections of at most *max_cells* cells each.

    Every cell of *selection* is in exactly one chunk; each chunk has the same variables,
    each with a non-empty run of the original values, in the original order. The
    variable with most values is cut first, into runs as long as the limit allows; if
    even one of its values times the rest is too many cells, the rest is split too.

    Raises
    ------
    InputError
        If *max_cells* is below 1 or a variable has no values.

    Examples
    --------
    >>> chunks = split_selection({"A": ["1", "2", "3"], "B": ["x", "y"]}, max_cells=2)
    >>> [count_cells(c) for c in chunks]
    [2, 2, 2]
    """
    if max_cells < 1:
        raise InputError(f"max_cells must be at least 1, not {max_cells}")
    sel = {k: list(v) for k, v in selection.items()}
    for name, values in sel.items():
        if not values:
            raise InputError(f"the selection of {name!r} is empty")
    return _split(sel, max_cells)


def _split(sel: dict[str, list[str]], max_cells: int) -> list[dict[str, list[str]]]:
    total = count_cells(sel)
    if total <= max_cells:
        return [sel]
    name = max(sel, key=lambda k: len(sel[k]))  # the first of the longest
    values = sel[name]
    rest = total // len(values)
    if rest <= max_cells:
        step = max_cells // rest
        return [{**sel, name: values[i : i + step]} for i in range(0, len(values), step)]
    out: list[dict[str, list[str]]] = []
    for value in values:
        out.extend(_split({**sel, name: [value]}, max_cells))
    return out


# --------------------------------------------------------------------------- mapping
_TOTAL_CODES = frozenset({"TOT", "TOTAL", "TOTALT", "SAMTLIGA"})
_SECTIONS = "ABCDEFGHIJKLMNOPQRSTU"


def sni_to_nace(code: str) -> str | None:
    """The NACE Rev. 2 code of an SNI 2007 code, or ``None`` if it is not one.

    SNI 2007 levels 1–4 are NACE Rev. 2 (section, division, group, class); a five-digit
    detail group maps to its four-digit class. Joins of adjacent sections (``"M+N"``)
    become NACE aggregates (``"M_N"``); ``TOT``/``TOTAL`` becomes ``"TOTAL"``.

    Examples
    --------
    >>> [sni_to_nace(c) for c in ("A", "01", "011", "0111", "01110", "10.11", "M+N")]
    ['A', '01', '01.1', '01.11', '01.11', '10.11', 'M_N']
    """
    from smartspec.taxonomy import nace_level, nace_parent, normalize_nace

    text = str(code).strip().upper().replace(" ", "")
    if not text:
        return None
    if text in _TOTAL_CODES:
        return "TOTAL"
    if "+" in text:
        parts = text.split("+")
        if all(len(p) == 1 and p in _SECTIONS for p in parts):
            idx = [_SECTIONS.index(p) for p in parts]
            if idx == list(range(idx[0], idx[0] + len(idx))):
                text = f"{parts[0]}-{parts[-1]}"
    try:
        canonical = normalize_nace(text)
    except (LookupError, ValueError):
        return None
    if nace_level(canonical) == 5:
        return nace_parent(canonical)
    return canonical


def scb_region_to_nuts(code: str) -> str:
    """The NUTS code of an SCB region code: a län (``"06"`` → ``"SE211"``) or Riket.

    Raises
    ------
    InputError
        For municipalities (four digits) and other SCB regions, which are not NUTS
        regions.
    UnknownCodeError
        For a two-digit code that is not a county code.
    """
    from smartspec.geo import lan_by_scb_code

    text = str(code).strip()
    if text in ("00", "0", "SE", "Riket"):
        return "SE"
    if re.fullmatch(r"\d{1,2}", text):
        return str(lan_by_scb_code(text).code)
    what = "a municipality code" if re.fullmatch(r"\d{4}", text) else "not a county code"
    raise InputError(
        f"the SCB region {text!r} is {what}; only the 21 län (01–25) and Riket (00) have "
        "NUTS codes",
        hint="select län codes, or pass regions='scb' to keep SCB's region codes",
    )


# --------------------------------------------------------------------------- query
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
        ``{variable: [codes] or "*"}`` (see the module documentation); ``None`` asks
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


def _limiter(base: str, limits: ScbLimits, http: HttpClient) -> RateLimiter:
    """One rate limiter per API (base URL), shared by every query in this process."""
    if http.rate_limiter is None:
        if base not in _LIMITERS:
            _LIMITERS[base] = RateLimiter(limits.max_calls, limits.time_window)
        http.rate_limiter = _LIMITERS[base]
    return http.rate_limiter


def _base(api: Api, base_url: str | None) -> str:
    base = base_url or (DEFAULT_V2_URL if api == "v2" else DEFAULT_V1_URL)
    return base.rstrip("/")


def _check_format(api: Api, format: str | None) -> str:
    allowed = ("json-stat2",) if api == "v2" else ("json-stat", "json")
    fmt = (format or allowed[0]).lower()
    if fmt not in allowed:
        raise InputError(
            f"format={format!r} is not supported for API {api}",
            hint="use " + " or ".join(repr(a) for a in allowed),
        )
    return fmt


def _metadata_url(api: Api, base: str, table: str, lang: str) -> str:
    if api == "v2":
        return f"{base}/tables/{table}/metadata"
    return f"{base}/{lang}/ssd/{table}"


def _post_data(
    http: HttpClient,
    api: Api,
    base: str,
    table: str,
    lang: str,
    fmt: str,
    chunk: Mapping[str, Sequence[str]] | None,
    refresh: bool,
) -> Response:
    what = f"SCB table {table}"
    try:
        if api == "v2":
            url = f"{base}/tables/{table}/data"
            params = {"lang": lang, "outputFormat": fmt}
            if chunk is None:
                return http.get(url, params=params, what=what, refresh=refresh)
            body: dict[str, Any] = {
                "selection": [
                    {"variableCode": name, "valueCodes": list(values)}
                    for name, values in chunk.items()
                ]
            }
            return http.post(url, params=params, json_body=body, what=what, refresh=refresh)
        assert chunk is not None
        url = f"{base}/{lang}/ssd/{table}"
        body = {
            "query": [
                {"code": name, "selection": {"filter": "item", "values": list(values)}}
                for name, values in chunk.items()
            ],
            "response": {"format": fmt},
        }
        return http.post(url, json_body=body, what=what, refresh=refresh)
    except HTTPStatusError as err:
        raise _table_error(err, table, api) from None


def _table_error(err: HTTPStatusError, table: str, api: Api) -> Exception:
    if err.status == 404:
        return UnknownCodeError(
            "SCB table",
            table,
            context=f"(SCB answered 404 Not Found for API {api}"
            + (f": {err.detail}" if err.detail else "")
            + f"; {err.url})",
        )
    if err.status in (403, 413) or (
        err.status == 400 and err.detail and "cell" in err.detail.lower()
    ):
        return RequestTooLargeError(
            err.what,
            err.url,
            err.status,
            err.detail,
            err.body,
            hint="the query asks for more cells than SCB allows in one call; pass "
            "limits=ScbLimits(...) with a lower max_cells, or select fewer values",
        )
    if err.status == 400:
        return HTTPStatusError(
            err.what,
            err.url,
            err.status,
            err.detail,
            err.body,
            hint="check the variable codes and value codes (see get_metadata(table)); "
            "variables that cannot be eliminated must be selected",
        )
    return err


# --------------------------------------------------------------------------- parsing
def _parse_data(response: Response, fmt: str, table: str) -> tuple[pd.DataFrame, dict[str, Any]]:
    try:
        doc = response.json()
    except ValueError:
        raise InputError(f"SCB's answer for {table} is not JSON", source=response.url) from None
    if fmt == "json":
        frame, info = parse_pxweb_json(doc, source=response.url)
    else:
        ds = parse_jsonstat(doc, source=response.url)
        frame = ds.to_frame()
        status = frame.pop("status").to_numpy(dtype=object)
        frame["flag"] = [s if isinstance(s, str) and s else None for s in status.tolist()]
        time_dim = ds.role("time")
        metric = ds.role("metric")
        contents: dict[str, dict[str, Any]] = {}
        if metric is not None:
            for c in metric.codes:
                unit = metric.units.get(c, {})
                contents[c] = {"label": metric.label_of(c), "unit": unit.get("base")}
        info = {
            "label": ds.label,
            "data_source": ds.source,
            "updated": ds.updated,
            "variables": {d.id: d.label for d in ds.dimensions},
            "time_variable": time_dim.id if time_dim else None,
            "metric_variable": metric.id if metric else None,
            "contents": contents,
            "notes": list(ds.note),
        }
    info["url"] = response.url
    info["retrieved"] = response.retrieved.isoformat()
    info["from_cache"] = response.from_cache
    return frame, info


def parse_pxweb_json(
    document: Mapping[str, Any], *, source: str | None = None
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Parse PxWeb's own ``json`` format (API v1 ``"response": {"format": "json"}``).

    The answer lists ``columns`` (``type`` ``d`` dimension, ``t`` time, ``c`` content)
    and ``data`` rows with a ``key`` (the codes of the d and t columns) and ``values``
    (one text per content column). The result has one row per key and content, the
    content code in ``ContentsCode``; values that are not numbers (``..``) become NaN
    with the symbol in ``flag``.

    Examples
    --------
    >>> doc = {"columns": [{"code": "Tid", "text": "år", "type": "t"},
    ...                    {"code": "BE0101N1", "text": "Folkmängd", "type": "c"}],
    ...        "data": [{"key": ["2016"], "values": ["5257563"]},
    ...                 {"key": ["2017"], "values": [".."]}]}
    >>> frame, info = parse_pxweb_json(doc)
    >>> frame.values.tolist()
    [['2016', 'BE0101N1', 5257563.0, None], ['2017', 'BE0101N1', nan, '..']]
    """
    columns = document.get("columns")
    data = document.get("data")
    if not isinstance(columns, list) or not isinstance(data, list):
        raise InputError(
            "this is not a PxWeb json answer: it needs 'columns' and 'data'", source=source
        )
    keys = [c for c in columns if c.get("type") in ("d", "t")]
    contents = [c for c in columns if c.get("type") == "c"]
    if not contents:
        raise InputError("the PxWeb json answer has no content column", source=source)
    rows: dict[str, list[Any]] = {str(c["code"]): [] for c in keys}
    rows["ContentsCode"] = []
    values: list[float] = []
    flags: list[str | None] = []
    for i, entry in enumerate(data, start=1):
        key = entry.get("key", [])
        cells = entry.get("values", [])
        if len(key) != len(keys) or len(cells) != len(contents):
            raise InputError(
                f"data row {i} has {len(key)} key codes and {len(cells)} values; the columns "
                f"say {len(keys)} and {len(contents)}",
                source=source,
            )
        for content, cell in zip(contents, cells, strict=True):
            for col, code in zip(keys, key, strict=True):
                rows[str(col["code"])].append(str(code))
            rows["ContentsCode"].append(str(content["code"]))
            text = str(cell).strip()
            try:
                values.append(float(text))
                flags.append(None)
            except ValueError:
                values.append(math.nan)
                flags.append(text or None)
    frame = pd.DataFrame(
        {
            **rows,
            "value": np.asarray(values, dtype=np.float64),
            "flag": pd.Series(flags, dtype=object),
        }
    )
    meta = (document.get("metadata") or [{}])[0]
    time_cols = [str(c["code"]) for c in keys if c.get("type") == "t"]
    info: dict[str, Any] = {
        "label": meta.get("label"),
        "data_source": meta.get("source"),
        "updated": meta.get("updated"),
        "variables": {
            **{str(c["code"]): str(c.get("text", c["code"])) for c in keys},
            "ContentsCode": "tabellinnehåll",
        },
        "time_variable": time_cols[0] if time_cols else None,
        "metric_variable": "ContentsCode",
        "contents": {
            str(c["code"]): {"label": str(c.get("text", c["code"])), "unit": c.get("unit")}
            for c in contents
        },
        "notes": [str(c.get("comment", c)) for c in document.get("comments") or []],
    }
    return frame, info


# --------------------------------------------------------------------------- table
_ADDITIVE_WORDS = re.compile(
    r"^(antal|st|styck|personer|individer|kr|kronor|tkr|tusen|mnkr|mdkr|miljon|miljard|"
    r"timmar|ton|hektar|ha|kvm|m2|sysselsatta|företag|arbetsställen)\b",
    re.IGNORECASE,
)
_RATE_WORDS = re.compile(
    r"(procent|%|promille|per |/|index|andel|kvot|medel|median|genomsnitt|ränta|pris)",
    re.IGNORECASE,
)


def _additive_from_unit(unit: str, source: str) -> bool:
    text = unit.strip()
    if _RATE_WORDS.search(text):
        return False
    if _ADDITIVE_WORDS.match(text):
        return True
    raise InputError(
        f"cannot tell from the unit {unit!r} whether the values may be summed",
        source=source,
        hint="pass additive=True for counts and amounts, additive=False for rates",
    )


def _detect(
    variables: Mapping[str, str],
    explicit: str | None,
    kind: str,
    frame_cols: Sequence[str],
    table: str,
) -> str | None:
    if explicit is not None:
        if explicit not in frame_cols:
            raise InputError(
                f"the table {table} has no variable {explicit!r}",
                hint=f"its variables are {', '.join(variables)}",
            )
        return explicit
    for code, label in variables.items():
        if code not in frame_cols:
            continue
        low_code, low_label = code.lower(), str(label).lower()
        if kind == "region" and (low_code in ("region", "lan", "län") or low_label == "region"):
            return code
        if kind == "activity" and (
            low_code.startswith("sni2007") or "sni 2007" in low_label or "sni2007" in low_label
        ):
            return code
    return None


def _to_table(
    frame: pd.DataFrame,
    info: dict[str, Any],
    *,
    measure: str | None,
    unit: str | None,
    additive: bool | None,
    region_dim: str | None,
    activity_dim: str | None,
    regions: str,
    select: Mapping[str, str | Sequence[str]] | None,
    table_options: Mapping[str, Any],
) -> ActivityTable:
    table = str(info["table"])
    source = f"SCB {table}"
    variables: dict[str, str] = dict(info.get("variables") or {})
    cols = [c for c in frame.columns if c not in ("value", "flag")]
    if regions not in ("nuts", "scb"):
        raise InputError(f"regions={regions!r} is not an option", hint="use 'nuts' or 'scb'")
    if select:
        for name, wanted in select.items():
            if name not in cols:
                raise InputError(
                    f"select names {name!r}, which the table does not have",
                    source=source,
                    hint=f"its variables are {', '.join(cols)}",
                )
            want = [wanted] if isinstance(wanted, str) else [str(w) for w in wanted]
            have = set(frame[name].astype(str))
            missing = [w for w in want if w not in have]
            if missing:
                raise InputError(
                    f"select {name}: {', '.join(missing)} not in the answer",
                    source=source,
                    hint=f"the values are {_preview(sorted(have))}",
                )
            frame = frame.loc[frame[name].astype(str).isin(want)]
    time_var = info.get("time_variable") or _detect_time(cols)
    if time_var is None or time_var not in cols:
        raise InputError(f"the table {table} has no time variable", source=source)
    region_var = _detect(variables, region_dim, "region", cols, table)
    if region_var is None:
        raise InputError(
            f"the table {table} has no region variable",
            source=source,
            hint=f"its variables are {', '.join(cols)}; pass region_dim=...",
        )
    activity_var = _detect(variables, activity_dim, "activity", cols, table)
    metric_var = info.get("metric_variable")
    fixed: dict[str, str] = {}
    for col in cols:
        if col in (time_var, region_var, activity_var):
            continue
        values = sorted(frame[col].astype(str).unique())
        if len(values) > 1:
            label = variables.get(col, col)
            raise InputError(
                f"the variable {col!r} ({label}) has {len(values)} values "
                f"({_preview(values)}): a table holds one",
                source=source,
                column=col,
                hint=f"select one value in the query, e.g. {{{col!r}: [{values[0]!r}]}}, or "
                f"pass select={{{col!r}: {values[0]!r}}}",
            )
        if values:
            fixed[col] = values[0]
    contents: dict[str, dict[str, Any]] = dict(info.get("contents") or {})
    content_code = fixed.get(str(metric_var)) if metric_var else None
    content = contents.get(content_code or "", {})
    if measure is None:
        measure = str(content.get("label") or info.get("label") or table)
    if unit is None:
        unit = content.get("unit")
        if not unit:
            raise InputError(
                f"SCB's answer for {table} does not give the unit",
                source=source,
                hint="pass unit=..., e.g. unit='antal personer'",
            )
    if additive is None:
        additive = _additive_from_unit(str(unit), source)
    notes: list[str] = []
    out = pd.DataFrame(
        {
            "region": frame[region_var].astype(str).to_numpy(),
            "period": frame[time_var].astype(str).to_numpy(),
            "value": frame["value"].to_numpy(dtype=np.float64),
            "flag": frame["flag"].to_numpy(dtype=object),
        }
    )
    if activity_var is not None:
        out.insert(1, "activity", frame[activity_var].astype(str).to_numpy())
    scheme = "NUTS"
    if regions == "nuts":
        mapping = {c: scb_region_to_nuts(c) for c in out["region"].unique()}
        out["region"] = out["region"].map(mapping)
    else:
        scheme = "SCB"
    classification = version = None
    is_sni = activity_var is not None and _is_sni2007(activity_var, variables)
    if is_sni:
        out, more = _map_activities(out, bool(additive), source)
        notes += more
        classification, version = "NACE", "Rev. 2"
    provenance = {
        **{k: v for k, v in info.items() if k not in ("variables", "contents")},
        "source": source,
        "dimensions": fixed,
        "region_variable": region_var,
        "activity_variable": activity_var,
        "time_variable": time_var,
    }
    options = dict(table_options)
    provenance.update(options.pop("provenance", None) or {})
    if scheme == "NUTS":
        options.setdefault("nuts_version", 2024)
    options.setdefault("allow_negative", not additive)
    return ActivityTable.from_frame(
        out,
        measure=measure,
        unit=str(unit),
        additive=bool(additive),
        region="region",
        activity="activity" if activity_var is not None else None,
        period="period",
        value="value",
        flag="flag",
        classification=options.pop("classification", classification),
        classification_version=options.pop("classification_version", version),
        region_scheme=scheme,
        provenance=provenance,
        source=source,
        notes=notes,
        **options,
    )


def _detect_time(cols: Sequence[str]) -> str | None:
    for c in cols:
        if c.lower() in ("tid", "time", "år"):
            return c
    return None


def _is_sni2007(code: str, variables: Mapping[str, str]) -> bool:
    label = str(variables.get(code, "")).lower()
    return "2007" in code or "sni 2007" in label or "sni2007" in label


def _map_activities(
    out: pd.DataFrame, additive: bool, source: str
) -> tuple[pd.DataFrame, list[str]]:
    codes = out["activity"].unique().tolist()
    mapping = {c: sni_to_nace(c) for c in codes}
    notes: list[str] = []
    unknown = sorted(c for c, m in mapping.items() if m is None)
    if unknown:
        n = int(out["activity"].isin(unknown).sum())
        notes.append(
            f"activity codes that are not SNI 2007 / NACE codes dropped ({n} rows): "
            + _preview(unknown)
        )
        out = out.loc[~out["activity"].isin(unknown)]
    out = out.assign(activity=out["activity"].map(mapping))
    detail = sorted(
        c for c, m in mapping.items() if m is not None and len(re.sub(r"\D", "", c)) == 5
    )
    if detail:
        if not additive:
            raise InputError(
                f"the SNI 2007 detail groups ({_preview(detail)}) would have to be summed "
                "into NACE classes, but the values are not additive",
                source=source,
                hint="select four-digit SNI codes, or pass additive=True if the values are counts",
            )
        keys = ["region", "activity", "period"]
        if out.duplicated(keys).any():
            grouped = out.groupby(keys, sort=False, dropna=False)
            summed = grouped["value"].sum(min_count=1)
            # a class is missing if any of its detail groups is
            any_nan = grouped["value"].apply(lambda v: bool(v.isna().any()))
            summed[any_nan] = np.nan
            flags = grouped["flag"].agg(_merge_flags)
            out = pd.DataFrame({"value": summed, "flag": flags}).reset_index()
        notes.append(
            f"{len(detail)} SNI 2007 detail groups (five digits) summed into their NACE "
            "Rev. 2 classes"
        )
    return out, notes


def _merge_flags(flags: pd.Series[Any]) -> str | None:
    """The flags of the detail groups summed into one class: distinct, comma-separated."""
    distinct = sorted({x for x in flags if isinstance(x, str) and x})
    return ",".join(distinct) or None


def _close(code: str, values: Sequence[str]) -> list[str]:
    import difflib

    return difflib.get_close_matches(code, list(values), n=3, cutoff=0.5)


def _preview(values: Sequence[str], limit: int = 12) -> str:
    shown = ", ".join(str(v) for v in values[:limit])
    return shown + (f" … ({len(values) - limit} more)" if len(values) > limit else "")
