"""Sites: enterprises (points), township landfills and waste-to-energy plants (polygons)."""

from __future__ import annotations

import numpy as np
import shapely

from geo.synthetic.extent import Extent
from geo.synthetic.shapes import site_polygon
from geo.synthetic.towns import sample_in

INDUSTRY_SHARES = {
    "医化": 0.15,
    "印染": 0.15,
    "眼镜": 0.20,
    "纺织": 0.25,
    "船舶修造": 0.10,
    "砂石": 0.15,
}
SHIPYARD_INDUSTRY = "船舶修造"
SHIPYARD_COAST_M = 2000.0
SITE_SPACING_M = 800.0


def industries(n: int, rng: np.random.Generator) -> list[str]:
    """`n` industries drawn with INDUSTRY_SHARES."""
    names = list(INDUSTRY_SHARES)
    picks = rng.choice(len(names), size=n, p=list(INDUSTRY_SHARES.values()))
    return [names[i] for i in picks]


def near_coast(
    land: shapely.Geometry,
    coast: shapely.LineString,
    extent: Extent,
    n: int,
    rng: np.random.Generator,
) -> np.ndarray:
    """`n` points on land within SHIPYARD_COAST_M west of the coastline."""
    found: list[np.ndarray] = []
    total = 0
    while total < n:
        at = shapely.line_interpolate_point(coast, rng.uniform(0, 1, 2 * n), normalized=True)
        x, y = shapely.get_x(at), shapely.get_y(at)
        dx, dy = extent.to_degrees(
            rng.uniform(-SHIPYARD_COAST_M, 0, 2 * n), rng.uniform(-300, 300, 2 * n)
        )
        x, y = x + dx, y + dy
        inside = shapely.contains_xy(land, x, y)
        found.append(np.column_stack([x[inside], y[inside]]))
        total += int(inside.sum())
    return np.vstack(found)[:n]


def enterprise_points(
    land: shapely.Geometry,
    coast: shapely.LineString,
    extent: Extent,
    kinds: list[str],
    rng: np.random.Generator,
) -> np.ndarray:
    """One point per enterprise: shipyards near the coast, the rest anywhere on land."""
    kinds_arr = np.asarray(kinds)
    is_yard = kinds_arr == SHIPYARD_INDUSTRY
    xy = np.empty((len(kinds), 2))
    xy[is_yard] = near_coast(land, coast, extent, int(is_yard.sum()), rng)
    xy[~is_yard] = sample_in(land, extent, int((~is_yard).sum()), rng)
    return xy


class Spacing:
    """A spatial hash that answers: is a new site at least `spacing_m` from every other?"""

    def __init__(self, extent: Extent, spacing_m: float) -> None:
        self.metres = (extent.m_per_deg_x, extent.m_per_deg_y)
        self.spacing = spacing_m
        self.buckets: dict[tuple[int, int], list[tuple[float, float]]] = {}

    def _key(self, mx: float, my: float) -> tuple[int, int]:
        return int(mx // self.spacing), int(my // self.spacing)

    def is_clear(self, x: float, y: float) -> bool:
        """True when no recorded site lies within the spacing of (x, y)."""
        mx, my = x * self.metres[0], y * self.metres[1]
        kx, ky = self._key(mx, my)
        for i in (kx - 1, kx, kx + 1):
            for j in (ky - 1, ky, ky + 1):
                for px, py in self.buckets.get((i, j), ()):
                    if (px - mx) ** 2 + (py - my) ** 2 < self.spacing**2:
                        return False
        return True

    def add(self, x: float, y: float) -> None:
        """Record a site at (x, y)."""
        mx, my = x * self.metres[0], y * self.metres[1]
        self.buckets.setdefault(self._key(mx, my), []).append((mx, my))


def site_polygons(
    land: shapely.Geometry,
    extent: Extent,
    areas_ha: np.ndarray,
    spacing: Spacing,
    rng: np.random.Generator,
) -> list[shapely.Polygon]:
    """One polygon per area, inside land and clear of other sites by the spacing."""
    out: list[shapely.Polygon] = []
    while len(out) < len(areas_ha):
        for cx, cy in sample_in(land, extent, 2 * (len(areas_ha) - len(out)), rng):
            if len(out) == len(areas_ha):
                break
            if not spacing.is_clear(cx, cy):
                continue
            poly = site_polygon(extent, rng, cx, cy, areas_ha[len(out)] * 10_000)
            if shapely.contains(land, poly):
                out.append(poly)
                spacing.add(cx, cy)
    return out


def town_of(points: np.ndarray, towns: list[shapely.Geometry], names: list[str]) -> list[str]:
    """The name of the town containing each point (the first, on a shared border)."""
    tree = shapely.STRtree(towns)
    point_idx, town_idx = tree.query(shapely.points(points), predicate="intersects")
    found = np.full(len(points), -1)
    found[point_idx[::-1]] = town_idx[::-1]
    if (found < 0).any():
        raise ValueError(f"points: {int((found < 0).sum())} fall outside every town")
    return [names[i] for i in found]
