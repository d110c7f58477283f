"""Eurostat's asynchronous extractions, played by a real HTTP server on 127.0.0.1.

The server answers the data request with Eurostat's notice (a key, status SUBMITTED),
then answers the status endpoint (PROCESSING… AVAILABLE, or EXPIRED, an unknown key, a
failure) and finally the data endpoint with the fixture data. The client under test
makes real requests; only its clock and sleep are replaced (by :class:`FakeTime`), so
no test waits.

The XML layouts follow Eurostat's documentation:

* the notice — "API - Detailed guidelines - Asynchronous API", step 1: a SOAP envelope
  with ``syncResponse`` (namespace ``http://estat.ec.europa.eu/disschain/soap/
  extraction``) holding ``queued/id`` and ``queued/status``;
* the status answer and the faults — Eurostat's OpenAPI description "Eurostat SDMX
  RESTful Async API" (public copy api-evangelist/eurostat): ``asyncResponse/status/
  {key,status}`` and, with HTTP 400, ``faultcode`` 100 with ``UNKNOWN_REQUEST: Unknown
  request.`` or ``DATA_NOT_YET_AVAILABLE: …``.
"""

from __future__ import annotations

import gzip
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from smartspec.data import eurostat
from smartspec.data.eurostat_async import (
    AsyncExpiredError,
    AsyncFailedError,
    AsyncOptions,
    AsyncProgress,
    AsyncTimeoutError,
    EurostatAsyncError,
    parse_async_notice,
    parse_fault,
)
from smartspec.data.http import OfflineError
from smartspec.errors import InputError, SmartspecError

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "eurostat"
GDP = "nama_10r_2gdp"
KEY = "0f164c29-0e96-4757-9b81-e9fcff8b9899"  # the example key of Eurostat's OpenAPI
FORMATS = ("jsonstat", "sdmx-csv", "tsv")


# --------------------------------------------------------------------------- documents
def notice(key: str = KEY, status: str = "SUBMITTED") -> bytes:
    """Step 1 of the Asynchronous API page: the answer to a request served asynchronously."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<env:Envelope xmlns:env="http://schemas.xmlsoap.org/soap/envelope/"><env:Header/>'
        '<env:Body><ns0:syncResponse xmlns:ns0="http://estat.ec.europa.eu/disschain/soap/'
        f'extraction"><queued><id>{key}</id><status>{status}</status></queued>'
        "</ns0:syncResponse></env:Body></env:Envelope>"
    ).encode()


def status_answer(status: str, key: str = KEY) -> bytes:
    """The OpenAPI's example answer of GET /1.0/async/status/{uuid}."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?> <S:Envelope '
        'xmlns:env="http://schemas.xmlsoap.org/soap/envelope/" '
        'xmlns:S="http://schemas.xmlsoap.org/soap/envelope/">\n  <env:Header/>\n  <S:Body>\n'
        '    <ns0:asyncResponse xmlns:ns1="http://estat.ec.europa.eu/disschain/asynchronous" '
        'xmlns:ns0="http://estat.ec.europa.eu/disschain/soap/asynchronous">\n'
        f"      <ns1:status>\n        <ns1:key>{key}</ns1:key>\n"
        f"        <ns1:status>{status}</ns1:status>\n      </ns1:status>\n"
        "    </ns0:asyncResponse>\n  </S:Body>\n</S:Envelope>"
    ).encode()


def fault(text: str) -> bytes:
    """The OpenAPI's error examples (HTTP 400): a SOAP fault with code 100."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?> <S:Envelope '
        'xmlns:env="http://schemas.xmlsoap.org/soap/envelope/" '
        'xmlns:S="http://schemas.xmlsoap.org/soap/envelope/">\n  <env:Header/>\n  <S:Body>\n'
        '    <S:Fault xmlns:S="http://schemas.xmlsoap.org/soap/envelope/">\n'
        f"      <faultcode>100</faultcode>\n      <faultstring>{text}</faultstring>\n"
        "    </S:Fault>\n  </S:Body>\n</S:Envelope>"
    ).encode()


UNKNOWN_REQUEST = fault("UNKNOWN_REQUEST: Unknown request.")
NOT_YET = fault(
    "DATA_NOT_YET_AVAILABLE: Requested data is not yet available for download. "
    "Check the status of your request."
)


# --------------------------------------------------------------------------- the play
class FakeTime:
    """A clock that only moves when the client sleeps."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


