"""Eurostat's asynchronous extractions: recognise the notice, poll, download.

For a large request Eurostat's SDMX API does not answer with the data but with a notice
that the extraction was queued, carrying a unique key. The client then asks the status
endpoint at intervals until the data are ``AVAILABLE`` and downloads them from the data
endpoint. :func:`resolve` does all of this for the data clients: it returns the data as
if Eurostat had answered at once, and keeps them in the cache under the original request,
so the next identical request is answered from the cache like any other.

Sources (followed here; nothing is quoted at length)
    * Eurostat, *API - Detailed guidelines - Asynchronous API*
      (``ec.europa.eu/eurostat/web/user-guides/data-browser/api-data-access/
      api-detailed-guidelines/asynchronous-api``, also on ``wikis.ec.europa.eu``,
      EUROSTATHELP): the three steps (initial request answered with a key; status
      requests "at regular interval"; data request once available); the initial answer,
      a SOAP envelope ``syncResponse`` with ``queued/id`` and ``queued/status``
      (``SUBMITTED``); that an identical request is answered from Eurostat's internal
      cache once prepared; ``EXTRACTION_TOO_BIG`` (HTTP 413) for what is too large even
      for an asynchronous extraction.
    * Eurostat's OpenAPI description *Eurostat SDMX RESTful Async API* 1.0, read in the
      public copy ``api-evangelist/eurostat`` (``openapi/eurostat-async-api-openapi.yml``):
      ``GET {base}/1.0/async/status/{key}`` and ``GET {base}/1.0/async/data/{key}``; the
      statuses ``SUBMITTED``, ``PROCESSING``, ``AVAILABLE``, ``EXPIRED``; the status
      envelope ``asyncResponse/status/{key,status}``; the faults (HTTP 400)
      ``UNKNOWN_REQUEST`` and ``DATA_NOT_YET_AVAILABLE``.

Assumed (not in the pages above)
    * a status other than the four documented ones (e.g. ``FAILED``, ``ERROR``) means the
      extraction failed; ``UNKNOWN_REQUEST`` may also come as a status text;
    * the data endpoint answers in the format and compression of the initial request;
    * the key is valid for some time after ``AVAILABLE`` (the documentation gives no
      duration); the initial answer may be gzip-compressed when ``compressed=true`` was
      asked for;
    * an earlier page version nests ``queued`` in ``dataResponse``: both layouts are read.

Waiting is bounded: the first pause is ``poll_interval`` seconds, each next one
``backoff`` times longer up to ``max_poll_interval``, and the whole wait at most
``timeout`` seconds (:class:`AsyncOptions`; its clock and sleep are injectable). Every
pause is logged (logger ``smartspec.data.eurostat_async``, level INFO) and reported to
``on_progress`` if given.

>>> notice = parse_async_notice(
...     b'<env:Envelope xmlns:env="http://schemas.xmlsoap.org/soap/envelope/"><env:Body>'
...     b'<ns0:syncResponse xmlns:ns0="http://estat.ec.europa.eu/disschain/soap/extraction">'
...     b"<queued><id>0f164c29-0e96-4757-9b81-e9fcff8b9899</id><status>SUBMITTED</status>"
...     b"</queued></ns0:syncResponse></env:Body></env:Envelope>"
... )
>>> notice.key, notice.status
('0f164c29-0e96-4757-9b81-e9fcff8b9899', 'SUBMITTED')
>>> async_status_url("https://ec.europa.eu/eurostat/api/dissemination", notice.key)
'https://ec.europa.eu/eurostat/api/dissemination/1.0/async/status/0f164c29-0e96-4757-9b81-e9fcff8b9899'
"""

from __future__ import annotations

import gzip
import logging
import time
import xml.etree.ElementTree as ET
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from smartspec.data.http import DiskCache, HttpClient, HTTPStatusError, OfflineError, Response
from smartspec.errors import InputError, SmartspecError

