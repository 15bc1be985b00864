"""Spatial queries over any layer, the same on SQLite and PostGIS.

The database does the coarse filter (R*Tree or GIST on bounding boxes); shapely does the
exact test, so both backends give identical answers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
import sqlalchemy as sa
from shapely.geometry import Point, box
from shapely.geometry.base import BaseGeometry

from geo.db import is_sqlite
from geo.distance import degree_margins, distances_m
from geo.errors import QueryError
from geo.layers import Layer

BBox = tuple[float, float, float, float]


@dataclass(frozen=True)
class Nearby:
    """A feature found near a point, with its geodesic distance in metres."""

    feature: sa.RowMapping
    distance_m: float


def _check_lonlat(lon: float, lat: float) -> None:
    if not (np.isfinite(lon) and np.isfinite(lat) and -180 <= lon <= 180 and -90 <= lat <= 90):
        raise QueryError(f"point ({lon}, {lat}): not a longitude/latitude in EPSG:4326")


def _check_bbox(bbox: BBox) -> None:
    minx, miny, maxx, maxy = bbox
    if not all(np.isfinite(bbox)) or minx > maxx or miny > maxy:
        raise QueryError(f"bbox {bbox}: expected (min_lon, min_lat, max_lon, max_lat)")


def candidates(conn: sa.Connection, layer: Layer, bbox: BBox,
               where: sa.ColumnElement[bool] | None = None) -> list[sa.RowMapping]:
    """Features whose bounding box meets the bbox (the index-only coarse filter)."""
    t = layer.table
    minx, miny, maxx, maxy = (float(v) for v in bbox)
    if is_sqlite(conn):
        r = layer.rtree
        stmt = sa.select(t).join(r, r.c.id == t.c.id).where(
            r.c.maxx >= minx, r.c.minx <= maxx, r.c.maxy >= miny, r.c.miny <= maxy
        )
    else:
        envelope = sa.func.ST_MakeEnvelope(minx, miny, maxx, maxy, 4326)
        stmt = sa.select(t).where(layer.geom_column.op("&&")(envelope))
    if where is not None:
        stmt = stmt.where(where)
    return list(conn.execute(stmt.order_by(t.c.id)).mappings())


def _exact(rows: list[sa.RowMapping], test: np.ndarray) -> list[sa.RowMapping]:
    return [row for row, keep in zip(rows, test, strict=True) if keep]


def in_bbox(conn: sa.Connection, layer: Layer, bbox: BBox,
            where: sa.ColumnElement[bool] | None = None) -> list[sa.RowMapping]:
    """Features that intersect a (min_lon, min_lat, max_lon, max_lat) box."""
    _check_bbox(bbox)
    return intersecting(conn, layer, box(*bbox), where)


def intersecting(conn: sa.Connection, layer: Layer, geometry: BaseGeometry,
                 where: sa.ColumnElement[bool] | None = None) -> list[sa.RowMapping]:
    """Features that intersect a geometry given in EPSG:4326."""
    if geometry is None or geometry.is_empty:
        raise QueryError("query geometry is empty")
    rows = candidates(conn, layer, geometry.bounds, where)
    if not rows:
        return []
    shapely.prepare(geometry)
    return _exact(rows, shapely.intersects(geometry, [r[layer.geom] for r in rows]))


def containing(conn: sa.Connection, layer: Layer, lon: float, lat: float,
               where: sa.ColumnElement[bool] | None = None) -> sa.RowMapping | None:
    """The feature that contains the point (on a shared edge, the one with the lowest id)."""
    _check_lonlat(lon, lat)
    rows = intersecting(conn, layer, Point(lon, lat), where)
    return rows[0] if rows else None


def within_distance(conn: sa.Connection, layer: Layer, lon: float, lat: float,
                    radius_m: float,
                    where: sa.ColumnElement[bool] | None = None) -> list[Nearby]:
    """Features within `radius_m` metres of a point, nearest first, 0 m when inside."""
    _check_lonlat(lon, lat)
    if not np.isfinite(radius_m) or radius_m < 0:
        raise QueryError(f"radius {radius_m}: must be a distance in metres, 0 or more")
    dlon, dlat = degree_margins(lat, radius_m)
    rows = candidates(conn, layer, (lon - dlon, lat - dlat, lon + dlon, lat + dlat), where)
    if not rows:
        return []
    n = len(rows)
    dist = distances_m(np.full(n, lon), np.full(n, lat), [r[layer.geom] for r in rows])
    found = [Nearby(row, float(d)) for row, d in zip(rows, dist, strict=True) if d <= radius_m]
    return sorted(found, key=lambda nb: (nb.distance_m, nb.feature["id"]))


def extent(conn: sa.Connection, layer: Layer,
           ids: list[int] | None = None) -> BBox | None:
    """The bounding box of a layer's features (or of those with the given ids), from the
    index alone; None when there are none."""
    if is_sqlite(conn):
        r = layer.rtree
        stmt = sa.select(sa.func.min(r.c.minx), sa.func.min(r.c.miny), sa.func.max(r.c.maxx),
                         sa.func.max(r.c.maxy))
        key = r.c.id
    else:
        box2d = sa.func.ST_Extent(layer.geom_column)
        stmt = sa.select(sa.func.ST_XMin(box2d), sa.func.ST_YMin(box2d),
                         sa.func.ST_XMax(box2d), sa.func.ST_YMax(box2d))
        key = layer.table.c.id
    if ids is not None:
        stmt = stmt.where(key.in_(ids))
    found = conn.execute(stmt).one()
    return None if found[0] is None else tuple(float(v) for v in found)  # type: ignore[return-value]


@dataclass(frozen=True)
class Cluster:
    """Features counted in one square of a grid laid over a box: where their middle is."""

    lon: float
    lat: float
    count: int


def _centres(conn: sa.Connection, layer: Layer, bbox: BBox,
             filtered: bool) -> tuple[Any, Any, Any, sa.ColumnElement[bool]]:
    """(from clause, x, y, index filter) for features' bounding-box centres in a box (in
    SQLite from the R*Tree alone unless a filter needs the table's columns)."""
    minx, miny, maxx, maxy = bbox
    if is_sqlite(conn):
        r = layer.rtree
        meets = sa.and_(r.c.maxx >= minx, r.c.minx <= maxx, r.c.maxy >= miny, r.c.miny <= maxy)
        source = layer.table.join(r, r.c.id == layer.table.c.id) if filtered else r
        return (source, sa.type_coerce((r.c.minx + r.c.maxx) * 0.5, sa.Float),
                sa.type_coerce((r.c.miny + r.c.maxy) * 0.5, sa.Float), meets)
    g = layer.geom_column
    meets = g.op("&&")(sa.func.ST_MakeEnvelope(minx, miny, maxx, maxy, 4326))
    return (layer.table, sa.type_coerce((sa.func.ST_XMin(g) + sa.func.ST_XMax(g)) * 0.5, sa.Float),
            sa.type_coerce((sa.func.ST_YMin(g) + sa.func.ST_YMax(g)) * 0.5, sa.Float), meets)


