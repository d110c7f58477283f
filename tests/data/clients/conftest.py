"""A real HTTP server on 127.0.0.1 that answers the data clients with fixture files.

The clients under test make real HTTP requests (httpx, real sockets) to this server;
nothing of smartspec is mocked. Routes map a method and a path (exact, or a prefix) to a
reply or to a function of the request; every request is recorded.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest

FIXTURES = Path(__file__).resolve().parent / "fixtures"
EUROSTAT = FIXTURES / "eurostat"
SCB = FIXTURES / "scb"


@dataclass
class Request:
    """A request the server received."""

    method: str
    path: str
    query: list[tuple[str, str]]
    body: bytes
    headers: dict[str, str]

    def param(self, name: str) -> list[str]:
        return [v for k, v in self.query if k == name]

    def json(self) -> Any:
        return json.loads(self.body.decode("utf-8"))


@dataclass
class Reply:
    """What the server answers."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def file(cls, path: Path, content_type: str, **headers: str) -> Reply:
        return cls(200, path.read_bytes(), {"Content-Type": content_type, **headers})

    @classmethod
    def json(cls, data: Any, status: int = 200) -> Reply:
        body = json.dumps(data, ensure_ascii=False).encode("utf-8")
        return cls(status, body, {"Content-Type": "application/json; charset=utf-8"})


Handler = Callable[[Request], Reply]


@dataclass
class Route:
    method: str
    path: str
    handler: Handler
    prefix: bool = False
    times: int | None = None  # answer this many times, then fall through

    def matches(self, request: Request) -> bool:
        if self.method != request.method:
            return False
        if self.times is not None and self.times <= 0:
            return False
        return request.path.startswith(self.path) if self.prefix else request.path == self.path


class FixtureServer:
    """A threaded HTTP server on a free port of 127.0.0.1."""

    def __init__(self) -> None:
        self.routes: list[Route] = []
        self.requests: list[Request] = []
        self.errors: list[Exception] = []
        server = self

        class _Handler(BaseHTTPRequestHandler):
            def _serve(self) -> None:
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                request = Request(
                    method=self.command,
                    path=parts.path,
                    query=parse_qsl(parts.query, keep_blank_values=True),
                    body=self.rfile.read(length) if length else b"",
                    headers={k.lower(): v for k, v in self.headers.items()},
                )
                server.requests.append(request)
                try:
                    reply = server.dispatch(request)
                except Exception as err:  # a failed assertion in a handler: answer 500
                    server.errors.append(err)
                    reply = Reply.json({"error": f"{type(err).__name__}: {err}"}, 500)
                self.send_response(reply.status)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                self.wfile.write(reply.body)

            do_GET = _serve  # noqa: N815 - the names http.server looks up
            do_POST = _serve  # noqa: N815

            def log_message(self, format: str, *args: Any) -> None:  # silence
                return

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self.thread.start()

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def add(
        self,
        method: str,
        path: str,
        reply: Reply | Handler,
        *,
        prefix: bool = False,
        times: int | None = None,
    ) -> None:
        handler: Handler = reply if callable(reply) else (lambda _r, _reply=reply: _reply)
        # newest first, so a test can put a route in front of the defaults
        self.routes.insert(0, Route(method, path, handler, prefix, times))

    def dispatch(self, request: Request) -> Reply:
        for route in self.routes:
            if route.matches(request):
                if route.times is not None:
                    route.times -= 1
                return route.handler(request)
        return Reply.json({"error": f"no route for {request.method} {request.path}"}, 404)

    def count(self, path_start: str = "/") -> int:
        return sum(1 for r in self.requests if r.path.startswith(path_start))

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)


@pytest.fixture(autouse=True)
def _own_data_dir(data_dir: Path) -> Path:
    """Every test here caches into a fresh temporary data directory, never the user's."""
    return data_dir


@pytest.fixture
def server() -> Iterator[FixtureServer]:
    srv = FixtureServer()
    try:
        yield srv
    finally:
        srv.close()


# --------------------------------------------------------------------------- Eurostat
def eurostat_queries() -> dict[str, Any]:
    return dict(json.loads((EUROSTAT / "queries.json").read_text(encoding="utf-8")))


def serve_eurostat(server: FixtureServer, code: str) -> None:
    """Answer the statistics API, the SDMX 2.1 API and the bulk download for *code*."""
    meta = eurostat_queries()
    last_modified = meta["updated"]["http"]

    def jsonstat(request: Request) -> Reply:
        assert request.param("format") == ["JSON"], request.query
        return Reply.file(EUROSTAT / f"{code}.jsonstat.json", "application/json")

    def data(request: Request) -> Reply:
        fmt = request.param("format")
        if fmt == ["TSV"]:
            return Reply.file(
                EUROSTAT / f"{code}.tsv.gz",
                "application/octet-stream",
                **{"Last-Modified": last_modified},
            )
        assert fmt == ["SDMX-CSV"], request.query
        return Reply.file(
            EUROSTAT / f"{code}.sdmx.csv", "application/vnd.sdmx.data+csv;version=1.0.0"
        )

    server.add("GET", f"/statistics/1.0/data/{code}", jsonstat)
    server.add("GET", f"/sdmx/2.1/data/{code}", data, prefix=True)
    server.add(
        "GET",
        f"/sdmx/2.1/datastructure/ESTAT/{code.upper()}",
        Reply.file(EUROSTAT / f"{code}.dsd.xml", "application/vnd.sdmx.structure+xml"),
    )


