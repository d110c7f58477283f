"""The HTML pages: server-rendered Jinja2 templates, each with a JSON twin in the API.

``/``
    What smartspec is; maps of Sweden's 21 län and of the NUTS 2 regions; links to the
    region pages.
``/regions?q=…``
    Search regions by code or name (twin: ``/api/v1/regions?q=…``).
``/regions/{code}``
    A region's names, level, hierarchy and a small map (twin: ``/api/v1/regions/{code}``).

Maps are Vega-Lite specs from :mod:`smartspec.web.services`, embedded as JSON and drawn
by ``static/maps.js`` with the locally served Vega bundle; each map shows the GISCO
attribution under it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from smartspec._version import __version__
from smartspec.web import services

TEMPLATES = Path(__file__).parent / "templates"
templates = Jinja2Templates(directory=TEMPLATES)
templates.env.globals["smartspec_version"] = __version__
templates.env.globals["level_names"] = services.LEVEL_NAMES

router = APIRouter(include_in_schema=False)


def render(
    request: Request, name: str, context: dict[str, Any], status_code: int = 200
) -> HTMLResponse:
    """Render a template with the globals every page needs."""
    from smartspec.geo import ATTRIBUTION
    from smartspec.web.bundle import bundle_key

    base = {"attribution": ATTRIBUTION, "bundle_url": f"/static/vega-bundle.js?v={bundle_key()}"}
    return templates.TemplateResponse(request, name, {**base, **context}, status_code=status_code)


@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> HTMLResponse:
    from smartspec import geo

    return render(
        request,
        "home.html",
        {
            "lan": geo.lan(),
            "sweden_spec": services.sweden_map(),
            "europe_spec": services.europe_map(),
            "has_maps": True,
        },
    )


@router.get("/regions", response_class=HTMLResponse)
def search_page(
    request: Request,
    q: Annotated[str, Query()] = "",
    country: Annotated[str | None, Query()] = None,
) -> HTMLResponse:
    from smartspec import geo

    query = q.strip()
    matches = geo.search(query, country=country or None, limit=25) if query else []
    return render(request, "search.html", {"q": query, "matches": matches})


@router.get("/regions/{code}", response_class=HTMLResponse)
def region_page(
    request: Request, code: str, version: Annotated[int | None, Query()] = None
) -> Response:
    page = services.region_page(code, version)
    if page.region.code != code:  # canonical URL: /regions/se211 -> /regions/SE211
        target = f"/regions/{page.region.code}"
        if version is not None:
            target += f"?version={version}"
        return RedirectResponse(target, status_code=308)
    return render(
        request,
        "region.html",
        {"page": page, "region": page.region, "has_maps": page.map_spec is not None},
    )