class AsyncEurostat:
    """Plays the asynchronous protocol on the fixture server for one data request.

    The first data request gets the notice (later ones fall through to the synchronous
    fixture routes); each status request gets the next of *statuses* (the last one
    repeats); a status may also be ``(http_status, body)``. The data endpoint gives the
    fixture data once the last status served was AVAILABLE, else DATA_NOT_YET_AVAILABLE.
    """

    def __init__(
        self, server: Any, reply: Any, fmt: str, statuses: list[Any], code: str = GDP
    ) -> None:
        self.server = server
        self.reply = reply
        self.statuses = list(statuses)
        self.served: list[str] = []
        self.not_yet = 0  # data requests to answer DATA_NOT_YET_AVAILABLE in any case
        path, prefix = {
            "jsonstat": (f"/statistics/1.0/data/{code}", False),
            "sdmx-csv": (f"/sdmx/2.1/data/{code}/", True),
            "tsv": (f"/sdmx/2.1/data/{code}", False),
        }[fmt]
        self.data_path = path
        self.data = {
            "jsonstat": reply.file(FIXTURES / f"{code}.jsonstat.json", "application/json"),
            "sdmx-csv": reply.file(FIXTURES / f"{code}.sdmx.csv", "text/csv"),
            "tsv": reply.file(
                FIXTURES / f"{code}.tsv.gz",
                "application/octet-stream",
                **{"Last-Modified": "Tue, 28 Feb 2017 23:00:00 GMT"},
            ),
        }[fmt]
        xml = {"Content-Type": "application/xml;charset=UTF-8"}
        server.add("GET", path, reply(200, notice(), xml), prefix=prefix, times=1)
        server.add("GET", f"/1.0/async/status/{KEY}", self._status)
        server.add("GET", f"/1.0/async/data/{KEY}", self._data)

    def _status(self, request: Any) -> Any:
        item = self.statuses.pop(0) if len(self.statuses) > 1 else self.statuses[0]
        if isinstance(item, tuple):
            self.served.append("fault")
            return self.reply(item[0], item[1], {"Content-Type": "application/xml"})
        self.served.append(item)
        return self.reply(200, status_answer(item), {"Content-Type": "application/xml"})

    def _data(self, request: Any) -> Any:
        if self.not_yet > 0 or not self.served or self.served[-1] != "AVAILABLE":
            self.not_yet = max(self.not_yet - 1, 0)
            return self.reply(400, NOT_YET, {"Content-Type": "application/xml"})
        return self.data

    def paths(self) -> list[str]:
        return [r.path for r in self.server.requests if "/datastructure/" not in r.path]


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


@pytest.fixture
def options(fake_time: FakeTime) -> Callable[..., AsyncOptions]:
    def make(**kw: Any) -> AsyncOptions:
        base: dict[str, Any] = {
            "poll_interval": 1.0,
            "backoff": 2.0,
            "max_poll_interval": 3.0,
            "clock": fake_time.clock,
            "sleep": fake_time.sleep,
        }
        return AsyncOptions(**{**base, **kw})

    return make


def _fetch(server: Any, meta: dict[str, Any], fmt: str, **kw: Any) -> Any:
    return eurostat.fetch(GDP, filters=meta["queries"][GDP], format=fmt, base_url=server.url, **kw)


