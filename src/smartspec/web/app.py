"""The FastAPI application: JSON API, HTML pages, static files and the Vega bundle.

>>> from smartspec.web import create_app
>>> app = create_app()
>>> app.openapi()["info"]["title"]
'smartspec'

The app makes the browser request nothing but itself: the Vega bundle is served from
``/static/vega-bundle.js`` (see :mod:`smartspec.web.bundle`), the maps' boundaries from
``/api/v1/boundaries``, and a Content-Security-Policy of ``'self'`` enforces it. FastAPI's
Swagger UI and ReDoc load JavaScript from a CDN, so they are switched off; the OpenAPI
description stays at ``/openapi.json``.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from smartspec._version import __version__
from smartspec.config import DataDir
from smartspec.config import data_dir as resolve_data_dir
from smartspec.errors import InputError, SmartspecError, UnknownCodeError
from smartspec.web import api, pages
from smartspec.web.bundle import bundle_key, vega_bundle

STATIC = Path(__file__).parent / "static"

#: Everything from this server, nothing from anywhere else. Vega compiles its expressions
#: with ``new Function`` ('unsafe-eval'); vega-embed and Vega's tooltips add inline styles.
CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


def create_app(data_dir: str | os.PathLike[str] | None = None) -> FastAPI:
    """Build the web application.

    Parameters
    ----------
    data_dir:
        The smartspec data directory (default: ``SMARTSPEC_DATA_DIR`` or the user data
        directory, see :func:`smartspec.config.data_dir`). The app caches the Vega
        bundle in its ``cache/`` folder.
    """
    directory = resolve_data_dir(data_dir)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # build (or read) the Vega bundle before the first request needs it
        await asyncio.to_thread(vega_bundle, directory.cache)
        yield

    app = FastAPI(
        title="smartspec",
        version=__version__,
        summary="Smart Specialisation (S3) workbench: regions, data and maps.",
        docs_url=None,  # Swagger UI and ReDoc load JavaScript from a CDN
        redoc_url=None,
        openapi_url="/openapi.json",
        lifespan=lifespan,
    )
    app.state.data_dir = directory

    app.add_middleware(GZipMiddleware, minimum_size=1024)

    @app.middleware("http")
    async def security_headers(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        response = await call_next(request)
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        return response

    app.include_router(api.router)
    app.include_router(pages.router)

    @app.get("/static/vega-bundle.js", include_in_schema=False)
    async def vega_bundle_js(request: Request) -> Response:
        cache_dir = _data_dir(request).cache
        body = await asyncio.to_thread(vega_bundle, cache_dir)
        etag = f'"{bundle_key()}"'
        headers = {"ETag": etag, "Cache-Control": "public, max-age=31536000, immutable"}
        if request.headers.get("if-none-match") == etag:
            return Response(status_code=304, headers=headers)
        return Response(body, media_type="text/javascript; charset=utf-8", headers=headers)

    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    _add_error_handlers(app)
    return app


def _data_dir(request: Request) -> DataDir:
    directory: DataDir = request.app.state.data_dir
    return directory


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/openapi.json"


def _suggestions(err: UnknownCodeError) -> list[dict[str, str]]:
    """``"SE211 (Jönköpings län)"`` → ``{"code": "SE211", "label": ...}`` for links."""
    return [{"code": s.split(" ", 1)[0], "label": s} for s in err.suggestions]


def _add_error_handlers(app: FastAPI) -> None:
    def error_page(
        request: Request, status: int, title: str, message: str, suggestions: list[dict[str, str]]
    ) -> Response:
        if _wants_json(request):
            return JSONResponse({"detail": message}, status_code=status)
        return pages.render(
            request,
            "error.html",
            {"status": status, "title": title, "message": message, "suggestions": suggestions},
            status_code=status,
        )

    @app.exception_handler(UnknownCodeError)
    async def unknown_code(request: Request, exc: UnknownCodeError) -> Response:
        return error_page(request, 404, "Not found", str(exc), _suggestions(exc))

    @app.exception_handler(InputError)
    async def bad_input(request: Request, exc: InputError) -> Response:
        return error_page(request, 422, "Bad request", str(exc), [])

    @app.exception_handler(SmartspecError)
    async def other_error(request: Request, exc: SmartspecError) -> Response:
        return error_page(request, 400, "Bad request", str(exc), [])

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if _wants_json(request) or exc.status_code != 404:
            return JSONResponse(
                {"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers
            )
        return error_page(request, 404, "Not found", f"There is no page at {request.url.path}.", [])

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        if _wants_json(request):
            from fastapi.encoders import jsonable_encoder

            return JSONResponse({"detail": jsonable_encoder(exc.errors())}, status_code=422)
        message = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'][1:])}: {e['msg']}" for e in exc.errors()
        )
        return error_page(request, 422, "Bad request", message, [])
