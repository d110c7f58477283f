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

Modules
    :mod:`~smartspec.data.scb.client` (:func:`query`, :func:`query_frame`),
    :mod:`~smartspec.data.scb.api` (endpoints, request bodies, HTTP errors),
    :mod:`~smartspec.data.scb.limits` (limits and the rate limiter),
    :mod:`~smartspec.data.scb.metadata` (a table's variables and values),
    :mod:`~smartspec.data.scb.selection` (expanding and splitting selections),
    :mod:`~smartspec.data.scb.parse` (JSON-stat and PxWeb json answers),
    :mod:`~smartspec.data.scb.mapping` (län → NUTS 3, SNI 2007 → NACE Rev. 2),
    :mod:`~smartspec.data.scb.build` (the activity table).

>>> split_selection({"Region": ["01", "03", "04"], "Tid": ["2020", "2021"]}, max_cells=4)
[{'Region': ['01', '03'], 'Tid': ['2020', '2021']}, {'Region': ['04'], 'Tid': ['2020', '2021']}]
>>> sni_to_nace("01110"), sni_to_nace("0111"), sni_to_nace("C"), sni_to_nace("US")
('01.11', '01.11', 'C', None)
>>> scb_region_to_nuts("06")
'SE211'
"""

from __future__ import annotations

from smartspec.data.scb.api import DEFAULT_V1_URL, DEFAULT_V2_URL
from smartspec.data.scb.api import Api as Api
from smartspec.data.scb.client import LICENCE as LICENCE
from smartspec.data.scb.client import query, query_frame
from smartspec.data.scb.limits import DOCUMENTED_LIMITS, ScbLimits, get_limits
from smartspec.data.scb.mapping import scb_region_to_nuts, sni_to_nace
from smartspec.data.scb.metadata import TableMetadata, Variable, get_metadata
from smartspec.data.scb.parse import parse_pxweb_json
from smartspec.data.scb.selection import (
    Selection,
    count_cells,
    expand_selection,
    split_selection,
)

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