# --------------------------------------------------------------------------- happy path
@pytest.mark.parametrize("fmt", FORMATS)
def test_an_asynchronous_extraction_is_polled_then_read_like_a_synchronous_answer(
    fmt: str,
    eurostat_server: Any,
    eurostat_meta: dict[str, Any],
    reply_cls: Any,
    fake_time: FakeTime,
    options: Callable[..., AsyncOptions],
    data_dir: Path,
) -> None:
    play = AsyncEurostat(eurostat_server, reply_cls, fmt, ["PROCESSING", "PROCESSING", "AVAILABLE"])
    seen: list[AsyncProgress] = []
    table = _fetch(
        eurostat_server, eurostat_meta, fmt, async_options=options(on_progress=seen.append)
    )

    # the protocol: notice, three status requests with growing pauses, the download
    status, data = f"/1.0/async/status/{KEY}", f"/1.0/async/data/{KEY}"
    assert [p for p in play.paths() if "/async/" in p] == [status, status, status, data]
    assert play.paths()[0].startswith(play.data_path)
    assert fake_time.sleeps == [1.0, 2.0, 3.0]  # poll_interval 1, backoff 2, at most 3
    assert [p.status for p in seen] == ["SUBMITTED", "PROCESSING", "PROCESSING"]
    assert [p.next_check for p in seen] == fake_time.sleeps
    assert [p.elapsed for p in seen] == [0.0, 1.0, 3.0]
    assert all(p.dataset == GDP and p.key == KEY for p in seen)

    # the same table as Eurostat's synchronous answer (the notice route is used up now)
    reference = _fetch(eurostat_server, eurostat_meta, fmt, refresh=True)
    pd.testing.assert_frame_equal(table.frame, reference.frame)
    prov, ref = table.meta.provenance, reference.meta.provenance
    for field in ("url", "updated", "format", "dataset", "filters", "dimensions"):
        assert prov[field] == ref[field], field
    assert prov["async_key"] == KEY
    assert "async_key" not in ref
    assert prov["from_cache"] is False


def test_the_result_is_cached_under_the_original_request(
    eurostat_server: Any,
    eurostat_meta: dict[str, Any],
    reply_cls: Any,
    options: Callable[..., AsyncOptions],
    data_dir: Path,
) -> None:
    AsyncEurostat(eurostat_server, reply_cls, "sdmx-csv", ["AVAILABLE"])
    first = _fetch(eurostat_server, eurostat_meta, "sdmx-csv", async_options=options())
    calls = len(eurostat_server.requests)
    again = _fetch(eurostat_server, eurostat_meta, "sdmx-csv", offline=True)
    assert len(eurostat_server.requests) == calls  # nothing asked: from the cache
    pd.testing.assert_frame_equal(first.frame, again.frame)
    assert again.meta.provenance["from_cache"] is True
    assert again.meta.provenance["async_key"] == KEY
    assert again.meta.provenance["retrieved"] == first.meta.provenance["retrieved"]
    assert again.meta.provenance["url"] == first.meta.provenance["url"]


