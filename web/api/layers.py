"""Layers: counts, and sites and grid cells as GeoJSON within a bounding box."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from geo import layers
from web.deps import CurrentUser, EngineDep

router = APIRouter(prefix="/api/layers", tags=["layers"])


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