__all__ = [
    "ASYNC_KEY_HEADER",
    "AsyncExpiredError",
    "AsyncFailedError",
    "AsyncNotice",
    "AsyncOptions",
    "AsyncProgress",
    "AsyncTimeoutError",
    "EurostatAsyncError",
    "async_data_url",
    "async_status_url",
    "parse_async_notice",
    "resolve",
]

log = logging.getLogger(__name__)

WAITING = ("SUBMITTED", "PROCESSING")
"""Documented statuses of an extraction that is not ready yet."""
AVAILABLE = "AVAILABLE"
EXPIRED = "EXPIRED"
UNKNOWN = "UNKNOWN_REQUEST"
NOT_YET = "DATA_NOT_YET_AVAILABLE"

ASYNC_KEY_HEADER = "x-smartspec-eurostat-async-key"
"""Kept with a cached answer that came through an asynchronous extraction (its key)."""

_ADVICE_LESS = "ask for less (filters such as geo, time, nace_r2 or geoLevel)"


# --------------------------------------------------------------------------- options
@dataclass(frozen=True)
class AsyncProgress:
    """Where an asynchronous extraction stands, reported while waiting.

    Attributes
    ----------
    dataset, key:
        The Eurostat dataset code and the extraction's key.
    status:
        Eurostat's last status (``SUBMITTED``, ``PROCESSING``…).
    elapsed:
        Seconds since the notice arrived.
    polls:
        Status requests made so far.
    next_check:
        Seconds until the next status request.
    """

    dataset: str
    key: str
    status: str
    elapsed: float
    polls: int
    next_check: float

    def message(self) -> str:
        """One line for people, e.g. for a log or a status bar."""
        return (
            f"Eurostat is preparing dataset {self.dataset!r} asynchronously (key {self.key}): "
            f"{self.status} after {self.elapsed:.0f} s; next check in {self.next_check:.0f} s"
        )


@dataclass(frozen=True)
class AsyncOptions:
    """How long and how often to wait for an asynchronous extraction.

    Parameters
    ----------
    timeout:
        Give up after this many seconds of waiting (default 10 minutes; Eurostat says
        a whole dataset may take several minutes).
    poll_interval:
        The first pause before asking for the status, in seconds.
    max_poll_interval:
        The longest pause.
    backoff:
        Each pause is this many times the previous one (at most ``max_poll_interval``).
    on_progress:
        Called with an :class:`AsyncProgress` before every pause (a log line at INFO
        level is written in any case).
    clock, sleep:
        Monotonic time in seconds and the sleep function (injectable for tests).

    Examples
    --------
    >>> AsyncOptions(poll_interval=2, backoff=2, max_poll_interval=5).pauses(5)
    [2.0, 4.0, 5.0, 5.0, 5.0]
    """

    timeout: float = 600.0
    poll_interval: float = 2.0
    max_poll_interval: float = 30.0
    backoff: float = 1.5
    on_progress: Callable[[AsyncProgress], None] | None = None
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep

    def __post_init__(self) -> None:
        if not self.timeout > 0:
            raise InputError(
                f"AsyncOptions(timeout={self.timeout!r}) must be positive",
                hint="give the longest wait in seconds, e.g. timeout=600",
            )
        if not self.poll_interval > 0:
            raise InputError(
                f"AsyncOptions(poll_interval={self.poll_interval!r}) must be positive",
                hint="give the first pause in seconds, e.g. poll_interval=2",
            )
        if not self.max_poll_interval >= self.poll_interval:
            raise InputError(
                f"AsyncOptions(max_poll_interval={self.max_poll_interval!r}) is shorter "
                f"than poll_interval={self.poll_interval!r}",
                hint="max_poll_interval is the longest pause; make it at least poll_interval",
            )
        if not self.backoff >= 1:
            raise InputError(
                f"AsyncOptions(backoff={self.backoff!r}) would shorten the pauses",
                hint="use 1 (constant pauses) or more, e.g. backoff=1.5",
            )

    def pause(self, n: int) -> float:
        """The *n*-th pause (0-based), in seconds."""
        return float(min(self.poll_interval * self.backoff**n, self.max_poll_interval))

    def pauses(self, n: int) -> list[float]:
        """The first *n* pauses."""
        return [self.pause(i) for i in range(n)]