def test_waiting_is_logged(
    eurostat_server: Any,
    eurostat_meta: dict[str, Any],
    reply_cls: Any,
    options: Callable[..., AsyncOptions],
    data_dir: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    AsyncEurostat(eurostat_server, reply_cls, "tsv", ["PROCESSING", "AVAILABLE"])
    with caplog.at_level(logging.INFO, logger="smartspec.data.eurostat_async"):
        _fetch(eurostat_server, eurostat_meta, "tsv", async_options=options())
    lines = [r.getMessage() for r in caplog.records]
    assert (
        f"Eurostat is preparing dataset {GDP!r} asynchronously (key {KEY}): SUBMITTED after "
        "0 s; next check in 1 s" in lines
    )
    assert any("PROCESSING after 1 s; next check in 2 s" in line for line in lines)
    assert any("is downloaded" in line for line in lines)


def test_data_not_yet_available_at_download_means_wait_again(
    eurostat_server: Any,
    eurostat_meta: dict[str, Any],
    reply_cls: Any,
    fake_time: FakeTime,
    options: Callable[..., AsyncOptions],
    data_dir: Path,
) -> None:
    play = AsyncEurostat(eurostat_server, reply_cls, "sdmx-csv", ["AVAILABLE"])
    play.not_yet = 1  # the first download says DATA_NOT_YET_AVAILABLE (HTTP 400)
    table = _fetch(eurostat_server, eurostat_meta, "sdmx-csv", async_options=options())
    status, data = f"/1.0/async/status/{KEY}", f"/1.0/async/data/{KEY}"
    assert [p for p in play.paths() if "/async/" in p] == [status, data, status, data]
    assert fake_time.sleeps == [1.0, 2.0]
    assert table.meta.provenance["async_key"] == KEY


# --------------------------------------------------------------------------- unhappy paths
def test_a_wait_longer_than_the_timeout_is_a_clear_error(
    eurostat_server: Any,
    eurostat_meta: dict[str, Any],
    reply_cls: Any,
    fake_time: FakeTime,
    options: Callable[..., AsyncOptions],
    data_dir: Path,
) -> None:
    AsyncEurostat(eurostat_server, reply_cls, "sdmx-csv", ["PROCESSING"])
    opts = options(timeout=10.0, poll_interval=2.0, backoff=2.0, max_poll_interval=8.0)
    with pytest.raises(AsyncTimeoutError) as err:
        _fetch(eurostat_server, eurostat_meta, "sdmx-csv", async_options=opts)
    assert fake_time.sleeps == [2.0, 4.0, 4.0]  # the last pause cut to the timeout
    text = str(err.value)
    assert f"Eurostat has not finished preparing Eurostat dataset {GDP!r} after 10 s" in text
    assert f"asynchronous extraction {KEY}, last status PROCESSING" in text
    assert f"/1.0/async/status/{KEY}" in text
    assert "call fetch again later" in text
    assert "AsyncOptions(timeout=...) (now 10 s)" in text
    assert "geoLevel" in text
    assert (err.value.dataset, err.value.key, err.value.status) == (GDP, KEY, "PROCESSING")
    assert isinstance(err.value, TimeoutError)
    assert isinstance(err.value, EurostatAsyncError)
    assert isinstance(err.value, SmartspecError)


def test_after_a_timeout_the_next_call_resumes_the_same_extraction(
    eurostat_server: Any,
    eurostat_meta: dict[str, Any],
    reply_cls: Any,
    options: Callable[..., AsyncOptions],
    data_dir: Path,
) -> None:
    play = AsyncEurostat(eurostat_server, reply_cls, "sdmx-csv", ["PROCESSING"])
    with pytest.raises(AsyncTimeoutError):
        _fetch(eurostat_server, eurostat_meta, "sdmx-csv", async_options=options(timeout=2.0))
    asked = sum(p.startswith(play.data_path) for p in play.paths())
    play.statuses = ["AVAILABLE"]
    table = _fetch(eurostat_server, eurostat_meta, "sdmx-csv", async_options=options())
    # no new data request: the cached notice's key is polled and downloaded
    assert sum(p.startswith(play.data_path) for p in play.paths()) == asked == 1
    assert play.paths()[-1] == f"/1.0/async/data/{KEY}"
    assert table.meta.provenance["async_key"] == KEY
    # and the data replace the notice in the cache
    again = _fetch(eurostat_server, eurostat_meta, "sdmx-csv", offline=True)
    pd.testing.assert_frame_equal(table.frame, again.frame)


def test_a_resumed_key_that_eurostat_forgot_is_asked_again(
    eurostat_server: Any,
    eurostat_meta: dict[str, Any],
    reply_cls: Any,
    options: Callable[..., AsyncOptions],
    data_dir: Path,
) -> None:
    play = AsyncEurostat(eurostat_server, reply_cls, "sdmx-csv", ["PROCESSING"])
    with pytest.raises(AsyncTimeoutError):
        _fetch(eurostat_server, eurostat_meta, "sdmx-csv", async_options=options(timeout=2.0))
    play.statuses = [(400, UNKNOWN_REQUEST)]
    table = _fetch(eurostat_server, eurostat_meta, "sdmx-csv", async_options=options())
    # the request is sent again; Eurostat answers it at once this time
    assert sum(p.startswith(play.data_path) for p in play.paths()) == 2
    assert "async_key" not in table.meta.provenance
    assert table.meta.provenance["from_cache"] is False


def test_offline_after_an_unfinished_extraction_says_what_is_missing(
    eurostat_server: Any,
    eurostat_meta: dict[str, Any],
    reply_cls: Any,
    options: Callable[..., AsyncOptions],
    data_dir: Path,
) -> None:
    AsyncEurostat(eurostat_server, reply_cls, "sdmx-csv", ["PROCESSING"])
    with pytest.raises(AsyncTimeoutError):
        _fetch(eurostat_server, eurostat_meta, "sdmx-csv", async_options=options(timeout=1.0))
    calls = len(eurostat_server.requests)
    with pytest.raises(OfflineError) as err:
        _fetch(eurostat_server, eurostat_meta, "sdmx-csv", offline=True)
    assert len(eurostat_server.requests) == calls
    text = str(err.value)
    assert f"Eurostat dataset {GDP!r}" in text
    assert f"only Eurostat's notice that it is preparing the data asynchronously, key {KEY}" in text
    assert "not the data" in text
    assert f"/sdmx/2.1/data/{GDP}/.MIO_EUR.SE+SE1+" in text  # the request that is missing
    assert "without offline=True" in text


def test_offline_without_anything_cached_asks_nothing(
    eurostat_server: Any, eurostat_meta: dict[str, Any], reply_cls: Any, data_dir: Path
) -> None:
    AsyncEurostat(eurostat_server, reply_cls, "tsv", ["AVAILABLE"])
    with pytest.raises(OfflineError, match="is not in the cache, and smartspec is offline"):
        _fetch(eurostat_server, eurostat_meta, "tsv", offline=True)
    assert not eurostat_server.requests


def test_an_expired_extraction(
    eurostat_server: Any,
    eurostat_meta: dict[str, Any],
    reply_cls: Any,
    options: Callable[..., AsyncOptions],
    data_dir: Path,
) -> None:
    AsyncEurostat(eurostat_server, reply_cls, "sdmx-csv", ["PROCESSING", "EXPIRED"])
    with pytest.raises(AsyncExpiredError) as err:
        _fetch(eurostat_server, eurostat_meta, "sdmx-csv", async_options=options())
    text = str(err.value)
    assert (
        f"Eurostat's asynchronous extraction {KEY} of Eurostat dataset {GDP!r} has expired" in text
    )
    assert "no longer kept" in text
    assert "call fetch again" in text
    assert err.value.status == "EXPIRED"


@pytest.mark.parametrize(
    "answer", [(400, UNKNOWN_REQUEST), (200, UNKNOWN_REQUEST), "UNKNOWN_REQUEST"]
)
def test_an_unknown_key(
    answer: Any,
    eurostat_server: Any,
    eurostat_meta: dict[str, Any],
    reply_cls: Any,
    options: Callable[..., AsyncOptions],
    data_dir: Path,
) -> None:
    AsyncEurostat(eurostat_server, reply_cls, "tsv", [answer])
    with pytest.raises(AsyncExpiredError) as err:
        _fetch(eurostat_server, eurostat_meta, "tsv", async_options=options())
    text = str(err.value)
    assert f"Eurostat does not know the asynchronous extraction key {KEY}" in text
    assert f"Eurostat dataset {GDP!r}" in text
    assert "UNKNOWN_REQUEST" in text
    assert "call fetch again" in text


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ("FAILED", "Eurostat reports status 'FAILED' for the asynchronous extraction"),
        ((200, fault("EXTRACTION_FAILED: internal error")), "is not understood"),
        ((200, b"<html>maintenance</html>"), "is not understood"),
    ],
)
def test_a_failed_extraction(
    answer: Any,
    message: str,
    eurostat_server: Any,
    eurostat_meta: dict[str, Any],
    reply_cls: Any,
    options: Callable[..., AsyncOptions],
    data_dir: Path,
) -> None:
    AsyncEurostat(eurostat_server, reply_cls, "sdmx-csv", ["PROCESSING", answer])
    with pytest.raises(AsyncFailedError) as err:
        _fetch(eurostat_server, eurostat_meta, "sdmx-csv", async_options=options())
    text = str(err.value)
    assert message in text
    assert KEY in text
    assert GDP in text
    assert "try again later" in text


