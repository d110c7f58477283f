"""SCB's limits: cells per query and calls per time window, and the rate limiter.

The limits are read from the API's configuration endpoint (v2 ``/config``, v1
``?config``); where it does not answer, or reports 0, SCB's documented values are
used (:data:`DOCUMENTED_LIMITS`). One :class:`~smartspec.data.http.RateLimiter` per
base URL is shared by every query in the process.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from smartspec.data.http import (
    HttpClient,
    HTTPStatusError,
    NetworkError,
    OfflineError,
    RateLimiter,
)
from smartspec.data.scb.api import Api, _base


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


def _limiter(base: str, limits: ScbLimits, http: HttpClient) -> RateLimiter:
    """One rate limiter per API (base URL), shared by every query in this process."""
    if http.rate_limiter is None:
        if base not in _LIMITERS:
            _LIMITERS[base] = RateLimiter(limits.max_calls, limits.time_window)
        http.rate_limiter = _LIMITERS[base]
    return http.rate_limiter