# --------------------------------------------------------------------------- errors
class EurostatAsyncError(SmartspecError):
    """An asynchronous extraction that did not deliver its data.

    Attributes
    ----------
    dataset, key, status:
        The dataset code, the extraction's key and Eurostat's last status.
    status_url:
        Where the status can be checked.
    """

    def __init__(
        self, message: str, *, dataset: str, key: str, status: str, status_url: str, hint: str
    ) -> None:
        self.dataset = dataset
        self.key = key
        self.status = status
        self.status_url = status_url
        self.hint = hint
        super().__init__(f"{message} [status: {status_url}]; {hint}")


class AsyncTimeoutError(EurostatAsyncError, TimeoutError):
    """Eurostat did not finish the extraction within :attr:`AsyncOptions.timeout`."""


class AsyncExpiredError(EurostatAsyncError):
    """Eurostat no longer keeps the extraction (``EXPIRED``) or does not know its key."""


class AsyncFailedError(EurostatAsyncError):
    """Eurostat reports that the extraction failed (a status it does not document)."""


# --------------------------------------------------------------------------- protocol
@dataclass(frozen=True)
class AsyncNotice:
    """Eurostat's answer about an asynchronous extraction: its key and status."""

    key: str
    status: str


def async_status_url(base_url: str, key: str) -> str:
    """The status endpoint of extraction *key* (``{base}/1.0/async/status/{key}``)."""
    return f"{base_url.rstrip('/')}/1.0/async/status/{key}"


def async_data_url(base_url: str, key: str) -> str:
    """The data endpoint of extraction *key* (``{base}/1.0/async/data/{key}``)."""
    return f"{base_url.rstrip('/')}/1.0/async/data/{key}"


def parse_async_notice(content: bytes) -> AsyncNotice | None:
    """The key and status if *content* is Eurostat's asynchronous notice, else ``None``.

    Reads the initial answer (``syncResponse/queued/{id,status}``, also inside
    ``dataResponse``) and the status answer (``asyncResponse/status/{key,status}``);
    namespaces are ignored. Data (JSON, CSV, TSV, gzip of them) give ``None`` quickly.
    """
    root = _envelope(content)
    if root is None:
        return None
    for element in root.iter():
        children = {_local(c.tag): (c.text or "").strip() for c in element}
        key = children.get("id") or children.get("key")
        status = children.get("status")
        if key and status:
            return AsyncNotice(key=key, status=status.upper())
    return None


def parse_fault(content: bytes) -> str | None:
    """The ``faultstring`` of a SOAP fault in *content* (e.g. ``UNKNOWN_REQUEST: …``)."""
    root = _envelope(content, marker=b"Fault")
    if root is None:
        return None
    for element in root.iter():
        if _local(element.tag) == "faultstring" and element.text:
            return element.text.strip()
    return None