@pytest.fixture
def eurostat_server(server: FixtureServer) -> FixtureServer:
    """The server, answering for both fixture datasets."""
    for code in eurostat_queries()["queries"]:
        serve_eurostat(server, code)
    return server


@pytest.fixture
def eurostat_meta() -> dict[str, Any]:
    """queries.json: the filters of each fixture slice and the placeholder update stamps."""
    return eurostat_queries()


@pytest.fixture
def reply_cls() -> type[Reply]:
    return Reply


# --------------------------------------------------------------------------- SCB
def scb_fixture(name: str) -> dict[str, Any]:
    return dict(json.loads((SCB / name).read_text(encoding="utf-8")))


class PxWebV2Table:
    """Answers PxWeb v2 data queries from one JSON-stat 2.0 cube, as SCB's server does.

    A POSTed selection is cut out of the cube (categories in table order); a variable
    left out is eliminated to its ``eliminationValueCode`` or refused (HTTP 400) if it
    cannot be; a query above *max_cells* is refused with HTTP 403, as SCB does.
    """

    def __init__(self, doc: dict[str, Any], max_cells: int = 150_000) -> None:
        import numpy as np

        self.doc = doc
        self.max_cells = max_cells
        self.ids: list[str] = list(doc["id"])
        self.sizes: list[int] = list(doc["size"])
        self.codes: dict[str, list[str]] = {}
        for d in self.ids:
            index = doc["dimension"][d]["category"]["index"]
            self.codes[d] = list(index) if isinstance(index, list) else sorted(index, key=index.get)
        flat = np.empty(int(np.prod(self.sizes)), dtype=object)
        flat[:] = doc["value"]
        self.values = flat.reshape(self.sizes)
        status = np.full(flat.shape, None, dtype=object)
        for pos, symbol in (doc.get("status") or {}).items():
            status[int(pos)] = symbol
        self.status = status.reshape(self.sizes)
        self.cells_served: list[int] = []

    def __call__(self, request: Request) -> Reply:
        import numpy as np

        if request.method == "GET":
            return Reply.json(self.doc)
        selection = {s["variableCode"]: s["valueCodes"] for s in request.json()["selection"]}
        unknown = [v for v in selection if v not in self.ids]
        if unknown:
            return Reply.json({"title": f"unknown variable {unknown[0]}"}, 400)
        picks: list[list[int]] = []
        for d in self.ids:
            dim = self.doc["dimension"][d]
            if d in selection:
                wanted = selection[d]
                bad = [c for c in wanted if c not in self.codes[d]]
                if bad:
                    return Reply.json({"title": f"unknown value {bad[0]} of {d}"}, 400)
                picks.append(sorted(self.codes[d].index(c) for c in wanted))
            else:
                ext = dim.get("extension") or {}
                if not ext.get("elimination") or "eliminationValueCode" not in ext:
                    return Reply.json({"title": f"variable {d} must be selected"}, 400)
                picks.append([self.codes[d].index(ext["eliminationValueCode"])])
        cells = int(np.prod([len(p) for p in picks]))
        if cells > self.max_cells:
            return Reply.json({"title": f"too many cells: {cells} > {self.max_cells}"}, 403)
        self.cells_served.append(cells)
        grid = np.ix_(*picks)
        values = self.values[grid].ravel().tolist()
        status = self.status[grid].ravel().tolist()
        out = {k: v for k, v in self.doc.items() if k not in ("value", "status")}
        out["size"] = [len(p) for p in picks]
        out["dimension"] = {}
        for d, pick in zip(self.ids, picks, strict=True):
            dim = json.loads(json.dumps(self.doc["dimension"][d]))
            codes = [self.codes[d][i] for i in pick]
            cat = dim["category"]
            cat["index"] = {c: i for i, c in enumerate(codes)}
            if "label" in cat:
                cat["label"] = {c: cat["label"][c] for c in codes}
            if "unit" in cat:
                cat["unit"] = {c: cat["unit"][c] for c in codes if c in cat["unit"]}
            out["dimension"][d] = dim
        out["value"] = values
        flagged = {str(i): s for i, s in enumerate(status) if s}
        if flagged:
            out["status"] = flagged
        return Reply.json(out)


def serve_scb_v2(
    server: FixtureServer,
    table: str,
    doc: dict[str, Any],
    *,
    config: dict[str, Any] | None = None,
    metadata: dict[str, Any] | None = None,
    max_cells: int = 150_000,
) -> PxWebV2Table:
    """Answer /config, /tables/<table>/metadata and /tables/<table>/data (API v2)."""
    cube = PxWebV2Table(doc, max_cells)
    server.add(
        "GET",
        "/api/v2/config",
        Reply.json(
            config
            or {
                "apiVersion": "2.0",
                "defaultLanguage": "sv",
                "maxDataCells": max_cells,
                "maxCallsPerTimeWindow": 30,
                "timeWindow": 10,
            }
        ),
    )
    if metadata is not None:
        server.add("GET", f"/api/v2/tables/{table}/metadata", Reply.json(metadata))
    server.add("POST", f"/api/v2/tables/{table}/data", cube)
    server.add("GET", f"/api/v2/tables/{table}/data", cube)
    return cube


@pytest.fixture
def scb_tools() -> Any:
    """Helpers for SCB tests: fixture(name), serve_v2(server, table, doc, ...), Reply."""

    class Tools:
        fixture = staticmethod(scb_fixture)
        serve_v2 = staticmethod(serve_scb_v2)
        reply = Reply
        folder = SCB

    return Tools