def count_cells(xy: np.ndarray, bbox: BBox, cell_deg: float) -> list[Cluster]:
    """Count points (an n x 2 array already inside the box) per grid square of `cell_deg`
    degrees laid from the box's corner; each square at the mean of its points."""
    if not len(xy):
        return []
    cols = np.floor((xy[:, 0] - bbox[0]) / cell_deg).astype(np.int64)
    rows = np.floor((xy[:, 1] - bbox[1]) / cell_deg).astype(np.int64)
    _, inverse, n = np.unique(rows * (1 << 32) + cols, return_inverse=True,
                              return_counts=True)
    sx = np.bincount(inverse, weights=xy[:, 0])
    sy = np.bincount(inverse, weights=xy[:, 1])
    return [Cluster(float(a / k), float(b / k), int(k)) for a, b, k in zip(sx, sy, n,
                                                                           strict=True)]


def _check_cell(cell_deg: float) -> None:
    if not cell_deg > 0:
        raise QueryError(f"cell size {cell_deg}: must be more than 0 degrees")


def grid_clusters(conn: sa.Connection, layer: Layer, bbox: BBox, cell_deg: float,
                  where: sa.ColumnElement[bool] | None = None) -> list[Cluster]:
    """Count the features whose bounding-box centre lies in the box, per grid square of
    `cell_deg` degrees (for maps of many features). The database finds the centres from its
    index; numpy counts them (a GROUP BY would sort every row first)."""
    _check_bbox(bbox)
    _check_cell(cell_deg)
    minx, miny, maxx, maxy = (float(v) for v in bbox)
    source, x, y, meets = _centres(conn, layer, (minx, miny, maxx, maxy), where is not None)
    stmt = (sa.select(x, y).select_from(source)
            .where(meets, x >= minx, x <= maxx, y >= miny, y <= maxy))
    if where is not None:
        stmt = stmt.where(where)
    # Straight from the driver's cursor: building a Row per feature costs more than the query.
    xy = np.array(conn.execute(stmt).cursor.fetchall(), dtype=float).reshape(-1, 2)
    return count_cells(xy, (minx, miny, maxx, maxy), cell_deg)