def resolve(
    http: HttpClient,
    response: Response,
    *,
    base_url: str,
    dataset: str,
    what: str,
    options: AsyncOptions | None = None,
) -> Response:
    """*response* itself if it holds data; else the data of the extraction it announces.

    The data come back as a :class:`~smartspec.data.http.Response` for the original
    request (its URL, the key in the header :data:`ASYNC_KEY_HEADER`) and are written to
    the cache under that request. A notice found in the cache (a wait that was
    interrupted or timed out) is resumed with its key; if Eurostat no longer knows the
    key, the request is sent again.

    Raises
    ------
    AsyncTimeoutError, AsyncExpiredError, AsyncFailedError
        See the classes.
    OfflineError
        Offline, and only the notice (not the data) is in the cache.
    """
    notice = parse_async_notice(response.content)
    if notice is None:
        return response
    options = options or AsyncOptions()
    if response.from_cache:
        if http.is_offline:
            raise OfflineError(
                f"{what} (only Eurostat's notice that it is preparing the data "
                f"asynchronously, key {notice.key}, is cached — not the data)",
                response.url,
                http.cache_root / http.namespace,
            )
        log.info("resuming Eurostat's asynchronous extraction %s for %s", notice.key, what)
        try:
            data = _wait_and_download(http, notice, base_url, dataset, what, options)
        except AsyncExpiredError:
            response = http.request("GET", response.url, what=what, refresh=True)
            notice = parse_async_notice(response.content)
            if notice is None:
                return response
            data = _wait_and_download(http, notice, base_url, dataset, what, options)
    else:
        data = _wait_and_download(http, notice, base_url, dataset, what, options)
    final = Response(
        method=response.method,
        url=response.url,
        status=data.status,
        headers={**data.headers, ASYNC_KEY_HEADER: notice.key},
        content=data.content,
        retrieved=data.retrieved,
        from_cache=False,
    )
    if http.use_cache:
        store = DiskCache(http.cache_root)
        store.put(http.namespace, DiskCache.key(final.method, final.url, None), final, None)
    return final


# --------------------------------------------------------------------------- waiting
def _wait_and_download(
    http: HttpClient,
    notice: AsyncNotice,
    base_url: str,
    dataset: str,
    what: str,
    options: AsyncOptions,
) -> Response:
    key = notice.key
    status_url = async_status_url(base_url, key)
    context: dict[str, Any] = {"dataset": dataset, "key": key, "status_url": status_url}
    start = options.clock()
    status = notice.status
    polls = 0
    while True:
        _check_status(status, what, context)
        if status == AVAILABLE:
            data = _download(http, async_data_url(base_url, key), what, context)
            if data is not None:
                log.info("Eurostat's asynchronous extraction %s is downloaded (%s)", key, what)
                return data
            status = "PROCESSING"  # the data endpoint says: not yet
        elapsed = options.clock() - start
        if elapsed >= options.timeout:
            raise AsyncTimeoutError(
                f"Eurostat has not finished preparing {what} after {elapsed:.0f} s "
                f"(asynchronous extraction {key}, last status {status})",
                status=status,
                hint="call fetch again later — Eurostat keeps a prepared extraction and the "
                "waiting resumes with this key — or wait longer with "
                f"async_options=AsyncOptions(timeout=...) (now {options.timeout:g} s), "
                f"or {_ADVICE_LESS}",
                **context,
            )
        pause = min(options.pause(polls), options.timeout - elapsed)
        progress = AsyncProgress(dataset, key, status, elapsed, polls, pause)
        log.info(progress.message())
        if options.on_progress is not None:
            options.on_progress(progress)
        options.sleep(pause)
        status = _poll(http, status_url, what, context)
        polls += 1


def _check_status(status: str, what: str, context: dict[str, Any]) -> None:
    if status in WAITING or status == AVAILABLE:
        return
    key = context["key"]
    if status == EXPIRED:
        raise AsyncExpiredError(
            f"Eurostat's asynchronous extraction {key} of {what} has expired: the data "
            "were prepared but are no longer kept",
            status=status,
            hint="call fetch again: Eurostat then prepares the data anew",
            **context,
        )
    if status == UNKNOWN:
        raise _unknown_key(what, context, status)
    raise AsyncFailedError(
        f"Eurostat reports status {status!r} for the asynchronous extraction {key} of "
        f"{what}: the extraction failed (Eurostat documents only SUBMITTED, PROCESSING, "
        "AVAILABLE and EXPIRED)",
        status=status,
        hint=f"try again later; if it keeps failing, {_ADVICE_LESS}, or use format='tsv'",
        **context,
    )


