"""The shared HTTP client: cache, offline mode, retries, errors, rate limiting.

Requests go over real sockets to the local fixture server (see conftest.py).
"""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any

import pytest

from smartspec.data.http import (
    ENV_OFFLINE,
    HttpClient,
    HTTPStatusError,
    NetworkError,
    OfflineError,
    RateLimiter,
    RequestTooLargeError,
    is_offline,
)
from smartspec.errors import SmartspecError


def _free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class FakeClock:
    """A clock that only moves when something sleeps."""

    def __init__(self) -> None:
        self.now = 100.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def test_a_response_is_cached_in_the_data_directory(
    server: Any, reply_cls: Any, data_dir: Path
) -> None:
    server.add("GET", "/doc", reply_cls(200, b"hello", {"Content-Type": "text/plain"}))
    client = HttpClient("test")
    first = client.get(f"{server.url}/doc", params={"a": ["1", "2"]}, what="a document")
    second = client.get(f"{server.url}/doc", params={"a": ["1", "2"]}, what="a document")
    assert first.content == second.content == b"hello"
    assert (first.from_cache, second.from_cache) == (False, True)
    assert server.count("/doc") == 1
    assert server.requests[0].param("a") == ["1", "2"]
    assert second.retrieved == first.retrieved
    assert list((data_dir / "cache" / "test").rglob("*.body"))


def test_refresh_fetches_again(server: Any, reply_cls: Any, data_dir: Path) -> None:
    server.add("GET", "/doc", reply_cls(200, b"x"))
    client = HttpClient("test")
    client.get(f"{server.url}/doc", what="a document")
    again = client.get(f"{server.url}/doc", what="a document", refresh=True)
    assert not again.from_cache
    assert server.count("/doc") == 2


def test_post_bodies_are_part_of_the_cache_key(server: Any, reply_cls: Any, data_dir: Path) -> None:
    server.add("POST", "/q", lambda r: reply_cls(200, r.body))
    client = HttpClient("test")
    a = client.post(f"{server.url}/q", json_body={"x": 1}, what="a query")
    b = client.post(f"{server.url}/q", json_body={"x": 2}, what="a query")
    a2 = client.post(f"{server.url}/q", json_body={"x": 1}, what="a query")
    assert a.json() == {"x": 1}
    assert b.json() == {"x": 2}
    assert a2.from_cache
    assert a2.json() == {"x": 1}
    assert server.count("/q") == 2


def test_offline_serves_the_cache_and_names_what_is_missing(
    server: Any, reply_cls: Any, data_dir: Path
) -> None:
    server.add("GET", "/doc", reply_cls(200, b"cached"))
    HttpClient("test").get(f"{server.url}/doc", what="a document")
    offline = HttpClient("test", offline=True)
    assert offline.get(f"{server.url}/doc", what="a document").content == b"cached"
    with pytest.raises(OfflineError) as err:
        offline.get(f"{server.url}/other", what="the other document")
    text = str(err.value)
    assert "the other document is not in the cache" in text
    assert f"{server.url}/other" in text
    assert "without offline=True" in text
    assert ENV_OFFLINE in text
    assert server.count("/") == 1


def test_the_environment_switches_offline_mode_on(
    monkeypatch: pytest.MonkeyPatch, data_dir: Path
) -> None:
    monkeypatch.setenv(ENV_OFFLINE, "1")
    assert is_offline() is True
    assert is_offline(False) is False
    with pytest.raises(OfflineError):
        HttpClient("test").get("http://127.0.0.1:9/never", what="a document")
    monkeypatch.setenv(ENV_OFFLINE, "0")
    assert is_offline() is False


def test_retryable_statuses_are_retried_with_backoff(
    server: Any, reply_cls: Any, data_dir: Path
) -> None:
    server.add("GET", "/flaky", reply_cls(200, b"ok"))
    server.add("GET", "/flaky", reply_cls(503, b"busy", {"Retry-After": "7"}), times=1)
    server.add("GET", "/flaky", reply_cls(502, b"bad gateway"), times=1)
    clock = FakeClock()
    client = HttpClient("test", sleep=clock.sleep, backoff=0.5)
    assert client.get(f"{server.url}/flaky", what="a document").content == b"ok"
    assert server.count("/flaky") == 3
    assert clock.sleeps == [0.5, 7.0]  # back-off, then the server's Retry-After


def test_errors_carry_the_status_and_the_servers_message(
    server: Any, reply_cls: Any, data_dir: Path
) -> None:
    server.add("GET", "/missing", reply_cls.json({"error": [{"label": "No results found"}]}, 404))
    server.add("GET", "/huge", reply_cls(413, b"EXTRACTION_TOO_BIG"))
    client = HttpClient("test", retries=0)
    with pytest.raises(HTTPStatusError) as err:
        client.get(f"{server.url}/missing", what="a dataset")
    assert err.value.status == 404
    assert err.value.detail == "No results found"
    assert "HTTP 404 (not found): No results found" in str(err.value)
    with pytest.raises(RequestTooLargeError) as big:
        client.get(f"{server.url}/huge", what="a dataset")
    assert big.value.status == 413
    assert isinstance(big.value, SmartspecError)


def test_an_unreachable_server_is_a_network_error(data_dir: Path) -> None:
    port = _free_port()
    clock = FakeClock()
    client = HttpClient("test", retries=2, sleep=clock.sleep)
    with pytest.raises(NetworkError) as err:
        client.get(f"http://127.0.0.1:{port}/x", what="Eurostat dataset 'x'")
    text = str(err.value)
    assert "cannot reach 127.0.0.1 for Eurostat dataset 'x' after 3 attempts" in text
    assert "offline=True" in text
    assert len(clock.sleeps) == 2


def test_the_rate_limiter_waits_when_the_window_is_full() -> None:
    clock = FakeClock()
    limiter = RateLimiter(3, 10.0, clock=clock, sleep=clock.sleep)
    waits = [limiter.acquire() for _ in range(3)]
    assert waits == [0.0, 0.0, 0.0]
    assert clock.sleeps == []
    clock.now += 4.0  # calls at 100, 100, 100; now 104
    assert limiter.acquire() == pytest.approx(6.0)  # the first call leaves at 110
    assert clock.now == pytest.approx(110.0)
    clock.now += 20.0
    assert limiter.acquire() == 0.0
    assert limiter.total_wait == pytest.approx(6.0)


def test_the_rate_limiter_spaces_a_burst_to_the_limit() -> None:
    clock = FakeClock()
    limiter = RateLimiter(2, 5.0, clock=clock, sleep=clock.sleep)
    stamps = []
    for _ in range(7):
        limiter.acquire()
        stamps.append(clock.now)
    # in any window of 5 seconds there are at most 2 calls
    for i, t in enumerate(stamps):
        assert sum(1 for u in stamps[i:] if u < t + 5.0) <= 2
    assert stamps[-1] - stamps[0] == pytest.approx(15.0)


def test_a_limiter_without_limits_never_waits() -> None:
    clock = FakeClock()
    limiter = RateLimiter(0, 10.0, clock=clock, sleep=clock.sleep)
    assert [limiter.acquire() for _ in range(50)] == [0.0] * 50
