"""The district under a report's maps, read from the grid-cell layer (its towns and its
boundary are the cells dissolved), and where a case lies on it."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from geo.layers import GRID_CELLS, SITES
from inspections.cases import Case
from inspections.reports.figures import District


def district(conn: sa.Connection) -> District:
    """The district's grid cells, towns and boundary."""
    t = GRID_CELLS.table
    return District.of_cells(conn.execute(sa.select(t.c.town, t.c.geom)).all())


def case_points(conn: sa.Connection, found: Sequence[Case]) -> list[tuple[float, float]]:
    """A point per site of each case (a point inside it), or the case's own point."""
    site_ids = sorted({s for c in found for s in c.site_ids})
    geoms = {}
    if site_ids:
        t = SITES.table
        geoms = dict(conn.execute(sa.select(t.c.id, t.c.geom).where(t.c.id.in_(site_ids))).all())
    points = []
    for case in found:
        for site_id in case.site_ids:
            geom = geoms.get(site_id)
            if geom is not None and not geom.is_empty:
                inside = geom if geom.geom_type == "Point" else geom.representative_point()
                points.append((inside.x, inside.y))
        if not case.site_ids and case.lon is not None and case.lat is not None:
            points.append((case.lon, case.lat))
    return points
