"""Locate many points at once against the grid cells and sites held in memory.

The layers are small and change rarely, so a batch loads them once into shapely STRtrees and
answers every point without a round trip; the distances are the same geodesic ones as
`geo.spatial` computes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
import sqlalchemy as sa
from numpy.typing import ArrayLike, NDArray
from shapely.geometry.base import BaseGeometry

from geo import layers
from geo.distance import degree_margins, distances_m
from geo.locate import DEFAULT_RADIUS_M

NO_CELL = -1


@dataclass(frozen=True)
class BatchLocation:
    """For each point its cell index (NO_CELL outside), and (point, site, metres) triples."""

    cell: NDArray[np.int64]
    point: NDArray[np.int64]
    site: NDArray[np.int64]
    distance_m: NDArray[np.float64]


class Locator:
    """Grid cells and sites in STRtrees, for locating batches of points."""

    def __init__(self, cells: list[sa.RowMapping], sites: list[sa.RowMapping]) -> None:
        self.cells = cells
        self.sites = sites
        cell_geoms = np.array([c["geom"] for c in cells], dtype=object)
        shapely.prepare(cell_geoms)  # point-in-polygon tests run about twice as fast
        self._cell_tree = shapely.STRtree(cell_geoms)
        self._site_geoms = np.array([s["geom"] for s in sites], dtype=object)
        self._site_tree = shapely.STRtree(self._site_geoms)

    @classmethod
    def from_connection(cls, conn: sa.Connection) -> Locator:
        """Load the grid cells and sites from the database."""
        return cls(layers.all_features(conn, layers.GRID_CELLS, ("code", "name", "town")),
                   layers.all_features(conn, layers.SITES, ("code", "kind", "name")))

    def locate(self, lons: ArrayLike, lats: ArrayLike,
               radius_m: float = DEFAULT_RADIUS_M) -> BatchLocation:
        """Cell and sites within `radius_m` of every point (the lowest id on shared edges)."""
        lons = np.asarray(lons, dtype=float)
        lats = np.asarray(lats, dtype=float)
        points = shapely.points(lons, lats)  # made once: creating GEOS points is the cost
        return BatchLocation(self._cells_of(points),
                             *self._sites_near(points, lons, lats, radius_m))

    def sites_intersecting(self, geometry: BaseGeometry) -> NDArray[np.int64]:
        """Indexes (into .sites) of the sites a geometry, such as a footprint, touches."""
        return np.sort(self._site_tree.query(geometry, predicate="intersects"))

    def _cells_of(self, points: NDArray) -> NDArray[np.int64]:
        pi, ci = self._cell_tree.query(points, predicate="intersects")
        cell = np.full(len(points), np.iinfo(np.int64).max, dtype=np.int64)
        np.minimum.at(cell, pi, ci)
        cell[cell == np.iinfo(np.int64).max] = NO_CELL
        return cell

    def _sites_near(self, points: NDArray, lons: NDArray, lats: NDArray,
                    radius_m: float) -> tuple[NDArray, NDArray, NDArray]:
        if len(lons) == 0:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty, np.zeros(0)
        # A circle in degrees as wide as the widest margin holds every point's true circle.
        dlon, _ = degree_margins(lats, radius_m)
        pi, si = self._site_tree.query(points, predicate="dwithin",
                                       distance=float(dlon.max()))
        dist = distances_m(lons[pi], lats[pi], self._site_geoms[si])
        keep = dist <= radius_m
        pi, si, dist = pi[keep], si[keep], dist[keep]
        order = np.lexsort((si, dist, pi))
        return pi[order], si[order], dist[order]
