"""Before/after thumbnails of one changed region: the same ground on both images, read again
from the images at up to THUMB_PX pixels across (sharper than the analysis grid), the later
one with the registration shift applied, the region outlined, as JPEG bytes."""

from __future__ import annotations

import io

import numpy as np
from affine import Affine
from PIL import Image, ImageDraw
from shapely.geometry.base import BaseGeometry

from imagery.changes.grid import GroundGrid
from imagery.changes.reading import Flight, read_on_grid
from imagery.changes.sources import Source
from imagery.errors import RejectedFile

THUMB_PX = 256
MARGIN = 0.35  # share of the region's size added around it
MIN_SIDE_M = 20.0
OUTLINE = (255, 40, 40)


def thumb_grid(geometry: BaseGeometry, grid: GroundGrid) -> GroundGrid:
    """A THUMB_PX square grid around the region and its margin (at least MIN_SIDE_M)."""
    left, bottom, right, top = geometry.bounds
    side = max(right - left, top - bottom, MIN_SIDE_M / (1 + 2 * MARGIN)) * (1 + 2 * MARGIN)
    cx, cy = (left + right) / 2, (bottom + top) / 2
    gsd = side / THUMB_PX
    transform = Affine(gsd, 0.0, cx - side / 2, 0.0, -gsd, cy + side / 2)
    return GroundGrid(grid.crs, transform, THUMB_PX, THUMB_PX, geometry)


def shifted(grid: GroundGrid, shift_px: tuple[float, float], gsd: float) -> GroundGrid:
    """The grid to read the later image on so that it lines up after moving it by shift_px
    (rows, cols) pixels of `gsd` metres."""
    rows, cols = shift_px
    transform = Affine.translation(-cols * gsd, rows * gsd) @ grid.transform
    return GroundGrid(grid.crs, transform, grid.width, grid.height, grid.area)


def outline_rings(geometry: BaseGeometry, grid: GroundGrid) -> list[list[tuple[float, float]]]:
    """The rings of `geometry` as pixel coordinates of `grid`."""
    inverse = ~grid.transform
    rings = []
    for polygon in getattr(geometry, "geoms", [geometry]):
        for ring in [polygon.exterior, *polygon.interiors]:
            rings.append([inverse @ point for point in ring.coords])
    return rings


def jpeg(rgb: np.ndarray, geometry: BaseGeometry, grid: GroundGrid) -> bytes:
    """`rgb` (0..1, on `grid`) as a JPEG with `geometry` outlined."""
    image = Image.fromarray((np.clip(rgb, 0, 1) * 255).astype("uint8"))
    draw = ImageDraw.Draw(image)
    for ring in outline_rings(geometry, grid):
        draw.line(ring, fill=OUTLINE, width=2)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def thumbnail(source: Source | Flight, geometry: BaseGeometry, grid: GroundGrid,
              shift_px: tuple[float, float] = (0.0, 0.0)) -> bytes:
    """The region on one image, read from it at thumbnail resolution, outlined."""
    small = thumb_grid(geometry, grid)
    try:
        image = read_on_grid(source, shifted(small, shift_px, grid.gsd))
    except RejectedFile:  # read a moment ago: only a vanished or changed file gets here
        return jpeg(np.zeros((*small.shape, 3)), geometry, small)
    return jpeg(np.where(image.valid[..., None], image.rgb, 0.0), geometry, small)
