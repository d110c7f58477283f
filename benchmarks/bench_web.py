"""Benchmark: latency of the region profile (page and JSON) against a static page.

A script, not a unit test. The real app (``smartspec.web.create_app``) runs under
uvicorn in a background thread on 127.0.0.1, on a fresh data directory set up with
``smartspec setup`` (the bundled Swedish S3 map in the registry, the Vega bundle). Next
to it, a minimal Starlette app serves one fixed HTML page of the same size as a region
page: the floor of HTTP + uvicorn + the client on this machine. One ``httpx.Client``
(keep-alive) requests, for every NUTS 2024 level-2 region and every Swedish län:

* ``/regions/{code}`` — the region profile page (HTML),
* ``/api/v1/regions/{code}`` — its JSON twin,
* the static page, once per code.

A warm-up pass first (caches, templates), then ``--passes`` timed passes in which the
three requests alternate. Prints p50 / p95 / max per route, the design goal (region
profile p95 < 100 ms), and LAST the ratio of the profile page's p95 to the static
page's p95 (how much the profile costs above the floor).

Usage::

    python benchmarks/bench_web.py              # all NUTS2 regions + 21 län, 3 passes
    python benchmarks/bench_web.py --quick      # 40 regions, 1 pass
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

GOAL_P95_MS = 100.0


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def _serve(app: Any) -> Iterator[str]:
    """*app* under uvicorn in a daemon thread; yields its base URL."""
    import uvicorn

    port = _free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 120
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)


def _static_app(body: bytes) -> Any:
    from starlette.applications import Starlette
    from starlette.responses import Response
    from starlette.routing import Route

    async def page(request: Any) -> Response:
        return Response(body, media_type="text/html; charset=utf-8")

    return Starlette(routes=[Route("/page", page)])


def _codes(quick: bool) -> list[str]:
    from smartspec import geo

    nuts2 = sorted(c for c in geo.codes(2024, 2) if not geo.is_extra_regio(c))
    lan = [item.code for item in geo.lan()]
    if quick:
        return nuts2[::10][:19] + lan
    return nuts2 + lan


def _percentiles(samples: list[float]) -> tuple[float, float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered), p95, ordered[-1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="40 regions, one pass")
    parser.add_argument("--passes", type=int, default=3, help="timed passes (default 3)")
    args = parser.parse_args(argv)
    passes = 1 if args.quick else args.passes

    import httpx

    from smartspec.web import create_app

    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    with tempfile.TemporaryDirectory(prefix="smartspec-bench-web-") as tmp:
        data_dir = Path(tmp) / "data"
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "smartspec", "--data-dir", str(data_dir), "setup"],
            check=True,
            capture_output=True,
        )
        print(f"smartspec setup: {time.perf_counter() - started:.1f} s")
        codes = _codes(args.quick)
        with _serve(create_app(data_dir)) as base, httpx.Client(timeout=60) as client:
            sample = client.get(f"{base}/regions/{codes[0]}")
            sample.raise_for_status()
            with _serve(_static_app(sample.content)) as static_base:
                routes = {
                    "profile page": lambda c: f"{base}/regions/{c}",
                    "profile JSON": lambda c: f"{base}/api/v1/regions/{c}",
                    "static page (floor)": lambda c: f"{static_base}/page",
                }
                times: dict[str, list[float]] = {name: [] for name in routes}
                for run in range(passes + 1):  # pass 0 warms up
                    for code in codes:
                        for name, url in routes.items():
                            t0 = time.perf_counter()
                            response = client.get(url(code))
                            elapsed = time.perf_counter() - t0
                            if response.status_code != 200:
                                raise RuntimeError(f"{url(code)}: HTTP {response.status_code}")
                            if run:
                                times[name].append(elapsed * 1000)
    print(
        f"{len(codes)} regions (NUTS 2024 level 2 and the 21 län) × {passes} pass(es); "
        f"region page {len(sample.content) / 1024:.0f} KB"
    )
    stats = {name: _percentiles(ms) for name, ms in times.items()}
    for name, (p50, p95, worst) in stats.items():
        print(f"{name:20s} p50 {p50:7.2f} ms   p95 {p95:7.2f} ms   max {worst:7.2f} ms")
    page_p95 = stats["profile page"][1]
    verdict = "met" if page_p95 < GOAL_P95_MS else "NOT met"
    print(f"goal: region profile p95 < {GOAL_P95_MS:.0f} ms: {verdict} ({page_p95:.1f} ms)")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    floor = stats["static page (floor)"][1]
    print(f"profile page p95 / static page p95: {page_p95 / floor:.1f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