def test_a_fault_at_download(
    eurostat_server: Any,
    eurostat_meta: dict[str, Any],
    reply_cls: Any,
    options: Callable[..., AsyncOptions],
    data_dir: Path,
) -> None:
    play = AsyncEurostat(eurostat_server, reply_cls, "sdmx-csv", ["AVAILABLE"])
    play.data = reply_cls(200, fault("EXTRACTION_FAILED: disk full"), {})
    with pytest.raises(AsyncFailedError, match="with a fault: EXTRACTION_FAILED: disk full"):
        _fetch(eurostat_server, eurostat_meta, "sdmx-csv", async_options=options())


# --------------------------------------------------------------------------- parsing
def test_the_documented_layouts_are_recognised() -> None:
    assert parse_async_notice(notice()) == parse_async_notice(status_answer("SUBMITTED"))
    found = parse_async_notice(status_answer("AVAILABLE"))
    assert found is not None
    assert (found.key, found.status) == (KEY, "AVAILABLE")
    # an earlier version of the page nests "queued" in "dataResponse"
    older = (
        notice()
        .replace(b"<queued>", b"<dataResponse><queued>")
        .replace(b"</queued>", b"</queued></dataResponse>")
    )
    assert parse_async_notice(older) == parse_async_notice(notice())
    assert parse_async_notice(gzip.compress(notice())) == parse_async_notice(notice())
    assert parse_fault(UNKNOWN_REQUEST) == "UNKNOWN_REQUEST: Unknown request."


