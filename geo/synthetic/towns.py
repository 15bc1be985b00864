"""Towns and street offices (镇/街道): Voronoi regions of well-spread seeds, clipped to land."""

from __future__ import annotations

import numpy as np
import shapely

from geo.synthetic.extent import Extent

KMEANS_ROUNDS = 8
CANDIDATES_PER_TOWN = 40


def sample_in(
    geom: shapely.Geometry, extent: Extent, n: int, rng: np.random.Generator
) -> np.ndarray:
    """`n` uniform random points (x, y) inside `geom`, by rejection from the extent."""
    shapely.prepare(geom)
    found: list[np.ndarray] = []
    total = 0
    while total < n:
        x = rng.uniform(extent.west, extent.east, 2 * n)
        y = rng.uniform(extent.south, extent.north, 2 * n)
        inside = shapely.contains_xy(geom, x, y)
        found.append(np.column_stack([x[inside], y[inside]]))
        total += int(inside.sum())
    return np.vstack(found)[:n]


def _nearest(points: np.ndarray, centres: np.ndarray) -> np.ndarray:
    """Index of the nearest centre for every point (ties go to the lowest index)."""
    tree = shapely.STRtree(shapely.points(centres))
    point_idx, centre_idx = tree.query_nearest(shapely.points(points), all_matches=False)
    out = np.empty(len(points), dtype=np.int64)
    out[point_idx] = centre_idx
    return out


def town_seeds(
    land: shapely.Geometry, extent: Extent, n: int, rng: np.random.Generator
) -> np.ndarray:
    """`n` well-spread seed points on land (k-means on random land points, snapped to land)."""
    points = sample_in(land, extent, CANDIDATES_PER_TOWN * n, rng)
    metric = points * [extent.m_per_deg_x, extent.m_per_deg_y]
    centres = metric[rng.choice(len(metric), n, replace=False)]
    for _ in range(KMEANS_ROUNDS):
        label = _nearest(metric, centres)
        counts = np.bincount(label, minlength=n)
        sums = np.column_stack([np.bincount(label, metric[:, d], minlength=n) for d in (0, 1)])
        filled = counts > 0
        centres[filled] = sums[filled] / counts[filled, None]
    snapped = _nearest(centres, metric)
    return points[np.unique(snapped)]


def voronoi_regions(seeds: np.ndarray, extent: Extent) -> list[shapely.Polygon]:
    """The Voronoi region of each seed, in seed order, covering the extent."""
    frame = shapely.buffer(extent.box(), extent.width)
    cells = shapely.get_parts(shapely.voronoi_polygons(shapely.MultiPoint(seeds), extend_to=frame))
    tree = shapely.STRtree(cells)
    seed_idx, cell_idx = tree.query(shapely.points(seeds), predicate="intersects")
    order = np.full(len(seeds), -1)
    order[seed_idx] = cell_idx
    return [shapely.intersection(cells[i], extent.box()) for i in order]


def polygonal(geom: shapely.Geometry) -> shapely.Geometry:
    """Only the polygon parts of `geom` (intersections may add stray lines or points)."""
    flat = shapely.get_parts(shapely.get_parts(geom))
    parts = [p for p in flat if p.geom_type == "Polygon" and p.area > 0]
    if len(parts) == 1:
        return parts[0]
    return shapely.MultiPolygon(parts)


def order_north_west(geoms: list[shapely.Geometry]) -> list[int]:
    """Indices sorted north to south, then west to east, by centroid (for stable numbering)."""
    c = shapely.centroid(np.asarray(geoms, dtype=object))
    keys = [(-round(p.y, 6), round(p.x, 6)) for p in c]
    return sorted(range(len(geoms)), key=lambda i: keys[i])
