"""The common ground grid both images are resampled to: a local UTM CRS around the site plus
its buffer, at one analysis resolution."""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import shapely
from affine import Affine
from pyproj import CRS, Transformer
from rasterio.crs import CRS as RioCRS
from rasterio.features import rasterize
from shapely.geometry.base import BaseGeometry

DEFAULT_GSD_M = 0.5  # analysis resolution: a 100 m² change covers 400 pixels
MAX_GRID_PIXELS = 16_000_000  # a larger site is analysed at a coarser resolution


def utm_crs(lon: float, lat: float) -> CRS:
    """The WGS 84 UTM zone CRS containing lon/lat."""
    zone = min(int((lon + 180) // 6) + 1, 60)
    return CRS.from_epsg((32600 if lat >= 0 else 32700) + zone)


def to_crs(geometry: BaseGeometry, source: CRS | str, target: CRS | str) -> BaseGeometry:
    """Reproject a shapely geometry between two CRSs (x = lon/easting first)."""
    transformer = Transformer.from_crs(source, target, always_xy=True)
    return shapely.transform(geometry, lambda xy: np.column_stack(
        transformer.transform(xy[:, 0], xy[:, 1])))


@dataclass(frozen=True)
class GroundGrid:
    """A north-up raster grid in a projected CRS, and the area of interest on it."""

    crs: CRS
    transform: Affine
    width: int
    height: int
    area: BaseGeometry  # site + buffer, in `crs`

    @property
    def gsd(self) -> float:
        """Ground size of one pixel, metres."""
        return self.transform.a

    @property
    def shape(self) -> tuple[int, int]:
        """(rows, columns)."""
        return self.height, self.width

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        """(left, bottom, right, top) in `crs`."""
        left, top = self.transform.c, self.transform.f
        return left, top - self.height * self.gsd, left + self.width * self.gsd, top

    @property
    def rio_crs(self) -> RioCRS:
        """The CRS as rasterio wants it."""
        return RioCRS.from_wkt(self.crs.to_wkt())

    @cached_property
    def area_mask(self) -> np.ndarray:
        """True on pixels inside the site plus its buffer."""
        return rasterize([(self.area, 1)], out_shape=self.shape, transform=self.transform,
                         fill=0, dtype="uint8").astype(bool)

    def to_lonlat(self, geometry: BaseGeometry) -> BaseGeometry:
        """A geometry on this grid's CRS as lon/lat (EPSG:4326)."""
        return to_crs(geometry, self.crs, "EPSG:4326")


def ground_grid(site: BaseGeometry, buffer_m: float, gsd_m: float = DEFAULT_GSD_M) -> GroundGrid:
    """The grid covering `site` (EPSG:4326) plus `buffer_m`, at `gsd_m` or coarser when the
    area would need more than MAX_GRID_PIXELS pixels."""
    centre = site.centroid
    crs = utm_crs(centre.x, centre.y)
    area = to_crs(site, "EPSG:4326", crs).buffer(max(buffer_m, 0.0))
    left, bottom, right, top = area.bounds
    gsd = max(gsd_m, math.sqrt((right - left) * (top - bottom) / MAX_GRID_PIXELS))
    left, top = math.floor(left / gsd) * gsd, math.ceil(top / gsd) * gsd
    width = max(1, math.ceil((right - left) / gsd))
    height = max(1, math.ceil((top - bottom) / gsd))
    return GroundGrid(crs, Affine(gsd, 0.0, left, 0.0, -gsd, top), width, height, area)