@pytest.mark.parametrize(
    "content",
    [
        (FIXTURES / f"{GDP}.jsonstat.json").read_bytes(),
        (FIXTURES / f"{GDP}.sdmx.csv").read_bytes(),
        (FIXTURES / f"{GDP}.tsv.gz").read_bytes(),
        (FIXTURES / f"{GDP}.dsd.xml").read_bytes(),
        UNKNOWN_REQUEST,
        b"<env:Envelope broken",
        b"",
    ],
    ids=["jsonstat", "sdmx-csv", "tsv.gz", "dsd", "fault", "broken", "empty"],
)
def test_data_and_other_answers_are_not_notices(content: bytes) -> None:
    assert parse_async_notice(content) is None


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"timeout": 0}, "timeout=0"),
        ({"poll_interval": -1}, "poll_interval=-1"),
        ({"poll_interval": 5, "max_poll_interval": 2}, "shorter than poll_interval=5"),
        ({"backoff": 0.5}, "would shorten the pauses"),
    ],
)
def test_bad_options_are_refused(kw: dict[str, Any], message: str) -> None:
    with pytest.raises(InputError, match=message):
        AsyncOptions(**kw)


def test_the_pauses_grow_to_their_limit() -> None:
    assert AsyncOptions().pauses(8) == [2.0, 3.0, 4.5, 6.75, 10.125, 15.1875, 22.78125, 30.0]
    assert AsyncOptions(poll_interval=5, backoff=1).pauses(3) == [5.0, 5.0, 5.0]


# --------------------------------------------------------------------------- command line
def _cli_import(server: Any, meta: dict[str, Any], data_dir: Path, *extra: str) -> Any:
    from typer.testing import CliRunner

    from smartspec import cli

    filters = [f"--filter={k}={','.join(v)}" for k, v in meta["queries"][GDP].items()]
    args = ["--data-dir", str(data_dir), "data", "import", "eurostat", GDP, *filters]
    args += ["--name", "gdp", "--base-url", server.url, *extra]
    return CliRunner().invoke(cli.app, args, prog_name="smartspec")


def test_the_command_line_waits_and_says_so(
    eurostat_server: Any, eurostat_meta: dict[str, Any], reply_cls: Any, data_dir: Path
) -> None:
    # real time here: one pause of the default 2 s before the status says AVAILABLE
    AsyncEurostat(eurostat_server, reply_cls, "jsonstat", ["AVAILABLE"])
    result = _cli_import(eurostat_server, eurostat_meta, data_dir)
    assert result.exit_code == 0, result.output
    assert f"Eurostat is preparing {GDP} (key {KEY[:8]}…): SUBMITTED after 0 s" in result.stderr
    assert "imported gdp v1" in result.stdout
    from smartspec.data.store import EvidenceStore

    stored = EvidenceStore(data_dir).load("gdp")
    assert stored.meta.provenance["async_key"] == KEY


def test_the_command_line_gives_up_after_wait_seconds(
    eurostat_server: Any, eurostat_meta: dict[str, Any], reply_cls: Any, data_dir: Path
) -> None:
    AsyncEurostat(eurostat_server, reply_cls, "jsonstat", ["PROCESSING"])
    result = _cli_import(eurostat_server, eurostat_meta, data_dir, "--wait", "1")
    assert result.exit_code == 1, result.output
    assert "error:" in result.stderr
    assert KEY in result.stderr, result.stderr  # the key, to ask again later
    assert "run the import again later" in result.stderr
    assert "--wait SECONDS" in result.stderr  # the option, not the Python argument
    assert "AsyncOptions" not in result.stderr
    assert not (data_dir / "evidence").exists() or not any((data_dir / "evidence").iterdir())


def test_wait_is_only_for_eurostat(data_dir: Path, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from smartspec import cli

    source = tmp_path / "t.csv"
    source.write_text("region,value\nSE11,1\n")
    args = ["--data-dir", str(data_dir), "data", "import", str(source), "--name", "t"]
    args += ["--measure", "m", "--unit", "u", "--additive", "--wait", "5"]
    result = CliRunner().invoke(cli.app, args, prog_name="smartspec")
    assert result.exit_code == 2
    assert "--wait does not apply to file imports" in result.output + result.stderr
