"""What the upload page carries for working with no signal: a grid officer's own cells and
the sites within the georeferencing radius of them, as GeoJSON in the basemap's coordinates.
The page (kept by the service worker) draws the cells on its pin map and says "outside your
grid" and the nearest site before a photo is sent."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from shapely.geometry import Point

from geo import spatial
from geo.distance import degree_margins
from geo.layers import GRID_CELLS, SITES
from geo.terms import DEFAULT_RADIUS_M
from web.accounts.users import User
from web.display_crs import DisplayCrs
from web.geojson import feature_collection

MAX_SITES = 2000  # a bound on the page's size; nearest to the cells' centre kept


def _sites_near(conn: sa.Connection, box: tuple[float, float, float, float],
                radius_m: float) -> list[sa.RowMapping]:
    """Sites meeting the box grown by the radius, the MAX_SITES nearest its centre."""
    centre_lat = (box[1] + box[3]) / 2
    dlon, dlat = degree_margins(centre_lat, radius_m)
    grown = (box[0] - float(dlon), box[1] - float(dlat), box[2] + float(dlon),
             box[3] + float(dlat))
    rows = spatial.in_bbox(conn, SITES, grown)
    if len(rows) <= MAX_SITES:
        return rows
    centre = Point((box[0] + box[2]) / 2, centre_lat)  # degrees: only to rank them
    return sorted(rows, key=lambda r: r[SITES.geom].distance(centre))[:MAX_SITES]


def offline_area(conn: sa.Connection, user: User, crs: DisplayCrs,
                 radius_m: float = DEFAULT_RADIUS_M) -> dict[str, Any] | None:
    """A grid officer's cells and the sites near them, for the page to keep; None for other
    roles and for an officer bound to no cell."""
    if user.role != "grid_officer" or not user.grid_cell_ids:
        return None
    mine = list(user.grid_cell_ids)
    box = spatial.extent(conn, GRID_CELLS, mine)
    if box is None:
        return None
    cells = spatial.in_bbox(conn, GRID_CELLS, box, GRID_CELLS.table.c.id.in_(mine))
    sites = _sites_near(conn, box, radius_m)
    return {"cells": crs.features_out(feature_collection(cells, ("code", "name", "town"))),
            "sites": crs.features_out(feature_collection(sites, ("code", "name", "kind"))),
            "radius_m": radius_m}
