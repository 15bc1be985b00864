"""Small random shapes (blobs, quadrilaterals) built in metres and placed in degrees."""

from __future__ import annotations

import numpy as np
import shapely

from geo.synthetic.extent import Extent


def star_polygon(
    extent: Extent, cx: float, cy: float, radii_m: np.ndarray, angles: np.ndarray
) -> shapely.Polygon:
    """A star-shaped polygon (always simple) around (cx, cy) from increasing angles."""
    dx, dy = extent.to_degrees(radii_m * np.cos(angles), radii_m * np.sin(angles))
    coords = np.column_stack([cx + dx, cy + dy])
    return shapely.Polygon(np.vstack([coords, coords[:1]]))


def blob(
    extent: Extent, rng: np.random.Generator, cx: float, cy: float, radius_m: float
) -> shapely.Polygon:
    """An irregular round shape (island, lake) of roughly the given radius."""
    n = 24
    angles = np.linspace(0, 2 * np.pi, n, endpoint=False)
    wobble = np.zeros(n)
    for k in (2, 3, 5):
        wobble += rng.uniform(0.04, 0.12) * np.sin(k * angles + rng.uniform(0, 2 * np.pi))
    return star_polygon(extent, cx, cy, radius_m * (1 + wobble), angles)


def site_polygon(
    extent: Extent, rng: np.random.Generator, cx: float, cy: float, area_m2: float
) -> shapely.Polygon:
    """An irregular quadrilateral or pentagon of exactly `area_m2` square metres."""
    k = int(rng.integers(4, 6))
    base = np.linspace(0, 2 * np.pi, k, endpoint=False) + rng.uniform(0, 2 * np.pi)
    angles = base + rng.uniform(-0.25, 0.25, k) * (2 * np.pi / k)
    radii = rng.uniform(0.8, 1.2, k)
    x, y = radii * np.cos(angles), radii * np.sin(angles)
    unit_area = 0.5 * abs(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1)))
    return star_polygon(extent, cx, cy, radii * np.sqrt(area_m2 / unit_area), angles)
