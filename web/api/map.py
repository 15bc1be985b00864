"""The map's data, loaded by viewport: sites with look-back flags, a site's popup, photos,
drone footprints, and the search box; and, whole, the town and district boundaries."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import Response

from geo import boundaries as geo_boundaries
from web.deps import ClockDep, CurrentUser, DisplayDep, EngineDep
from web.errors import ERROR_RESPONSES
from web.geojson import parse_bbox
from web.services import map_data
from web.services.map_boundaries import boundary_json

router = APIRouter(prefix="/api/map", tags=["map"], responses=ERROR_RESPONSES)
BboxQuery = Annotated[str, Query(description="min_lon,min_lat,max_lon,max_lat (EPSG:4326)")]
LimitQuery = Annotated[int, Query(ge=10, le=5000, description="more in view than this: "
                                  "counted per grid square instead")]


@router.get("/sites")
def sites(engine: EngineDep, clock: ClockDep, user: CurrentUser, crs: DisplayDep,
          bbox: BboxQuery,
          town: str | None = None, industry: str | None = None,
          source: Annotated[str | None, Query(description="case source")] = None,
          flag: Annotated[str | None, Query(description="due, overdue, recurred, ...")] = None,
          zoom: Annotated[int | None, Query(ge=0, le=22, description="below 14: points")] = None,
          limit: LimitQuery = map_data.MAX_FEATURES) -> dict[str, Any]:
    """Sites in view as GeoJSON with their flags (counted per grid square when many)."""
    with engine.connect() as conn:
        return crs.features_out(map_data.sites_in_view(
            conn, user, crs.bbox_in(parse_bbox(bbox)),
            map_data.SiteFilter(town, industry, source, flag), clock, zoom, limit))


@router.get("/sites/{code}")
def site(code: str, engine: EngineDep, clock: ClockDep, user: CurrentUser) -> dict[str, Any]:
    """One site's cases, look-back rounds and latest photos, for its popup."""
    with engine.connect() as conn:
        return map_data.site_detail(conn, user, code, clock)


@router.get("/photos")
def photos(engine: EngineDep, user: CurrentUser, crs: DisplayDep, bbox: BboxQuery,
           limit: LimitQuery = map_data.MAX_FEATURES) -> dict[str, Any]:
    """Photos in view the user may see (counted per grid square when many)."""
    with engine.connect() as conn:
        return crs.features_out(map_data.photos_in_view(
            conn, user, crs.bbox_in(parse_bbox(bbox)), limit))


@router.get("/footprints")
def footprints(engine: EngineDep, user: CurrentUser, crs: DisplayDep,
               bbox: BboxQuery) -> dict[str, Any]:
    """Drone photos' ground footprints in view."""
    with engine.connect() as conn:
        return crs.features_out(map_data.footprints_in_view(conn, user,
                                                            crs.bbox_in(parse_bbox(bbox))))


@router.get("/search")
def search(engine: EngineDep, user: CurrentUser, crs: DisplayDep,
           q: Annotated[str, Query(max_length=100, description="part of a name or code")],
           ) -> list[dict[str, Any]]:
    """Sites by name or code, to fly to."""
    with engine.connect() as conn:
        found = map_data.search_sites(conn, q)
    for site in found:
        site["lon"], site["lat"] = crs.point_out(site["lon"], site["lat"])
    return found


@router.get("/orthophotos")
def orthophotos(engine: EngineDep, user: CurrentUser, crs: DisplayDep,
                bbox: BboxQuery) -> list[dict[str, Any]]:
    """Orthophotos in view, each with its tile URL template and bounds."""
    with engine.connect() as conn:
        found = map_data.orthophotos_in_view(conn, user, crs.bbox_in(parse_bbox(bbox)))
    for item in found:
        x0, y0, x1, y1 = item["bounds"]
        item["bounds"] = [*crs.point_out(x0, y0), *crs.point_out(x1, y1)]
    return found


@router.get("/cases")
def case_points(engine: EngineDep, clock: ClockDep, user: CurrentUser, crs: DisplayDep,
                bbox: BboxQuery,
                flag: Annotated[str | None, Query(description="only cases with this flag: "
                                                  "due, overdue, recurred, ...")] = None,
                ) -> dict[str, Any]:
    """Cases placed at a point of their own (patrol findings), with their flags; the map's
    flag filter applies to them as to the sites."""
    map_data.SiteFilter(flag=flag).check()
    with engine.connect() as conn:
        found = map_data.cases_in_view(conn, user, crs.bbox_in(parse_bbox(bbox)), clock)
    if flag:
        found["features"] = [f for f in found["features"] if flag in f["properties"]["flags"]]
    return crs.features_out(found)


@router.get("/boundaries", response_class=Response, responses={200: {
    "description": "A GeoJSON FeatureCollection: the district (kind district), then each "
                   "town (kind town, name, label [lon, lat])",
    "content": {"application/json": {"schema": {"type": "object"}}}}})
def boundaries(engine: EngineDep, user: CurrentUser, crs: DisplayDep) -> Response:
    """The district's and the towns' outlines dissolved from the grid cells, with the towns'
    names and label points: drawn at every zoom, so the map reads with no basemap. Encoded
    once per dissolve: later requests send the same bytes."""
    with engine.connect() as conn:
        found = geo_boundaries.boundaries(conn)
    return Response(boundary_json(found, crs), media_type="application/json")
