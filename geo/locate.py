"""Where is a point: its grid cell and the sites near it."""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa

from geo import spatial
from geo.layers import GRID_CELLS, SITES
from geo.terms import DEFAULT_RADIUS_M


@dataclass(frozen=True)
class NearSite:
    """A site near the point, with its geodesic distance (0 inside its polygon)."""

    code: str
    kind: str
    name: str
    distance_m: float


@dataclass(frozen=True)
class GridCellRef:
    """The grid cell a point falls in."""

    code: str
    name: str
    town: str | None


@dataclass(frozen=True)
class Location:
    """A point's grid cell (None outside every cell) and the sites within the radius."""

    lon: float
    lat: float
    grid_cell: GridCellRef | None
    sites: list[NearSite] = field(default_factory=list)


def locate(conn: sa.Connection, lon: float, lat: float,
           radius_m: float = DEFAULT_RADIUS_M) -> Location:
    """Grid cell and sites within `radius_m` metres of a point, nearest first."""
    cell = spatial.containing(conn, GRID_CELLS, lon, lat)
    near = spatial.within_distance(conn, SITES, lon, lat, radius_m)
    return Location(
        lon=lon,
        lat=lat,
        grid_cell=GridCellRef(cell["code"], cell["name"], cell["town"]) if cell else None,
        sites=[NearSite(n.feature["code"], n.feature["kind"], n.feature["name"],
                        round(n.distance_m, 2)) for n in near],
    )
