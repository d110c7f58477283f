"""The HTTP client the data clients share: disk cache, offline mode, retries, rate limits.

Every response that the Eurostat and SCB clients receive with a 2xx status is kept in
the data directory (``smartspec.config.data_dir().cache``), keyed by method, URL and
request body. A repeated call is answered from the cache without touching the network,
so an analysis that ran once runs again offline and gives the same numbers.

* **Offline mode** — ``offline=True`` or the environment variable ``SMARTSPEC_OFFLINE=1``:
  only the cache answers; a request that is not in it raises :class:`OfflineError`, which
  names the URL and says how to fetch it.
* **Retries** — connection failures, time-outs and the statuses 429, 500, 502, 503 and
  504 are retried with exponential back-off (``Retry-After`` is honoured); then
  :class:`NetworkError` or :class:`HTTPStatusError` is raised.
* **Rate limits** — a :class:`RateLimiter` (at most *n* calls in any window of *t*
  seconds) is consulted before each call that goes to the network. Its clock and its
  sleep function are injectable, so tests do not have to wait.

>>> limiter = RateLimiter(2, 10.0, clock=lambda: 0.0, sleep=lambda s: None)
>>> [limiter.acquire() for _ in range(2)]
[0.0, 0.0]
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

import httpx

from smartspec.config import data_dir
from smartspec.errors import SmartspecError

__all__ = [
    "ENV_OFFLINE",
    "HTTPStatusError",
    "HttpClient",
    "NetworkError",
    "OfflineError",
    "RateLimiter",
    "RequestTooLargeError",
    "Response",
    "is_offline",
]

ENV_OFFLINE = "SMARTSPEC_OFFLINE"
"""Environment variable: ``1`` (or ``true``/``yes``) serves every request from the cache."""

USER_AGENT = "smartspec (+https://example.invalid/smartspec)"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
_KEPT_HEADERS = ("content-type", "last-modified", "date", "etag", "content-encoding")
_MAX_RETRY_AFTER = 120.0

Params = Mapping[str, str | int | Sequence[str | int]]


# --------------------------------------------------------------------------- errors
class OfflineError(SmartspecError):
    """A request in offline mode that the cache cannot answer.

    Attributes
    ----------
    url:
        The URL that is not in the cache.
    what:
        What was requested, for people (e.g. ``"Eurostat dataset 'nama_10r_2gdp'"``).
    """

    def __init__(self, what: str, url: str, cache_dir: Path) -> None:
        self.what = what
        self.url = url
        self.cache_dir = cache_dir
        super().__init__(
            f"{what} is not in the cache, and smartspec is offline (URL: {url}); "
            f"fetch it once with a network connection: call again without offline=True and "
            f"with {ENV_OFFLINE} unset; it is then kept in {cache_dir}"
        )


class NetworkError(SmartspecError, ConnectionError):
    """The server could not be reached (after the retries)."""

    def __init__(self, what: str, url: str, reason: str, attempts: int) -> None:
        self.what = what
        self.url = url
        self.reason = reason
        host = httpx.URL(url).host
        super().__init__(
            f"cannot reach {host} for {what} after {attempts} attempt"
            f"{'s' if attempts != 1 else ''} ({reason}); check the network connection or "
            f"proxy, or work from the cache with offline=True"
        )


class HTTPStatusError(SmartspecError):
    """The server answered with an error status.

    Attributes
    ----------
    status:
        The HTTP status code.
    url:
        The requested URL.
    detail:
        The server's own message, if it gave one.
    body:
        The raw response body (bytes).
    """

    def __init__(
        self,
        what: str,
        url: str,
        status: int,
        detail: str | None = None,
        body: bytes = b"",
        *,
        hint: str | None = None,
    ) -> None:
        self.what = what
        self.url = url
        self.status = status
        self.detail = detail
        self.body = body
        self.hint = hint
        reason = _REASONS.get(status, "error")
        text = f"{what}: the server answered HTTP {status} ({reason})"
        if detail:
            text += f": {detail}"
        text += f" [{url}]"
        if hint:
            text += f"; {hint}"
        super().__init__(text)


class RequestTooLargeError(HTTPStatusError):
    """The request asks for more data than the server gives in one answer."""


_REASONS = {
    400: "bad request",
    401: "unauthorised",
    403: "forbidden",
    404: "not found",
    406: "not acceptable",
    413: "request too large",
    429: "too many requests",
    500: "server error",
    502: "bad gateway",
    503: "service unavailable",
    504: "gateway time-out",
}


def is_offline(offline: bool | None = None) -> bool:
    """Whether to work from the cache only: *offline* if given, else ``SMARTSPEC_OFFLINE``.

    >>> is_offline(True), is_offline(False)
    (True, False)
    """
    if offline is not None:
        return bool(offline)
    return os.environ.get(ENV_OFFLINE, "").strip().lower() in {"1", "true", "yes", "on"}


# --------------------------------------------------------------------------- responses
@dataclass(frozen=True)
class Response:
    """A response, fresh from the network or from the cache.

    Attributes
    ----------
    method, url:
        The request (``url`` includes the query string).
    status:
        HTTP status (always 2xx for responses the client returns).
    headers:
        A few headers, lower-case names: content-type, last-modified, date, etag.
    content:
        The body.
    retrieved:
        When the body was received from the server (UTC), also for cached responses.
    from_cache:
        Whether this came from the disk cache.
    """

    method: str
    url: str
    status: int
    headers: dict[str, str]
    content: bytes
    retrieved: datetime
    from_cache: bool = False

    @property
    def text(self) -> str:
        """The body decoded as UTF-8 (a byte-order mark is dropped)."""
        return self.content.decode("utf-8-sig", errors="replace")

    def json(self) -> Any:
        """The body parsed as JSON."""
        return json.loads(self.text)

    @property
    def last_modified(self) -> datetime | None:
        """The ``Last-Modified`` header as a datetime, if the server sent one."""
        raw = self.headers.get("last-modified")
        if not raw:
            return None
        try:
            return parsedate_to_datetime(raw)
        except (TypeError, ValueError):
            return None


# --------------------------------------------------------------------------- rate limits
class RateLimiter:
    """At most *max_calls* calls in any window of *period* seconds (a sliding window).

    :meth:`acquire` records a call, first sleeping as long as needed so that the window
    is respected. *clock* (seconds, monotonic) and *sleep* are injectable for tests.

    Parameters
    ----------
    max_calls:
        Calls allowed per window; ``0`` or less switches the limiter off.
    period:
        Window length in seconds.
    clock, sleep:
        Time source and sleep function (default :func:`time.monotonic`,
        :func:`time.sleep`).

    Examples
    --------
    >>> now = [0.0]
    >>> waits = []
    >>> def sleep(s):
    ...     waits.append(s)
    ...     now[0] += s
    >>> limiter = RateLimiter(2, 10.0, clock=lambda: now[0], sleep=sleep)
    >>> [limiter.acquire() for _ in range(3)]
    [0.0, 0.0, 10.0]
    >>> waits
    [10.0]
    """

    def __init__(
        self,
        max_calls: int,
        period: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.max_calls = int(max_calls)
        self.period = float(period)
        self.clock = clock
        self.sleep = sleep
        self._calls: deque[float] = deque()
        self.total_wait = 0.0

    def configure(self, max_calls: int, period: float) -> None:
        """Change the limits (e.g. after reading them from a server's configuration)."""
        self.max_calls = int(max_calls)
        self.period = float(period)

    def acquire(self) -> float:
        """Record a call, waiting first if the window is full; return the seconds waited."""
        if self.max_calls <= 0 or self.period <= 0:
            return 0.0
        waited = 0.0
        while True:
            now = self.clock()
            while self._calls and now - self._calls[0] >= self.period:
                self._calls.popleft()
            if len(self._calls) < self.max_calls:
                self._calls.append(now)
                self.total_wait += waited
                return waited
            delay = self._calls[0] + self.period - now
            if delay <= 0:  # pragma: no cover - a clock that goes backwards
                self._calls.popleft()
                continue
            self.sleep(delay)
            waited += delay


# --------------------------------------------------------------------------- cache
@dataclass
class DiskCache:
    """Responses on disk: ``<root>/<namespace>/<key[:2]>/<key>.body`` and ``.json``."""

    root: Path

    @staticmethod
    def key(method: str, url: str, body: bytes | None) -> str:
        digest = hashlib.sha256()
        digest.update(method.upper().encode())
        digest.update(b"\n")
        digest.update(url.encode())
        digest.update(b"\n")
        digest.update(body or b"")
        return digest.hexdigest()

    def _paths(self, namespace: str, key: str) -> tuple[Path, Path]:
        folder = self.root / namespace / key[:2]
        return folder / f"{key}.body", folder / f"{key}.json"

    def get(self, namespace: str, key: str) -> Response | None:
        body_path, meta_path = self._paths(namespace, key)
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            content = body_path.read_bytes()
        except (OSError, ValueError):
            return None
        return Response(
            method=meta["method"],
            url=meta["url"],
            status=int(meta["status"]),
            headers=dict(meta.get("headers", {})),
            content=content,
            retrieved=datetime.fromisoformat(meta["retrieved"]),
            from_cache=True,
        )

    def put(self, namespace: str, key: str, response: Response, body: bytes | None) -> None:
        body_path, meta_path = self._paths(namespace, key)
        body_path.parent.mkdir(parents=True, exist_ok=True)
        meta = {
            "method": response.method,
            "url": response.url,
            "request_body": body.decode("utf-8", errors="replace") if body else None,
            "status": response.status,
            "headers": response.headers,
            "retrieved": response.retrieved.isoformat(),
        }
        # write the body first and the metadata last: a half-written entry is a miss
        tmp = body_path.with_suffix(".tmp")
        tmp.write_bytes(response.content)
        tmp.replace(body_path)
        tmp = meta_path.with_suffix(".tmp")
        tmp.write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
        tmp.replace(meta_path)


# --------------------------------------------------------------------------- client
@dataclass
class HttpClient:
    """An HTTP client with a disk cache, offline mode, retries and a rate limiter.

    Parameters
    ----------
    namespace:
        Sub-folder of the cache (``"eurostat"``, ``"scb"``).
    cache_dir:
        Folder of the cache; default ``data_dir().cache`` (resolved when first used);
        ``None`` there too means the default.
    use_cache:
        ``False`` neither reads nor writes the cache (offline mode then always fails).
    offline:
        Serve only from the cache; default from ``SMARTSPEC_OFFLINE``.
    timeout:
        Seconds per request.
    retries:
        Attempts after the first one, for retryable failures.
    backoff:
        First back-off delay in seconds (doubled per attempt).
    rate_limiter:
        Consulted before every request that goes to the network.
    sleep:
        The sleep function for back-off (injectable for tests).
    transport:
        An ``httpx`` transport (tests may pass one; normally ``None``).

    Examples
    --------
    >>> client = HttpClient("demo", use_cache=False, offline=True)
    >>> try:
    ...     client.get("http://127.0.0.1:9/x", what="a test document")
    ... except OfflineError as err:
    ...     print(err.url)
    http://127.0.0.1:9/x
    """

    namespace: str
    cache_dir: Path | None = None
    use_cache: bool = True
    offline: bool | None = None
    timeout: float = 120.0
    retries: int = 3
    backoff: float = 1.0
    rate_limiter: RateLimiter | None = None
    sleep: Callable[[float], None] = time.sleep
    transport: httpx.BaseTransport | None = None
    user_agent: str = USER_AGENT
    network_calls: int = field(default=0, init=False)
    _client: httpx.Client | None = field(default=None, init=False, repr=False)

    # ------------------------------------------------------------------ plumbing
    @property
    def cache_root(self) -> Path:
        """The cache folder in use."""
        return self.cache_dir if self.cache_dir is not None else data_dir().cache

    @property
    def is_offline(self) -> bool:
        """Whether only the cache answers."""
        return is_offline(self.offline)

    def _http(self) -> httpx.Client:
        if self._client is None:
            self._client = httpx.Client(
                timeout=self.timeout,
                follow_redirects=True,
                transport=self.transport,
                headers={"User-Agent": self.user_agent},
            )
        return self._client

    def close(self) -> None:
        """Close the connection pool."""
        if self._client is not None:
            self._client.close()
            self._client = None

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ requests
    def get(
        self,
        url: str,
        *,
        params: Params | None = None,
        what: str,
        refresh: bool = False,
        cache: bool = True,
    ) -> Response:
        """GET *url* (with *params*); see :meth:`request`."""
        return self.request("GET", url, params=params, what=what, refresh=refresh, cache=cache)

    def post(
        self,
        url: str,
        *,
        json_body: Any,
        params: Params | None = None,
        what: str,
        refresh: bool = False,
        cache: bool = True,
    ) -> Response:
        """POST *json_body* to *url*; see :meth:`request`."""
        return self.request(
            "POST", url, params=params, json_body=json_body, what=what, refresh=refresh, cache=cache
        )

    def request(
        self,
        method: str,
        url: str,
        *,
        params: Params | None = None,
        json_body: Any = None,
        what: str,
        refresh: bool = False,
        cache: bool = True,
    ) -> Response:
        """Send a request, or answer it from the cache.

        Parameters
        ----------
        method, url, params:
            The request; list values in *params* become repeated keys.
        json_body:
            A JSON body (POST); part of the cache key.
        what:
            What is requested, for error messages.
        refresh:
            Ignore a cached answer (and replace it). Not allowed offline.
        cache:
            Whether this response may be cached (and read from the cache).

        Raises
        ------
        OfflineError
            Offline and not in the cache.
        NetworkError
            The server could not be reached.
        HTTPStatusError
            The server answered with an error status.
        """
        cleaned = _clean_params(params)
        # httpx.URL(url, params=None) would drop a query string already in *url*
        full_url = str(httpx.URL(url, params=cleaned) if cleaned else httpx.URL(url))
        body = (
            None
            if json_body is None
            else json.dumps(json_body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        )
        store = DiskCache(self.cache_root)
        key = DiskCache.key(method, full_url, body)
        use_cache = self.use_cache and cache
        if use_cache and not refresh:
            hit = store.get(self.namespace, key)
            if hit is not None:
                return hit
        if self.is_offline:
            raise OfflineError(what, full_url, self.cache_root / self.namespace)
        response = self._send(method, full_url, body, what)
        if use_cache:
            store.put(self.namespace, key, response, body)
        return response

    def _send(self, method: str, url: str, body: bytes | None, what: str) -> Response:
        headers = {"Content-Type": "application/json"} if body is not None else {}
        attempt = 0
        while True:
            attempt += 1
            if self.rate_limiter is not None:
                self.rate_limiter.acquire()
            self.network_calls += 1
            try:
                raw = self._http().request(method, url, content=body, headers=headers)
            except httpx.TransportError as err:
                if attempt <= self.retries:
                    self.sleep(self._delay(attempt, None))
                    continue
                raise NetworkError(what, url, _transport_reason(err), attempt) from None
            if raw.status_code in RETRY_STATUSES and attempt <= self.retries:
                self.sleep(self._delay(attempt, raw.headers.get("retry-after")))
                continue
            if raw.status_code >= 400:
                content = raw.content
                error_type = RequestTooLargeError if raw.status_code == 413 else HTTPStatusError
                raise error_type(what, url, raw.status_code, _detail(content), content)
            return Response(
                method=method,
                url=url,
                status=raw.status_code,
                headers={k: raw.headers[k] for k in _KEPT_HEADERS if k in raw.headers},
                content=raw.content,
                retrieved=datetime.now(UTC).replace(microsecond=0),
            )

    def _delay(self, attempt: int, retry_after: str | None) -> float:
        if retry_after:
            try:
                return min(max(float(retry_after), 0.0), _MAX_RETRY_AFTER)
            except ValueError:
                pass
        return float(self.backoff * 2 ** (attempt - 1))


def _clean_params(params: Params | None) -> list[tuple[str, str]] | None:
    if not params:
        return None
    out: list[tuple[str, str]] = []
    for name, value in params.items():
        if isinstance(value, str | int):
            out.append((name, str(value)))
        else:
            out.extend((name, str(v)) for v in value)
    return out


def _transport_reason(err: httpx.TransportError) -> str:
    if isinstance(err, httpx.TimeoutException):
        return "timed out"
    text = str(err).strip()
    return f"{type(err).__name__}: {text}" if text else type(err).__name__


def _detail(content: bytes, limit: int = 300) -> str | None:
    """The server's error message: JSON ``label``/``message``/``title``, else the text."""
    text = content.decode("utf-8", errors="replace").strip()
    if not text:
        return None
    try:
        data = json.loads(text)
    except ValueError:
        data = None
    found = _find_message(data) if data is not None else None
    if found:
        return found[:limit]
    if text.startswith("<"):
        # XML or HTML: take the text of a faultstring/Text/title element if any
        m = re.search(
            r"<(?:[\w]+:)?(?:faultstring|Text|title|ErrorMessage)[^>]*>([^<]+)<", text, re.I
        )
        return m.group(1).strip()[:limit] if m else None
    first = text.splitlines()[0]
    return first[:limit]


def _find_message(data: Any) -> str | None:
    if isinstance(data, dict):
        for key in ("label", "message", "title", "detail", "error", "errorMessage"):
            value = data.get(key)
            if isinstance(value, str) and value.strip():
                return value.strip()
            if isinstance(value, dict | list):
                found = _find_message(value)
                if found:
                    return found
    elif isinstance(data, list):
        for item in data:
            found = _find_message(item)
            if found:
                return found
    return None