def _unknown_key(what: str, context: dict[str, Any], status: str) -> AsyncExpiredError:
    return AsyncExpiredError(
        f"Eurostat does not know the asynchronous extraction key {context['key']} of "
        f"{what} (UNKNOWN_REQUEST): the key is wrong or Eurostat has dropped it",
        status=status,
        hint="call fetch again: the request is then sent anew and gets a new key",
        **context,
    )


def _poll(http: HttpClient, status_url: str, what: str, context: dict[str, Any]) -> str:
    """Eurostat's current status of the extraction."""
    asking = f"the status of Eurostat's asynchronous extraction {context['key']} ({what})"
    try:
        answer = http.request("GET", status_url, what=asking, cache=False)
    except HTTPStatusError as err:
        fault = _fault_of(err)
        if NOT_YET in fault:
            return "PROCESSING"
        if UNKNOWN in fault or err.status == 404:
            raise _unknown_key(what, context, UNKNOWN) from None
        raise
    notice = parse_async_notice(answer.content)
    if notice is not None:
        return notice.status
    fault = parse_fault(answer.content) or ""
    if UNKNOWN in fault:
        raise _unknown_key(what, context, UNKNOWN)
    if NOT_YET in fault:
        return "PROCESSING"
    start = answer.content[:80].decode("utf-8", errors="replace").strip()
    raise AsyncFailedError(
        f"Eurostat's status answer for the asynchronous extraction {context['key']} of "
        f"{what} is not understood ({fault or f'it starts {start!r}'})",
        status="?",
        hint="try again later; if it persists, Eurostat's asynchronous API may have changed",
        **context,
    )


def _download(
    http: HttpClient, data_url: str, what: str, context: dict[str, Any]
) -> Response | None:
    """The extraction's data, or ``None`` if Eurostat says they are not ready yet."""
    asking = f"the data of Eurostat's asynchronous extraction {context['key']} ({what})"
    try:
        answer = http.request("GET", data_url, what=asking, cache=False)
    except HTTPStatusError as err:
        fault = _fault_of(err)
        if NOT_YET in fault:
            return None
        if UNKNOWN in fault or err.status == 404:
            raise _unknown_key(what, context, UNKNOWN) from None
        raise
    if parse_async_notice(answer.content) is not None:
        return None
    problem = parse_fault(answer.content)
    if problem is not None:
        if NOT_YET in problem:
            return None
        if UNKNOWN in problem:
            raise _unknown_key(what, context, UNKNOWN)
        raise AsyncFailedError(
            f"Eurostat answered the download of the asynchronous extraction "
            f"{context['key']} of {what} with a fault: {problem}",
            status=AVAILABLE,
            hint=f"try again later; if it keeps failing, {_ADVICE_LESS}",
            **context,
        )
    return answer


def _fault_of(err: HTTPStatusError) -> str:
    return err.detail or parse_fault(err.body) or ""


# --------------------------------------------------------------------------- XML
def _envelope(content: bytes, marker: bytes = b"Envelope") -> ET.Element | None:
    """The XML root if *content* (possibly gzip) looks like a SOAP message, else None.

    Only the first few kilobytes are looked at (and unzipped) before deciding, so a large
    data answer costs nothing here.
    """
    gzipped = content[:2] == b"\x1f\x8b"
    try:
        head = (
            zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(content, 4096)
            if gzipped
            else content[:4096]
        )
    except zlib.error:
        return None
    head = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not head.startswith(b"<") or (marker not in head and b"Envelope" not in head):
        return None
    try:
        return ET.fromstring(gzip.decompress(content) if gzipped else content)
    except (ET.ParseError, OSError, EOFError):
        return None


def _local(tag: object) -> str:
    return str(tag).rsplit("}", 1)[-1]
