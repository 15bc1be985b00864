"""The district's bounding box and its metre/degree conversion for a given scale."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import shapely

BASE_WIDTH_DEG = 0.30
BASE_HEIGHT_DEG = 0.20
DISTRICT_CENTRE = (121.45, 28.70)
PROVINCE_CENTRE = (120.60, 29.10)
CELL_SIZE_M = 1500.0


@dataclass(frozen=True)
class Extent:
    """A lon/lat box with local metres-per-degree factors (equirectangular at its centre)."""

    west: float
    south: float
    east: float
    north: float
    scale: int

    @property
    def width(self) -> float:
        """Width in degrees of longitude."""
        return self.east - self.west

    @property
    def height(self) -> float:
        """Height in degrees of latitude."""
        return self.north - self.south

    @property
    def m_per_deg_x(self) -> float:
        """Metres per degree of longitude at the centre latitude."""
        return 111_320.0 * math.cos(math.radians((self.south + self.north) / 2))

    @property
    def m_per_deg_y(self) -> float:
        """Metres per degree of latitude."""
        return 110_574.0

    def to_degrees(self, dx_m: np.ndarray, dy_m: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Convert metre offsets to degree offsets."""
        return np.asarray(dx_m) / self.m_per_deg_x, np.asarray(dy_m) / self.m_per_deg_y

    def box(self) -> shapely.Polygon:
        """The extent as a polygon."""
        return shapely.box(self.west, self.south, self.east, self.north)


def extent_for_scale(scale: int) -> Extent:
    """Stretch the scale-1 district by sqrt(scale), drifting the centre towards mid-Zhejiang."""
    if scale < 1:
        raise ValueError(f"scale: must be a positive integer, got {scale}")
    stretch = math.sqrt(scale)
    t = min(1.0, math.log10(scale) / 2)
    cx = DISTRICT_CENTRE[0] + t * (PROVINCE_CENTRE[0] - DISTRICT_CENTRE[0])
    cy = DISTRICT_CENTRE[1] + t * (PROVINCE_CENTRE[1] - DISTRICT_CENTRE[1])
    half_w = BASE_WIDTH_DEG * stretch / 2
    half_h = BASE_HEIGHT_DEG * stretch / 2
    # Rounded so that 28.70 - 0.10 is 28.6, not 28.599999999999998.
    west, south = round(cx - half_w, 9), round(cy - half_h, 9)
    return Extent(west, south, round(cx + half_w, 9), round(cy + half_h, 9), scale)
