"""Change detection for one site between two images of it: read both onto one ground grid,
co-register, normalise colour, measure change, threshold, clean up, trace polygons."""

from __future__ import annotations

import numpy as np
from shapely.geometry.base import BaseGeometry

from imagery.changes.colour import match_colours
from imagery.changes.grid import DEFAULT_GSD_M, ground_grid
from imagery.changes.measure import change_magnitude
from imagery.changes.morphology import clean_mask
from imagery.changes.polygons import regions
from imagery.changes.reading import Flight, read_on_grid
from imagery.changes.register import apply_shift, find_shift
from imagery.changes.result import ChangePolygon, ChangeResult
from imagery.changes.sources import Source
from imagery.changes.threshold import GROW, change_threshold, changed_pixels
from imagery.changes.thumbs import thumbnail
from imagery.errors import RejectedFile

NO_COMMON_GROUND = "与前一期影像在地块（含缓冲区）内没有共同覆盖的区域"


def detect_changes(before: Source | Flight, after: Source | Flight, site: BaseGeometry, *,
                   buffer_m: float = 20.0, min_area_m2: float = 25.0,
                   gsd_m: float = DEFAULT_GSD_M) -> ChangeResult:
    """Where the ground of `site` (EPSG:4326) plus `buffer_m` changed from `before` to `after`
    (GeoTIFF paths, GDAL paths such as /vsis3/..., stored rasters, or drone nadir photos:
    a NadirPhoto or a list of them, see imagery.changes.nadir). Polygons are in
    EPSG:4326, at least `min_area_m2`, largest first. Raises RejectedFile (Chinese reason
    naming the file) for an image that is not a georeferenced raster or misses the site."""
    if site.is_empty:
        raise ValueError("地块几何为空，无法检测变化")
    grid = ground_grid(site, buffer_m, gsd_m)
    first = read_on_grid(before, grid)
    second = read_on_grid(after, grid)
    shift = find_shift(first, second, grid.gsd)
    second = apply_shift(second, shift)
    valid = first.valid & second.valid & grid.area_mask
    if not valid.any():
        raise RejectedFile(second.label, NO_COMMON_GROUND)
    magnitude, threshold = measure(first.rgb, second.rgb, valid, grid.gsd, valid)
    stable = valid & (magnitude < GROW * threshold)  # second pass: gains from unchanged ground
    magnitude, threshold = measure(first.rgb, second.rgb, valid, grid.gsd, stable)
    mask = clean_mask(changed_pixels(magnitude, threshold, valid), grid.gsd, min_area_m2)
    polygons = [
        ChangePolygon(grid.to_lonlat(region.geometry), region.area_m2, region.score,
                      thumbnail(before, region.geometry, grid),
                      thumbnail(after, region.geometry, grid, shift))
        for region in regions(mask, magnitude, threshold, grid, min_area_m2)
    ]
    return ChangeResult(float(np.hypot(*shift)) * grid.gsd, polygons)


def measure(before: np.ndarray, after: np.ndarray, valid: np.ndarray, gsd: float,
            stable: np.ndarray) -> tuple[np.ndarray, float]:
    """The change measure of `after` against `before`, colours normalised on `stable`, and
    its adaptive threshold over `valid`."""
    matched = match_colours(after, before, valid, gsd, stable)
    magnitude = change_magnitude(before, matched, stable, gsd)
    return magnitude, change_threshold(magnitude, valid)
