"""Layers: counts, and sites and grid cells as GeoJSON within a bounding box."""

from __future__ import annotations

from typing import Annotated, Any

import sqlalchemy as sa
from fastapi import APIRouter, Query
from pydantic import BaseModel

from geo import layers, spatial
from geo.schema import SITE_KINDS
from inspections.errors import InvalidInput
from web.deps import CurrentUser, DisplayDep, EngineDep
from web.errors import ERROR_RESPONSES
from web.geojson import feature_collection, parse_bbox

router = APIRouter(prefix="/api/layers", tags=["layers"], responses=ERROR_RESPONSES)
MAX_FEATURES = 5000
BboxQuery = Annotated[str, Query(description="min_lon,min_lat,max_lon,max_lat (EPSG:4326)")]


class LayerCounts(BaseModel):
    """How many grid cells and sites of each kind are stored."""

    grid_cells: int
    sites: dict[str, int]


@router.get("", response_model=LayerCounts)
def layer_counts(engine: EngineDep, user: CurrentUser) -> LayerCounts:
    """Counts of the stored layers."""
    with engine.connect() as conn:
        return LayerCounts(grid_cells=layers.count(conn, layers.GRID_CELLS),
                           sites=layers.site_counts(conn))


def _capped(rows: list[sa.RowMapping], what: str) -> list[sa.RowMapping]:
    if len(rows) > MAX_FEATURES:
        raise InvalidInput(f"bbox: holds {len(rows)} {what}, more than {MAX_FEATURES}; "
                           "zoom in")
    return rows


@router.get("/sites")
def sites(engine: EngineDep, user: CurrentUser, crs: DisplayDep, bbox: BboxQuery,
          kind: Annotated[str | None, Query(description="landfill, enterprise, ...")] = None,
          ) -> dict[str, Any]:
    """Sites meeting the box, as a GeoJSON FeatureCollection."""
    if kind is not None and kind not in SITE_KINDS:
        raise InvalidInput(f"kind {kind!r}: use one of {', '.join(SITE_KINDS)}")
    where = layers.SITES.table.c.kind == kind if kind else None
    with engine.connect() as conn:
        rows = _capped(spatial.in_bbox(conn, layers.SITES, crs.bbox_in(parse_bbox(bbox)),
                                       where), "sites")
    return crs.features_out(feature_collection(rows, ("code", "name", "kind", "industry",
                                                      "town")))


@router.get("/grid-cells")
def grid_cells(engine: EngineDep, user: CurrentUser, crs: DisplayDep, bbox: BboxQuery,
               mine: Annotated[bool, Query(description="Only the cells the officer is "
                                           "bound to.")] = False) -> dict[str, Any]:
    """Grid cells meeting the box, as a GeoJSON FeatureCollection."""
    table = layers.GRID_CELLS.table
    where = table.c.id.in_(user.grid_cell_ids) if mine else None
    with engine.connect() as conn:
        rows = _capped(spatial.in_bbox(conn, layers.GRID_CELLS, crs.bbox_in(parse_bbox(bbox)),
                                       where), "grid cells")
    return crs.features_out(feature_collection(rows, ("code", "name", "town")))
