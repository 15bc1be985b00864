"""Changed regions as polygons: traced with rasterio.features.shapes, clipped to the site plus
its buffer, kept when at least the minimum area and when its mean change measure lies above
the threshold (the hysteresis grows regions from strong cores; a region that is mostly
growth is noise), each scored by how far above the threshold its mean lies."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from rasterio.features import shapes
from scipy import ndimage
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import unary_union

from imagery.changes.grid import GroundGrid

MIN_SCORE = 0.05  # a region whose mean measure is not above the threshold is not kept


@dataclass(frozen=True)
class Region:
    """One changed region in the grid's CRS, with its area (m²) and score (0..1)."""

    geometry: BaseGeometry
    area_m2: float
    score: float


def score_of(mean_magnitude: float, threshold: float) -> float:
    """0 at the threshold, towards 1 as the region's mean measure grows past it."""
    if not np.isfinite(threshold) or mean_magnitude <= threshold:
        return 0.0
    return float(np.clip(1.0 - threshold / mean_magnitude, 0.0, 1.0) ** 0.5)


def regions(mask: np.ndarray, magnitude: np.ndarray, threshold: float, grid: GroundGrid,
            min_area_m2: float) -> list[Region]:
    """The regions of `mask` as clipped polygons of at least `min_area_m2`, largest first."""
    labels, count = ndimage.label(mask)
    if count == 0:
        return []
    means = ndimage.mean(magnitude, labels, index=np.arange(1, count + 1))
    parts: dict[int, list[BaseGeometry]] = {}
    for geometry, value in shapes(labels.astype("int32"), mask=mask, transform=grid.transform):
        parts.setdefault(int(value), []).append(shape(geometry))
    found = []
    for label, pieces in parts.items():
        outline = unary_union(pieces).intersection(grid.area)
        outline = outline.simplify(grid.gsd * 0.5, preserve_topology=True)
        score = score_of(float(means[label - 1]), threshold)
        if outline.is_empty or outline.area < min_area_m2 or score < MIN_SCORE:
            continue
        found.append(Region(outline, float(outline.area), score))
    return sorted(found, key=lambda region: region.area_m2, reverse=True)
