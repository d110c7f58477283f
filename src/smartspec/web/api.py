"""The JSON API, version 1: every page's twin, described by ``/openapi.json``.

Routes
------
``GET /api/v1/regions``
    Regions of a NUTS version, filtered by ``level`` and ``country``; with ``q``, the
    ranked matches of a search by code or name (each with its ``score``).
``GET /api/v1/regions/{code}``
    One region with its parent and children.
``GET /api/v1/boundaries/{level}``
    NUTS 2024 boundaries of a level as GeoJSON (optionally one ``country``), the data of
    the maps. © EuroGeographics for the administrative boundaries.

Errors are JSON ``{"detail": "..."}``: 404 for unknown codes (with "did you mean"
suggestions), 422 for bad parameters.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Annotated

from fastapi import APIRouter, Path, Query, Response
from pydantic import BaseModel, Field

from smartspec.web import services

router = APIRouter(prefix="/api/v1", tags=["regions"])


class RegionOut(BaseModel):
    """A NUTS region in one NUTS version."""

    code: str = Field(examples=["SE211"])
    name: str = Field(examples=["Jönköpings län"])
    level: int = Field(ge=0, le=3, examples=[3])
    country: str = Field(examples=["SE"])
    parent: str | None = Field(examples=["SE21"])
    name_latn: str | None = Field(examples=["Jönköpings län"])
    version: int = Field(examples=[2024])
    score: float | None = Field(
        default=None, description="Search score 0-100 (only in search results)."
    )


class RegionDetail(BaseModel):
    """A region with its children."""

    code: str = Field(examples=["SE211"])
    name: str = Field(examples=["Jönköpings län"])
    level: int = Field(ge=0, le=3, examples=[3])
    country: str = Field(examples=["SE"])
    parent: str | None = Field(examples=["SE21"])
    children: list[str] = Field(description="Codes one level below.", examples=[[]])
    name_latn: str | None = Field(examples=["Jönköpings län"])
    version: int = Field(examples=[2024])


class ErrorOut(BaseModel):
    detail: str


_ERRORS: dict[int | str, dict[str, object]] = {
    404: {"model": ErrorOut, "description": "Unknown code, with suggestions."},
    422: {"model": ErrorOut, "description": "Bad parameter."},
}

Level = Annotated[int | None, Query(ge=0, le=3, description="NUTS level, 0 (country) to 3.")]
Country = Annotated[str | None, Query(description="Country code (NUTS or ISO), e.g. SE.")]


@router.get("/regions", response_model=list[RegionOut], responses=_ERRORS)
def list_regions(
    q: Annotated[str | None, Query(description="Search by code or name.")] = None,
    level: Level = None,
    country: Country = None,
    version: Annotated[
        int | None, Query(description="NUTS version (2010, 2013, 2016, 2021, 2024).")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=1000, description="Most search results.")] = 10,
) -> list[RegionOut]:
    """Regions of a NUTS version (default 2024), or the matches of a search."""
    from smartspec import geo

    if q is not None and q.strip():
        matches = geo.search(q, country=country, version=version, level=level, limit=limit)
        return [
            RegionOut(**services.region_dict(m.region), score=round(m.score, 1)) for m in matches
        ]
    found = geo.regions(version if version is not None else 2024, level=level, country=country)
    return [RegionOut(**services.region_dict(r)) for r in found]


@router.get("/regions/{code}", response_model=RegionDetail, responses=_ERRORS)
def get_region(
    code: Annotated[str, Path(description="NUTS code, e.g. SE211.")],
    version: Annotated[
        int | None,
        Query(description="NUTS version; default: the newest version that has the code."),
    ] = None,
) -> RegionDetail:
    """One region: names, level, parent and children."""
    from smartspec import geo

    region = services.find_region(code, version)
    kids = [r.code for r in geo.children(region.code, region.version)]
    return RegionDetail(**services.region_dict(region), children=kids)


@router.get(
    "/boundaries/{level}",
    responses={
        200: {
            "content": {"application/geo+json": {}},
            "description": "GeoJSON FeatureCollection (NUTS 2024).",
        },
        **_ERRORS,
    },
    tags=["maps"],
)
def get_boundaries(
    level: Annotated[int, Path(ge=0, le=3, description="NUTS level, 0 (country) to 3.")],
    country: Country = None,
) -> Response:
    """NUTS 2024 boundaries (GISCO 1:60M) as GeoJSON; © EuroGeographics."""
    body = _boundaries_json(level, country.upper() if country else None)
    return Response(
        content=body,
        media_type="application/geo+json",
        headers={"Cache-Control": "public, max-age=86400"},
    )


@lru_cache(maxsize=64)
def _boundaries_json(level: int, country: str | None) -> bytes:
    from smartspec import geo

    fc = geo.boundaries(level, country=country)
    return json.dumps(fc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
