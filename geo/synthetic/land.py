"""The land: a mainland with an irregular east coast, offshore islands and lakes (holes)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import shapely

from geo.synthetic.extent import Extent
from geo.synthetic.shapes import blob

COAST_MEAN = 0.74
COAST_SWING = 0.14
TINY_ISLAND_RADIUS_M = 110.0


@dataclass(frozen=True)
class Coast:
    """The east coastline as x = f(y), a sum of sines with random phases."""

    extent: Extent
    amplitudes: np.ndarray
    phases: np.ndarray

    def x_at(self, y: np.ndarray) -> np.ndarray:
        """Longitude of the coastline at latitudes `y`."""
        v = (np.asarray(y, dtype=float) - self.extent.south) / self.extent.height
        k = np.arange(1, len(self.amplitudes) + 1)
        waves = np.sin(2 * np.pi * np.outer(v, k) + self.phases) @ self.amplitudes
        return self.extent.west + self.extent.width * (COAST_MEAN + waves)


def make_coast(extent: Extent, rng: np.random.Generator) -> Coast:
    """A random coastline whose swing stays within COAST_SWING of the width."""
    n_waves = int(6 * math.sqrt(extent.scale)) + 2
    amplitudes = rng.uniform(0.5, 1.0, n_waves) / np.arange(1, n_waves + 1)
    amplitudes *= COAST_SWING / amplitudes.sum()
    return Coast(extent, amplitudes, rng.uniform(0, 2 * np.pi, n_waves))


def mainland_polygon(coast: Coast) -> shapely.Polygon:
    """The land west of the coastline, bounded by the extent on the other sides."""
    e = coast.extent
    n = int(150 * math.sqrt(e.scale))
    ys = np.linspace(e.north, e.south, n)
    xs = coast.x_at(ys)
    ring = [(e.west, e.north), *zip(xs.tolist(), ys.tolist(), strict=True), (e.west, e.south)]
    return shapely.Polygon(ring)


def coastline(coast: Coast) -> shapely.LineString:
    """The mainland coastline as a line (for shipyards)."""
    e = coast.extent
    ys = np.linspace(e.north, e.south, int(150 * math.sqrt(e.scale)))
    return shapely.LineString(np.column_stack([coast.x_at(ys), ys]))


def make_islands(
    coast: Coast, mainland: shapely.Polygon, rng: np.random.Generator
) -> list[shapely.Polygon]:
    """About 3 islands per unit of scale offshore; the first is tiny (smaller than a sliver)."""
    e = coast.extent
    wanted = 3 * e.scale
    islands: list[shapely.Polygon] = []
    keep_off = 300.0 / e.m_per_deg_x
    shapely.prepare(mainland)
    for _ in range(50 * wanted):
        if len(islands) == wanted:
            break
        radius = TINY_ISLAND_RADIUS_M if not islands else float(rng.uniform(250, 800))
        cy = float(rng.uniform(e.south + 0.1 * e.height, e.north - 0.1 * e.height))
        offset_m = radius + 400 + float(rng.uniform(0, 1800 * math.sqrt(e.scale)))
        cx = float(coast.x_at(np.array([cy]))[0]) + offset_m / e.m_per_deg_x
        island = blob(e, rng, cx, cy, radius)
        inside = shapely.contains(e.box(), island)
        clear = not shapely.dwithin(mainland, island, keep_off) and not (
            islands and shapely.dwithin(np.asarray(islands), island, keep_off).any()
        )
        if inside and clear:
            islands.append(island)
    return islands


def make_lakes(
    candidates: list[shapely.Polygon], cell_size_m: float, extent: Extent, rng: np.random.Generator
) -> list[shapely.Polygon]:
    """One reservoir per unit of scale, each strictly inside one candidate lattice box."""
    wanted = min(extent.scale, len(candidates))
    chosen = rng.choice(len(candidates), size=wanted, replace=False)
    lakes = []
    for i in sorted(chosen.tolist()):
        centre = shapely.centroid(candidates[i])
        radius = cell_size_m * float(rng.uniform(0.2, 0.28))
        lakes.append(blob(extent, rng, centre.x, centre.y, radius))
    return lakes
